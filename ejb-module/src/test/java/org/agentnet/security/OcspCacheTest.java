package org.agentnet.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.agentnet.aca.OcspAnswerer;
import org.agentnet.aca.RevocationReason;
import org.agentnet.aca.RevokedEntry;
import org.agentnet.aca.SerialStatus;
import org.agentnet.common.time.MovableClock;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/**
 * The OCSP client and its cache against a real OCSP responder built in the test with BouncyCastle
 * (signed by the CA or a delegated responder, or deliberately wrong), the order OCSP then CRL, the
 * ACA's own responder ({@link OcspAnswerer}), and the HTTP path against a local server.
 */
class OcspCacheTest {

    private static final URI RESPONDER = URI.create("http://ocsp.other.example/ocsp");
    private static final URI DP = URI.create("http://crl.other.example/crl");
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private final MovableClock clock = new MovableClock(T0);
    private final CrlCacheTest.Ca ca = new CrlCacheTest.Ca("CN=Other Domain CA,O=other.example");
    private final Responder responder = new Responder(ca);

    private OcspCache cache() {
        return new OcspCache(responder, clock, 100, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofSeconds(5), true);
    }

    @Test
    void goodAndRevokedAnswersOfTheCaAreUsedAndCachedPerCertificate() {
        X509Certificate good = leaf(RESPONDER, null);
        X509Certificate bad = leaf(RESPONDER, null);
        responder.revoked.put(bad.getSerialNumber(), new RevokedStatus(Date.from(T0.minusSeconds(90)), CRLReason.keyCompromise));
        OcspCache cache = cache();

        RevocationAnswer ok = cache.check(good, ca.certificate);
        assertEquals(RevocationAnswer.Status.GOOD, ok.status(), ok.detail());
        assertTrue(ok.detail().contains("good according to the OCSP responder at " + RESPONDER), ok.detail());
        RevocationAnswer revoked = cache.check(bad, ca.certificate);
        assertEquals(RevocationAnswer.Status.REVOKED, revoked.status());
        assertTrue(revoked.detail().contains("KEY_COMPROMISE") && revoked.detail().contains(T0.minusSeconds(90).toString()),
                revoked.detail());
        assertEquals(2, responder.asked.get());

        for (int i = 0; i < 5; i++) {
            assertEquals(RevocationAnswer.Status.GOOD, cache.check(good, ca.certificate).status());
            assertEquals(RevocationAnswer.Status.REVOKED, cache.check(bad, ca.certificate).status());
        }
        assertEquals(2, responder.asked.get(), "answered from memory");
        assertEquals(2, cache.size());
        assertTrue(responder.lastNonce.get() != null, "a nonce was sent");
    }

    @Test
    void theRespondersUnknownIsNoAnswer() {
        responder.unknown = true;
        RevocationAnswer answer = cache().check(leaf(RESPONDER, null), ca.certificate);
        assertEquals(RevocationAnswer.Status.UNKNOWN, answer.status());
        assertTrue(answer.detail().contains("does not know the certificate"), answer.detail());
    }

    @Test
    void anAnswerNotSignedByTheCaOrAnAuthorizedResponderIsRefused() {
        X509Certificate certificate = leaf(RESPONDER, null);

        CrlCacheTest.Ca impostor = new CrlCacheTest.Ca("CN=Other Domain CA,O=other.example"); // same name, other key
        responder.signWith(impostor.keys.getPrivate(), impostor.certificate, false);
        assertRefused(certificate, "not signed by the CA or a responder it authorized");

        KeyPair responderKeys = ecKeys();
        responder.signWith(responderKeys.getPrivate(), responderCertificate(ca, responderKeys, false), true);
        assertRefused(certificate, "no id-kp-OCSPSigning");

        CrlCacheTest.Ca third = new CrlCacheTest.Ca("CN=Third CA");
        responder.signWith(responderKeys.getPrivate(), responderCertificate(third, responderKeys, true), true);
        assertRefused(certificate, "which the CA did not issue");

        // the CA's own responder ID, but the bytes of the signature altered
        responder.signWith(ca.keys.getPrivate(), null, false);
        responder.corruptSignature = true;
        assertRefused(certificate, "not signed by the CA");
    }

