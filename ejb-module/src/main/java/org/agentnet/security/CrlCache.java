package org.agentnet.security;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.agentnet.common.error.ProblemType;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Revocation status of certificates issued by other domains' CAs, from the CRL at the
 * certificate's CRL distribution point (RFC 5280 6.3, full CRLs over http/https; no delta or
 * indirect CRLs). A CRL counts only when its signature verifies with the issuing CA's key, its
 * issuer is that CA, and it is fresh (thisUpdate &lt;= now &lt; nextUpdate). It is cached until its
 * nextUpdate and fetched again in the background once {@code refreshAhead} before it, so that
 * requests keep being answered from memory; a failed fetch is not retried for
 * {@code retryAfter}. When no fresh CRL can be had, the answer is UNKNOWN (the caller decides;
 * the node fails closed by default). At most {@code maxEntries} CRLs are kept (least recently used
 * go first).
 */
public final class CrlCache {

    private static final Logger LOG = Logger.getLogger(CrlCache.class.getName());

    public enum Status { GOOD, REVOKED, UNKNOWN }

    /** The answer for one certificate; {@code detail} says why (the reason code, or what failed). */
    public record Answer(Status status, String detail) {
    }

    /** Fetches the bytes at a URL, with its own timeouts and size limit. */
    @FunctionalInterface
    public interface Fetcher {
        CompletableFuture<byte[]> fetch(URI url);
    }

    private record Cached(X509CRL crl, Instant nextUpdate) {
    }

    private final Fetcher fetcher;
    private final Clock clock;
    private final int maxEntries;
    private final Duration refreshAhead;
    private final Duration retryAfter;
    private final Duration fetchTimeout;
    private final Map<String, Cached> crls;
    private final Map<String, Instant> failures;
    private final Map<String, CompletableFuture<Cached>> inFlight = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

    public CrlCache(Fetcher fetcher, Clock clock, int maxEntries, Duration refreshAhead, Duration retryAfter, Duration fetchTimeout) {
        this.fetcher = fetcher;
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.refreshAhead = refreshAhead;
        this.retryAfter = retryAfter;
        this.fetchTimeout = fetchTimeout;
        this.crls = bounded(maxEntries);
        this.failures = bounded(maxEntries);
    }

