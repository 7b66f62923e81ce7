package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node's outbound mutual-TLS client, through the operator's probe: the node calls itself as a
 * peer would, verifies the served certificate (PKIX to the trust bundle, host name, revocation) and
 * is seen by the other side with its own identity, verdict VALID.
 */
class PeerProbeIT {

    private static final String PROBE = "/api/v1/admin/peers/probe";

    @Test
    void theNodeProbesItselfAndSeesItsOwnIdentityOnBothSides() {
        HttpResponse<String> identityResponse = NodeServer.send(NodeServer.client(),
                TrustBundleIT.admin("/api/v1/admin/node/identity").GET().build());
        JsonObject identity = NodeServer.json(identityResponse).asJsonObject();
        String uri = identity.getString("uri");

        JsonObject probe = probe("https://localhost:" + System.getProperty("it.https.port", "9443"));
        assertEquals("OK", probe.getString("outcome"), probe.toString());
        JsonObject peer = probe.getJsonObject("peer");
        assertEquals(uri, peer.getString("identity"));
        assertEquals("VALID", peer.getString("verdict"), peer.toString());

        JsonObject seen = probe.getJsonObject("seenByPeer").getJsonObject("clientCertificate");
        assertEquals("VALID", seen.getString("verdict"), seen.toString());
        assertEquals(List.of(uri), seen.getJsonArray("uris").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList());
        assertEquals(peer.getString("serialNumber"), seen.getString("serialNumber"), "the same certificate on both sides");
        assertTrue(probe.getJsonObject("seenByPeer").getBoolean("secure"));
    }

    @Test
    void aPeerThatDoesNotAnswerIsAFailedProbe() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        JsonObject probe = probe("https://localhost:" + closed);
        assertEquals("FAILED", probe.getString("outcome"), probe.toString());
        assertEquals("UNREACHABLE", probe.getString("failure"), probe.toString());
    }

    @Test
    void aPortThatDoesNotSpeakTlsIsAFailedProbe() {
        // the plain HTTP port does not speak TLS at all
        JsonObject probe = probe("https://localhost:" + System.getProperty("it.http.port", "9080"));
        assertEquals("FAILED", probe.getString("outcome"), probe.toString());
        assertTrue(List.of("PEER_REFUSED", "UNREACHABLE").contains(probe.getString("failure")), probe.toString());
    }

    @Test
    void badProbeRequestsAreRefused() {
        for (String body : List.of("{}", "{\"url\":\"\"}", "{\"url\":\"http://localhost:9080\"}", "{\"url\":\"not a url\"}",
                "{\"url\":\"https://localhost:9443/api/v1/node\"}", "{\"url\":\"https://user@localhost:9443\"}",
                "{\"url\":\"https://localhost:9443?x=1\"}", "{", "[]")) {
            HttpResponse<String> response = post(body);
            assertEquals(400, response.statusCode(), body + " -> " + response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), body);
        }
    }

    private static JsonObject probe(String url) {
        HttpResponse<String> response = post(Json.createObjectBuilder().add("url", url).build().toString());
        assertEquals(200, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonObject();
    }

    private static HttpResponse<String> post(String body) {
        return NodeServer.send(NodeServer.client(), TrustBundleIT.admin(PROBE).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
