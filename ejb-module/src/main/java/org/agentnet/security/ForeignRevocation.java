package org.agentnet.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Revocation of certificates issued by other domains' CAs in the trust bundle: their CRLs, cached
 * ({@link CrlCache}) with the limits and timeouts of {@code agentnet.trust.crl.*}.
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
    @ConfigProperty(name = "agentnet.trust.revocation.fail-open")
    boolean failOpen;

    @Inject
    Clock clock;

    private CrlCache cache;

    @PostConstruct
    void start() {
        cache = new CrlCache(new HttpCrlFetcher(connectTimeout, requestTimeout, maxBytes), clock, cacheSize,
                refreshAhead, retryAfter, connectTimeout.plus(requestTimeout));
    }

    public CrlCache.Answer check(X509Certificate certificate, X509Certificate issuer) {
        return cache.check(certificate, issuer);
    }

    /** Whether a certificate whose revocation status cannot be learnt is accepted (operator's choice; default no). */
    public boolean failOpen() {
        return failOpen;
    }
}
