package org.agentnet.it.agw;

import static org.agentnet.it.agw.RelayTestSupport.awaitState;
import static org.agentnet.it.agw.RelayTestSupport.json;
import static org.agentnet.it.agw.RelayTestSupport.message;
import static org.agentnet.it.agw.RelayTestSupport.sent;
import static org.agentnet.it.agw.TwoPeeredDomains.PATIENCE;
import static org.agentnet.it.agw.TwoPeeredDomains.eventually;
import static org.agentnet.it.agw.TwoPeeredDomains.routable;
import static org.agentnet.it.agw.RelayTestSupport.verifiedClaims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.Optional;
import org.agentnet.it.NodeServer;
import org.agentnet.it.PeerNode;
import org.agentnet.it.agw.RelayTestSupport.Agent;
import org.agentnet.it.agw.RelayTestSupport.Endpoint;
import org.agentnet.it.agw.RelayTestSupport.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Relay forwarding between two domains (draft 3.4.4; docs/agw.md "Relay"): the build's node A
 * (local.agentnet) and a peer node B (b.example), each with its own database and ACA, trusting each
 * other's CA and peered through their gateways. An agent of A sends to an agent of B by its ID through
 * both gateways: it arrives once, signed by the sender, and A learns of the delivery by B's receipt;
 * the reply comes back the same way; a pulling agent of B takes its message from its inbox; a peer
 * repeating a relayed message gets success without a second delivery; while B is down, messages for
 * its agents are refused at once (409 target-unreachable), nothing stored.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayTwoDomainsIT {


    private static TwoPeeredDomains domains;
    private static PeerNode b;
    private static Gateway gatewayA;
    private static Gateway gatewayB;
    private static String peerBAtA;

    @BeforeAll
    static void twoPeeredDomains() {
        domains = TwoPeeredDomains.start("rb");
        b = domains.b;
        gatewayA = domains.gatewayA;
        gatewayB = domains.gatewayB;
        peerBAtA = domains.peerBAtA;
    }

    @AfterAll
    static void separate() {
        if (domains != null) {
            domains.close();
        }
    }

    @Test
    @Order(1)
    void anAgentOfASendsToAnAgentOfBAndTheReplyComesBack() throws Exception {
        try (Endpoint alicesEndpoint = Endpoint.start(); Endpoint bobsEndpoint = Endpoint.start()) {
            Agent alice = RelayTestSupport.agent(gatewayA, "alice", alicesEndpoint.address());
            Agent bob = RelayTestSupport.agent(gatewayB, "bob", bobsEndpoint.address());
            JsonObject route = routable(gatewayA, bob.id());
            assertEquals("PEER", route.getString("kind"));
            assertEquals(peerBAtA, route.getJsonObject("peer").getString("id"));
            assertEquals("b.example", route.getJsonObject("peer").getString("domain"));

            // A -> B by agent ID, through both gateways
            JsonObject question = message(bob.id(), "dinner at eight?").build();
            String id = sent(alice, question);
            JsonObject atA = awaitState(alice, id, "DELIVERED", PATIENCE); // FORWARDED, then B's receipt
            assertEquals(peerBAtA, atA.getString("hop"));
            assertTrue(atA.containsKey("forwardedAt") && atA.containsKey("deliveredAt"), atA.toString());
            eventually("delivered to bob", () -> Optional.of(bobsEndpoint.count(id)).filter(n -> n > 0));
            assertEquals(1, bobsEndpoint.count(id));
            JsonObject document = bobsEndpoint.received.get(0);
            assertEquals(alice.uri(), document.getJsonObject("sender").getString("agentUri"));
            assertEquals(alice.id(), document.getJsonObject("sender").getString("agentId"));
            JsonObject signed = verifiedClaims(document, alice.issued().certificate());
            assertEquals("dinner at eight?", signed.getJsonObject("payload").getString("text"));
            assertEquals(question.getString("sessionId"), document.getString("sessionId"));
            // at B the message came from A's gateway
            JsonObject atB = json(gatewayB.asOperator(gatewayB.request(RelayTestSupport.MESSAGES + "/" + id).GET()).body());
            assertEquals("DELIVERED", atB.getString("state"));
            assertTrue(atB.getString("receivedFrom").startsWith("agw://local.agentnet/"), atB.toString());

            // the reply: B -> A, in the same session
            routable(gatewayB, alice.id());
            String reply = sent(bob, message(alice.id(), "yes").add("sessionId", question.getString("sessionId")).build());
            awaitState(bob, reply, "DELIVERED", PATIENCE);
            eventually("reply delivered to alice", () -> Optional.of(alicesEndpoint.count(reply)).filter(n -> n > 0));
            assertEquals(1, alicesEndpoint.count(reply));
            JsonObject answer = verifiedClaims(alicesEndpoint.received.get(0), bob.issued().certificate());
            assertEquals("yes", answer.getJsonObject("payload").getString("text"));

            // A's gateway repeats the relay of the first message (as after a lost answer): success, no second delivery
            HttpResponse<String> repeated = NodeServer.send(gatewayClientOfA(), gatewayB.request("/api/v1/agw/relay")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("messageId", id)
                            .add("senderId", alice.id()).add("senderCertificate", document.getJsonObject("sender").getString("certificateChain"))
                            .add("jws", document.getString("jws")).build().toString())).build());
            assertEquals(200, repeated.statusCode(), repeated.body());
            assertEquals("DELIVERED", json(repeated.body()).getString("state"));
            Thread.sleep(2000);
            assertEquals(1, bobsEndpoint.count(id));
        }
    }

    @Test
    @Order(2)
    void aPullingAgentOfBTakesAMessageFromAFromItsInbox() throws Exception {
        Agent alice = RelayTestSupport.agent(gatewayA, "alice", null);
        Agent carol = RelayTestSupport.agent(gatewayB, "carol", null);
        routable(gatewayA, carol.id());
        String id = sent(alice, message(carol.id(), "pull across").build());
        HttpResponse<String> polled = carol.send(gatewayB.request(AgwTestSupport.AGENTS + carol.id() + "/inbox?wait=20"));
        assertEquals(200, polled.statusCode(), polled.body());
        JsonArray items = json(polled.body()).getJsonArray("items");
        if (items.isEmpty()) { // the message was still on its way: poll once more
            items = json(carol.send(gatewayB.request(AgwTestSupport.AGENTS + carol.id() + "/inbox?wait=20")).body()).getJsonArray("items");
        }
        assertEquals(1, items.size(), items.toString());
        assertEquals("pull across", verifiedClaims(items.getJsonObject(0), alice.issued().certificate())
                .getJsonObject("payload").getString("text"));
        awaitState(alice, id, "FORWARDED", PATIENCE); // in B's inbox, not acknowledged yet
        assertEquals(204, carol.send(gatewayB.request(AgwTestSupport.AGENTS + carol.id() + "/inbox/" + id).DELETE()).statusCode());
        awaitState(alice, id, "DELIVERED", PATIENCE);
    }

    @Test
    @Order(2)
    void anEncryptedPayloadCrossesBothGatewaysUnreadAndTheTargetOfBDecryptsIt() throws Exception {
        Agent alice = RelayTestSupport.agent(gatewayA, "alice", null);
        Agent erin = RelayTestSupport.agent(gatewayB, "erin", null);
        routable(gatewayA, erin.id());
        // A's gateway fetches erin's certificate from B's gateway and checks it (chain to B's CA, revocation by B's OCSP)
        JsonObject certificate = RelayTestSupport.targetCertificate(alice, erin.id());
        assertEquals(erin.issued().certificate(), org.agentnet.it.aca.AcaTestSupport.parse(certificate.getString("certificateChain")));
        assertEquals(erin.uri(), certificate.getString("agentUri"));
        assertTrue(certificate.getString("verdictDetail").contains("OCSP"), certificate.toString());
        String secret = "{\"pin\":\"2468\"}";
        String id = sent(alice, RelayTestSupport.encryptedMessage(alice, certificate, secret).build());

        JsonArray items = JsonValue.EMPTY_JSON_ARRAY;
        for (int polls = 0; polls < 3 && items.isEmpty(); polls++) {
            HttpResponse<String> polled = erin.send(gatewayB.request(AgwTestSupport.AGENTS + erin.id() + "/inbox?wait=20"));
            assertEquals(200, polled.statusCode(), polled.body());
            assertFalse(polled.body().contains("2468"), polled.body());
            items = json(polled.body()).getJsonArray("items");
        }
        assertEquals(1, items.size(), items.toString());
        assertEquals(secret, RelayTestSupport.decrypted(items.getJsonObject(0), alice.issued().certificate(), erin));
        assertEquals(204, erin.send(gatewayB.request(AgwTestSupport.AGENTS + erin.id() + "/inbox/" + id).DELETE()).statusCode());
        awaitState(alice, id, "DELIVERED", PATIENCE);

        // a peer gateway answers for its own agents only: B's gateway does not proxy a request for A's agent to A
        HttpResponse<String> notProxied = NodeServer.send(gatewayClientOfA(),
                gatewayB.request(AgwTestSupport.AGENTS + alice.id() + "/certificate").GET().build());
        org.agentnet.it.ars.ArsTestSupport.assertProblem(notProxied, 409, "target-unreachable");
    }

    @Test
    @Order(3)
    void whileBIsDownMessagesForItsAgentsAreRefusedAtOnce() {
        Agent alice = RelayTestSupport.agent(gatewayA, "alice", null);
        Agent dave = RelayTestSupport.agent(gatewayB, "dave", null);
        routable(gatewayA, dave.id());
        b.stop();
        JsonObject route = eventually("B's agents not routable at A", () -> {
            HttpResponse<String> response = gatewayA.asOperator(gatewayA.request("/api/v1/agw/routes?agent=" + dave.id()).GET());
            return Optional.of(json(response.body()).getJsonArray("items").getJsonObject(0)).filter(r -> !r.getBoolean("applicable"));
        });
        assertTrue(route.getString("reason").contains("offline") || route.getString("reason").contains("INAPPLICABLE"), route.toString());
        String id = java.util.UUID.randomUUID().toString();
        HttpResponse<String> refused = RelayTestSupport.submit(alice,
                RelayTestSupport.sign(alice, message(dave.id(), "are you there?").add("messageId", id).build()));
        org.agentnet.it.ars.ArsTestSupport.assertProblem(refused, 409, "target-unreachable");
        org.agentnet.it.ars.ArsTestSupport.assertProblem(gatewayA.asOperator(gatewayA.request(RelayTestSupport.MESSAGES + "/" + id).GET()),
                404, "unknown-message");
    }

    /** Waits until the gateway routes to the agent through a peer, applicable; the route. */
    /** A client presenting A's own node identity (its gateway certificate), as A's gateway does. */
    private static HttpClient gatewayClientOfA() throws Exception {
        KeyStore identity = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(NodeServer.serverDir().resolve("resources/security/node-identity.p12"))) {
            identity.load(in, NodeServer.keystorePassword());
        }
        return b.client(identity, NodeServer.keystorePassword());
    }

}
