package org.agentnet.it.aca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.agentnet.it.NodeServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCSP responder as the real openssl uses it (POST to -url, nonce checked, response verified
 * against the CA certificate): good for an issued certificate, unknown for a serial never issued
 * and for a certificate of another CA that has the same name; the GET form of RFC 6960
 * appendix A; malformed requests answered with malformedRequest.
 */
class OcspIT {

    private static final String OCSP = "/api/v1/aca/ocsp";

    @TempDir
    static Path dir;

    private static HttpClient client;
    private static Path ca;
    private static AcaTestSupport.IssuedAgent agent;

    @BeforeAll
    static void anIssuedCertificate() throws Exception {
        client = NodeServer.client();
        ca = AcaTestSupport.caChainFile(dir);
        agent = AcaTestSupport.issueAgentWithOpensslKey(dir, "ocsp-good", "Revocation Tests");
    }

    private static AcaTestSupport.OpensslRun ocsp(String... arguments) {
        String[] all = new String[arguments.length + 6];
        all[0] = "ocsp";
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        all[arguments.length + 1] = "-url";
        all[arguments.length + 2] = AcaTestSupport.ocspUrl();
        all[arguments.length + 3] = "-CAfile";
        all[arguments.length + 4] = ca.toString();
        all[arguments.length + 5] = "-no-CApath";
        return AcaTestSupport.openssl(dir, all);
    }

