package org.agentnet.web.aca;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.agentnet.aca.AgentIdentity;
import org.agentnet.aca.CertificateProfile;
import org.agentnet.aca.EnrollmentTokenService;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operators create single-use enrollment tokens that let an application be issued at once. */
@Path("/v1/admin/aca/enrollment-tokens")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@RolesAllowed("admin")
@Tag(name = "aca")
@SecurityRequirement(name = "operator")
public class EnrollmentTokenResource {

    public record TokenRequest(@NotBlank @Size(max = AgentIdentity.MAX_ORGANIZATION) String organization,
                               CertificateProfile profile,
                               @NotNull @Size(min = 1, max = 32) Set<@NotBlank @Size(max = 64) String> functionTypes,
                               @NotNull @Size(min = 1, max = AgentIdentity.MAX_SCOPES) Set<@NotBlank @Size(max = 64) String> permissionScope,
                               @Size(max = 32) String validity) {
    }

    public record TokenView(String id, String token, String organization, String profile, Set<String> functionTypes,
                            Set<String> permissionScope, Instant expiresAt) {
    }

    @EJB
    EnrollmentTokenService tokens;

    @Context
    SecurityContext security;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a single-use enrollment token; the token is shown in this answer only")
    public Response create(@NotNull @Valid TokenRequest request) {
        Duration validity;
        try {
            validity = request.validity() == null ? Duration.ofDays(7) : Duration.parse(request.validity());
        } catch (DateTimeParseException e) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "validity must be an ISO-8601 duration such as P7D");
        }
        var created = tokens.create(request.organization().strip(),
                request.profile() == null ? CertificateProfile.AGENT : request.profile(),
                new LinkedHashSet<>(request.functionTypes()), new LinkedHashSet<>(request.permissionScope()),
                validity, security.getUserPrincipal().getName());
        var record = created.record();
        return Response.status(Response.Status.CREATED).entity(new TokenView(record.id(), created.token(),
                record.organization(), record.profile().name(), record.functionTypes(), record.permissionScope(),
                record.expiresAt())).build();
    }
}