    private static <V> Map<String, V> bounded(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    /** The revocation status of {@code certificate}, issued by {@code issuer} (a CA the node trusts). */
    public Answer check(X509Certificate certificate, X509Certificate issuer) {
        List<URI> points = distributionPoints(certificate);
        if (points.isEmpty()) {
            return new Answer(Status.UNKNOWN, "the certificate names no http(s) CRL distribution point");
        }
        String failure = "no CRL";
        for (URI point : points) {
            String key = Certificates.sha256(issuer) + " " + point;
            try {
                Cached cached = fresh(key, point, issuer);
                X509CRLEntry entry = cached.crl().getRevokedCertificate(certificate.getSerialNumber());
                if (entry == null) {
                    return new Answer(Status.GOOD, "not on the CRL of " + point + " (next update " + cached.nextUpdate() + ")");
                }
                return new Answer(Status.REVOKED, "revoked at " + entry.getRevocationDate().toInstant()
                        + (entry.getRevocationReason() == null ? "" : " (" + entry.getRevocationReason() + ")"));
            } catch (CrlUnavailable e) {
                failure = e.getMessage();
            }
        }
        return new Answer(Status.UNKNOWN, failure);
    }

    /** How many CRLs are cached now. */
    public int size() {
        synchronized (crls) {
            return crls.size();
        }
    }

    private Cached fresh(String key, URI point, X509Certificate issuer) throws CrlUnavailable {
        Instant now = clock.instant();
        Cached cached;
        synchronized (crls) {
            cached = crls.get(key);
        }
        if (cached != null && now.isBefore(cached.nextUpdate())) {
            if (!now.isBefore(cached.nextUpdate().minus(refreshAhead))) {
                refreshInBackground(key, point, issuer);
            }
            return cached;
        }
        Instant failedAt;
        synchronized (failures) {
            failedAt = failures.get(key);
        }
        if (failedAt != null && now.isBefore(failedAt.plus(retryAfter))) {
            throw new CrlUnavailable("the CRL at " + point + " could not be fetched at " + failedAt + "; next try after "
                    + failedAt.plus(retryAfter));
        }
        CompletableFuture<Cached> mine = new CompletableFuture<>();
        CompletableFuture<Cached> running = inFlight.putIfAbsent(key, mine);
        if (running == null) {
            running = mine;
            load(key, point, issuer).whenComplete((loaded, error) -> {
                inFlight.remove(key, mine);
                if (error == null) {
                    mine.complete(loaded);
                } else {
                    mine.completeExceptionally(error);
                }
            });
        }
        try {
            return running.get(fetchTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof CrlUnavailable unavailable ? unavailable : new CrlUnavailable("the CRL at " + point + ": " + cause);
        } catch (TimeoutException e) {
            throw new CrlUnavailable("the CRL at " + point + " did not arrive within " + fetchTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CrlUnavailable("interrupted while fetching the CRL at " + point);
        }
    }

    private void refreshInBackground(String key, URI point, X509Certificate issuer) {
        if (!refreshing.add(key)) {
            return;
        }
        load(key, point, issuer).whenComplete((loaded, error) -> {
            refreshing.remove(key);
            if (error != null) {
                LOG.warning(() -> "refreshing the CRL at " + point + " ahead of its next update failed (the current one is"
                        + " used until then): " + error.getMessage());
            }
        });
    }

    /** Fetches, checks and caches the CRL; records a failure when it cannot be had. */
    private CompletableFuture<Cached> load(String key, URI point, X509Certificate issuer) {
        CompletableFuture<byte[]> fetched;
        try {
            fetched = fetcher.fetch(point);
        } catch (RuntimeException e) {
            fetched = CompletableFuture.failedFuture(e);
        }
        return fetched.handle((bytes, error) -> {
            try {
                if (error != null) {
                    throw new CrlUnavailable("the CRL at " + point + " could not be fetched: "
                            + (error.getCause() != null ? error.getCause() : error));
                }
                Cached cached = accept(parse(bytes, point), issuer, point);
                synchronized (crls) {
                    crls.put(key, cached);
                }
                synchronized (failures) {
                    failures.remove(key);
                }
                return cached;
            } catch (CrlUnavailable e) {
                synchronized (failures) {
                    failures.put(key, clock.instant());
                }
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private Cached accept(X509CRL crl, X509Certificate issuer, URI point) throws CrlUnavailable {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new CrlUnavailable("the CRL at " + point + " is issued by " + crl.getIssuerX500Principal().getName()
                    + ", not by " + issuer.getSubjectX500Principal().getName());
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CrlUnavailable("the CRL at " + point + " is not signed by " + issuer.getSubjectX500Principal().getName());
        }
        if (crl.hasUnsupportedCriticalExtension()) {
            throw new CrlUnavailable("the CRL at " + point + " has critical extensions the node does not support (delta or indirect CRL?)");
        }
        Instant now = clock.instant();
        if (crl.getNextUpdate() == null) {
            throw new CrlUnavailable("the CRL at " + point + " has no nextUpdate: it cannot be known to be fresh");
        }
        Instant nextUpdate = crl.getNextUpdate().toInstant();
        if (now.isBefore(crl.getThisUpdate().toInstant()) || !now.isBefore(nextUpdate)) {
            throw new CrlUnavailable("the CRL at " + point + " is not fresh (thisUpdate " + crl.getThisUpdate().toInstant()
                    + ", nextUpdate " + nextUpdate + ")");
        }
        return new Cached(crl, nextUpdate);
    }

    static X509CRL parse(byte[] bytes, URI point) throws CrlUnavailable {
        byte[] der = bytes;
        String start = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII);
        if (start.startsWith("-----BEGIN X509 CRL-----")) {
            try {
                der = Pem.decodeSingle(new String(bytes, StandardCharsets.US_ASCII), "X509 CRL", ProblemType.BAD_REQUEST);
            } catch (RuntimeException e) {
                throw new CrlUnavailable("the CRL at " + point + " is not readable PEM");
            }
        }
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (CRLException | java.security.cert.CertificateException | RuntimeException e) {
            throw new CrlUnavailable("the CRL at " + point + " is not a readable X.509 CRL");
        }
    }

    /** The http and https URIs of the certificate's CRL distribution points (full names only). */
    static List<URI> distributionPoints(X509Certificate certificate) {
        List<URI> uris = new ArrayList<>();
        byte[] extension = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (extension == null) {
            return uris;
        }
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(extension).getOctets());
            for (DistributionPoint point : points.getDistributionPoints()) {
                DistributionPointName name = point.getDistributionPoint();
                if (name == null || name.getType() != DistributionPointName.FULL_NAME || point.getCRLIssuer() != null) {
                    continue; // relative names and indirect CRLs are not supported
                }
                for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
                    if (general.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        URI uri = URI.create(general.getName().toString());
                        if ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) {
                            uris.add(uri);
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            // an unreadable extension names no usable point
        }
        return uris;
    }

    /** No fresh, valid CRL could be had; the message says why. */
    static final class CrlUnavailable extends Exception {
        CrlUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