    @Test
    void aDelegatedResponderOfTheCaIsAccepted() {
        KeyPair responderKeys = ecKeys();
        X509Certificate delegated = responderCertificate(ca, responderKeys, true);
        responder.signWith(responderKeys.getPrivate(), delegated, true);
        X509Certificate bad = leaf(RESPONDER, null);
        responder.revoked.put(bad.getSerialNumber(), new RevokedStatus(Date.from(T0.minusSeconds(10)), CRLReason.superseded));

        RevocationAnswer good = cache().check(leaf(RESPONDER, null), ca.certificate);
        assertEquals(RevocationAnswer.Status.GOOD, good.status(), good.detail());
        assertTrue(good.detail().contains("delegated responder CN=OCSP responder"), good.detail());
        RevocationAnswer revoked = cache().check(bad, ca.certificate);
        assertEquals(RevocationAnswer.Status.REVOKED, revoked.status(), revoked.detail());
        assertTrue(revoked.detail().contains("SUPERSEDED"), revoked.detail());
    }

    @Test
    void staleOrPrematureAnswersAreRefused() {
        X509Certificate certificate = leaf(RESPONDER, null);
        responder.thisUpdate = T0.minus(Duration.ofHours(2));
        responder.nextUpdate = T0.minus(Duration.ofHours(1));
        assertRefused(certificate, "not fresh");

        responder.thisUpdate = T0.plus(Duration.ofMinutes(10)); // beyond the clock skew allowed
        responder.nextUpdate = T0.plus(Duration.ofHours(1));
        assertRefused(certificate, "not fresh");

        responder.thisUpdate = T0.minus(Duration.ofHours(2)); // no nextUpdate, older than max-age
        responder.nextUpdate = null;
        assertRefused(certificate, "not fresh");

        responder.thisUpdate = T0.plus(Duration.ofMinutes(1)); // a responder clock a minute ahead
        responder.nextUpdate = T0.plus(Duration.ofHours(1));
        assertEquals(RevocationAnswer.Status.GOOD, cache().check(certificate, ca.certificate).status());
    }

    @Test
    void anAnswerForAnotherCertificateOrWithAnotherNonceIsRefused() {
        X509Certificate certificate = leaf(RESPONDER, null);
        responder.answerForSerial = BigInteger.valueOf(424242);
        assertRefused(certificate, "did not answer for the certificate asked about");

        responder.answerForSerial = null;
        responder.nonceOverride = new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
        assertRefused(certificate, "another nonce");

        responder.nonceOverride = null;
        responder.echoNonce = false; // precomputed answers carry none: accepted, freshness by the times
        assertEquals(RevocationAnswer.Status.GOOD, cache().check(certificate, ca.certificate).status());
    }

    @Test
    void answersAreKeptUntilNextUpdateAtMostMaxAgeRefreshedAheadAndFailuresSpacedOut() {
        X509Certificate certificate = leaf(RESPONDER, null);
        responder.nextUpdate = T0.plus(Duration.ofDays(7)); // a responder with long-lived answers: max-age (1 h) bounds them
        OcspCache cache = cache();
        assertEquals(RevocationAnswer.Status.GOOD, cache.check(certificate, ca.certificate).status());

        clock.now = T0.plus(Duration.ofMinutes(30));
        responder.revoked.put(certificate.getSerialNumber(), new RevokedStatus(Date.from(clock.now), CRLReason.keyCompromise));
        assertEquals(RevocationAnswer.Status.GOOD, cache.check(certificate, ca.certificate).status(), "cached");
        assertEquals(1, responder.asked.get());

        clock.now = T0.plus(Duration.ofMinutes(56)); // within refresh-ahead of the end of max-age
        responder.thisUpdate = clock.now;
        cache.check(certificate, ca.certificate); // the cached answer, a refresh started (completes at once here)
        assertEquals(2, responder.asked.get());
        assertEquals(RevocationAnswer.Status.REVOKED, cache.check(certificate, ca.certificate).status(), "the refreshed answer");

        responder.down = true;
        clock.now = clock.now.plus(Duration.ofHours(2)); // gone stale, the responder is down
        RevocationAnswer down = cache.check(certificate, ca.certificate);
        assertEquals(RevocationAnswer.Status.UNKNOWN, down.status());
        assertTrue(down.detail().contains("connection refused"), down.detail());
        int asked = responder.asked.get();
        assertEquals(RevocationAnswer.Status.UNKNOWN, cache.check(certificate, ca.certificate).status());
        assertEquals(asked, responder.asked.get(), "no new request within retry-after");

        responder.down = false;
        responder.thisUpdate = null;
        responder.nextUpdate = null;
        clock.now = clock.now.plusSeconds(31);
        assertEquals(RevocationAnswer.Status.REVOKED, cache.check(certificate, ca.certificate).status());
    }

