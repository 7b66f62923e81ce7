package org.agentnet.web.agw;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
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
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.agentnet.agw.peering.PeerLink;
import org.agentnet.agw.peering.PeerTasks;
import org.agentnet.agw.peering.PeerView;
import org.agentnet.agw.peering.PeeringProtocol;
import org.agentnet.agw.peering.PeeringService;
import org.agentnet.agw.peering.PeeringSettings;
import org.agentnet.agw.peering.ResourceReceiver;
import org.agentnet.ars.ArsCaller;
import org.agentnet.agw.traffic.TrafficControl;
import org.agentnet.agw.traffic.TrafficGate;
import org.agentnet.security.CertifiedIdentity;
import org.agentnet.web.security.Callers;
import org.agentnet.web.security.Operators;
import org.agentnet.web.traffic.RateLimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The gateway-to-gateway API (draft 3.4.1-3.4.3; docs/agw.md "Peering"): handshake, heartbeats,
 * resource synchronization and disconnection between peer gateways over mutual TLS with their
 * ACA gateway certificates, and the operators' view of the neighbor list.
 */
@Path("/v1/agw/peers")
@Produces(MediaType.APPLICATION_JSON)
@RateLimited
@RequestScoped
@Tag(name = "agw")
public class AgwPeerResource {

    @EJB
    PeeringService peering;

    @EJB
    PeerLink link;

    @EJB
    ResourceReceiver receiver;

    @Inject
    PeerTasks tasks;

    @Inject
    PeeringSettings settings;

    @Inject
    Callers callers;

    @Inject
    TrafficGate traffic;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Interconnection (mutual TLS, gateway certificate): the calling gateway's handshake; the answer "
            + "is this gateway's own, and the caller is in its neighbor list")
    public JsonObject handshake(String body) {
        CertifiedIdentity caller = gateway();
        PeeringProtocol.Hello answer = link.accept(caller, PeeringProtocol.Hello.parse(body));
        tasks.syncSoon(answer.peerId()); // it gets this node's agents (after the commit)
        return answer.toJson();
    }

    @PUT
    @Path("{id}/heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A peer gateway's heartbeat (that peer only); the answer says how far its agent feed is applied here")
    public JsonObject heartbeat(@PathParam("id") String id, String body) {
        CertifiedIdentity caller = gateway();
        PeeringProtocol.Ack ack = peering.heartbeat(caller, id, PeeringProtocol.Beat.parse(body));
        if (ack.resync()) {
            tasks.syncSoon(id); // and it may be missing ours
        }
        return ack.toJson();
    }

    @POST
    @Path("{id}/resources")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resource synchronization: a page of the peer's agent summaries (that peer only)")
    public JsonObject resources(@PathParam("id") String id, String body) {
        CertifiedIdentity caller = gateway();
        return receiver.receive(caller, id, PeeringProtocol.Resources.parse(body)).toJson();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Disconnection, by an operator (the peer is told) or by the peer itself: the peer and its agents "
            + "are removed")
    public Response disconnect(@PathParam("id") String id) {
        ArsCaller caller = callers.gatewayOrOperator(request);
        if (caller.isOperator()) {
            link.farewell(peering.disconnectByOperator(id, caller.operator()));
        } else {
            peering.disconnectByPeer(caller.identity(), id);
        }
        return Response.noContent().build();
    }

    @GET
    @Operation(summary = "The neighbor list (operators)")
    public List<PeerView> list() {
        Operators.require(security);
        return peering.list().stream().map(peer -> PeerView.of(peer, settings.holdIntervals())).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One peer gateway (operators)")
    public PeerView get(@PathParam("id") String id) {
        Operators.require(security);
        return PeerView.of(peering.get(id), settings.holdIntervals());
    }

    /** The calling gateway, within its limit of synchronization requests (traffic control, 429 beyond). */
    private CertifiedIdentity gateway() {
        CertifiedIdentity caller = callers.gateway(request);
        traffic.admit(TrafficControl.Kind.PEER_SYNC, caller, null);
        return caller;
    }
}
