package org.agentnet.web.ars;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.agentnet.ars.ArsCaller;
import org.agentnet.ars.ChangeEntry;
import org.agentnet.ars.ChangeLog;
import org.agentnet.ars.ProfileJson;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.node.NodeService;
import org.agentnet.security.VerifiedCallers;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The change feed other ARSs pull to synchronize (draft 3.5; contract in docs/ars.md): the
 * latest change of each agent of this node's origin, in seq order. For peer gateways (their ACA
 * gateway certificate, mutual TLS) and operators; it holds agents' private addresses.
 */
@Path("/v1/ars/changes")
@Produces(MediaType.APPLICATION_JSON)
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
    VerifiedCallers callers;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @GET
    @Operation(summary = "Changes of this node's agents after seq 'since' (0: all of them), oldest first (peer gateways, operators)")
    public JsonObject changes(@QueryParam("since") @DefaultValue("0") @Min(0) long since,
                              @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        ArsCaller caller = ArsRequests.caller(security, request, callers);
        if (!caller.isOperator() && !caller.isGateway()) {
            throw new AgentnetException(ProblemType.FORBIDDEN, "the change feed is for peer ARSs (gateway certificates) and operators");
        }
        settings.require(Component.ARS);
        ChangeLog.Page page = changes.page(since, limit);
        JsonArrayBuilder items = JSON.createArrayBuilder();
        for (ChangeEntry entry : page.changes()) {
            items.add(JSON.createObjectBuilder().add("seq", entry.seq()).add("kind", entry.kind().name())
                    .add("agentId", entry.agentId()).add("time", entry.changedAt().toString())
                    .add("profile", ProfileJson.parse(entry.snapshot())));
        }
        return JSON.createObjectBuilder().add("node", node.nodeId()).add("domain", settings.domainName())
                .add("changes", items).add("next", page.next()).add("latest", page.latest()).build();
    }
}