    @Test
    void anIssuedCertificateIsGood() {
        AcaTestSupport.OpensslRun result = ocsp("-issuer", ca.toString(), "-cert", agent.certificateFile().toString());
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.err().contains("Response verify OK"), result.all());
        assertFalse(result.all().contains("WARNING"), "the nonce is echoed: " + result.all());
        assertTrue(result.out().contains(agent.certificateFile() + ": good"), result.out());
        assertTrue(result.out().contains("This Update:"), result.out());
        assertTrue(result.out().contains("Next Update:"), result.out());
    }

    @Test
    void aSerialNeverIssuedIsUnknown() {
        AcaTestSupport.OpensslRun result = ocsp("-issuer", ca.toString(), "-serial", "0x1234567890abcdef1234567890abcdef");
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.err().contains("Response verify OK"), result.all());
        assertTrue(result.out().contains("0x1234567890abcdef1234567890abcdef: unknown"), result.out());
    }

    @Test
    void aCertificateOfAnotherCaWithTheSameNameAndSerialIsUnknown() throws Exception {
        X509Certificate real = CrlIT.certificate(ca);
        X509Certificate issued = CrlIT.certificate(agent.certificateFile());
        KeyPair impostorKeys = ecKeys();
        X509Certificate impostor = sign(new JcaX509v3CertificateBuilder(real.getSubjectX500Principal(), BigInteger.TEN,
                Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plus(Duration.ofDays(1))),
                real.getSubjectX500Principal(), impostorKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(impostorKeys.getPublic())), impostorKeys);
        X509Certificate twin = sign(new JcaX509v3CertificateBuilder(impostor, issued.getSerialNumber(),
                issued.getNotBefore(), issued.getNotAfter(), issued.getSubjectX500Principal(), ecKeys().getPublic()), impostorKeys);
        Path impostorPem = dir.resolve("impostor-ca.pem");
        Path twinPem = dir.resolve("twin.pem");
        Files.writeString(impostorPem, pem(impostor));
        Files.writeString(twinPem, pem(twin));

        // the answer is signed by the real CA, not by the CA the CertID names: tell openssl where
        // the signer is, and not to insist that it be the twin's issuer
        AcaTestSupport.OpensslRun result = ocsp("-issuer", impostorPem.toString(), "-cert", twinPem.toString(),
                "-verify_other", ca.toString(), "-no_cert_checks");
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.err().contains("Response verify OK"), result.all());
        assertTrue(result.out().contains(twinPem + ": unknown"), result.out());

        // and the genuine certificate with that very serial is still good
        AcaTestSupport.OpensslRun genuine = ocsp("-issuer", ca.toString(), "-serial", "0x" + agent.serial());
        assertTrue(genuine.out().contains(": good"), genuine.all());
    }

    @Test
    void severalCertificatesInOneRequest() throws Exception {
        AcaTestSupport.IssuedAgent second = AcaTestSupport.issueAgentWithOpensslKey(dir, "ocsp-second", "Revocation Tests");
        AcaTestSupport.OpensslRun result = ocsp("-issuer", ca.toString(), "-cert", agent.certificateFile().toString(),
                "-cert", second.certificateFile().toString(), "-serial", "0x42");
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.out().contains(agent.certificateFile() + ": good"), result.out());
        assertTrue(result.out().contains(second.certificateFile() + ": good"), result.out());
        assertTrue(result.out().contains("0x42: unknown"), result.out());
    }

    @Test
    void getWithTheUrlEncodedBase64OfARequestMadeByOpenssl() throws Exception {
        Path request = dir.resolve("get-request.der");
        AcaTestSupport.OpensslRun made = AcaTestSupport.openssl(dir, "ocsp", "-issuer", ca.toString(), "-cert", agent.certificateFile().toString(),
                "-no_nonce", "-reqout", request.toString());
        assertEquals(0, made.exitCode(), made.all());
        String encoded = pathEncode(Base64.getEncoder().encodeToString(Files.readAllBytes(request)));
        HttpResponse<byte[]> response = NodeServer.send(client, NodeServer.request(NodeServer.http(OCSP + "/" + encoded)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("application/ocsp-response", response.headers().firstValue("Content-Type").orElseThrow());
        Path answer = dir.resolve("get-response.der");
        Files.write(answer, response.body());

        AcaTestSupport.OpensslRun checked = AcaTestSupport.openssl(dir, "ocsp", "-respin", answer.toString(), "-issuer", ca.toString(),
                "-cert", agent.certificateFile().toString(), "-no_nonce", "-CAfile", ca.toString(), "-no-CApath");
        assertEquals(0, checked.exitCode(), checked.all());
        assertTrue(checked.err().contains("Response verify OK"), checked.all());
        assertTrue(checked.out().contains(agent.certificateFile() + ": good"), checked.out());
    }

    @Test
    void getWithPlusAndEqualsEncodedOrNotAndEchoesTheNonce() throws Exception {
        // a request whose base64 has '/', '+' and '=' in it (nonce and its length are varied until it does)
        X509CertificateHolder issuer = new JcaX509CertificateHolder(CrlIT.certificate(ca));
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                issuer, new BigInteger(agent.serial(), 16));
        SecureRandom random = new SecureRandom();
        byte[] nonce = null;
        String base64 = null;
        for (int attempt = 0; attempt < 10_000 && base64 == null; attempt++) {
            nonce = new byte[8 + random.nextInt(25)];
            random.nextBytes(nonce);
            byte[] der = new OCSPReqBuilder().addRequest(id).setRequestExtensions(new Extensions(new Extension(
                    OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce).getEncoded()))).build().getEncoded();
            String candidate = Base64.getEncoder().encodeToString(der);
            if (candidate.indexOf('/') >= 0 && candidate.indexOf('+') >= 0 && candidate.endsWith("=")) {
                base64 = candidate;
            }
        }
        assertTrue(base64 != null, "no request with '/', '+' and '=' in its base64");

        for (String path : new String[] {pathEncode(base64), base64}) {
            HttpResponse<byte[]> response = NodeServer.send(client, NodeServer.request(NodeServer.http(OCSP + "/" + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode(), path);
            OCSPResp answer = new OCSPResp(response.body());
            assertEquals(OCSPRespBuilder.SUCCESSFUL, answer.getStatus(), path);
            BasicOCSPResp basic = (BasicOCSPResp) answer.getResponseObject();
            assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer)));
            assertEquals(CertificateStatus.GOOD, basic.getResponses()[0].getCertStatus(), path);
            assertArrayEquals(new DEROctetString(nonce).getEncoded(),
                    basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets(), path);
        }
    }

    @Test
    void malformedRequestsGetMalformedRequestNotAnError() throws Exception {
        HttpResponse<byte[]> garbage = NodeServer.send(client, NodeServer.request(NodeServer.http(OCSP))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofString("this is not DER")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, garbage.statusCode());
        assertEquals("application/ocsp-response", garbage.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, new OCSPResp(garbage.body()).getStatus());
        Path answer = dir.resolve("malformed.der");
        Files.write(answer, garbage.body());
        AcaTestSupport.OpensslRun shown = AcaTestSupport.openssl(dir, "ocsp", "-respin", answer.toString(), "-resp_text", "-noverify");
        assertTrue(shown.all().contains("malformedrequest"), shown.all());

        HttpResponse<byte[]> empty = NodeServer.send(client, NodeServer.request(NodeServer.http(OCSP))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, empty.statusCode());
        assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, new OCSPResp(empty.body()).getStatus());

        HttpResponse<byte[]> notBase64 = NodeServer.send(client, NodeServer.request(NodeServer.http(OCSP + "/not%20base64%21")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, notBase64.statusCode());
        assertEquals(OCSPRespBuilder.MALFORMED_REQUEST, new OCSPResp(notBase64.body()).getStatus());

        HttpResponse<String> wrongType = NodeServer.send(client, NodeServer.request(NodeServer.http(OCSP))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(415, wrongType.statusCode(), wrongType.body());
    }

    @Test
    void aCertIdWithSha256IsAnsweredToo() throws Exception {
        AcaTestSupport.OpensslRun result = ocsp("-sha256", "-issuer", ca.toString(), "-cert", agent.certificateFile().toString());
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.out().contains(agent.certificateFile() + ": good"), result.out());
    }

    @Test
    void unknownIsAlsoWhatTheResponseSaysInAsn1() throws Exception {
        X509CertificateHolder issuer = new JcaX509CertificateHolder(CrlIT.certificate(ca));
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                issuer, BigInteger.valueOf(0x7777));
        HttpResponse<byte[]> response = NodeServer.send(client, NodeServer.request(NodeServer.http(OCSP))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new OCSPReqBuilder().addRequest(id).build().getEncoded())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(response.body()).getResponseObject();
        assertInstanceOf(UnknownStatus.class, basic.getResponses()[0].getCertStatus());
        assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElseThrow());
    }

    /**
     * The URL encoding of RFC 6960 appendix A.1, except for '/': Liberty's web container refuses
     * an encoded slash (%2F) in a path with 400 before any application sees the request (unless
     * the server sets webContainer skipEncodedCharVerification), so clients must leave it as is.
     */
    private static String pathEncode(String base64) {
        return URLEncoder.encode(base64, StandardCharsets.US_ASCII).replace("%2F", "/");
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
