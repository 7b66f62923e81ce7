package org.agentnet.web.agw;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.security.cert.X509Certificate;
import java.util.Locale;
import org.agentnet.agw.access.AccessView;
import org.agentnet.agw.access.AgentAccessService;
import org.agentnet.agw.access.AgentHeartbeats;
import org.agentnet.agw.access.HeartbeatState;
import org.agentnet.agw.access.HeartbeatTable;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.web.security.Callers;
import org.agentnet.web.security.ClientCertificates;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The AGW's agent API (draft 3.3.1): access with a signed request, heartbeats, the access record,
 * and withdrawal. Agents authenticate with their ACA certificate (mutual TLS); docs/agw.md.
 */
@Path("/v1/agw")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "agw", description = "Agent Gateway: agent access and heartbeats")
public class AgentAccessResource {

    /** The media type of a compact JWS (RFC 7515). */
    public static final String JOSE = "application/jose";

    /** A heartbeat: RUNNING ("running normally") or TEMPORARILY_OFFLINE, with an optional detail. */
    public record HeartbeatRequest(@NotBlank @Size(max = 32) String status, @Size(max = HeartbeatTable.MAX_DETAIL) String detail) {
    }

    @EJB
    AgentAccessService access;

    @EJB
    AgentHeartbeats heartbeats;

    @Inject
    Callers callers;

    @Context
    HttpServletRequest request;

    @Context
    UriInfo uriInfo;

    @POST
    @Path("access")
    @Consumes({JOSE, MediaType.TEXT_PLAIN})
    @Operation(summary = "Access the gateway (mutual TLS with the agent's ACA certificate): the body is a compact JWS "
            + "signed by the certificate's key; 201 with the new access record, 200 when it existed")
    public Response access(String body) {
        var identity = callers.agent(request);
        X509Certificate certificate = ClientCertificates.of(request).orElseThrow();
        AgentAccessService.Outcome outcome = access.access(identity, certificate, body);
        JsonObject view = view(outcome.access());
        if (outcome.created()) {
            return Response.created(uriInfo.getBaseUriBuilder().path("v1/agw/agents").path(outcome.access().agentId()).build())
                    .entity(view).build();
        }
        return Response.ok(view).build();
    }

    @GET
    @Path("agents/{id}")
    @Operation(summary = "An access record (the agent itself or an operator)")
    public JsonObject get(@PathParam("id") String id) {
        return view(access.get(callers.agentOrOperator(request), id));
    }

    @DELETE
    @Path("agents/{id}")
    @Operation(summary = "Deregister from the gateway (the agent itself or an operator): the record is deleted and the "
            + "agent is OFFLINE in the ARS")
    public Response withdraw(@PathParam("id") String id) {
        access.withdraw(callers.agentOrOperator(request), id);
        return Response.noContent().build();
    }

    @PUT
    @Path("agents/{id}/heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Heartbeat of the agent itself (its agent certificate only): {\"status\": \"RUNNING\" | \"TEMPORARILY_OFFLINE\", \"detail\": ...}; 204")
    public Response heartbeat(@PathParam("id") String id, @NotNull @Valid HeartbeatRequest body) {
        heartbeats.beat(id, callers.agent(request).uri(), status(body.status()), body.detail());
        return Response.noContent().build();
    }

    static HeartbeatState status(String text) {
        String name = text.strip().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        if (name.equals("RUNNING") || name.equals("TEMPORARILY_OFFLINE")) {
            return HeartbeatState.valueOf(name);
        }
        throw new AgentnetException(ProblemType.VALIDATION_FAILED, "status must be RUNNING or TEMPORARILY_OFFLINE");
    }

    static JsonObject view(AccessView view) {
        JsonArrayBuilder addresses = Json.createArrayBuilder();
        view.addresses().forEach(a -> addresses.add(Json.createObjectBuilder().add("url", a.url()).add("protocol", a.protocol().canonical())));
        JsonArrayBuilder protocols = Json.createArrayBuilder();
        view.protocols().forEach(p -> protocols.add(p.canonical()));
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("agentId", view.agentId())
                .add("agentUri", view.agentUri())
                .add("certificateSerial", view.certificateSerial())
                .add("addresses", addresses)
                .add("protocols", protocols)
                .add("heartbeatInterval", view.heartbeatInterval())
                .add("holdTime", view.holdTime())
                .add("status", view.state().name())
                .add("lastHeartbeat", view.lastHeartbeat().toString())
                .add("accessedAt", view.accessedAt().toString())
                .add("updatedAt", view.updatedAt().toString());
        if (view.detail() != null) {
            json.add("detail", view.detail());
        }
        return json.build();
    }
}
