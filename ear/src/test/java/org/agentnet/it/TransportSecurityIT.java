package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * Encryption in transit (docs/security.md "TLS"): the HTTPS listener speaks TLS 1.2 and 1.3 only,
 * with forward-secret AEAD suites only - checked with the real {@code openssl s_client} (a Debian
 * package on the project's machines; a missing openssl fails the test) and a JDK client - and the
 * plain HTTP listener serves no agent, peer or operator API: every operation of the node's OpenAPI
 * document, called over HTTP, is refused with 403 https-required (operator paths are redirected to
 * HTTPS by the container before any credentials are asked for), except the public documents.
 */
class TransportSecurityIT {

    /** Served over plain HTTP too (PlainHttpFilter): the ACA's signed documents, the node's description, the caller. */
    static final Set<String> PUBLIC_OVER_HTTP = Set.of(
            "GET /api/v1/node", "GET /api/v1/caller", "GET /api/v1/aca/ca-certificates", "GET /api/v1/aca/crl",
            "POST /api/v1/aca/ocsp", "GET /api/v1/aca/ocsp/{request}");

    private final int httpsPort = NodeServer.https("/").getPort();

    @Test
    void tlsBelow12IsRefused() throws Exception {
        Run tls11 = sClient("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
        assertHandshakeRefused(tls11);
        Run tls10 = sClient("-tls1", "-cipher", "DEFAULT:@SECLEVEL=0");
        assertHandshakeRefused(tls10);
    }

    @Test
    void weakTls12SuitesAreRefused() throws Exception {
        for (String weak : List.of("ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-ECDSA-AES128-SHA",
                "ECDHE-RSA-AES128-SHA256", "AES128-GCM-SHA256", "AES256-SHA256")) {
            assertHandshakeRefused(sClient("-tls1_2", "-cipher", weak));
        }
        // the same with the JDK's client: a CBC suite the JDK itself would offer by default
        SSLContext tls = trustingTheNode();
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", httpsPort)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"});
            assertThrows(SSLHandshakeException.class, socket::startHandshake);
        }
    }

    @Test
    void strongTls12SuitesAndTls13Succeed() throws Exception {
        for (String strong : List.of("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                "ECDHE-ECDSA-CHACHA20-POLY1305")) {
            Run run = sClient("-tls1_2", "-cipher", strong);
            assertTrue(run.out().contains("New, TLSv1.2, Cipher is " + strong), strong + ": " + run.out() + run.err());
            assertTrue(run.out().contains("Verify return code: 0 (ok)"), run.out());
        }
        for (String suite : List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")) {
            Run run = sClient("-tls1_3", "-ciphersuites", suite);
            assertTrue(run.out().contains("New, TLSv1.3, Cipher is " + suite), suite + ": " + run.out() + run.err());
        }
        // the JDK's client with its defaults negotiates TLS 1.3
        try (SSLSocket socket = (SSLSocket) trustingTheNode().getSocketFactory().createSocket("localhost", httpsPort)) {
            socket.startHandshake();
            assertEquals("TLSv1.3", socket.getSession().getProtocol());
        }
    }

    @Test
    void noAgentPeerOrOperatorApiIsServedOverPlainHttp() {
        List<String> checked = new ArrayList<>();
        for (NodeEndpoints.Endpoint endpoint : NodeEndpoints.all()) {
            if (PUBLIC_OVER_HTTP.contains(endpoint.key())) {
                continue;
            }
            String path = endpoint.expand(name -> "x1");
            HttpRequest.Builder request = NodeServer.request(NodeServer.http(path));
            HttpRequest.BodyPublisher body = endpoint.takesBody()
                    ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody();
            request.method(endpoint.method(), body).header("Content-Type", "application/json");
            HttpResponse<String> response = NodeServer.send(NodeServer.client(), request.build());
            if (endpoint.path().startsWith("/api/v1/admin/")) {
                // web.xml CONFIDENTIAL: the container sends the client to HTTPS before asking for credentials
                assertTrue(response.statusCode() == 302 || response.statusCode() == 307 || response.statusCode() == 303,
                        endpoint + " over http: " + response.statusCode() + " " + response.body());
                URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
                assertEquals("https", location.getScheme(), endpoint + " redirected to " + location);
            } else {
                assertEquals(403, response.statusCode(), endpoint + " over http: " + response.body());
                assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""), endpoint.key());
                JsonObject problem = NodeServer.json(response).asJsonObject();
                assertEquals("https://agentnet.org/problems/https-required", problem.getString("type"), endpoint.key());
            }
            checked.add(endpoint.key());
        }
        assertTrue(checked.size() > 40, "every operation but the public ones: " + checked);
        assertTrue(checked.contains("POST /api/v1/agw/messages") && checked.contains("POST /api/v1/agw/relay")
                && checked.contains("GET /api/v1/ars/agents") && checked.contains("POST /api/v1/aca/applications"), checked.toString());
    }

    @Test
    void theSameApisAreServedOverHttpsAndThePublicDocumentsOverHttp() {
        // over HTTPS the agent API is reached (and refuses a caller without certificate as such, not as plain HTTP)
        HttpResponse<String> discovery = NodeServer.send(NodeServer.client(),
                NodeServer.request(NodeServer.https("/api/v1/ars/agents")).GET().build());
        assertEquals(401, discovery.statusCode(), discovery.body());
        assertTrue(discovery.body().contains("identity-not-verified"), discovery.body());

        for (String open : List.of("/health/ready", "/api/v1/node", "/api/v1/aca/ca-certificates", "/api/v1/aca/crl")) {
            HttpResponse<String> response = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.http(open)).GET().build());
            assertEquals(200, response.statusCode(), open + ": " + response.body());
        }
        // metrics need the operator role: not over plain HTTP either
        HttpResponse<String> metrics = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.http("/metrics")).GET().build());
        assertNotEquals(200, metrics.statusCode(), metrics.body());
        assertFalse(metrics.body().contains("# TYPE"), metrics.body());

        HttpResponse<String> ocsp = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.http("/api/v1/aca/ocsp"))
                .header("Content-Type", "application/ocsp-request").POST(HttpRequest.BodyPublishers.ofString("not a request")).build());
        assertEquals(200, ocsp.statusCode());
        assertEquals("application/ocsp-response", ocsp.headers().firstValue("Content-Type").orElse(""));

        // a path that walks out of a public prefix is not public
        HttpResponse<String> walk = NodeServer.send(NodeServer.client(),
                NodeServer.request(URI.create(NodeServer.http("/api/v1/aca/ocsp/").toString() + "..%2F..%2Fars%2Fagents")).GET().build());
        assertNotEquals(200, walk.statusCode(), walk.body());
        assertFalse(walk.body().contains("\"items\""), walk.body());
    }

    // ---- openssl s_client -----------------------------------------------------------------------

    private record Run(int exit, String out, String err) {
    }

    private Run sClient(String... options) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tls-it");
        Path ca = dir.resolve("ca.pem");
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : NodeServer.caCertificates()) {
            pem.append(TestPki.pem(certificate));
        }
        Files.writeString(ca, pem);
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "localhost:" + httpsPort,
                "-servername", "localhost", "-CAfile", ca.toString(), "-verify_hostname", "localhost"));
        command.addAll(List.of(options));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("openssl did not finish: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /**
     * The handshake failed, and because of the server: openssl offered what it was asked to (no
     * "no protocols available" / "no cipher match" on its side) and got an alert or no ServerHello.
     */
    private static void assertHandshakeRefused(Run run) {
        String all = run.out() + run.err();
        assertFalse(all.contains("no protocols available") || all.contains("no cipher match") || all.contains("no ciphers available"),
                "the client could not even offer it: " + all);
        assertNotEquals(0, run.exit(), all);
        assertTrue(all.contains("Cipher is (NONE)") || all.contains("alert handshake failure") || all.contains("alert protocol version"),
                all);
        assertFalse(all.matches("(?s).*New, TLSv1\\.[0-3], Cipher is [A-Z].*"), all);
    }

    private static SSLContext trustingTheNode() throws Exception {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        int n = 0;
        for (X509Certificate ca : NodeServer.caCertificates()) {
            anchors.setCertificateEntry("ca-" + n++, ca);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }
}
