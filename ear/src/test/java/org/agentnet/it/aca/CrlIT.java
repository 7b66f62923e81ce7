package org.agentnet.it.aca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.agentnet.it.NodeServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRL as relying parties get it: DER or PEM from /api/v1/aca/crl, checked by the real openssl
 * against the CA certificate the node publishes (signature, v2 fields, extensions), with the
 * cache headers of its validity window; a valid certificate passes openssl's CRL check.
 */
class CrlIT {

    private static final String CRL = "/api/v1/aca/crl";

    @TempDir
    static Path dir;

    private static HttpClient client;
    private static Path ca;

    @BeforeAll
    static void caCertificate() throws Exception {
        client = NodeServer.client();
        ca = AcaTestSupport.caChainFile(dir);
    }

    private static HttpResponse<byte[]> get(String path, String accept) {
        HttpRequest.Builder request = NodeServer.request(NodeServer.http(path)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return NodeServer.send(client, request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static X509CRL parse(byte[] der) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    }

    private static long crlNumber(byte[] der) throws Exception {
        return CRLNumber.getInstance(new X509CRLHolder(der).getExtension(Extension.cRLNumber).getParsedValue())
                .getCRLNumber().longValueExact();
    }

    @Test
    void theDerCrlVerifiesWithOpensslAgainstThePublishedCaCertificate() throws Exception {
        HttpResponse<byte[]> response = get(CRL, null);
        assertEquals(200, response.statusCode());
        assertEquals("application/pkix-crl", response.headers().firstValue("Content-Type").orElseThrow());
        Path der = dir.resolve("crl.der");
        Files.write(der, response.body());

        AcaTestSupport.OpensslRun text = AcaTestSupport.openssl(dir, "crl", "-inform", "DER", "-in", der.toString(),
                "-CAfile", ca.toString(), "-noout", "-text");
        assertEquals(0, text.exitCode(), text.all());
        assertTrue(text.err().contains("verify OK"), text.all());
        assertTrue(text.out().contains("Version 2 (0x1)"), text.out());
        assertTrue(text.out().contains("X509v3 CRL Number"), text.out());
        assertTrue(text.out().contains("X509v3 Authority Key Identifier"), text.out());
        assertTrue(text.out().contains("Next Update"), text.out());
        assertTrue(text.out().contains("Signature Algorithm: ecdsa-with-SHA256"), text.out());

        X509Certificate caCertificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(ca));
        X509CRL crl = parse(response.body());
        assertArrayEquals(caCertificate.getSubjectX500Principal().getEncoded(), crl.getIssuerX500Principal().getEncoded());
        byte[] ski = SubjectKeyIdentifier.getInstance(new JcaX509CertificateHolder(caCertificate)
                .getExtension(Extension.subjectKeyIdentifier).getParsedValue()).getKeyIdentifier();
        assertArrayEquals(ski, AuthorityKeyIdentifier.getInstance(new X509CRLHolder(response.body())
                .getExtension(Extension.authorityKeyIdentifier).getParsedValue()).getKeyIdentifier());
        assertEquals(Duration.ofDays(1), Duration.between(crl.getThisUpdate().toInstant(), crl.getNextUpdate().toInstant()),
                "agentnet.aca.crl.validity");
        assertTrue(crlNumber(response.body()) >= 1);
    }

    @Test
    void cacheHeadersFollowTheValidityWindow() throws Exception {
        HttpResponse<byte[]> response = get(CRL, null);
        assertEquals(200, response.statusCode());
        X509CRL crl = parse(response.body());
        assertEquals(crl.getThisUpdate().toInstant(), httpDate(response, "Last-Modified"));
        assertEquals(crl.getNextUpdate().toInstant(), httpDate(response, "Expires"));
        String etag = response.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.contains("crl-" + crlNumber(response.body())), etag);

        HttpResponse<byte[]> sameTag = NodeServer.send(client, NodeServer.request(NodeServer.http(CRL))
                .header("If-None-Match", etag).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, sameTag.statusCode());
        HttpResponse<byte[]> notModifiedSince = NodeServer.send(client, NodeServer.request(NodeServer.http(CRL))
                .header("If-Modified-Since", response.headers().firstValue("Last-Modified").orElseThrow()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, notModifiedSince.statusCode());
        assertEquals(0, notModifiedSince.body().length);
    }

    private static java.time.Instant httpDate(HttpResponse<?> response, String header) {
        String value = response.headers().firstValue(header).orElseThrow(() -> new AssertionError("no " + header));
        return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    @Test
    void pemOnRequestByAcceptOrByFormat() throws Exception {
        byte[] der = get(CRL, null).body();
        for (HttpResponse<byte[]> response : new HttpResponse[] {
                get(CRL, "application/x-pem-file"), get(CRL + "?format=pem", null), get(CRL + "?format=pem", "application/pkix-crl")}) {
            assertEquals(200, response.statusCode());
            assertEquals("application/x-pem-file", response.headers().firstValue("Content-Type").orElseThrow());
            String pem = new String(response.body(), java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(pem.startsWith("-----BEGIN X509 CRL-----\n"), pem);
            assertTrue(pem.endsWith("-----END X509 CRL-----\n"), pem);
            Path file = dir.resolve("crl.pem");
            Files.writeString(file, pem);
            AcaTestSupport.OpensslRun checked = AcaTestSupport.openssl(dir, "crl", "-in", file.toString(), "-CAfile", ca.toString(), "-noout");
            assertEquals(0, checked.exitCode(), checked.all());
            assertTrue(checked.err().contains("verify OK"), checked.all());
            assertEquals(crlNumber(der), crlNumber(parse(response.body()).getEncoded()), "the same CRL, in PEM");
        }
        HttpResponse<byte[]> explicitDer = get(CRL + "?format=der", "application/x-pem-file");
        assertEquals("application/pkix-crl", explicitDer.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void badFormatAndUnacceptableTypesAreProblems() {
        HttpResponse<byte[]> badFormat = get(CRL + "?format=jpeg", null);
        assertEquals(400, badFormat.statusCode());
        assertTrue(badFormat.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
        assertEquals(406, get(CRL, "application/json").statusCode());
    }

    @Test
    void aValidCertificatePassesOpensslsCrlCheck() throws Exception {
        AcaTestSupport.IssuedAgent agent = AcaTestSupport.issueAgentWithOpensslKey(dir, "crl-good", "Revocation Tests");
        Path crl = dir.resolve("good-check.pem");
        Files.write(crl, get(CRL + "?format=pem", null).body());
        AcaTestSupport.OpensslRun verified = AcaTestSupport.openssl(dir, "verify", "-crl_check", "-CAfile", ca.toString(),
                "-CRLfile", crl.toString(), agent.certificateFile().toString());
        assertEquals(0, verified.exitCode(), verified.all());
        assertTrue(verified.out().contains(": OK"), verified.all());
        assertFalse(parse(pemToDer(Files.readString(crl))).isRevoked(certificate(agent.certificateFile())));
    }

    @Test
    void theRefreshJobIsScheduledAndLeavesACrlThatIsNotDueAlone() throws Exception {
        long before = crlNumber(get(CRL, null).body());
        HttpResponse<String> job = NodeServer.send(client, NodeServer.request(NodeServer.https("/api/v1/admin/jobs/aca-crl-refresh"))
                .header("Authorization", NodeServer.adminAuthorization()).GET().build());
        assertEquals(200, job.statusCode(), job.body());
        JsonObject record = AcaTestSupport.json(job.body());
        assertEquals("PT15M", record.getString("interval"));
        assertNotNull(record.getString("nextRunAt", null));

        HttpResponse<String> run = NodeServer.send(client, NodeServer.request(NodeServer.https("/api/v1/admin/jobs/aca-crl-refresh/runs"))
                .header("Authorization", NodeServer.adminAuthorization())
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, run.statusCode(), run.body());
        assertEquals("SUCCEEDED", AcaTestSupport.json(run.body()).getString("lastOutcome"));
        assertEquals(before, crlNumber(get(CRL, null).body()), "a CRL a day long is not due after minutes");
    }

    static byte[] pemToDer(String pem) {
        return java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z0-9 ]+-----", ""));
    }

    static X509Certificate certificate(Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(Files.newInputStream(pem));
    }
}
