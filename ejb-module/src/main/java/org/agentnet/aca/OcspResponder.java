package org.agentnet.aca;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ACA's OCSP responder (RFC 6960), signing with the CA key. Statuses are read from the
 * database for each request (in one transaction per request), so a revocation is reported from
 * the moment it commits.
 */
@Stateless
public class OcspResponder {

    @EJB
    CertificateAuthority authority;

    @EJB
    RevokedCertificates revoked;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "agentnet.aca.ocsp.validity")
    Duration validity;

    private OcspAnswerer answerer;
    private X509Certificate answererCa;

    public boolean isEnabled() {
        return authority.isReady();
    }

    /** The DER OCSP response to a DER OCSP request (malformedRequest for anything that is not one). */
    public byte[] respond(byte[] request) {
        return answerer().answer(request, clock.instant(), revoked::statusOf, authority::signer);
    }

    private OcspAnswerer answerer() {
        X509Certificate ca = authority.caCertificate();
        if (answerer == null || !ca.equals(answererCa)) { // a pooled instance keeps its answerer
            answerer = new OcspAnswerer(ca, validity);
            answererCa = ca;
        }
        return answerer;
    }
}
