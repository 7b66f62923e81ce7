package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The trust bundle API with a real client-certificate handshake: a client certificate of another
 * domain's CA is refused as untrusted, accepted once an operator adds that CA, and refused again
 * (by the application's verdict at once) after the CA is removed. The node's own ACA stays.
 */
public class TrustBundleIT {

    static final String BUNDLE = "/api/v1/admin/trust/ca-certificates";

    @Test
    void aForeignClientCertificateIsTrustedWhileItsCaIsInTheBundle() throws Exception {
        try (TestPki foreign = TestPki.withCrl("CN=Foreign Domain CA " + System.nanoTime() + ",O=foreign.example")) {
            KeyPair keys = TestPki.ecKeys();
            X509Certificate agent = foreign.client("CN=foreign-agent,O=foreign.example", keys);
            HttpClient agentClient = NodeServer.client(TestPki.keyStore(keys, agent), TestPki.CLIENT_PASSWORD);
            KeyPair revokedKeys = TestPki.ecKeys();
            X509Certificate revoked = foreign.client("CN=revoked-agent,O=foreign.example", revokedKeys);
            foreign.publishCrl(List.of(revoked.getSerialNumber()), Duration.ofHours(1));
            KeyPair unknownKeys = TestPki.ecKeys();
            X509Certificate withoutCrl = TestPki.certificate("CN=agent-without-crl,O=foreign.example", unknownKeys, foreign.ca,
                    foreign.caKeys, false, org.bouncycastle.asn1.x509.KeyUsage.digitalSignature,
                    Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)), null);

            String before = verdict(() -> NodeServer.client(TestPki.keyStore(keys, agent), TestPki.CLIENT_PASSWORD));
            assertTrue(before.equals("UNTRUSTED") || before.equals("NOT ACCEPTED"), before);

            HttpResponse<String> added = post(TestPki.pem(foreign.ca));
            assertEquals(201, added.statusCode(), added.body());
            JsonObject entry = NodeServer.json(added).asJsonObject();
            assertEquals("CONFIGURED", entry.getString("origin"));
            String alias = entry.getString("alias");
            assertTrue(added.headers().firstValue("Location").orElseThrow().endsWith(BUNDLE + "/" + alias));
            HttpResponse<String> again = post(TestPki.pem(foreign.ca));
            assertEquals(200, again.statusCode(), "adding it again is idempotent: " + again.body());
            assertEquals(alias, NodeServer.json(again).asJsonObject().getString("alias"));

            // Liberty reads the truststore within 5 s; a new TLS session per attempt
            assertEquals("VALID", awaitVerdict(() -> NodeServer.client(TestPki.keyStore(keys, agent), TestPki.CLIENT_PASSWORD),
                    "VALID"::equals));
            // revocation by the other domain's CRL (fetched from its distribution point, verified, cached)
            assertEquals("REVOKED", verdict(() -> NodeServer.client(TestPki.keyStore(revokedKeys, revoked), TestPki.CLIENT_PASSWORD)));
            // no way to learn the status: refused (fail closed)
            assertEquals("REVOCATION_UNKNOWN", verdict(() -> NodeServer.client(TestPki.keyStore(unknownKeys, withoutCrl),
                    TestPki.CLIENT_PASSWORD)));

            HttpResponse<String> removed = NodeServer.send(NodeServer.client(), admin(BUNDLE + "/" + entry.getString("sha256"))
                    .DELETE().build());
            assertEquals(204, removed.statusCode(), removed.body());
            // at once: the application refuses it even while Liberty may still complete the handshake
            String after = verdict(() -> agentClient);
            assertTrue(after.equals("UNTRUSTED") || after.equals("NOT ACCEPTED"), after);
            assertEquals(404, NodeServer.send(NodeServer.client(), admin(BUNDLE + "/" + alias).GET().build()).statusCode());
        }
    }

    @Test
    void theNodesOwnAcaIsListedAndCannotBeRemoved() {
        JsonObject local = list().stream().filter(e -> e.getString("origin").equals("LOCAL")).findFirst().orElseThrow();
        assertEquals("agentnet-aca", local.getString("alias"));
        assertEquals(NodeServer.caCertificates().get(0).getSubjectX500Principal().getName(), local.getString("subject"));
        HttpResponse<String> refused = NodeServer.send(NodeServer.client(), admin(BUNDLE + "/agentnet-aca").DELETE().build());
        assertEquals(409, refused.statusCode(), refused.body());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(list().stream().anyMatch(e -> e.getString("alias").equals("agentnet-aca")));
    }

    static List<JsonObject> list() {
        HttpResponse<String> response = NodeServer.send(NodeServer.client(), admin(BUNDLE).GET().build());
        assertEquals(200, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonArray().stream().map(JsonValue::asJsonObject).toList();
    }

    static HttpResponse<String> post(String pem) {
        return NodeServer.send(NodeServer.client(), admin(BUNDLE).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("pem", pem).build().toString()))
                .build());
    }

    static HttpRequest.Builder admin(String path) {
        return NodeServer.request(NodeServer.https(path)).header("Authorization", NodeServer.adminAuthorization());
    }

    /** The node's verdict on the client certificate at /api/v1/caller, or NOT ACCEPTED when TLS did not pass it on. */
    public static String verdict(java.util.function.Supplier<HttpClient> client) {
        try {
            HttpResponse<String> response = NodeServer.send(client.get(),
                    NodeServer.request(NodeServer.https("/api/v1/caller")).GET().build());
            assertEquals(200, response.statusCode(), response.body());
            JsonObject caller = NodeServer.json(response).asJsonObject();
            return caller.containsKey("clientCertificate") && !caller.isNull("clientCertificate")
                    ? caller.getJsonObject("clientCertificate").getString("verdict") : "NOT ACCEPTED";
        } catch (UncheckedIOException handshakeRefused) {
            return "NOT ACCEPTED";
        }
    }

    public static String awaitVerdict(java.util.function.Supplier<HttpClient> client, Predicate<String> expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String last = verdict(client);
        while (!expected.test(last) && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            last = verdict(client);
        }
        return last;
    }
}
