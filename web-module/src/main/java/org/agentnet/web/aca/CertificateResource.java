package org.agentnet.web.aca;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.agentnet.aca.CertificateService;
import org.agentnet.aca.IssuedCertificate;
import org.agentnet.aca.IssuedCertificates;
import org.agentnet.aca.RevocationReason;
import org.agentnet.ars.ArsCaller;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.web.security.Callers;
import org.agentnet.web.security.ClientCertificates;
import org.agentnet.web.security.Operators;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Certificate management (draft 3.1.2): status, revocation, renewal, expiring certificates. */
@Path("/v1/aca/certificates")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "aca")
public class CertificateResource {

    /** reason: an RFC 5280 reason by name (keyCompromise, KEY_COMPROMISE) or code; revokedAt: optional, not in the future. */
    public record RevocationRequest(@NotBlank @Size(max = 32) String reason, Instant revokedAt) {
    }

    /** csr: a new key's PEM CSR; leave it out to keep the current key (when policy allows). */
    public record RenewalRequest(@Size(max = org.agentnet.aca.CsrVerifier.MAX_PEM_LENGTH) String csr) {
    }

    @EJB
    CertificateService certificates;

    @EJB
    IssuedCertificates issued;

    @Inject
    Clock clock;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @Inject
    Callers callers;

    @GET
    @Path("{serial}")
    @Operation(summary = "Status of a certificate: VALID, EXPIRED, or REVOKED with reason and time")
    public AcaViews.CertificateView status(@PathParam("serial") String serial) {
        return AcaViews.CertificateView.of(certificates.status(serial), clock.instant());
    }

    @GET
    @Operation(summary = "Certificates that expire within a period, soonest first (operator)")
    public List<AcaViews.CertificateView> expiring(@QueryParam("expiringWithin") String within,
                                                   @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        Operators.require(security);
        if (within == null) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "expiringWithin is required, e.g. P7D");
        }
        Duration period;
        try {
            period = Duration.parse(within);
        } catch (DateTimeParseException e) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "expiringWithin must be an ISO-8601 duration such as P7D");
        }
        if (period.isNegative() || period.compareTo(Duration.ofDays(3650)) > 0) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "expiringWithin must be between zero and 3650 days");
        }
        Instant now = clock.instant();
        return issued.expiringBetween(now, now.plus(period), limit).stream()
                .map(c -> AcaViews.CertificateView.of(c, now)).toList();
    }

    @POST
    @Path("{serial}/revocation")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revoke a certificate: by its holder (mutual TLS with that certificate, still valid) or an operator")
    public AcaViews.CertificateView revoke(@PathParam("serial") String serial, @NotNull @Valid RevocationRequest body) {
        RevocationReason reason = RevocationReason.parse(body.reason())
                .orElseThrow(() -> new AgentnetException(ProblemType.VALIDATION_FAILED,
                        "unknown revocation reason '" + body.reason() + "' (RFC 5280 names such as keyCompromise, superseded)"));
        IssuedCertificate certificate = certificates.revoke(serial, reason, body.revokedAt(), requester());
        return AcaViews.CertificateView.of(certificate, clock.instant());
    }

    @POST
    @Path("{serial}/renewal")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Renew a certificate, authenticated by that certificate (mutual TLS): 201 with the new one")
    public Response renew(@PathParam("serial") String serial, @Valid RenewalRequest body) {
        callers.holder(request); // renewal is authenticated by the current, valid certificate only
        X509Certificate presented = ClientCertificates.of(request).orElseThrow();
        IssuedCertificate renewed = certificates.renew(serial, presented, body == null ? null : body.csr());
        return Response.status(Response.Status.CREATED).entity(AcaViews.CertificateView.of(renewed, clock.instant())).build();
    }

    private CertificateService.Requester requester() {
        ArsCaller caller = callers.holderOrOperator(request);
        return caller.isOperator() ? CertificateService.Requester.operator(caller.operator())
                : CertificateService.Requester.holder(ClientCertificates.of(request).orElseThrow());
    }
}