    @Test
    void theCacheIsBounded() {
        OcspCache cache = new OcspCache(responder, clock, 3, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofSeconds(5), true);
        for (int i = 0; i < 10; i++) {
            assertEquals(RevocationAnswer.Status.GOOD, cache.check(leaf(RESPONDER, null), ca.certificate).status());
        }
        assertEquals(3, cache.size());
    }

    @Test
    void ocspIsAskedFirstAndTheCrlWhenOcspGivesNoAnswer() {
        CrlCacheTest.Crls crls = new CrlCacheTest.Crls();
        CrlCache crlCache = new CrlCache(crls, clock, 10, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(5));
        X509Certificate both = leaf(RESPONDER, DP);
        X509Certificate onlyCrl = leaf(null, DP);
        crls.published.put(DP, ca.crl(T0.minusSeconds(60), T0.plus(Duration.ofHours(1)), onlyCrl.getSerialNumber()));
        OcspCache ocsp = cache();

        RevocationAnswer first = ForeignRevocation.check(both, ca.certificate, ocsp, crlCache);
        assertEquals(RevocationAnswer.Status.GOOD, first.status());
        assertTrue(first.detail().contains("OCSP"), first.detail());
        assertEquals(0, crls.fetches.get(), "the CRL is not needed when OCSP answers");

        RevocationAnswer byCrl = ForeignRevocation.check(onlyCrl, ca.certificate, ocsp, crlCache);
        assertEquals(RevocationAnswer.Status.REVOKED, byCrl.status(), "no responder named: the CRL");

        responder.down = true;
        RevocationAnswer fallback = ForeignRevocation.check(leaf(RESPONDER, DP), ca.certificate, ocsp, crlCache);
        assertEquals(RevocationAnswer.Status.GOOD, fallback.status());
        assertTrue(fallback.detail().contains("not on the CRL") && fallback.detail().contains("OCSP gave no answer"),
                fallback.detail());

        crls.published.clear();
        RevocationAnswer neither = ForeignRevocation.check(leaf(RESPONDER, URI.create("http://crl.gone.example/crl")), ca.certificate,
                ocsp, crlCache);
        assertEquals(RevocationAnswer.Status.UNKNOWN, neither.status());
        assertTrue(neither.detail().startsWith("OCSP: ") && neither.detail().contains("; CRL: "), neither.detail());

        RevocationAnswer withoutOcsp = ForeignRevocation.check(both, ca.certificate, null, crlCache);
        assertTrue(withoutOcsp.detail().contains("CRL"), "OCSP switched off: " + withoutOcsp.detail());
    }

