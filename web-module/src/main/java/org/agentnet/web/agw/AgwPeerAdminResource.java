package org.agentnet.web.agw;

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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.agentnet.agw.peering.AgwPeer;
import org.agentnet.agw.peering.PeerLink;
import org.agentnet.agw.peering.PeerTasks;
import org.agentnet.agw.peering.PeerView;
import org.agentnet.agw.peering.PeeringService;
import org.agentnet.agw.peering.PeeringSettings;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operators add, see and remove peer gateways (draft 3.4.1; docs/agw.md "Peering"). */
@Path("/v1/admin/agw/peers")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@RolesAllowed("admin")
@Tag(name = "agw")
@SecurityRequirement(name = "operator")
public class AgwPeerAdminResource {

    public record PeerRequest(@NotBlank @Size(max = 512) String url) {
    }

    @EJB
    PeeringService peering;

    @EJB
    PeerLink link;

    @Inject
    PeerTasks tasks;

    @Inject
    PeeringSettings settings;

    @Context
    SecurityContext security;

    @Context
    UriInfo uriInfo;

    @GET
    @Operation(summary = "The neighbor list")
    public List<PeerView> list() {
        return peering.list().stream().map(peer -> PeerView.of(peer, settings.holdIntervals())).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One peer gateway")
    public PeerView get(@PathParam("id") String id) {
        return PeerView.of(peering.get(id), settings.holdIntervals());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a peer gateway by its base URL (https://host:port): 201, the handshake follows at once")
    public Response add(@NotNull @Valid PeerRequest request) {
        AgwPeer peer = peering.add(request.url(), false);
        tasks.greetSoon(peer.id()); // after the peer's transaction committed
        return Response.created(uriInfo.getBaseUriBuilder().path("v1/agw/peers").path(peer.id()).build())
                .entity(PeerView.of(peer, settings.holdIntervals())).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Disconnect a peer gateway: it is told, and it and its agents are removed")
    public Response remove(@PathParam("id") String id) {
        link.farewell(peering.disconnectByOperator(id, security.getUserPrincipal().getName()));
        return Response.noContent().build();
    }
}
