package org.agentnet.it.agw;

import static org.agentnet.it.agw.RelayTestSupport.awaitState;
import static org.agentnet.it.agw.RelayTestSupport.json;
import static org.agentnet.it.agw.RelayTestSupport.message;
import static org.agentnet.it.agw.RelayTestSupport.sent;
import static org.agentnet.it.ars.ArsTestSupport.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.agentnet.it.NodeServer;
import org.agentnet.it.PeerNode;
import org.agentnet.it.agw.RelayTestSupport.Agent;
import org.agentnet.it.agw.RelayTestSupport.Endpoint;
import org.agentnet.it.agw.RelayTestSupport.Gateway;
import org.agentnet.it.ars.ArsTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Cross-domain access control between two peered gateways (docs/agw.md "Access policies"): the
 * build's node A (local.agentnet) and a peer node B (b.example), each with its own database and ACA,
 * trusting each other's CA. The peering agreement admits B's agents by default, so they talk as
 * before; A's operator closes the agreement for messaging: A refuses its agents' messages to B at
 * submission, and refuses B's messages at its relay endpoint (B's message FAILS with the reason);
 * closed for discovery too, B's agents leave A's discovery; an ALLOW policy then admits one agent
 * of B, one way.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessPolicyTwoDomainsIT {

    private static final String TRUST = "/api/v1/admin/trust/ca-certificates";
    private static final String ADMIN_PEERS = "/api/v1/admin/agw/peers";
    private static final String POLICIES = "/api/v1/admin/agw/policies";
    private static final String AGREEMENT_B = POLICIES + "/peer-agreements/b.example";
    private static final String ANY = "ONLINE,OFFLINE";
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static PeerNode b;
    private static Gateway gatewayA;
    private static Gateway gatewayB;
    private static String trustedAtA;
    private static String peerBAtA;
    private final List<String> policiesAtA = new ArrayList<>();

    @BeforeAll
    static void twoPeeredDomains() {
        String urlOfA = NodeServer.https("").toString();
        String baseOfB = "https://localhost:" + (Integer.parseInt(System.getProperty("it.peer.port.base", "9090")) + 1);
        b = PeerNode.create("pb", 0, Map.of(
                "AGENTNET_DOMAIN_NAME", "b.example",
                "AGENTNET_AGW_PEERS", urlOfA,
                "AGENTNET_AGW_PEER_BASE_URL", baseOfB,
                "AGENTNET_AGW_PEER_HEARTBEAT_INTERVAL", "PT2S",
                "AGENTNET_JOBS_AGW_PEER_SWEEP_INTERVAL", "PT1S"));
        b.start(); // once assigned: a node that never becomes ready is still stopped afterwards
        gatewayA = Gateway.main();
        gatewayB = Gateway.of(b);
        String nodeIdOfB = json(NodeServer.send(b.client(), NodeServer.request(b.https("/api/v1/node")).GET().build()).body()).getString("id");

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

    @AfterAll
    static void separate() {
        try {
            if (gatewayA != null) {
                gatewayA.asOperator(gatewayA.request(AGREEMENT_B).DELETE());
            }
            if (peerBAtA != null) {
                gatewayA.asOperator(gatewayA.request(ADMIN_PEERS + "/" + peerBAtA).DELETE());
            }
            if (trustedAtA != null) {
                gatewayA.asOperator(gatewayA.request(TRUST + "/" + trustedAtA).DELETE());
            }
        } finally {
            if (b != null) {
                b.close();
            }
        }
    }

    @AfterEach
    void openTheAgreementAgain() {
        gatewayA.asOperator(gatewayA.request(AGREEMENT_B).DELETE());
        for (String id : policiesAtA) {
            gatewayA.asOperator(gatewayA.request(POLICIES + "/" + id).DELETE());
        }
    }

    @Test
    @Order(1)
    void peeredDomainsTalkUnderTheDefaultAgreement() throws Exception {
        try (Endpoint bobsEndpoint = Endpoint.start()) {
            Agent alice = RelayTestSupport.agent(gatewayA, ArsTestSupport.unique("alice"), null);
            Agent bob = RelayTestSupport.agent(gatewayB, ArsTestSupport.unique("bob"), bobsEndpoint.address());
            routable(gatewayA, bob.id());

            awaitState(alice, sent(alice, message(bob.id(), "hello b").build()), "DELIVERED", PATIENCE);
            assertTrue(discoveredAtA(alice, bob).contains(bob.id()), "B's agent is discoverable at A");

            JsonObject agreement = agreementAtA();
            assertTrue(agreement.getBoolean("established"), agreement.toString());
            assertFalse(agreement.getBoolean("explicit"));
            assertTrue(agreement.getBoolean("discovery") && agreement.getBoolean("messaging"), agreement.toString());
            assertEquals("PEERING_AGREEMENT", evaluate(bob.uri(), "MESSAGE", alice.id()).getString("reason"));
        }
    }

    @Test
    @Order(2)
    void aClosedAgreementRefusesCrossDomainTrafficAtBothGateways() throws Exception {
        try (Endpoint alicesEndpoint = Endpoint.start(); Endpoint bobsEndpoint = Endpoint.start()) {
            Agent alice = RelayTestSupport.agent(gatewayA, ArsTestSupport.unique("alice"), alicesEndpoint.address());
            Agent bob = RelayTestSupport.agent(gatewayB, ArsTestSupport.unique("bob"), bobsEndpoint.address());
            routable(gatewayA, bob.id());
            routable(gatewayB, alice.id());

            setAgreementAtA(true, false);
            JsonObject agreement = agreementAtA();
            assertTrue(agreement.getBoolean("explicit") && agreement.getBoolean("discovery") && !agreement.getBoolean("messaging"),
                    agreement.toString());

            // A's agent may not message B's: refused at submission, nothing stored
            String refusedId = java.util.UUID.randomUUID().toString();
            HttpResponse<String> refused = RelayTestSupport.submit(alice,
                    RelayTestSupport.sign(alice, message(bob.id(), "closed").add("messageId", refusedId).build()));
            assertProblem(refused, 403, "access-denied");
            assertFalse(json(refused.body()).getString("detail").contains(NodeServer.https("").getHost() + ":"), refused.body());
            assertProblem(gatewayA.asOperator(gatewayA.request(RelayTestSupport.MESSAGES + "/" + refusedId).GET()), 404, "unknown-message");

            // B's agent may send (B's own policies allow it), but A refuses the hand-over: FAILED at B with the reason
            String fromBob = sent(bob, message(alice.id(), "let me in").build());
            JsonObject failed = awaitState(bob, fromBob, "FAILED", PATIENCE);
            assertTrue(failed.getString("reason").contains("access-denied") || failed.getString("reason").contains("not permitted"),
                    failed.toString());
            assertProblem(gatewayA.asOperator(gatewayA.request(RelayTestSupport.MESSAGES + "/" + fromBob).GET()), 404, "unknown-message");
            assertEquals(0, alicesEndpoint.count(fromBob));

            // discovery is still admitted
            assertTrue(discoveredAtA(alice, bob).contains(bob.id()));

            // closed for discovery too: B's agents leave A's answers, a query for B's domain is refused
            setAgreementAtA(false, false);
            assertFalse(discoveredAtA(alice, bob).contains(bob.id()));
            assertProblem(ArsTestSupport.get(alice.client(), ArsTestSupport.AGENTS + "?domain=b.example"), 403, "access-denied");
            assertProblem(ArsTestSupport.get(alice.client(), ArsTestSupport.AGENTS + "/" + bob.id()), 403, "access-denied");

            // opened again (the setting deleted): as before
            assertEquals(204, gatewayA.asOperator(gatewayA.request(AGREEMENT_B).DELETE()).statusCode());
            assertTrue(discoveredAtA(alice, bob).contains(bob.id()));
            awaitState(alice, sent(alice, message(bob.id(), "open again").build()), "DELIVERED", PATIENCE);
        }
    }

    @Test
    @Order(3)
    void anAllowPolicyAdmitsOneAgentOfAClosedPeerDomainOneWay() throws Exception {
        try (Endpoint alicesEndpoint = Endpoint.start(); Endpoint bobsEndpoint = Endpoint.start()) {
            Agent alice = RelayTestSupport.agent(gatewayA, ArsTestSupport.unique("alice"), alicesEndpoint.address());
            Agent bob = RelayTestSupport.agent(gatewayB, ArsTestSupport.unique("bob"), bobsEndpoint.address());
            Agent other = RelayTestSupport.agent(gatewayB, ArsTestSupport.unique("other"), null);
            routable(gatewayA, bob.id());
            routable(gatewayB, alice.id());
            setAgreementAtA(false, false);

            createdAtA("{\"name\":\"" + ArsTestSupport.unique("bob-may-write-alice") + "\",\"effect\":\"ALLOW\",\"actions\":[\"MESSAGE\"],"
                    + "\"subjects\":[{\"agent\":\"" + bob.uri() + "\"}],\"objects\":[{\"agentId\":\"" + alice.id() + "\"}]}");

            String fromBob = sent(bob, message(alice.id(), "allowed by policy").build());
            awaitState(bob, fromBob, "DELIVERED", PATIENCE);
            eventually("delivered to alice", () -> Optional.of(alicesEndpoint.count(fromBob)).filter(n -> n > 0));
            assertEquals("ALLOW_POLICY", evaluate(bob.uri(), "MESSAGE", alice.id()).getString("reason"));
            // another agent of B is not admitted, and the policy does not admit the way back
            String fromOther = sent(other, message(alice.id(), "me too?").build());
            awaitState(other, fromOther, "FAILED", PATIENCE);
            assertProblem(RelayTestSupport.submit(alice, RelayTestSupport.sign(alice, message(bob.id(), "back").build())),
                    403, "access-denied");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static List<String> discoveredAtA(Agent alice, Agent bob) {
        String skill = json(gatewayB.asOperator(gatewayB.request(ArsTestSupport.AGENTS + "/" + bob.id()).GET()).body())
                .getJsonArray("skills").getJsonObject(0).getString("id");
        HttpResponse<String> response = ArsTestSupport.get(alice.client(), ArsTestSupport.AGENTS + "?capability="
                + URLEncoder.encode(skill, StandardCharsets.UTF_8) + "&status=" + URLEncoder.encode(ANY, StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), response.body());
        return ArsTestSupport.ids(json(response.body()));
    }

    private static void setAgreementAtA(boolean discovery, boolean messaging) {
        HttpResponse<String> set = gatewayA.asOperator(gatewayA.request(AGREEMENT_B).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"discovery\":" + discovery + ",\"messaging\":" + messaging + "}")));
        assertEquals(200, set.statusCode(), set.body());
    }

    private static JsonObject agreementAtA() {
        HttpResponse<String> response = gatewayA.asOperator(gatewayA.request(POLICIES + "/peer-agreements").GET());
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body()).getJsonArray("items").stream().map(JsonValue::asJsonObject)
                .filter(a -> a.getString("domain").equals("b.example")).findFirst().orElseThrow(() -> new AssertionError(response.body()));
    }

    private void createdAtA(String policy) {
        HttpResponse<String> response = gatewayA.asOperator(gatewayA.request(POLICIES).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(policy)));
        assertEquals(201, response.statusCode(), response.body());
        policiesAtA.add(json(response.body()).getString("id"));
    }

    private static JsonObject evaluate(String subject, String action, String target) {
        HttpResponse<String> response = gatewayA.asOperator(gatewayA.request(POLICIES + "/evaluation").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("subject", subject).add("action", action)
                        .add("target", target).build().toString())));
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body());
    }

    /** Waits until the gateway routes to the agent, applicable; the route. */
    private static JsonObject routable(Gateway gateway, String agentId) {
        return eventually("a route to " + agentId, () -> {
            HttpResponse<String> response = gateway.asOperator(gateway.request("/api/v1/agw/routes?agent=" + agentId).GET());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(json(response.body()).getJsonArray("items").getJsonObject(0)).filter(r -> r.getBoolean("applicable"));
        });
    }

    private static List<JsonObject> peers(Gateway gateway) {
        HttpResponse<String> response = gateway.asOperator(gateway.request("/api/v1/agw/peers").GET());
        assertEquals(200, response.statusCode(), response.body());
        JsonValue value = NodeServer.json(response);
        JsonArray items = value.getValueType() == JsonValue.ValueType.ARRAY ? value.asJsonArray() : value.asJsonObject().getJsonArray("items");
        return items.stream().map(JsonValue::asJsonObject).toList();
    }

    private static <T> T eventually(String what, Supplier<Optional<T>> probe) {
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
                throw new AssertionError(e);
            }
        }
    }
}
