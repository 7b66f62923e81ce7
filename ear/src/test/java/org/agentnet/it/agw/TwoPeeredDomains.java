package org.agentnet.it.agw;

import static org.agentnet.it.agw.RelayTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.agentnet.it.NodeServer;
import org.agentnet.it.PeerNode;
import org.agentnet.it.agw.RelayTestSupport.Gateway;

/**
 * Two domains whose gateways peer, for the cross-domain tests: A is the build's node, B a
 * {@link PeerNode} of {@code b.example}; each trusts the other's CA, A's operator adds B as a peer
 * and both see the other ONLINE. Closing undoes at A what the set-up did there and stops B; a set-up
 * that fails half-way closes what it made.
 */
final class TwoPeeredDomains implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String TRUST = "/api/v1/admin/trust/ca-certificates";
    private static final String ADMIN_PEERS = "/api/v1/admin/agw/peers";

    final PeerNode b;
    final Gateway gatewayA = Gateway.main();
    Gateway gatewayB;
    String nodeIdOfB;
    String peerBAtA;
    private String trustedAtA;

    private TwoPeeredDomains(PeerNode b) {
        this.b = b;
    }

    /** Starts B as the peer node {@code name} and peers the two gateways. */
    static TwoPeeredDomains start(String name) {
        String urlOfA = NodeServer.https("").toString();
        String baseOfB = "https://localhost:" + (Integer.parseInt(System.getProperty("it.peer.port.base", "9090")) + 1);
        TwoPeeredDomains domains = new TwoPeeredDomains(PeerNode.create(name, 0, Map.of(
                "AGENTNET_DOMAIN_NAME", "b.example",
                "AGENTNET_AGW_PEERS", urlOfA,
                "AGENTNET_AGW_PEER_BASE_URL", baseOfB,
                "AGENTNET_AGW_PEER_HEARTBEAT_INTERVAL", "PT2S",
                "AGENTNET_JOBS_AGW_PEER_SWEEP_INTERVAL", "PT1S")));
        try {
            domains.peer(baseOfB);
            return domains;
        } catch (RuntimeException | Error e) {
            domains.close();
            throw e;
        }
    }

    private void peer(String baseOfB) {
        b.start();
        gatewayB = Gateway.of(b);
        nodeIdOfB = json(NodeServer.send(b.client(), NodeServer.request(b.https("/api/v1/node")).GET().build()).body()).getString("id");

        String caOfA = NodeServer.send(NodeServer.client(), gatewayA.request("/api/v1/aca/ca-certificates").GET().build()).body();
        String caOfB = NodeServer.send(b.client(), gatewayB.request("/api/v1/aca/ca-certificates").GET().build()).body();
        HttpResponse<String> trusted = gatewayA.asOperator(gatewayA.request(TRUST).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(caOfB)));
        assertEquals(201, trusted.statusCode(), trusted.body());
        trustedAtA = json(trusted.body()).getString("alias");
        HttpResponse<String> trustedAtB = gatewayB.asOperator(gatewayB.request(TRUST).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(caOfA)));
        assertEquals(201, trustedAtB.statusCode(), trustedAtB.body());
        HttpResponse<String> added = gatewayA.asOperator(gatewayA.request(ADMIN_PEERS).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("url", baseOfB).build().toString())));
        assertEquals(201, added.statusCode(), added.body());
        peerBAtA = json(added.body()).getString("id");
        eventually("B ONLINE at A", () -> peers(gatewayA).stream()
                .filter(p -> nodeIdOfB.equals(p.getString("nodeId", null)) && "ONLINE".equals(p.getString("status", null))).findFirst());
        eventually("A ONLINE at B", () -> peers(gatewayB).stream()
                .filter(p -> "ONLINE".equals(p.getString("status", null))).findFirst());
    }

    @Override
    public void close() {
        try {
            if (peerBAtA != null) {
                gatewayA.asOperator(gatewayA.request(ADMIN_PEERS + "/" + peerBAtA).DELETE());
            }
            if (trustedAtA != null) {
                gatewayA.asOperator(gatewayA.request(TRUST + "/" + trustedAtA).DELETE());
            }
        } finally {
            b.close();
        }
    }

    /** The applicable route {@code gateway} has to the agent, once it has one. */
    static JsonObject routable(Gateway gateway, String agentId) {
        return eventually("a route to " + agentId, () -> {
            HttpResponse<String> response = gateway.asOperator(gateway.request("/api/v1/agw/routes?agent=" + agentId).GET());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(json(response.body()).getJsonArray("items").getJsonObject(0)).filter(r -> r.getBoolean("applicable"));
        });
    }

    static List<JsonObject> peers(Gateway gateway) {
        HttpResponse<String> response = gateway.asOperator(gateway.request("/api/v1/agw/peers").GET());
        assertEquals(200, response.statusCode(), response.body());
        JsonValue value = NodeServer.json(response);
        JsonArray items = value.getValueType() == JsonValue.ValueType.ARRAY ? value.asJsonArray() : value.asJsonObject().getJsonArray("items");
        return items.stream().map(JsonValue::asJsonObject).toList();
    }

    static <T> T eventually(String what, Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": not within " + PATIENCE);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted", e);
            }
        }
    }
}
