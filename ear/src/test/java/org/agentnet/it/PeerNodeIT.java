package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The further node that multi-node tests build on: a separate server with its own identity,
 * domain, keys and database, that survives being killed.
 */
class PeerNodeIT {

    private static PeerNode peer;

    @BeforeAll
    static void startPeer() {
        peer = PeerNode.create("b", 0, Map.of("AGENTNET_DOMAIN_NAME", "b.example"));
        peer.start(); // once assigned: a node that never becomes ready is still stopped afterwards
    }

    @AfterAll
    static void stopPeer() {
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void isAnotherNodeOfAnotherDomainAndComesBackAfterAKill() {
        JsonObject before = describe(peer);
        assertEquals("b.example", before.getString("domain"));
        assertEquals("b", before.getString("name"));
        JsonObject main = NodeServer.json(NodeServer.send(NodeServer.client(),
                NodeServer.request(NodeServer.https("/api/v1/node")).GET().build())).asJsonObject();
        assertNotEquals(main.getString("domain"), before.getString("domain"));

        // its own CA: not the build node's
        String peerCa = NodeServer.send(peer.client(), NodeServer.request(peer.https("/api/v1/aca/ca-certificates")).GET().build()).body();
        String mainCa = NodeServer.send(NodeServer.client(),
                NodeServer.request(NodeServer.https("/api/v1/aca/ca-certificates")).GET().build()).body();
        assertTrue(peerCa.contains("BEGIN CERTIFICATE"), peerCa);
        assertNotEquals(mainCa, peerCa);

        peer.kill();
        assertFalse(peer.isRunning());
        peer.start();
        JsonObject after = describe(peer);
        assertEquals("b.example", after.getString("domain"));
        assertTrue(Instant.parse(after.getString("startedAt")).isAfter(Instant.parse(before.getString("startedAt"))));
        String caAfterRestart = NodeServer.send(peer.client(),
                NodeServer.request(peer.https("/api/v1/aca/ca-certificates")).GET().build()).body();
        assertEquals(peerCa, caAfterRestart, "the CA key and certificate survive a crash");
    }

    private static JsonObject describe(PeerNode node) {
        HttpResponse<String> response = NodeServer.send(node.client(), NodeServer.request(node.https("/api/v1/node")).GET().build());
        assertEquals(200, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonObject();
    }
}
