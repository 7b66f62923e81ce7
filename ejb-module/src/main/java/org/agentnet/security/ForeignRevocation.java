package org.agentnet.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Revocation of certificates issued by other domains' CAs in the trust bundle (docs/security.md
 * "Revocation of other domains' certificates"). Order: the OCSP responder the certificate names
 * first ({@link OcspCache}, {@code agentnet.trust.ocsp.*}), because it answers per certificate and
 * sees a revocation within an answer's short life, whereas a CRL is kept until its nextUpdate
 * (often a day); the CRL at its distribution point ({@link CrlCache}, {@code agentnet.trust.crl.*})
 * when the certificate names no responder or the responder gives no usable answer (down, bad
 * signature, stale, or "unknown"). Neither: UNKNOWN, and the node fails closed unless the operator
 * chose otherwise.
 */
@ApplicationScoped
public class ForeignRevocation {

    @Inject
    @ConfigProperty(name = "agentnet.trust.crl.connect-timeout")
    Duration connectTimeout;

    @Inject
    @ConfigProperty(name = "agentnet.trust.crl.request-timeout")
    Duration requestTimeout;

    @Inject
    @ConfigProperty(name = "agentnet.trust.crl.max-bytes")
    long maxBytes;

    @Inject
    @ConfigProperty(name = "agentnet.trust.crl.cache-size")
    int cacheSize;

    @Inject
    @ConfigProperty(name = "agentnet.trust.crl.refresh-ahead")
    Duration refreshAhead;

    @Inject
    @ConfigProperty(name = "agentnet.trust.crl.retry-after")
    Duration retryAfter;

    @Inject
    @ConfigProperty(name = "agentnet.trust.ocsp.enabled")
    boolean ocspEnabled;

    @Inject
    @ConfigProperty(name = "agentnet.trust.ocsp.connect-timeout")
    Duration ocspConnectTimeout;

    @Inject
    @ConfigProperty(name = "agentnet.trust.ocsp.request-timeout")
    Duration ocspRequestTimeout;

    @Inject
    @ConfigProperty(name = "agentnet.trust.ocsp.max-bytes")
    long ocspMaxBytes;

    @Inject
    @ConfigProperty(name = "agentnet.trust.ocsp.cache-size")
    int ocspCacheSize;

    @Inject
    @ConfigProperty(name = "agentnet.trust.ocsp.max-age")
    Duration ocspMaxAge;

    @Inject
    @ConfigProperty(name = "agentnet.trust.ocsp.refresh-ahead")
    Duration ocspRefreshAhead;

    @Inject
    @ConfigProperty(name = "agentnet.trust.ocsp.retry-after")
    Duration ocspRetryAfter;

    @Inject
    @ConfigProperty(name = "agentnet.trust.ocsp.nonce")
    boolean ocspNonce;

    @Inject
    @ConfigProperty(name = "agentnet.trust.revocation.fail-open")
    boolean failOpen;

    @Inject
    Clock clock;

    private CrlCache crls;
    private OcspCache ocsp;

    @PostConstruct
    void start() {
        crls = new CrlCache(new HttpRevocationFetcher(connectTimeout, requestTimeout, maxBytes), clock, cacheSize,
                refreshAhead, retryAfter, connectTimeout.plus(requestTimeout));
        ocsp = new OcspCache(new HttpRevocationFetcher(ocspConnectTimeout, ocspRequestTimeout, ocspMaxBytes), clock, ocspCacheSize,
                ocspMaxAge, ocspRefreshAhead, ocspRetryAfter, ocspConnectTimeout.plus(ocspRequestTimeout), ocspNonce);
    }

    public RevocationAnswer check(X509Certificate certificate, X509Certificate issuer) {
        return check(certificate, issuer, ocspEnabled ? ocsp : null, crls);
    }

    /** OCSP first when the certificate names a responder, the CRL when OCSP gives no answer. */
    static RevocationAnswer check(X509Certificate certificate, X509Certificate issuer, OcspCache ocsp, CrlCache crls) {
        if (ocsp == null || OcspCache.responders(certificate).isEmpty()) {
            return crls.check(certificate, issuer);
        }
        RevocationAnswer byOcsp = ocsp.check(certificate, issuer);
        if (byOcsp.status() != RevocationAnswer.Status.UNKNOWN) {
            return byOcsp;
        }
        RevocationAnswer byCrl = crls.check(certificate, issuer);
        if (byCrl.status() != RevocationAnswer.Status.UNKNOWN) {
            return new RevocationAnswer(byCrl.status(), byCrl.detail() + " (OCSP gave no answer: " + byOcsp.detail() + ")");
        }
        return new RevocationAnswer(RevocationAnswer.Status.UNKNOWN, "OCSP: " + byOcsp.detail() + "; CRL: " + byCrl.detail());
    }

    /** Whether a certificate whose revocation status cannot be learnt is accepted (operator's choice; default no). */
    public boolean failOpen() {
        return failOpen;
    }
}
