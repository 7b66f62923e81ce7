package org.agentnet.web.agw;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.agentnet.agw.message.MessageService;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.web.security.Callers;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Relay forwarding between gateways (draft 3.4.4), called by peer gateways over mutual TLS with
 * their gateway certificates: a message for an agent of this gateway, and the receipt of a message
 * this gateway forwarded. docs/agw.md "Relay".
 */
@Path("/v1/agw/relay")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "agw", description = "Agent Gateway: routing and relay")
public class RelayResource {

    @EJB
    MessageService messages;

    @Inject
    Callers callers;

    @Context
    HttpServletRequest request;

    @POST
    @Operation(summary = "A peer gateway hands over a message: {messageId, senderId?, senderCertificate (PEM chain), jws}; "
            + "202 when accepted, 200 when the same message was accepted before (no second delivery)")
    public Response relay(JsonStructure body) {
        var caller = callers.gateway(request);
        MessageService.Accepted accepted = messages.receive(caller, required(body));
        return Response.status(accepted.created() ? Response.Status.ACCEPTED : Response.Status.OK)
                .entity(MessageViews.message(accepted.message())).build();
    }

    @POST
    @Path("batch")
    @Operation(summary = "A peer gateway hands over several messages: {messages: [{messageId, senderId?, senderCertificate, jws}, ...]} "
            + "(at most 100); 200 {results: [{messageId, status, state | type, detail}]}, each status the one a single call would answer")
    public JsonObject relayBatch(JsonStructure body) {
        var caller = callers.gateway(request);
        return results(messages.receiveAll(caller, required(body)));
    }

    @POST
    @Path("receipts/batch")
    @Operation(summary = "The peer several messages were forwarded to reports their delivery: {receipts: [{messageId, state, at, reason?}, ...]}; "
            + "200 {results: [{messageId, status, state | type, detail}]}")
    public JsonObject receiptBatch(JsonStructure body) {
        var caller = callers.gateway(request);
        return results(messages.receiptAll(caller, required(body)));
    }

    private static JsonObject results(java.util.List<JsonObject> results) {
        var array = jakarta.json.Json.createArrayBuilder();
        results.forEach(array::add);
        return jakarta.json.Json.createObjectBuilder().add("results", array).build();
    }

    @POST
    @Path("receipts")
    @Operation(summary = "The peer a message was forwarded to reports its delivery: {messageId, state: DELIVERED|FAILED, at, reason?}")
    public JsonObject receipt(JsonStructure body) {
        var caller = callers.gateway(request);
        return MessageViews.message(messages.receipt(caller, required(body)));
    }

    /** The body as a JSON object: the runtime reads any JSON structure, an array is the caller's mistake. */
    private static JsonObject required(JsonStructure body) {
        if (!(body instanceof JsonObject object)) {
            throw new AgentnetException(ProblemType.MALFORMED_BODY, "the request body is a JSON object");
        }
        return object;
    }
}
