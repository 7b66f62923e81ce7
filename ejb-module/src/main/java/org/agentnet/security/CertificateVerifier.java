package org.agentnet.security;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.agentnet.aca.IssuedCertificate;
import org.agentnet.aca.RevokedSerials;

/**
 * The one check of an agent's or gateway's certificate that every component makes on every use
 * (registration, access, peering, relay; DESIGN.md 4): issued by a CA in the node's trust bundle,
 * within its validity, and not revoked. Revocation is asked of whoever issued it: this node's ACA
 * counts from the next request ({@link RevokedSerials}); another domain's CA by OCSP or its CRL
 * ({@link ForeignRevocation}). When a foreign certificate's status cannot be learnt, the verdict
 * is REVOCATION_UNKNOWN (refused), unless the operator chose to fail open.
 */
@ApplicationScoped
public class CertificateVerifier {

    public enum Verdict { VALID, NOT_YET_VALID, EXPIRED, UNTRUSTED, REVOKED, REVOCATION_UNKNOWN }

    /** A verdict and why. */
    public record Result(Verdict verdict, String detail) {
    }

    @EJB
    NodeTrustStore trustStore;

    @Inject
    RevokedSerials revoked;

    @Inject
    ForeignRevocation foreign;

    @Inject
    Clock clock;

    /**
     * The plain objects behind {@link RevokedSerials} and {@link NodeTrustStore}, asked once (EJB
     * calls) and then directly on every check: both are live (a revocation or a trust change counts
     * from the next request), and the container's two calls per request had cost more than the check.
     */
    private volatile Set<String> revokedSerials;
    private volatile NodeTrustStore.Trusted trustedCertificates;

    /** Most certificates whose chain check is remembered; the memory is dropped when it is full. */
    static final int CHAIN_MEMORY = 10_000;

    /**
     * Certificates already found to chain to a trusted CA, with the trusted set they were checked
     * against: a signature check costs more than a whole discovery request, and a client presents
     * the same certificate on every request. A changed truststore is a new set, so it counts at once.
     */
    private final Map<X509Certificate, Chained> chained = new ConcurrentHashMap<>();

    private record Chained(Map<String, X509Certificate> trusted, Map.Entry<String, X509Certificate> issuer) {
    }

    public Verdict verify(X509Certificate certificate) {
        return check(certificate).verdict();
    }

    public Result check(X509Certificate certificate) {
        Map.Entry<String, X509Certificate> issuer = trustedIssuer(certificate);
        if (issuer == null) {
            return new Result(Verdict.UNTRUSTED, "not issued by a CA in the node's trust bundle");
        }
        boolean local = NodeTrustStore.LOCAL_ACA_ALIAS.equals(issuer.getKey());
        if (local && revokedSerials().contains(IssuedCertificate.serialText(certificate.getSerialNumber()))) {
            return new Result(Verdict.REVOKED, "revoked by this node's ACA");
        }
        Instant now = clock.instant();
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            return new Result(Verdict.NOT_YET_VALID, "valid from " + certificate.getNotBefore().toInstant());
        }
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            return new Result(Verdict.EXPIRED, "expired at " + certificate.getNotAfter().toInstant());
        }
        if (local) {
            return new Result(Verdict.VALID, "issued by this node's ACA");
        }
        RevocationAnswer answer = foreign.check(certificate, issuer.getValue());
        return switch (answer.status()) {
            case GOOD -> new Result(Verdict.VALID, "issued by " + issuer.getKey() + "; " + answer.detail());
            case REVOKED -> new Result(Verdict.REVOKED, answer.detail());
            case UNKNOWN -> foreign.failOpen()
                    ? new Result(Verdict.VALID, "revocation status unknown, accepted (agentnet.trust.revocation.fail-open): "
                            + answer.detail())
                    : new Result(Verdict.REVOCATION_UNKNOWN, answer.detail());
        };
    }

    private Set<String> revokedSerials() {
        Set<String> serials = revokedSerials;
        if (serials == null) {
            serials = revoked.view();
            revokedSerials = serials;
        }
        return serials;
    }

    private NodeTrustStore.Trusted trustedCertificates() {
        NodeTrustStore.Trusted trusted = trustedCertificates;
        if (trusted == null) {
            trusted = trustStore.trustedView();
            trustedCertificates = trusted;
        }
        return trusted;
    }

    /**
     * The CA of the trust bundle that issued the certificate (its signature checked, the answer
     * remembered as for {@link #check}), if any: nothing about validity or revocation.
     */
    public java.util.Optional<X509Certificate> trustedIssuerOf(X509Certificate certificate) {
        Map.Entry<String, X509Certificate> issuer = trustedIssuer(certificate);
        return issuer == null ? java.util.Optional.empty() : java.util.Optional.of(issuer.getValue());
    }

    private Map.Entry<String, X509Certificate> trustedIssuer(X509Certificate certificate) {
        Map<String, X509Certificate> trusted = trustedCertificates().current();
        Chained known = chained.get(certificate);
        if (known != null && known.trusted() == trusted) {
            return known.issuer();
        }
        for (Map.Entry<String, X509Certificate> ca : trusted.entrySet()) {
            if (ca.getValue().getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                try {
                    certificate.verify(ca.getValue().getPublicKey(), CryptoProviders.SIGNATURES);
                    if (chained.size() >= CHAIN_MEMORY) {
                        chained.clear();
                    }
                    chained.put(certificate, new Chained(trusted, ca));
                    return ca;
                } catch (GeneralSecurityException e) {
                    // same name, other key: keep looking
                }
            }
        }
        return null;
    }
}
