package org.agentnet.security;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import org.agentnet.aca.IssuedCertificate;
import org.agentnet.aca.RevokedSerials;

/**
 * The one check of an agent's or gateway's certificate that every component makes on every use
 * (registration, access, peering, relay; DESIGN.md 4): issued by a CA in the node's truststore,
 * within its validity, and not revoked. Revocation by this node's ACA counts from the next
 * request ({@link RevokedSerials}).
 */
@ApplicationScoped
public class CertificateVerifier {

    public enum Verdict { VALID, NOT_YET_VALID, EXPIRED, UNTRUSTED, REVOKED }

    @EJB
    NodeTrustStore trustStore;

    @Inject
    RevokedSerials revoked;

    @Inject
    Clock clock;

    public Verdict verify(X509Certificate certificate) {
        if (!issuedByTrustedCa(certificate)) {
            return Verdict.UNTRUSTED;
        }
        if (revoked.isRevoked(IssuedCertificate.serialText(certificate.getSerialNumber()))) {
            return Verdict.REVOKED;
        }
        Instant now = clock.instant();
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            return Verdict.NOT_YET_VALID;
        }
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            return Verdict.EXPIRED;
        }
        return Verdict.VALID;
    }

    private boolean issuedByTrustedCa(X509Certificate certificate) {
        for (X509Certificate ca : trustStore.trusted().values()) {
            if (ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                try {
                    certificate.verify(ca.getPublicKey(), CryptoProviders.SIGNATURES);
                    return true;
                } catch (GeneralSecurityException e) {
                    // same name, other key: keep looking
                }
            }
        }
        return false;
    }
}
