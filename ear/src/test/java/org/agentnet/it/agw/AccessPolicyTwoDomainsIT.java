package org.agentnet.it.agw;

import static org.agentnet.it.agw.RelayTestSupport.awaitState;
import static org.agentnet.it.agw.RelayTestSupport.json;
import static org.agentnet.it.agw.RelayTestSupport.message;
import static org.agentnet.it.agw.RelayTestSupport.sent;
import static org.agentnet.it.agw.TwoPeeredDomains.PATIENCE;
import static org.agentnet.it.agw.TwoPeeredDomains.eventually;
import static org.agentnet.it.agw.TwoPeeredDomains.routable;
import static org.agentnet.it.ars.ArsTestSupport.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.agentnet.it.NodeServer;
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

    private static final String POLICIES = "/api/v1/admin/agw/policies";
    private static final String AGREEMENT_B = POLICIES + "/peer-agreements/b.example";
    private static final String ANY = "ONLINE,OFFLINE";

    private static TwoPeeredDomains domains;
    private static Gateway gatewayA;
    private static Gateway gatewayB;
    private static String peerBAtA;
    private final List<String> policiesAtA = new ArrayList<>();

    @BeforeAll
    static void twoPeeredDomains() {
        domains = TwoPeeredDomains.start("pb");
        gatewayA = domains.gatewayA;
        gatewayB = domains.gatewayB;
        peerBAtA = domains.peerBAtA;
    }

    @AfterAll
    static void separate() {
        if (domains == null) {
            return;
        }
        try {
            gatewayA.asOperator(gatewayA.request(AGREEMENT_B).DELETE());
        } finally {
            domains.close();
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
}
