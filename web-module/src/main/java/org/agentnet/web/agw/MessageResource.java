package org.agentnet.web.agw;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.security.cert.X509Certificate;
import java.util.List;
import org.agentnet.agw.message.MessageService;
import org.agentnet.web.security.Callers;
import org.agentnet.web.security.ClientCertificates;
import org.agentnet.web.traffic.RateLimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Relay forwarding, the sender's side (draft 3.4.4): an agent that accessed this gateway submits a
 * message signed with its key; its sender or an operator follows its state. docs/agw.md "Relay".
 */
@Path("/v1/agw/messages")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "agw", description = "Agent Gateway: routing and relay")
public class MessageResource {

    @EJB
    MessageService messages;

    @Inject
    Callers callers;

    @Context
    HttpServletRequest request;

    @Context
    UriInfo uriInfo;

    @RateLimited
    @POST
    @Consumes({AgentAccessResource.JOSE, MediaType.TEXT_PLAIN})
    @Operation(summary = "Submit a message (mutual TLS, an agent that accessed this gateway): the body is a compact JWS "
            + "signed by the certificate's key, payload {messageId?, target, sessionId?, contentType, payload, iat, jti}; "
            + "202 with the message ID and its state, 200 when the same message ID was accepted before")
    public Response submit(String body) {
        var identity = callers.agent(request);
        List<X509Certificate> chain = ClientCertificates.chainOf(request);
        MessageService.Accepted accepted = messages.submit(identity, chain, body);
        JsonObject view = MessageViews.message(accepted.message());
        return Response.status(accepted.created() ? Response.Status.ACCEPTED : Response.Status.OK)
                .location(uriInfo.getBaseUriBuilder().path("v1/agw/messages").path(accepted.message().messageId()).build())
                .entity(view).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A message's state (its sender or an operator): ACCEPTED, FORWARDED, INBOX, DELIVERED, FAILED "
            + "with the reason, tries, times")
    public JsonObject get(@PathParam("id") String id) {
        return MessageViews.message(messages.get(callers.agentOrOperator(request), id));
    }
}
