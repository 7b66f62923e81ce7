package org.agentnet.web.aca;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.agentnet.aca.AuditEvent;
import org.agentnet.aca.AuditTrail;
import org.agentnet.web.Cursor;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The ACA's audit trail for operators: issuance, approvals, rejections, renewals, revocations, expiries. */
@Path("/v1/admin/aca/audit")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@RolesAllowed("admin")
@Tag(name = "aca")
@SecurityRequirement(name = "operator")
public class AuditResource {

    public record EventView(String id, Instant occurredAt, String actor, String action, String targetType,
                            String targetId, String detail) {
    }

    public record EventPage(List<EventView> items, String nextCursor) {
    }

    @EJB
    AuditTrail audit;

    @GET
    @Operation(summary = "Audit events, oldest first, paged with limit and cursor")
    public EventPage list(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
                          @QueryParam("cursor") @Size(max = 200) String cursor) {
        Cursor.TimePosition after = Cursor.TimePosition.of(cursor);
        List<AuditEvent> page = audit.after(after.at(), after.id(), limit + 1);
        List<EventView> items = page.stream().limit(limit).map(e -> new EventView(e.id(), e.occurredAt(), e.actor(),
                e.action().name(), e.targetType(), e.targetId(), e.detail())).toList();
        AuditEvent last = page.size() > limit ? page.get(limit - 1) : null;
        return new EventPage(items, last == null ? null : new Cursor.TimePosition(last.occurredAt(), last.id()).encode());
    }
}
