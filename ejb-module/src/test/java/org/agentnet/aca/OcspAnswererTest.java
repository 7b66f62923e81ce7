package org.agentnet.aca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.ocsp.TBSRequest;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OcspAnswererTest {

    private static final String CA_NAME = "CN=ocsp.test Agent CA,O=ocsp.test";
    private static final TestCa CA = TestCa.create(CA_NAME);
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.750Z");
    private static final Duration VALIDITY = Duration.ofHours(1);

    private static final BigInteger GOOD = new BigInteger("1a2b3c4d5e6f708192a3b4c5d6e7f801", 16);
    private static final BigInteger REVOKED = new BigInteger("7edcba98765432100123456789abcdef", 16);
    private static final BigInteger REVOKED_UNSPECIFIED = BigInteger.valueOf(0x51);
    private static final BigInteger NEVER_ISSUED = BigInteger.valueOf(0x424242);
    private static final Instant REVOKED_AT = Instant.parse("2026-11-26T09:30:15.123Z");

    private final OcspAnswerer answerer = new OcspAnswerer(CA.certificate, VALIDITY);
    private final List<BigInteger> looked = new ArrayList<>();
    private final Map<BigInteger, SerialStatus> database = new HashMap<>(Map.of(
            GOOD, SerialStatus.GOOD,
            REVOKED, SerialStatus.revoked(new RevokedEntry(REVOKED, REVOKED_AT, RevocationReason.KEY_COMPROMISE)),
            REVOKED_UNSPECIFIED, SerialStatus.revoked(new RevokedEntry(REVOKED_UNSPECIFIED, REVOKED_AT, RevocationReason.UNSPECIFIED))));

    private OCSPResp answer(byte[] request) throws IOException {
        byte[] der = answerer.answer(request, NOW, serial -> {
            looked.add(serial);
            return database.getOrDefault(serial, SerialStatus.UNKNOWN);
        }, CA::signer);
        return new OCSPResp(der);
    }

    private static CertificateID id(X509Certificate issuer, BigInteger serial, AlgorithmIdentifier hash) throws Exception {
        DigestCalculator digest = new JcaDigestCalculatorProviderBuilder().build().get(hash);
        return new CertificateID(digest, new JcaX509CertificateHolder(issuer), serial);
    }

    private static CertificateID id(BigInteger serial) throws Exception {
        return id(CA.certificate, serial, CertificateID.HASH_SHA1);
    }

    private static byte[] request(byte[] nonce, CertificateID... ids) throws Exception {
        OCSPReqBuilder builder = new OCSPReqBuilder();
        for (CertificateID id : ids) {
            builder.addRequest(id);
        }
        if (nonce != null) {
            builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                    new DEROctetString(nonce).getEncoded())));
        }
        return builder.build().getEncoded();
    }

    private static BasicOCSPResp basic(OCSPResp response) throws Exception {
        assertEquals(OCSPRespBuilder.SUCCESSFUL, response.getStatus());
        return (BasicOCSPResp) response.getResponseObject();
    }

    private static SingleResp only(OCSPResp response) throws Exception {
        SingleResp[] responses = basic(response).getResponses();
        assertEquals(1, responses.length);
        return responses[0];
    }

    @Test
    void aValidCertificateIsGoodInAResponseSignedByTheCaKeyAndNamedByItsKeyHash() throws Exception {
        BasicOCSPResp basic = basic(answer(request(null, id(GOOD))));
        assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(CA.keys.getPublic())));
        DigestCalculator sha1 = new JcaDigestCalculatorProviderBuilder().build().get(RespID.HASH_SHA1);
        assertEquals(new RespID(new JcaX509CertificateHolder(CA.certificate).getSubjectPublicKeyInfo(), sha1), basic.getResponderId());
        assertNull(basic.getResponderId().toASN1Primitive().getName(), "by key, not by name");
        assertEquals(0, basic.getCerts().length, "the CA signs itself: no certificates to send");
        SingleResp single = basic.getResponses()[0];
        assertEquals(id(GOOD), single.getCertID());
        assertEquals(CertificateStatus.GOOD, single.getCertStatus());
        assertEquals(Date.from(Instant.parse("2026-11-26T10:00:00Z")), single.getThisUpdate());
        assertEquals(Date.from(Instant.parse("2026-11-26T11:00:00Z")), single.getNextUpdate());
        assertEquals(Date.from(Instant.parse("2026-11-26T10:00:00Z")), basic.getProducedAt());
        assertNull(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce), "no nonce asked, none sent");
    }

    @Test
    void aRevokedCertificateIsRevokedWithItsTimeAndReason() throws Exception {
        RevokedStatus status = assertInstanceOf(RevokedStatus.class, only(answer(request(null, id(REVOKED)))).getCertStatus());
        assertEquals(Date.from(Instant.parse("2026-11-26T09:30:15Z")), status.getRevocationTime());
        assertTrue(status.hasRevocationReason());
        assertEquals(RevocationReason.KEY_COMPROMISE.code(), status.getRevocationReason());
    }

    @Test
    void anUnspecifiedReasonIsLeftOut() throws Exception {
        RevokedStatus status = assertInstanceOf(RevokedStatus.class,
                only(answer(request(null, id(REVOKED_UNSPECIFIED)))).getCertStatus());
        assertFalse(status.hasRevocationReason());
    }

    @Test
    void aSerialNeverIssuedIsUnknown() throws Exception {
        assertInstanceOf(UnknownStatus.class, only(answer(request(null, id(NEVER_ISSUED)))).getCertStatus());
        assertEquals(List.of(NEVER_ISSUED), looked);
    }

    @Test
    void anotherCaWithTheSameNameIsNotThisCaEvenForAnIssuedSerial() throws Exception {
        TestCa impostor = TestCa.create(CA_NAME);
        CertificateID foreign = id(impostor.certificate, GOOD, CertificateID.HASH_SHA1);
        assertArrayEquals(id(GOOD).getIssuerNameHash(), foreign.getIssuerNameHash(), "same name");
        SingleResp single = only(answer(request(null, foreign)));
        assertInstanceOf(UnknownStatus.class, single.getCertStatus());
        assertEquals(foreign, single.getCertID());
        assertTrue(looked.isEmpty(), "the database is not asked about other CAs' serials");
    }

    @Test
    void aDifferentIssuerNameWithThisCasKeyIsNotThisCaEither() throws Exception {
        CertificateID genuine = id(GOOD);
        byte[] otherNameHash = genuine.getIssuerNameHash().clone();
        otherNameHash[0] ^= 1;
        CertificateID forged = new CertificateID(new org.bouncycastle.asn1.ocsp.CertID(
                genuine.toASN1Primitive().getHashAlgorithm(), new DEROctetString(otherNameHash),
                new DEROctetString(genuine.getIssuerKeyHash()), new org.bouncycastle.asn1.ASN1Integer(GOOD)));
        assertInstanceOf(UnknownStatus.class, only(answer(request(null, forged))).getCertStatus());
    }

    @Test
    void certIdsHashedWithSha256AreUnderstood() throws Exception {
        CertificateID sha256 = id(CA.certificate, REVOKED, new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256));
        SingleResp single = only(answer(request(null, sha256)));
        assertInstanceOf(RevokedStatus.class, single.getCertStatus());
        assertEquals(sha256, single.getCertID(), "the CertID is answered as asked");
    }

    @Test
    void everyCertIdOfARequestIsAnsweredInOrder() throws Exception {
        TestCa other = TestCa.create("CN=other,O=ocsp.test");
        SingleResp[] responses = basic(answer(request(null, id(GOOD), id(REVOKED), id(NEVER_ISSUED),
                id(other.certificate, GOOD, CertificateID.HASH_SHA1)))).getResponses();
        assertEquals(4, responses.length);
        assertEquals(CertificateStatus.GOOD, responses[0].getCertStatus());
        assertInstanceOf(RevokedStatus.class, responses[1].getCertStatus());
        assertInstanceOf(UnknownStatus.class, responses[2].getCertStatus());
        assertInstanceOf(UnknownStatus.class, responses[3].getCertStatus());
        assertEquals(id(NEVER_ISSUED), responses[2].getCertID());
    }

    @Test
    void theNonceIsEchoed() throws Exception {
        byte[] nonce = new byte[16];
        Arrays.fill(nonce, (byte) 0x5c);
        byte[] request = request(nonce, id(GOOD));
        Extension asked = new org.bouncycastle.cert.ocsp.OCSPReq(request).getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        Extension echoed = basic(answer(request)).getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        assertEquals(asked.getExtnValue(), echoed.getExtnValue());
        assertFalse(echoed.isCritical());
    }

    @Test
    void aBareNonceOfOlderClientsIsEchoedToo() throws Exception {
        byte[] bare = {1, 2, 3, 4, 5, 6, 7, 8};
        OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id(GOOD));
        builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, bare)));
        Extension echoed = basic(answer(builder.build().getEncoded())).getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        assertArrayEquals(bare, echoed.getExtnValue().getOctets());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 33, 1000})
    void aNonceOfNoneOrMoreThan32OctetsIsMalformed(int length) throws Exception {
        assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, answer(request(new byte[length], id(GOOD))).getStatus());
        assertTrue(looked.isEmpty());
    }

    @Test
    void nonceLengthsOf1To32OctetsAreFine() throws Exception {
        assertEquals(OCSPRespBuilder.SUCCESSFUL, answer(request(new byte[1], id(GOOD))).getStatus());
        assertEquals(OCSPRespBuilder.SUCCESSFUL, answer(request(new byte[32], id(GOOD))).getStatus());
    }

    @Test
    void anUnknownCriticalExtensionIsMalformedAnUnknownNonCriticalOneIsIgnored() throws Exception {
        ASN1ObjectIdentifier unknown = new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1");
        for (boolean critical : new boolean[] {true, false}) {
            OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id(GOOD));
            builder.setRequestExtensions(new Extensions(new Extension(unknown, critical, new byte[] {5, 0})));
            int expected = critical ? OCSPRespBuilder.MALFORMED_REQUEST : OCSPRespBuilder.SUCCESSFUL;
            assertEquals(expected, answer(builder.build().getEncoded()).getStatus(), "critical " + critical);
        }
        OCSPReqBuilder single = new OCSPReqBuilder().addRequest(id(GOOD),
                new Extensions(new Extension(unknown, true, new byte[] {5, 0})));
        assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, answer(single.build().getEncoded()).getStatus());
    }

    @Test
    void malformedRequestsGetMalformedRequestNotAnException() throws Exception {
        byte[] valid = request(null, id(GOOD));
        List<byte[]> malformed = List.of(
                new byte[0],
                new byte[] {0x30},
                "not an OCSP request".getBytes(),
                Arrays.copyOf(valid, valid.length - 1),             // truncated
                Arrays.copyOf(valid, valid.length + 1),             // a trailing byte
                new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // huge length
                CA.certificate.getEncoded(),                        // DER, but not a request
                new OCSPRequest(new TBSRequest(null, new DERSequence(), (Extensions) null), null).getEncoded()); // no CertID
        for (byte[] request : malformed) {
            assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, answer(request).getStatus(), Arrays.toString(request));
        }
        assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, answer(null).getStatus());
        assertTrue(looked.isEmpty());
        assertNull(answer(new byte[0]).getResponseObject(), "an error status has no response bytes");
    }

    @Test
    void atMost50CertIdsAreAnsweredInOneRequest() throws Exception {
        CertificateID[] fifty = new CertificateID[OcspAnswerer.MAX_CERT_IDS];
        Arrays.fill(fifty, id(GOOD));
        assertEquals(OcspAnswerer.MAX_CERT_IDS, basic(answer(request(null, fifty))).getResponses().length);
        CertificateID[] more = Arrays.copyOf(fifty, OcspAnswerer.MAX_CERT_IDS + 1);
        more[OcspAnswerer.MAX_CERT_IDS] = id(GOOD);
        assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, answer(request(null, more)).getStatus());
    }

    @Test
    void aFailureOfTheResponderIsAnInternalError() throws Exception {
        byte[] request = request(null, id(GOOD));
        byte[] broken = answerer.answer(request, NOW, serial -> {
            throw new IllegalStateException("database down");
        }, CA::signer);
        assertEquals(OCSPRespBuilder.INTERNAL_ERROR, new OCSPResp(broken).getStatus());
        byte[] unsigned = answerer.answer(request, NOW, serial -> SerialStatus.GOOD, () -> {
            throw new OperatorCreationException("no key");
        });
        assertEquals(OCSPRespBuilder.INTERNAL_ERROR, new OCSPResp(unsigned).getStatus());
    }

    @Test
    void aHashAlgorithmNotKnownHereCannotNameThisCa() throws Exception {
        CertificateID genuine = id(GOOD);
        CertificateID odd = new CertificateID(new org.bouncycastle.asn1.ocsp.CertID(
                new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.2")),
                new DEROctetString(genuine.getIssuerNameHash()), new DEROctetString(genuine.getIssuerKeyHash()),
                new org.bouncycastle.asn1.ASN1Integer(GOOD)));
        assertInstanceOf(UnknownStatus.class, only(answer(request(null, odd))).getCertStatus());
        assertFalse(answerer.issuedHere(odd));
        assertTrue(answerer.issuedHere(id(CA.certificate, GOOD, new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1))));
    }

    @Test
    void theValidityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new OcspAnswerer(CA.certificate, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new OcspAnswerer(CA.certificate, Duration.ofMinutes(-1)));
    }

    @Test
    void serialStatusesAreConsistent() {
        assertThrows(IllegalArgumentException.class, () -> new SerialStatus(SerialStatus.State.REVOKED, null));
        assertThrows(IllegalArgumentException.class, () -> new SerialStatus(SerialStatus.State.GOOD,
                new RevokedEntry(GOOD, NOW, RevocationReason.SUPERSEDED)));
        assertEquals(RevocationReason.UNSPECIFIED, new RevokedEntry(GOOD, NOW, null).reason());
    }
}
