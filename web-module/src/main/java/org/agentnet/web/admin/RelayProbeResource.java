package org.agentnet.web.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
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
import java.math.BigDecimal;
import java.time.Instant;
import org.agentnet.node.diagnostics.RelayProbe;
import org.agentnet.node.diagnostics.RelayProbeService;
import org.agentnet.node.diagnostics.RelayProbeState;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operator probes of the relay messaging path (queue, consumer, redelivery, dead-letter queue). */
@Path("/v1/admin/diagnostics/relay-probes")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@RolesAllowed("admin")
@Tag(name = "operations")
@SecurityRequirement(name = "operator")
public class RelayProbeResource {

    /**
     * {@code failDeliveries}: how many deliveries the consumer refuses before accepting one. Read as
     * a decimal, so that a number beyond an int is refused rather than truncated by the binding
     * (1e400 and 2^63 became 0 as an Integer: found by the bad-input campaign).
     */
    public record ProbeRequest(@Min(0) @Max(RelayProbe.MAX_FAIL_DELIVERIES) @Digits(integer = 2, fraction = 0) BigDecimal failDeliveries) {
    }

    public record ProbeView(String id, RelayProbeState state, int failDeliveries, int deliveryAttempts,
                            String requestedBy, Instant requestedAt, Instant settledAt) {
        static ProbeView of(RelayProbe probe) {
            return new ProbeView(probe.id(), probe.state(), probe.failDeliveries(), probe.deliveryAttempts(),
                    probe.requestedBy(), probe.requestedAt(), probe.settledAt());
        }
    }

    @EJB
    RelayProbeService probes;

    @Context
    SecurityContext security;

    @Context
    UriInfo uriInfo;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a probe through the relay queue; poll it until it is CONSUMED or DEAD_LETTERED")
    public Response send(@Valid ProbeRequest request) {
        int failDeliveries = request == null || request.failDeliveries() == null ? 0 : request.failDeliveries().intValueExact();
        RelayProbe probe = probes.send(security.getUserPrincipal().getName(), failDeliveries);
        return Response.accepted(ProbeView.of(probe))
                .location(uriInfo.getAbsolutePathBuilder().path(probe.id()).build())
                .build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "The state of a relay probe")
    public ProbeView get(@PathParam("id") String id) {
        return ProbeView.of(probes.get(id));
    }
}
