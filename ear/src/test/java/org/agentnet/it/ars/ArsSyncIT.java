package org.agentnet.it.ars;

import static org.agentnet.it.ars.ArsTestSupport.AGENTS;
import static org.agentnet.it.ars.ArsTestSupport.assertProblem;
import static org.agentnet.it.ars.ArsTestSupport.delete;
import static org.agentnet.it.ars.ArsTestSupport.profile;
import static org.agentnet.it.ars.ArsTestSupport.put;
import static org.agentnet.it.ars.ArsTestSupport.query;
import static org.agentnet.it.ars.ArsTestSupport.registered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.agentnet.it.NodeServer;
import org.agentnet.it.PeerNode;
import org.agentnet.it.aca.AcaTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * ARS-ARS synchronization between two nodes of two domains, each with its own database and ACA,
 * that trust each other's CA (docs/ars.md "Synchronization"): the build's node A and a peer node
 * B. Agents register at A; B's discovery finds them with A's domain and gateway address, sees
 * their changes and deregistrations, and catches up after being down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArsSyncIT {

    private static final String PEERS = "/api/v1/admin/ars/peers";
    private static final String TRUST = "/api/v1/admin/trust/ca-certificates";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static PeerNode b;
    private static String trustedAtA;
    private static String peerAtA;
    private static String nodeIdOfA;

    @BeforeAll
    static void twoDomainsThatTrustEachOther() {
        String urlOfA = NodeServer.https("").toString();
        b = PeerNode.create("b", 0, Map.of(
                "AGENTNET_DOMAIN_NAME", "b.example",
                "AGENTNET_ARS_SYNC_PEERS", urlOfA,
                "AGENTNET_JOBS_ARS_SYNC_INTERVAL", "PT30S", // changes must arrive by notification, not by this timer
                "AGENTNET_JOBS_ARS_ANTI_ENTROPY_INTERVAL", "PT20S"));
        b.start(); // once assigned: a node that never becomes ready is still stopped afterwards
        nodeIdOfA = NodeServer.json(NodeServer.send(NodeServer.client(),
                NodeServer.request(NodeServer.https("/api/v1/node")).GET().build())).asJsonObject().getString("id");

        // each trusts the other's CA; B already has A as a configured peer, A adds B as an operator would
        String caOfA = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https("/api/v1/aca/ca-certificates")).GET().build()).body();
        String caOfB = NodeServer.send(b.client(), NodeServer.request(b.https("/api/v1/aca/ca-certificates")).GET().build()).body();
        HttpResponse<String> trusted = asOperatorOfA(NodeServer.request(NodeServer.https(TRUST))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(caOfB)));
        assertEquals(201, trusted.statusCode(), trusted.body());
        trustedAtA = NodeServer.json(trusted).asJsonObject().getString("alias");
        HttpResponse<String> trustedAtB = asOperatorOfB(NodeServer.request(b.https(TRUST))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(caOfA)));
        assertEquals(201, trustedAtB.statusCode(), trustedAtB.body());
        HttpResponse<String> added = asOperatorOfA(NodeServer.request(NodeServer.https(PEERS))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("url", b.https("").toString()).build().toString())));
        assertEquals(201, added.statusCode(), added.body());
        peerAtA = NodeServer.json(added).asJsonObject().getString("id");

        // Liberty takes up a changed truststore within seconds: until then pulls fail, then succeed
        JsonObject peerOfB = eventually("B pulls A's feed", () -> peersOfB().stream()
                .filter(peer -> peer.getString("url").equals(urlOfA) && peer.containsKey("lastSuccessAt") && !peer.containsKey("lastError"))
                .findFirst());
        assertEquals(nodeIdOfA, peerOfB.getString("nodeId"));
        assertEquals("local.agentnet", peerOfB.getString("domain"));
    }

    @AfterAll
    static void separate() {
        try {
            if (peerAtA != null) {
                asOperatorOfA(NodeServer.request(NodeServer.https(PEERS + "/" + peerAtA)).DELETE());
            }
            if (trustedAtA != null) {
                asOperatorOfA(NodeServer.request(NodeServer.https(TRUST + "/" + trustedAtA)).DELETE());
            }
        } finally {
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    @Order(1)
    void anAgentRegisteredAtAIsDiscoveredAtBWithItsDomainAndGatewayButNoPrivateAddress() {
        List<Long> convergence = new ArrayList<>();
        JsonObject last = null;
        for (int i = 0; i < 5; i++) {
            AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("synced");
            String skill = ArsTestSupport.unique("sync");
            Instant registeredAt = Instant.now();
            JsonObject atA = registered(agent, profile(agent, skill));
            last = eventually("agent " + atA.getString("id") + " discoverable at B", () -> firstAtB("capability", skill));
            convergence.add(Duration.between(registeredAt, Instant.now()).toMillis());
            assertEquals(atA.getString("id"), last.getString("id"));
        }
        assertEquals("local.agentnet", last.getString("domain"));
        assertEquals(nodeIdOfA, last.getString("origin"));
        assertEquals(NodeServer.https("").toString(), last.getString("gatewayAddress"));
        assertFalse(last.containsKey("addresses") && !last.getJsonArray("addresses").isEmpty(),
                "never the agent's private endpoint: " + last);
        assertEquals("ONLINE", last.getString("status"));
        Collections.sort(convergence);
        // a figure for the note, not an assertion: timing belongs to benchmarks
        System.out.println("ARS sync A->B, registration to discoverable at B (ms, 5 agents, sorted): " + convergence);
    }

    @Test
    @Order(2)
    void updatesAndDeregistrationsAtAReachB() {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("changing");
        String skill = ArsTestSupport.unique("change");
        JsonObject atA = registered(agent, profile(agent, skill));
        String id = atA.getString("id");
        eventually("registered agent at B", () -> firstAtB("capability", skill));

        String newSkill = ArsTestSupport.unique("changed");
        HttpResponse<String> updated = put(agent.mtlsClient(), AGENTS + "/" + id, "\"" + atA.getJsonNumber("revision") + "\"",
                profile(agent, newSkill).build());
        assertEquals(200, updated.statusCode(), updated.body());
        eventually("updated skills at B", () -> firstAtB("capability", newSkill));
        eventually("old skill gone at B", () -> firstAtB("capability", skill).isEmpty() ? Optional.of(true) : Optional.empty());

        // a synchronized record is changed at its origin only
        JsonObject synced = eventually("updated skills at B", () -> firstAtB("capability", newSkill));
        assertProblem(asOperatorOfB(NodeServer.request(b.https(AGENTS + "/" + id))
                .header("Content-Type", "application/json").header("If-Match", "\"" + synced.getJsonNumber("revision") + "\"")
                .PUT(HttpRequest.BodyPublishers.ofString(profile(agent, "rewritten").build().toString()))), 409, "invalid-state");

        assertEquals(204, delete(agent.mtlsClient(), AGENTS + "/" + id, null).statusCode());
        eventually("deregistered agent gone from B's discovery",
                () -> firstAtB("capability", newSkill).isEmpty() ? Optional.of(true) : Optional.empty());
        HttpResponse<String> profileAtB = asOperatorOfB(NodeServer.request(b.https(AGENTS + "/" + id)).GET());
        assertEquals(200, profileAtB.statusCode(), profileAtB.body());
        assertEquals("DEREGISTERED", NodeServer.json(profileAtB).asJsonObject().getString("status"));
    }

    @Test
    @Order(3)
    void bCatchesUpAfterBeingDownWhileAChanged() {
        AcaTestSupport.IssuedAgent leaving = ArsTestSupport.agent("leaving");
        String leavingSkill = ArsTestSupport.unique("leave");
        String leavingId = registered(leaving, profile(leaving, leavingSkill)).getString("id");
        eventually("agent at B before it stops", () -> firstAtB("capability", leavingSkill));

        b.stop();
        assertEquals(204, delete(leaving.mtlsClient(), AGENTS + "/" + leavingId, null).statusCode());
        AcaTestSupport.IssuedAgent arriving = ArsTestSupport.agent("arriving");
        String arrivingSkill = ArsTestSupport.unique("arrive");
        String arrivingId = registered(arriving, profile(arriving, arrivingSkill)).getString("id");
        b.start();

        assertEquals(arrivingId, eventually("registered while B was down", () -> firstAtB("capability", arrivingSkill)).getString("id"));
        eventually("deregistered while B was down", () -> firstAtB("capability", leavingSkill).isEmpty() ? Optional.of(true) : Optional.empty());
    }

    @Test
    @Order(4)
    void bHoldsExactlyWhatAsFeedHoldsAndAFullResyncChangesNothing() {
        JsonObject digestOfA = NodeServer.json(asOperatorOfA(NodeServer.request(NodeServer.https("/api/v1/ars/changes/digest")).GET()))
                .asJsonObject();
        JsonObject peerOfB = eventually("B caught up with A", () -> peersOfB().stream()
                .filter(peer -> nodeIdOfA.equals(peer.getString("nodeId", null))
                        && peer.getJsonNumber("appliedSeq").longValue() >= digestOfA.getJsonNumber("latest").longValue())
                .findFirst());
        HttpResponse<String> resync = asOperatorOfB(NodeServer.request(b.https(PEERS + "/" + peerOfB.getString("id") + "/resync"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, resync.statusCode(), resync.body());
        JsonObject result = NodeServer.json(resync).asJsonObject();
        assertTrue(result.getBoolean("caughtUp"), resync.body());
        assertFalse(result.containsKey("error"), resync.body());
        assertTrue(result.getInt("changes") >= digestOfA.getJsonNumber("count").intValue(),
                "a full resync reads every entry of A's feed: " + resync.body() + " vs " + digestOfA);
        JsonObject after = peersOfB().stream().filter(p -> p.getString("id").equals(peerOfB.getString("id"))).findFirst().orElseThrow();
        assertEquals(peerOfB.getInt("fullResyncs") + 1, after.getInt("fullResyncs"));
    }

    @Test
    @Order(5)
    void onlyPeersMayReadTheFeedOrNotify() {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("nosy");
        assertProblem(ArsTestSupport.get(agent.mtlsClient(), "/api/v1/ars/changes/digest"), 403, "wrong-certificate-role");
        HttpResponse<String> notification = NodeServer.send(agent.mtlsClient(), NodeServer.request(NodeServer.https("/api/v1/ars/changes/notifications"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"x\"}")).build());
        assertProblem(notification, 403, "wrong-certificate-role");
        // a gateway of A's own domain that is no ARS peer of A
        HttpClient stranger = ArsTestSupport.gateway("stranger").mtlsClient();
        HttpResponse<String> unknown = NodeServer.send(stranger, NodeServer.request(NodeServer.https("/api/v1/ars/changes/notifications"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"nobody\"}")).build());
        assertProblem(unknown, 404, "unknown-peer");
        assertProblem(asOperatorOfA(NodeServer.request(NodeServer.https(PEERS)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://plain.example\"}"))), 400, "validation-failed");
        assertProblem(asOperatorOfA(NodeServer.request(NodeServer.https(PEERS)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + b.https("") + "\"}"))), 409, "conflict");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static Optional<JsonObject> firstAtB(String field, String value) {
        HttpResponse<String> response = asOperatorOfB(NodeServer.request(b.https(AGENTS + query(field, value))).GET());
        assertEquals(200, response.statusCode(), response.body());
        JsonArray items = NodeServer.json(response).asJsonObject().getJsonArray("items");
        return items.isEmpty() ? Optional.empty() : Optional.of(items.getJsonObject(0));
    }

    private static List<JsonObject> peersOfB() {
        HttpResponse<String> response = asOperatorOfB(NodeServer.request(b.https(PEERS)).GET());
        assertEquals(200, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonArray().getValuesAs(JsonObject.class);
    }

    private static <T> T eventually(String what, Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            Optional<T> result = probe.get();
            if (result.isPresent()) {
                return result.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": not within " + PATIENCE + "; B's peers: " + peersOfB());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static HttpResponse<String> asOperatorOfA(HttpRequest.Builder request) {
        return NodeServer.send(NodeServer.client(), request.header("Authorization", NodeServer.adminAuthorization()).build());
    }

    private static HttpResponse<String> asOperatorOfB(HttpRequest.Builder request) {
        return NodeServer.send(b.client(), request.header("Authorization", b.adminAuthorization()).build());
    }
}
