package org.agentnet.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.agentnet.common.time.MovableClock;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The CRL cache with real CRLs built and signed by BouncyCastle, and the HTTP fetcher against a real local server. */
class CrlCacheTest {

    private static final URI DP = URI.create("http://crl.other.example/crl");
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    /** Serves CRLs by URL from memory and counts fetches; a missing URL fails like a network error. */
    static final class Crls implements CrlCache.Fetcher {
        final Map<URI, byte[]> published = new ConcurrentHashMap<>();
        final AtomicInteger fetches = new AtomicInteger();

        @Override
        public CompletableFuture<byte[]> fetch(URI url) {
            fetches.incrementAndGet();
            byte[] crl = published.get(url);
            return crl == null ? CompletableFuture.failedFuture(new java.io.IOException("connection refused"))
                    : CompletableFuture.completedFuture(crl);
        }
    }

    private final MovableClock clock = new MovableClock(T0);
    private final Crls crls = new Crls();
    private final Ca ca = new Ca("CN=Other Domain CA,O=other.example");

    private CrlCache cache(int max) {
        return new CrlCache(crls, clock, max, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    @Test
    void aCertificateNotOnTheCrlIsGoodAndOneOnItIsRevokedFromOneFetch() {
        X509Certificate good = ca.leaf(DP);
        X509Certificate bad = ca.leaf(DP);
        crls.published.put(DP, ca.crl(T0.minusSeconds(60), T0.plus(Duration.ofHours(1)), bad.getSerialNumber()));
        CrlCache cache = cache(10);
        assertEquals(RevocationAnswer.Status.GOOD, cache.check(good, ca.certificate).status());
        RevocationAnswer revoked = cache.check(bad, ca.certificate);
        assertEquals(RevocationAnswer.Status.REVOKED, revoked.status());
        assertTrue(revoked.detail().contains("KEY_COMPROMISE"), revoked.detail());
        assertEquals(1, crls.fetches.get(), "cached until its nextUpdate");
    }

    @Test
    void aCrlNotSignedByTheIssuerOrOfAnotherIssuerIsNotUsed() {
        Ca impostor = new Ca("CN=Other Domain CA,O=other.example"); // same name, other key
        crls.published.put(DP, impostor.crl(T0.minusSeconds(60), T0.plus(Duration.ofHours(1))));
        RevocationAnswer answer = cache(10).check(ca.leaf(DP), ca.certificate);
        assertEquals(RevocationAnswer.Status.UNKNOWN, answer.status());
        assertTrue(answer.detail().contains("not signed by"), answer.detail());

        Ca other = new Ca("CN=Third CA");
        URI otherDp = URI.create("http://crl.third.example/crl");
        crls.published.put(otherDp, other.crl(T0.minusSeconds(60), T0.plus(Duration.ofHours(1))));
        RevocationAnswer wrongIssuer = cache(10).check(ca.leaf(otherDp), ca.certificate);
        assertEquals(RevocationAnswer.Status.UNKNOWN, wrongIssuer.status());
        assertTrue(wrongIssuer.detail().contains("is issued by"), wrongIssuer.detail());
    }

    @Test
    void aStaleCrlGarbageOrNoDistributionPointGiveUnknown() {
        crls.published.put(DP, ca.crl(T0.minus(Duration.ofDays(2)), T0.minus(Duration.ofDays(1))));
        RevocationAnswer stale = cache(10).check(ca.leaf(DP), ca.certificate);
        assertEquals(RevocationAnswer.Status.UNKNOWN, stale.status());
        assertTrue(stale.detail().contains("not fresh"), stale.detail());

        crls.published.put(DP, "not a CRL".getBytes(StandardCharsets.US_ASCII));
        assertEquals(RevocationAnswer.Status.UNKNOWN, cache(10).check(ca.leaf(DP), ca.certificate).status());

        RevocationAnswer none = cache(10).check(ca.leaf(null), ca.certificate);
        assertEquals(RevocationAnswer.Status.UNKNOWN, none.status());
        assertTrue(none.detail().contains("no http(s) CRL distribution point"), none.detail());
    }

    @Test
    void theCrlIsRefreshedAheadOfItsNextUpdateAndUsedUntilThen() {
        X509Certificate later = ca.leaf(DP);
        crls.published.put(DP, ca.crl(T0.minusSeconds(60), T0.plus(Duration.ofHours(1))));
        CrlCache cache = cache(10);
        assertEquals(RevocationAnswer.Status.GOOD, cache.check(later, ca.certificate).status());

        clock.now = T0.plus(Duration.ofMinutes(30));
        crls.published.put(DP, ca.crl(clock.now, clock.now.plus(Duration.ofHours(1)), later.getSerialNumber()));
        assertEquals(RevocationAnswer.Status.GOOD, cache.check(later, ca.certificate).status(), "outside the refresh window: cached");
        assertEquals(1, crls.fetches.get());

        clock.now = T0.plus(Duration.ofMinutes(56)); // within 5 minutes of nextUpdate
        cache.check(later, ca.certificate); // answered from the cache, refresh started (completes at once here)
        assertEquals(2, crls.fetches.get());
        assertEquals(RevocationAnswer.Status.REVOKED, cache.check(later, ca.certificate).status(), "the refreshed CRL is used");
    }

    @Test
    void whenNoFreshCrlCanBeHadTheAnswerIsUnknownAndFetchesAreSpacedOut() {
        X509Certificate certificate = ca.leaf(DP);
        crls.published.put(DP, ca.crl(T0.minusSeconds(60), T0.plus(Duration.ofHours(1))));
        CrlCache cache = cache(10);
        assertEquals(RevocationAnswer.Status.GOOD, cache.check(certificate, ca.certificate).status());
        crls.published.remove(DP); // the other domain's server goes away

        clock.now = T0.plus(Duration.ofHours(1)); // nextUpdate reached: the cached CRL no longer counts
        RevocationAnswer unknown = cache.check(certificate, ca.certificate);
        assertEquals(RevocationAnswer.Status.UNKNOWN, unknown.status());
        assertTrue(unknown.detail().contains("connection refused"), unknown.detail());
        int fetches = crls.fetches.get();
        assertEquals(RevocationAnswer.Status.UNKNOWN, cache.check(certificate, ca.certificate).status());
        assertEquals(fetches, crls.fetches.get(), "no new fetch within retry-after");

        clock.now = clock.now.plusSeconds(31);
        crls.published.put(DP, ca.crl(clock.now, clock.now.plus(Duration.ofHours(1))));
        assertEquals(RevocationAnswer.Status.GOOD, cache.check(certificate, ca.certificate).status());
    }

    @Test
    void theCacheIsBounded() {
        CrlCache cache = cache(2);
        for (int i = 0; i < 5; i++) {
            Ca other = new Ca("CN=CA " + i);
            URI dp = URI.create("http://crl" + i + ".example/crl");
            crls.published.put(dp, other.crl(T0.minusSeconds(60), T0.plus(Duration.ofHours(1))));
            assertEquals(RevocationAnswer.Status.GOOD, cache.check(other.leaf(dp), other.certificate).status());
        }
        assertEquals(2, cache.size());
    }

    @Test
    void theHttpFetcherReadsDerAndPemAndGivesUpOnSlowOrHugeAnswers() throws Exception {
        X509Certificate revokedOne = ca.leaf(null);
        byte[] der = ca.crl(Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofHours(1)), revokedOne.getSerialNumber());
        AtomicReference<byte[]> body = new AtomicReference<>(der);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/crl", exchange -> {
            byte[] bytes = body.get();
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(3000);
                exchange.sendResponseHeaders(200, der.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(der);
                }
            } catch (InterruptedException | java.io.IOException e) {
                exchange.close();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            HttpRevocationFetcher fetcher = new HttpRevocationFetcher(Duration.ofSeconds(2), Duration.ofMillis(500), 4096);
            CrlCache cache = new CrlCache(fetcher, Clock.systemUTC(), 10, Duration.ofMinutes(5), Duration.ofSeconds(30),
                    Duration.ofSeconds(5));
            X509Certificate listed = ca.leaf(URI.create(base + "/crl"), revokedOne.getSerialNumber());
            assertEquals(RevocationAnswer.Status.REVOKED, cache.check(listed, ca.certificate).status());

            body.set(Pem.encode("X509 CRL", der).getBytes(StandardCharsets.US_ASCII));
            CrlCache fresh = new CrlCache(fetcher, Clock.systemUTC(), 10, Duration.ofMinutes(5), Duration.ofSeconds(30),
                    Duration.ofSeconds(5));
            assertEquals(RevocationAnswer.Status.REVOKED, fresh.check(listed, ca.certificate).status(), "PEM too");

            long started = System.nanoTime();
            RevocationAnswer slow = fresh.check(ca.leaf(URI.create(base + "/slow")), ca.certificate);
            assertEquals(RevocationAnswer.Status.UNKNOWN, slow.status());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 2500, "the request timeout holds");

            body.set(new byte[5000]);
            RevocationAnswer huge = new CrlCache(fetcher, Clock.systemUTC(), 10, Duration.ofMinutes(5), Duration.ofSeconds(30),
                    Duration.ofSeconds(5)).check(listed, ca.certificate);
            assertEquals(RevocationAnswer.Status.UNKNOWN, huge.status());
            assertTrue(huge.detail().contains("larger than 4096"), huge.detail());
        } finally {
            server.stop(0);
        }
    }

    /** A CA of another domain: key, certificate, leaves, CRLs. */
    static final class Ca {
        final KeyPair keys;
        final X509Certificate certificate;
        private final AtomicInteger serials = new AtomicInteger(1000);

        Ca(String subject) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                keys = generator.generateKeyPair();
                X500Name name = new X500Name(subject);
                JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                        Date.from(T0.minus(Duration.ofDays(1))), Date.from(T0.plus(Duration.ofDays(3650))), name, keys.getPublic());
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                certificate = new JcaX509CertificateConverter().getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        X509Certificate leaf(URI crl) {
            return leaf(crl, BigInteger.valueOf(serials.incrementAndGet()));
        }

        X509Certificate leaf(URI crl, BigInteger serial) {
            try {
                JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial,
                        Date.from(T0.minus(Duration.ofDays(1))), Date.from(T0.plus(Duration.ofDays(30))),
                        new X500Name("CN=agent " + serial), keys.getPublic());
                if (crl != null) {
                    builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                            new DistributionPoint(new DistributionPointName(new GeneralNames(
                                    new GeneralName(GeneralName.uniformResourceIdentifier, crl.toString()))), null, null)}));
                }
                return new JcaX509CertificateConverter().getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        byte[] crl(Instant thisUpdate, Instant nextUpdate, BigInteger... revoked) {
            try {
                X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(
                        certificate.getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
                builder.setNextUpdate(Date.from(nextUpdate));
                for (BigInteger serial : List.of(revoked)) {
                    builder.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
                }
                return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
