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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * {@code retryAfter} ({@link RefreshingCache}). When no fresh CRL can be had, the answer is
 * UNKNOWN (the caller decides; the node fails closed by default). At most {@code maxEntries} CRLs
 * are kept (least recently used go first).
 */
public final class CrlCache {

    /** Fetches the bytes at a URL, with its own timeouts and size limit. */
    @FunctionalInterface
    public interface Fetcher {
        CompletableFuture<byte[]> fetch(URI url);
    }

    private final Fetcher fetcher;
    private final Clock clock;
    private final RefreshingCache<X509CRL> crls;

    public CrlCache(Fetcher fetcher, Clock clock, int maxEntries, Duration refreshAhead, Duration retryAfter, Duration fetchTimeout) {
        this.fetcher = fetcher;
        this.clock = clock;
        this.crls = new RefreshingCache<>(clock, maxEntries, refreshAhead, retryAfter, fetchTimeout);
    }

    /** The revocation status of {@code certificate}, issued by {@code issuer} (a CA the node trusts). */
    public RevocationAnswer check(X509Certificate certificate, X509Certificate issuer) {
        List<URI> points = distributionPoints(certificate);
        if (points.isEmpty()) {
            return new RevocationAnswer(RevocationAnswer.Status.UNKNOWN, "the certificate names no http(s) CRL distribution point");
        }
        String failure = "no CRL";
        for (URI point : points) {
            String key = Certificates.sha256(issuer) + " " + point;
            try {
                X509CRL crl = crls.get(key, "the CRL at " + point, () -> load(point, issuer));
                X509CRLEntry entry = crl.getRevokedCertificate(certificate.getSerialNumber());
                if (entry == null) {
                    return new RevocationAnswer(RevocationAnswer.Status.GOOD, "not on the CRL of " + point
                            + " (next update " + crl.getNextUpdate().toInstant() + ")");
                }
                return new RevocationAnswer(RevocationAnswer.Status.REVOKED, "revoked at " + entry.getRevocationDate().toInstant()
                        + (entry.getRevocationReason() == null ? "" : " (" + entry.getRevocationReason() + ")")
                        + " (CRL of " + point + ")");
            } catch (RevocationUnavailable e) {
                failure = e.getMessage();
            }
        }
        return new RevocationAnswer(RevocationAnswer.Status.UNKNOWN, failure);
    }

    /** How many CRLs are cached now. */
    public int size() {
        return crls.size();
    }

    /** Fetches and checks the CRL; cached until its nextUpdate. */
    private CompletableFuture<RefreshingCache.Fresh<X509CRL>> load(URI point, X509Certificate issuer) {
        return fetcher.fetch(point).thenApply(bytes -> {
            try {
                X509CRL crl = accept(parse(bytes, point), issuer, point);
                return new RefreshingCache.Fresh<>(crl, crl.getNextUpdate().toInstant());
            } catch (RevocationUnavailable e) {
                throw new CompletionException(e);
            }
        });
    }

    private X509CRL accept(X509CRL crl, X509Certificate issuer, URI point) throws RevocationUnavailable {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new RevocationUnavailable("the CRL at " + point + " is issued by " + crl.getIssuerX500Principal().getName()
                    + ", not by " + issuer.getSubjectX500Principal().getName());
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new RevocationUnavailable("the CRL at " + point + " is not signed by " + issuer.getSubjectX500Principal().getName());
        }
        if (crl.hasUnsupportedCriticalExtension()) {
            throw new RevocationUnavailable("the CRL at " + point
                    + " has critical extensions the node does not support (delta or indirect CRL?)");
        }
        Instant now = clock.instant();
        if (crl.getNextUpdate() == null) {
            throw new RevocationUnavailable("the CRL at " + point + " has no nextUpdate: it cannot be known to be fresh");
        }
        Instant nextUpdate = crl.getNextUpdate().toInstant();
        if (now.isBefore(crl.getThisUpdate().toInstant()) || !now.isBefore(nextUpdate)) {
            throw new RevocationUnavailable("the CRL at " + point + " is not fresh (thisUpdate " + crl.getThisUpdate().toInstant()
                    + ", nextUpdate " + nextUpdate + ")");
        }
        return crl;
    }

    static X509CRL parse(byte[] bytes, URI point) throws RevocationUnavailable {
        byte[] der = bytes;
        String start = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII);
        if (start.startsWith("-----BEGIN X509 CRL-----")) {
            try {
                der = Pem.decodeSingle(new String(bytes, StandardCharsets.US_ASCII), "X509 CRL", ProblemType.BAD_REQUEST);
            } catch (RuntimeException e) {
                throw new RevocationUnavailable("the CRL at " + point + " is not readable PEM");
            }
        }
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (CRLException | java.security.cert.CertificateException | RuntimeException e) {
            throw new RevocationUnavailable("the CRL at " + point + " is not a readable X.509 CRL");
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
}
