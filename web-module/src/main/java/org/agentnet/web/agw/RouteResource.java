package org.agentnet.web.agw;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.agentnet.agw.routing.RoutingTable;
import org.agentnet.web.Cursor;
import org.agentnet.web.security.Operators;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The routing table for operators (draft 3.4.4): {@code GET /api/v1/agw/routes}. docs/agw.md "Routing table". */
@Path("/v1/agw/routes")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "agw", description = "Agent Gateway: routing and relay")
public class RouteResource {

    @EJB
    RoutingTable routes;

    @Context
    SecurityContext security;

    @GET
    @Operation(summary = "The routing table (operators): agent ID -> LOCAL (accessed here, PUSH or PULL) or the peer gateway "
            + "that advertised it, with applicability; filter by agent or peer; paged with limit and cursor")
    public JsonObject list(@QueryParam("agent") @Size(max = 36) @jakarta.validation.constraints.Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String agent,
                           @QueryParam("peer") @Size(max = 64) String peer,
                           @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(RoutingTable.MAX_LIMIT) int limit,
                           @QueryParam("cursor") @Size(max = 200) String cursor) {
        Operators.require(security);
        JsonArrayBuilder items = Json.createArrayBuilder();
        JsonObjectBuilder answer = Json.createObjectBuilder();
        if (agent != null && !agent.isBlank()) {
            items.add(MessageViews.route(routes.resolve(agent.strip())));
            return answer.add("items", items).build();
        }
        String after = cursor == null ? null : Cursor.decode(cursor, 1)[0];
        RoutingTable.Page page = routes.page(after, limit, peer == null || peer.isBlank() ? null : peer.strip());
        page.routes().forEach(route -> items.add(MessageViews.route(route)));
        answer.add("items", items);
        if (page.nextAfter() != null) {
            answer.add("nextCursor", Cursor.encode(page.nextAfter()));
        }
        return answer.build();
    }
}
