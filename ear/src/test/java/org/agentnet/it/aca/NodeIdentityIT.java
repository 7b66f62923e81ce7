package org.agentnet.it.aca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.agentnet.it.NodeServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's own TLS identity: a gateway certificate from the node's ACA that HTTPS serves, which
 * the real openssl verifies against the ACA certificate with host name checking, recorded by the
 * ACA like any certificate, and renewed (new key, new serial) without a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeIdentityIT {

    private static final String IDENTITY = "/api/v1/admin/node/identity";

    @TempDir
    static Path dir;

    @Test
    @Order(1)
    void opensslVerifiesTheServedChainAndTheHostNameAgainstTheAcaCertificate() throws Exception {
        Path ca = AcaTestSupport.caChainFile(dir);
        String connect = "localhost:" + System.getProperty("it.https.port", "9443");
        AcaTestSupport.OpensslRun accepted = AcaTestSupport.openssl(dir, "s_client", "-connect", connect, "-servername", "localhost",
                "-CAfile", ca.toString(), "-verify_return_error", "-verify_hostname", "localhost");
        assertEquals(0, accepted.exitCode(), accepted.all());
        assertTrue(accepted.all().contains("Verify return code: 0 (ok)"), accepted.all());

        AcaTestSupport.OpensslRun otherName = AcaTestSupport.openssl(dir, "s_client", "-connect", connect, "-servername", "localhost",
                "-CAfile", ca.toString(), "-verify_return_error", "-verify_hostname", "not-this-node.example");
        assertNotEquals(0, otherName.exitCode(), "a name the certificate does not carry must fail: " + otherName.all());

        Path otherCa = Files.writeString(dir.resolve("other-ca.pem"),
                AcaTestSupport.issueAgent("not-a-ca-" + System.nanoTime(), "Identity Tests").pem());
        AcaTestSupport.OpensslRun wrongAnchor = AcaTestSupport.openssl(dir, "s_client", "-connect", connect, "-servername", "localhost",
                "-CAfile", otherCa.toString(), "-verify_return_error");
        assertNotEquals(0, wrongAnchor.exitCode(), "the chain must not verify against another anchor: " + wrongAnchor.all());
    }

    @Test
    @Order(2)
    void httpsServesTheNodeIdentityAGatewayCertificateRecordedByTheAca() throws Exception {
        JsonObject identity = identity();
        assertEquals("ACA", identity.getString("source"));
        JsonObject certificate = identity.getJsonObject("certificate");
        String uri = identity.getString("uri");
        assertTrue(uri.startsWith("agw://local.agentnet/"), uri);
        assertEquals(List.of(uri), certificate.getJsonArray("uris").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());
        assertTrue(certificate.getJsonArray("dnsNames").toString().contains("\"localhost\""), certificate.toString());

        X509Certificate served = served();
        assertEquals(certificate.getString("serialNumber"), served.getSerialNumber().toString(16));
        assertTrue(served.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")),
                "TLS server and client: " + served.getExtendedKeyUsage());
        assertTrue(served.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("127.0.0.1")));
        assertEquals(NodeServer.caCertificates().get(0).getSubjectX500Principal(), served.getIssuerX500Principal());

        HttpResponse<String> status = NodeServer.send(NodeServer.client(), NodeServer.request(
                NodeServer.https("/api/v1/aca/certificates/" + served.getSerialNumber().toString(16))).GET().build());
        assertEquals(200, status.statusCode(), status.body());
        assertEquals("VALID", AcaTestSupport.json(status.body()).getString("status"));
        assertEquals(uri, AcaTestSupport.json(status.body()).getString("agentUri"));
    }

    @Test
    @Order(3)
    void aRenewalIsServedWithoutARestartAndTheNodeStaysReady() throws Exception {
        String before = identity().getJsonObject("certificate").getString("serialNumber");
        HttpResponse<String> renewed = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(IDENTITY + "/renewal"))
                .header("Authorization", NodeServer.adminAuthorization())
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, renewed.statusCode(), renewed.body());
        String after = AcaTestSupport.json(renewed.body()).getJsonObject("certificate").getString("serialNumber");
        assertNotEquals(before, after);

        // Liberty polls the key store every 5 s; a new client per attempt (no resumed session)
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String served = "";
        while (Instant.now().isBefore(deadline) && !served.equals(after)) {
            Thread.sleep(500);
            served = served().getSerialNumber().toString(16);
        }
        assertEquals(after, served, "HTTPS serves the renewed certificate");
        HttpResponse<String> ready = NodeServer.send(NodeServer.client(),
                NodeServer.request(NodeServer.https("/health/ready")).GET().build());
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains(after), "readiness confirmed the renewed certificate: " + ready.body());
    }

    private static JsonObject identity() {
        HttpResponse<String> response = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(IDENTITY))
                .header("Authorization", NodeServer.adminAuthorization()).GET().build());
        assertEquals(200, response.statusCode(), response.body());
        return AcaTestSupport.json(response.body());
    }

    /** The certificate HTTPS serves, over a new connection verified against the node's CA and host name. */
    private static X509Certificate served() throws Exception {
        HttpClient client = NodeServer.client();
        HttpResponse<String> response = NodeServer.send(client, NodeServer.request(NodeServer.https("/api/v1/node")).GET().build());
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }
}
