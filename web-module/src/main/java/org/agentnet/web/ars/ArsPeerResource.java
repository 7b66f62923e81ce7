package org.agentnet.web.ars;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.agentnet.ars.sync.ArsPeer;
import org.agentnet.ars.sync.ArsPeerService;
import org.agentnet.ars.sync.ArsSynchronizer;
import org.agentnet.ars.sync.SyncTrigger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operators see and manage the ARSs this node synchronizes with (draft 3.5; docs/ars.md "Synchronization"). */
@Path("/v1/admin/ars/peers")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@RolesAllowed("admin")
@Tag(name = "ars")
@SecurityRequirement(name = "operator")
public class ArsPeerResource {

    public record PeerRequest(@NotBlank @Size(max = 512) String url) {
    }

    /** A peer and how far its feed is applied here ({@code lag}: its changes not applied yet, as last seen). */
    public record PeerView(String id, String url, boolean configured, String nodeId, String domain, String gatewayAddress,
                           long appliedSeq, long latestSeq, long lag, Instant lastAttemptAt, Instant lastSuccessAt,
                           String lastError, int consecutiveFailures, int fullResyncs, Instant createdAt) {

        static PeerView of(ArsPeer peer) {
            return new PeerView(peer.id(), peer.url(), peer.configured(), peer.nodeId(), peer.domain(), peer.gatewayAddress(),
                    peer.appliedSeq(), peer.latestSeq(), Math.max(0, peer.latestSeq() - peer.appliedSeq()),
                    peer.lastAttemptAt(), peer.lastSuccessAt(), peer.lastError(), peer.consecutiveFailures(),
                    peer.fullResyncs(), peer.createdAt());
        }
    }

    public record ResyncView(String peer, int pages, int changes, boolean caughtUp, String error) {
    }

    @EJB
    ArsPeerService peers;

    @EJB
    ArsSynchronizer synchronizer;

    @Inject
    SyncTrigger trigger;

    @GET
    @Operation(summary = "The ARS peers, with their synchronization state")
    public List<PeerView> list() {
        return peers.list().stream().map(PeerView::of).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One ARS peer")
    public PeerView get(@PathParam("id") String id) {
        return PeerView.of(peers.get(id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add an ARS peer by its base URL (https://host:port); it is pulled at once")
    public Response add(@NotNull @Valid PeerRequest request) {
        ArsPeer peer = peers.add(request.url(), false);
        trigger.pullSoon(peer.id()); // after the peer's transaction committed
        return Response.created(URI.create("/api/v1/admin/ars/peers/" + peer.id())).entity(PeerView.of(peer)).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Remove an ARS peer and the agents synchronized from it")
    public Response remove(@PathParam("id") String id) {
        peers.remove(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/resync")
    @Operation(summary = "Read the peer's whole feed again and forget agents it no longer holds (waits for the result)")
    public ResyncView resync(@PathParam("id") String id) {
        peers.get(id);
        ArsSynchronizer.PullResult result = synchronizer.resync(id);
        return new ResyncView(id, result.pages(), result.changes(), result.caughtUp(), result.error());
    }
}
