package org.agentnet.web.aca;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import org.agentnet.web.Cursor;
import org.agentnet.web.security.Operators;
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
import java.time.Clock;
import java.util.List;
import org.agentnet.aca.AgentIdentity;
import org.agentnet.aca.ApplicationOutcome;
import org.agentnet.aca.CertificateApplication;
import org.agentnet.aca.CertificateApplicationService;
import org.agentnet.aca.CertificateProfile;
import org.agentnet.aca.CsrVerifier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Certificate applications (draft 3.1.1): apply, poll, and the operator's decision. */
@Path("/v1/aca/applications")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "aca", description = "Agent Certificate Authority")
public class ApplicationResource {

    static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    /** A certificate application: PEM PKCS#10 CSR plus the identity materials of the draft. */
    public record ApplicationRequest(
            @NotBlank @Size(max = CsrVerifier.MAX_PEM_LENGTH) String csr,
            CertificateProfile profile,
            @NotBlank @Size(max = 64) String agentName,
            @NotBlank @Size(max = AgentIdentity.MAX_ORGANIZATION) String organization,
            @NotBlank @Size(max = AgentIdentity.MAX_DEVELOPER) String developer,
            @NotBlank @Size(max = 64) String functionType,
            @NotNull @Size(min = 1, max = AgentIdentity.MAX_SCOPES) List<@NotBlank @Size(max = 64) String> permissionScope,
            @Size(max = AgentIdentity.MAX_SKILLS) List<@NotBlank @Size(max = 64) String> skills,
            @Size(max = 128) String enrollmentToken) {

        AgentIdentity identity() {
            return new AgentIdentity(profile == null ? CertificateProfile.AGENT : profile, agentName, organization,
                    developer, functionType, permissionScope, skills);
        }
    }

    public record RejectionRequest(@NotBlank @Size(max = 1000) String reason) {
    }

    @EJB
    CertificateApplicationService applications;

    @Inject
    Clock clock;

    @Context
    UriInfo uriInfo;

    @Context
    SecurityContext security;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Apply for a certificate: 201 with the certificate when an enrollment token is given, "
            + "202 pending an operator's decision otherwise")
    public Response apply(@NotNull @Valid ApplicationRequest request) {
        ApplicationOutcome outcome = applications.submit(request.csr(), request.identity(), request.enrollmentToken());
        var location = uriInfo.getAbsolutePathBuilder().path(outcome.application().id()).build();
        var view = AcaViews.ApplicationView.of(outcome, clock.instant());
        return (outcome.certificate() != null ? Response.created(location) : Response.accepted().location(location))
                .entity(view).build();
    }

    /** A page of pending applications and the cursor of the next page (absent on the last). */
    public record ApplicationPage(List<AcaViews.ApplicationView> items, String nextCursor) {
    }

    @GET
    @Operation(summary = "The queue of pending applications, oldest first, paged with limit and cursor (operator)")
    public ApplicationPage pending(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
                                   @QueryParam("cursor") @Size(max = 200) String cursor) {
        Operators.require(security);
        Cursor.TimePosition after = Cursor.TimePosition.of(cursor);
        List<CertificateApplication> page = applications.pending(after.at(), after.id(), limit + 1);
        Instant now = clock.instant();
        List<AcaViews.ApplicationView> items = page.stream().limit(limit)
                .map(a -> AcaViews.ApplicationView.of(new ApplicationOutcome(a, null), now)).toList();
        String next = page.size() > limit
                ? new Cursor.TimePosition(page.get(limit - 1).submittedAt(), page.get(limit - 1).id()).encode() : null;
        return new ApplicationPage(items, next);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "An application and, once issued, its certificate (the id is the applicant's capability)")
    public AcaViews.ApplicationView get(@PathParam("id") @Pattern(regexp = UUID) String id) {
        return AcaViews.ApplicationView.of(applications.get(id), clock.instant());
    }

    @POST
    @Path("{id}/approval")
    @Operation(summary = "Approve a pending application: the certificate is issued (operator)")
    public AcaViews.ApplicationView approve(@PathParam("id") @Pattern(regexp = UUID) String id) {
        return AcaViews.ApplicationView.of(applications.approve(id, Operators.require(security)), clock.instant());
    }

    @POST
    @Path("{id}/rejection")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reject a pending application with a reason (operator)")
    public AcaViews.ApplicationView reject(@PathParam("id") @Pattern(regexp = UUID) String id,
                                           @NotNull @Valid RejectionRequest request) {
        CertificateApplication application = applications.reject(id, Operators.require(security), request.reason());
        return AcaViews.ApplicationView.of(new ApplicationOutcome(application, null), clock.instant());
    }
}
