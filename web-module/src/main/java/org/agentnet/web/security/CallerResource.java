package org.agentnet.web.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.security.Principal;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Tells callers how the node sees them: over TLS or not, the client certificate their TLS
 * connection presented (mutual TLS), and the authenticated principal. Agents and gateways use it
 * to check their mutual TLS set-up before registering or peering.
 */
@Path("/v1/caller")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "node")
public class CallerResource {

    /** verdict: the node's check of the certificate (VALID, REVOKED, EXPIRED, UNTRUSTED, REVOCATION_UNKNOWN, ...), and why. */
    public record ClientCertificate(String subject, String issuer, String serialNumber, Instant notAfter, String verdict,
                                    String verdictDetail, java.util.List<String> uris) {
    }

    public record Caller(boolean secure, String principal, ClientCertificate clientCertificate) {
    }

    @Context
    HttpServletRequest request;

    @jakarta.inject.Inject
    org.agentnet.security.CertificateVerifier verifier;

    @GET
    @Operation(summary = "How this node sees the caller: TLS, client certificate, principal")
    public Caller describe() {
        Principal principal = request.getUserPrincipal();
        ClientCertificate certificate = ClientCertificates.of(request)
                .map(leaf -> {
                    var result = verifier.check(leaf);
                    return new ClientCertificate(leaf.getSubjectX500Principal().getName(),
                            leaf.getIssuerX500Principal().getName(), leaf.getSerialNumber().toString(16),
                            leaf.getNotAfter().toInstant(), result.verdict().name(), result.detail(),
                            org.agentnet.security.Certificates.uris(leaf));
                })
                .orElse(null);
        return new Caller(request.isSecure(), principal == null ? null : principal.getName(), certificate);
    }
}
