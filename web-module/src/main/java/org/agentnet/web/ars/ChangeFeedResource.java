package org.agentnet.web.ars;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.agentnet.agw.traffic.TrafficControl;
import org.agentnet.agw.traffic.TrafficGate;
import org.agentnet.ars.ArsCaller;
import org.agentnet.ars.ChangeEntry;
import org.agentnet.ars.ChangeLog;
import org.agentnet.ars.ProfileJson;
import org.agentnet.ars.sync.ArsPeerService;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.node.NodeService;
import org.agentnet.web.security.Callers;
import org.agentnet.web.traffic.RateLimited;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The change feed other ARSs pull to synchronize (draft 3.5; contract in docs/ars.md): the
 * latest change of each agent of this node's origin, in seq order. For peer gateways (their ACA
 * gateway certificate, mutual TLS) and operators; it holds agents' private addresses.
 */
@Path("/v1/ars/changes")
@Produces(MediaType.APPLICATION_JSON)
@RateLimited
@RequestScoped
@Tag(name = "ars")
public class ChangeFeedResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    @EJB
    ChangeLog changes;

    @EJB
    NodeService node;

    @Inject
    NodeSettings settings;

    @Inject
    Callers callers;

    @Inject
    TrafficGate traffic;

    @EJB
    ArsPeerService peers;

    @Inject
    @ConfigProperty(name = "agentnet.ars.sync.gateway-address")
    Optional<String> gatewayAddress;

    @Context
    HttpServletRequest request;

    @GET
    @Operation(summary = "Changes of this node's agents after seq 'since' (0: all of them), oldest first (peer gateways, operators)")
    public JsonObject changes(@QueryParam("since") @DefaultValue("0") @Min(0) long since,
                              @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        requirePeerOrOperator();
        ChangeLog.Page page = changes.page(since, limit);
        JsonArrayBuilder items = JSON.createArrayBuilder();
        for (ChangeEntry entry : page.changes()) {
            items.add(JSON.createObjectBuilder().add("seq", entry.seq()).add("kind", entry.kind().name())
                    .add("agentId", entry.agentId()).add("time", entry.changedAt().toString())
                    .add("profile", ProfileJson.parse(entry.snapshot())));
        }
        var answer = JSON.createObjectBuilder().add("node", node.nodeId()).add("domain", settings.domainName());
        gatewayAddress.filter(address -> !address.isBlank()).ifPresent(address -> answer.add("gateway", address));
        return answer.add("changes", items).add("next", page.next()).add("latest", page.latest()).build();
    }

    @GET
    @Path("digest")
    @Operation(summary = "The feed in three numbers (latest seq, entries, sum of their seqs), for peers checking they hold all of it")
    public JsonObject digest() {
        requirePeerOrOperator();
        ChangeLog.Digest digest = changes.digest();
        return JSON.createObjectBuilder().add("node", node.nodeId()).add("latest", digest.latest())
                .add("count", digest.count()).add("seqSum", digest.seqSum()).build();
    }

    /** A peer ARS tells this node that its agents changed; this node pulls its feed at once (202). */
    @POST
    @Path("notifications")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A peer ARS's notice that its feed has new changes (peer gateways)")
    public Response notified(@NotNull @Valid Notification notification) {
        var caller = callers.gateway(request);
        settings.require(Component.ARS);
        traffic.admit(TrafficControl.Kind.PEER_SYNC, caller, null);
        peers.notified(caller.domain(), notification.node());
        return Response.accepted().build();
    }

    public record Notification(@NotBlank @Size(max = 64) String node) {
    }

    private ArsCaller requirePeerOrOperator() {
        ArsCaller caller = callers.gatewayOrOperator(request);
        settings.require(Component.ARS);
        if (caller.isGateway()) {
            traffic.admit(TrafficControl.Kind.PEER_SYNC, caller); // a peer's synchronization requests are limited
        }
        return caller;
    }
}