    @Test
    void theAcasOwnResponderIsUnderstood() {
        X509Certificate good = leaf(RESPONDER, null);
        X509Certificate revoked = leaf(RESPONDER, null);
        X509Certificate never = leaf(RESPONDER, null);
        OcspAnswerer answerer = new OcspAnswerer(ca.certificate, Duration.ofHours(1));
        OcspCache.Responder aca = (uri, request) -> CompletableFuture.completedFuture(answerer.answer(request, clock.instant(),
                serial -> serial.equals(good.getSerialNumber()) ? SerialStatus.GOOD
                        : serial.equals(revoked.getSerialNumber())
                        ? SerialStatus.revoked(new RevokedEntry(serial, T0.minusSeconds(5), RevocationReason.KEY_COMPROMISE))
                        : SerialStatus.UNKNOWN,
                () -> new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keys.getPrivate())));
        OcspCache cache = new OcspCache(aca, clock, 10, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(30),
                Duration.ofSeconds(5), true);
        assertEquals(RevocationAnswer.Status.GOOD, cache.check(good, ca.certificate).status());
        assertEquals(RevocationAnswer.Status.REVOKED, cache.check(revoked, ca.certificate).status());
        assertEquals(RevocationAnswer.Status.UNKNOWN, cache.check(never, ca.certificate).status());
    }

    @Test
    void theHttpClientPostsTheRequestAndBoundsTheAnswer() throws Exception {
        AtomicReference<Integer> limit = new AtomicReference<>(null);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ocsp", exchange -> {
            byte[] request = exchange.getRequestBody().readAllBytes();
            boolean post = exchange.getRequestMethod().equals("POST")
                    && "application/ocsp-request".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
            byte[] answer = post ? responder.ask(null, request).join() : OcspAnswerer.status(OCSPRespBuilder.MALFORMED_REQUEST);
            if (limit.get() != null) {
                answer = new byte[limit.get()];
            }
            exchange.getResponseHeaders().add("Content-Type", "application/ocsp-response");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ocsp");
            HttpRevocationFetcher http = new HttpRevocationFetcher(Duration.ofSeconds(2), Duration.ofSeconds(2), 4096);
            X509Certificate bad = leaf(url, null);
            responder.revoked.put(bad.getSerialNumber(), new RevokedStatus(new org.bouncycastle.asn1.ocsp.RevokedInfo(new org.bouncycastle.asn1.ASN1GeneralizedTime(Date.from(Instant.now().minusSeconds(5))))));
            responder.thisUpdate = Instant.now();
            OcspCache live = new OcspCache(http, Clock.systemUTC(), 10, Duration.ofHours(1), Duration.ofMinutes(5),
                    Duration.ofSeconds(30), Duration.ofSeconds(5), true);
            assertEquals(RevocationAnswer.Status.REVOKED, live.check(bad, ca.certificate).status());

            limit.set(5000);
            RevocationAnswer huge = new OcspCache(http, Clock.systemUTC(), 10, Duration.ofHours(1), Duration.ofMinutes(5),
                    Duration.ofSeconds(30), Duration.ofSeconds(5), true).check(bad, ca.certificate);
            assertEquals(RevocationAnswer.Status.UNKNOWN, huge.status());
            assertTrue(huge.detail().contains("larger than 4096"), huge.detail());
        } finally {
            server.stop(0);
        }
    }

    private void assertRefused(X509Certificate certificate, String why) {
        RevocationAnswer answer = cache().check(certificate, ca.certificate);
        assertEquals(RevocationAnswer.Status.UNKNOWN, answer.status(), answer.detail());
        assertTrue(answer.detail().contains(why), answer.detail());
    }

    private final AtomicInteger serials = new AtomicInteger(5000);

    /** A leaf of the CA naming the OCSP responder and/or the CRL distribution point (either may be null). */
    private X509Certificate leaf(URI ocsp, URI crl) {
        try {
            BigInteger serial = BigInteger.valueOf(serials.incrementAndGet());
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate, serial,
                    Date.from(T0.minus(Duration.ofDays(1))), Date.from(T0.plus(Duration.ofDays(30))),
                    new X500Name("CN=agent " + serial), ca.keys.getPublic());
            if (ocsp != null) {
                builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(new AccessDescription(
                        AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, ocsp.toString()))));
            }
            if (crl != null) {
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(new GeneralNames(
                                new GeneralName(GeneralName.uniformResourceIdentifier, crl.toString()))), null, null)}));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A responder certificate issued by {@code issuer}, with or without id-kp-OCSPSigning. */
    private static X509Certificate responderCertificate(CrlCacheTest.Ca issuer, KeyPair keys, boolean ocspSigning) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate, BigInteger.valueOf(77),
                    Date.from(T0.minus(Duration.ofDays(1))), Date.from(T0.plus(Duration.ofDays(30))),
                    new X500Name("CN=OCSP responder"), keys.getPublic());
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    ocspSigning ? KeyPurposeId.id_kp_OCSPSigning : KeyPurposeId.id_kp_clientAuth));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An OCSP responder of the CA, built with BouncyCastle: reads the request, answers good, revoked
     * or unknown for each CertID, signed by the CA or a responder certificate (included in the
     * response), with the times and nonce set by the test, or deliberately wrong.
     */
    final class Responder implements OcspCache.Responder {
        final Map<BigInteger, RevokedStatus> revoked = new ConcurrentHashMap<>();
        final AtomicInteger asked = new AtomicInteger();
        final AtomicReference<byte[]> lastNonce = new AtomicReference<>();
        private PrivateKey key;
        private X509Certificate signer;
        private boolean includeSigner;
        volatile boolean unknown;
        volatile boolean down;
        volatile boolean corruptSignature;
        volatile boolean echoNonce = true;
        volatile byte[] nonceOverride;
        volatile BigInteger answerForSerial;
        /** Null: now (the clock's). */
        volatile Instant thisUpdate;
        /** Null with thisUpdate null: now + 1 h. */
        volatile Instant nextUpdate;

        Responder(CrlCacheTest.Ca ca) {
            signWith(ca.keys.getPrivate(), null, false);
        }

        /** Sign with {@code key}; the responder ID names {@code certificate} (null: the CA), included if asked. */
        void signWith(PrivateKey key, X509Certificate certificate, boolean include) {
            this.key = key;
            this.signer = certificate;
            this.includeSigner = include;
        }

        @Override
        public CompletableFuture<byte[]> ask(URI location, byte[] request) {
            asked.incrementAndGet();
            if (down) {
                return CompletableFuture.failedFuture(new java.io.IOException("connection refused"));
            }
            try {
                OCSPReq parsed = new OCSPReq(request);
                Extension nonce = parsed.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
                lastNonce.set(nonce == null ? null : nonce.getExtnValue().getOctets());
                X509Certificate named = signer == null ? ca.certificate : signer;
                X509CertificateHolder namedHolder = new JcaX509CertificateHolder(named);
                BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(namedHolder.getSubjectPublicKeyInfo(),
                        new JcaDigestCalculatorProviderBuilder().build().get(RespID.HASH_SHA1)));
                Instant now = clock.instant();
                Instant from = thisUpdate != null ? thisUpdate : now;
                Instant until = thisUpdate == null && nextUpdate == null ? now.plus(Duration.ofHours(1)) : nextUpdate;
                for (Req one : parsed.getRequestList()) {
                    CertificateID id = one.getCertID();
                    if (answerForSerial != null) {
                        id = CertificateID.deriveCertificateID(id, answerForSerial);
                    }
                    CertificateStatus status = unknown ? new UnknownStatus() : revoked.getOrDefault(id.getSerialNumber(), null);
                    builder.addResponse(id, status == null ? CertificateStatus.GOOD : status, Date.from(from),
                            until == null ? null : Date.from(until), null);
                }
                byte[] echoed = nonceOverride != null ? new DEROctetString(nonceOverride).getEncoded()
                        : nonce != null && echoNonce ? nonce.getExtnValue().getOctets() : null;
                if (echoed != null) {
                    builder.setResponseExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, echoed)));
                }
                X509CertificateHolder[] chain = includeSigner ? new X509CertificateHolder[] {namedHolder} : null;
                byte[] response = new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key), chain, Date.from(now))).getEncoded();
                if (corruptSignature) {
                    response[response.length - 5] ^= 0x01; // inside the signature BIT STRING, at the end of BasicOCSPResponse
                }
                return CompletableFuture.completedFuture(response);
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }
}
