package org.agentnet.it.agw;

import static org.agentnet.it.ars.ArsTestSupport.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.agentnet.it.NodeServer;
import org.agentnet.it.PeerNode;
import org.agentnet.it.TestPki;
import org.agentnet.it.aca.AcaTestSupport;
import org.agentnet.it.ars.ArsTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * AGW peering between two domains (docs/agw.md "Peering"), each node with its own database and
 * ACA, trusting each other's CA: the build's node A (domain local.agentnet) and a peer node B
 * (b.example). Both start the handshake at about the same time (B has A configured, A's operator
 * adds B); agents registered and accessed at B are discoverable at A with B's domain and gateway
 * address, their changes reach A, B going silent makes them INAPPLICABLE at A and its return
 * restores them, and a disconnection removes them. Refusals of the peer endpoints are checked too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgwPeeringIT {

    private static final String PEERS = "/api/v1/agw/peers";
    private static final String ADMIN_PEERS = "/api/v1/admin/agw/peers";
    private static final String TRUST = "/api/v1/admin/trust/ca-certificates";
    private static final String ARS_AGENTS = ArsTestSupport.AGENTS;
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    /** The peer heartbeat interval of A (ear/pom.xml) and so of B (PeerNode copies A's bootstrap properties). */
    private static final Duration B_INTERVAL = AgwTestSupport.INTERVAL;

    private static PeerNode b;
    /** The agent of B a test is about, for failure messages. */
    private static String lastAgent;
    private static String trustedAtA;
    private static String nodeIdOfA;
    private static String nodeIdOfB;
    private static String peerBAtA;

    @BeforeAll
    static void twoDomainsThatTrustEachOther() {
        String urlOfA = NodeServer.https("").toString();
        // PeerNode number 0 listens on it.peer.port.base (HTTP) and + 1 (HTTPS)
        String baseOfB = "https://localhost:" + (Integer.parseInt(System.getProperty("it.peer.port.base", "9090")) + 1);
        // B inherits the IT server's bootstrap properties (PeerNode), so its peer heartbeats are the same
        // 2 s with a 1 s sweep; its agents' heartbeat interval is made long, so that B's own agent sweep
        // changes nothing of them while B is down (test 4 is about what A does)
        b = PeerNode.create("b", 0, Map.of(
                "AGENTNET_DOMAIN_NAME", "b.example",
                "AGENTNET_AGW_PEERS", urlOfA));
        bootstrapOfB("agentnet.agw.heartbeat.interval", "PT10M");
        b.start();
        assertEquals(baseOfB, b.https("").toString());
        nodeIdOfA = nodeId(NodeServer.client(), NodeServer.https("/api/v1/node"));
        nodeIdOfB = nodeId(b.client(), b.https("/api/v1/node"));

        String caOfA = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https("/api/v1/aca/ca-certificates")).GET().build()).body();
        String caOfB = NodeServer.send(b.client(), NodeServer.request(b.https("/api/v1/aca/ca-certificates")).GET().build()).body();
        HttpResponse<String> trusted = atA(NodeServer.request(NodeServer.https(TRUST))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(caOfB)));
        assertEquals(201, trusted.statusCode(), trusted.body());
        trustedAtA = NodeServer.json(trusted).asJsonObject().getString("alias");
        HttpResponse<String> trustedAtB = atB(NodeServer.request(b.https(TRUST))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(caOfA)));
        assertEquals(201, trustedAtB.statusCode(), trustedAtB.body());

        // B tries A on its own (configured) while A's operator adds B: both sides initiate
        HttpResponse<String> added = atA(NodeServer.request(NodeServer.https(ADMIN_PEERS)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("url", baseOfB).build().toString())));
        assertEquals(201, added.statusCode(), added.body());
        peerBAtA = NodeServer.json(added).asJsonObject().getString("id");
        assertEquals(NodeServer.https(PEERS + "/" + peerBAtA).getPath(), URI.create(added.headers().firstValue("Location").orElseThrow()).getPath());
    }

    private static void bootstrapOfB(String key, String value) {
        java.nio.file.Path file = b.serverDir().resolve("bootstrap.properties");
        java.util.Properties properties = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(file)) {
            properties.load(in);
            properties.setProperty(key, value);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        try (var out = java.nio.file.Files.newBufferedWriter(file)) {
            properties.store(out, "peer node b of AgwPeeringIT");
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void separate() {
        try {
            if (peerBAtA != null) {
                atA(NodeServer.request(NodeServer.https(ADMIN_PEERS + "/" + peerBAtA)).DELETE());
            }
            if (trustedAtA != null) {
                atA(NodeServer.request(NodeServer.https(TRUST + "/" + trustedAtA)).DELETE());
            }
        } finally {
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    @Order(1)
    void peeringIsEstablishedBothWaysOncePerPeer() {
        JsonObject bAtA = eventually("B ONLINE in A's neighbor list", () -> peer(peersOfA(), nodeIdOfB, "ONLINE"));
        JsonObject aAtB = eventually("A ONLINE in B's neighbor list", () -> peer(peersOfB(), nodeIdOfA, "ONLINE"));
        assertEquals(1, peersOfA().stream().filter(p -> nodeIdOfB.equals(p.getString("nodeId", null))).count(),
                "one entry for B at A: " + peersOfA());
        assertEquals(1, peersOfB().size(), "one entry for A at B: " + peersOfB());
        assertEquals(peerBAtA, bAtA.getString("id"));
        assertEquals("b.example", bAtA.getString("domain"));
        assertEquals(b.https("").toString(), bAtA.getString("baseUrl"));
        assertTrue(bAtA.getString("gatewayUri").startsWith("agw://b.example/"), bAtA.toString());
        assertEquals("agentnet-relay/1", bAtA.getString("protocol"));
        assertTrue(bAtA.containsKey("establishedAt") && bAtA.containsKey("lastHeartbeat"), bAtA.toString());
        assertEquals("local.agentnet", aAtB.getString("domain"));
        assertEquals(NodeServer.https("").toString(), aAtB.getString("baseUrl"));
        assertTrue(aAtB.getBoolean("configured"), aAtB.toString());

        HttpResponse<String> one = atA(NodeServer.request(NodeServer.https(PEERS + "/" + peerBAtA)).GET());
        assertEquals(200, one.statusCode(), one.body());
        assertEquals(nodeIdOfB, NodeServer.json(one).asJsonObject().getString("nodeId"));
        HttpResponse<String> viaAdmin = atA(NodeServer.request(NodeServer.https(ADMIN_PEERS + "/" + peerBAtA)).GET());
        assertEquals(200, viaAdmin.statusCode(), viaAdmin.body());
        // operators only
        assertProblem(NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(PEERS)).GET().build()), 401, "unauthorized");
        assertProblem(atA(NodeServer.request(NodeServer.https(PEERS + "/no-such-peer")).GET()), 404, "unknown-peer");
        // heartbeats keep both sides ONLINE
        sleep(B_INTERVAL.multipliedBy(4));
        assertTrue(peer(peersOfA(), nodeIdOfB, "ONLINE").isPresent(), peersOfA().toString());
        assertTrue(peer(peersOfB(), nodeIdOfA, "ONLINE").isPresent(), peersOfB().toString());
    }

    @Test
    @Order(2)
    void refusedPeeringsAndBadInputAreProblemsAndStoreNothing() {
        List<JsonObject> before = peersOfA();
        String hello = hello(UUID.randomUUID().toString(), "local.agentnet", "agentnet-relay/1").build().toString();

        // an agent certificate is no gateway certificate
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("not-a-gateway");
        assertProblem(post(agent.mtlsClient(), PEERS, hello), 403, "forbidden");
        // no client certificate at all
        assertProblem(post(NodeServer.client(), PEERS, hello), 401, "identity-not-verified");
        // a certificate from a CA that is not in A's trust bundle: refused in the TLS handshake or as unverified
        try (TestPki rogue = TestPki.withCrl("CN=Rogue Gateway CA " + System.nanoTime() + ",O=rogue.example")) {
            KeyPair keys = TestPki.ecKeys();
            X509Certificate certificate = rogue.client("CN=rogue-gateway,O=rogue.example", keys);
            HttpClient client = NodeServer.client(TestPki.keyStore(keys, certificate), TestPki.CLIENT_PASSWORD);
            try {
                assertProblem(post(client, PEERS, hello), 401, "identity-not-verified");
            } catch (UncheckedIOException refusedInTheTlsHandshake) {
                // equally a refusal
            }
        }

        HttpClient gateway = gatewayOfA("stranger").mtlsClient();
        // the certificate is of local.agentnet, the handshake claims b.example
        assertProblem(post(gateway, PEERS, hello(UUID.randomUUID().toString(), "b.example", "agentnet-relay/1").build().toString()),
                403, "identity-mismatch");
        // no relay protocol in common
        assertProblem(post(gateway, PEERS, hello(UUID.randomUUID().toString(), "local.agentnet", "carrier-pigeon/9").build().toString()),
                422, "incompatible-protocol");
        // this node itself
        assertProblem(post(gateway, PEERS, hello(nodeIdOfA, "local.agentnet", "agentnet-relay/1").build().toString()), 409, "conflict");
        // malformed and invalid handshakes
        assertProblem(post(gateway, PEERS, "{not json"), 400, "malformed-body");
        assertProblem(post(gateway, PEERS, "[1,2]"), 400, "malformed-body");
        assertProblem(post(gateway, PEERS, "{}"), 400, "validation-failed");
        assertProblem(post(gateway, PEERS, hello("bad id!", "local.agentnet", "agentnet-relay/1").build().toString()), 400, "validation-failed");
        assertProblem(post(gateway, PEERS, hello(UUID.randomUUID().toString(), "local.agentnet", "agentnet-relay/1")
                .add("baseUrl", "http://plain.example:80").build().toString()), 400, "validation-failed");
        assertProblem(post(gateway, PEERS, hello(UUID.randomUUID().toString(), "local.agentnet", "agentnet-relay/1")
                .add("heartbeatInterval", 0).build().toString()), 400, "validation-failed");
        assertProblem(post(gateway, PEERS, hello(UUID.randomUUID().toString(), "local.agentnet", "agentnet-relay/1")
                .add("status", "SLEEPING").build().toString()), 400, "validation-failed");
        assertProblem(NodeServer.send(gateway, NodeServer.request(NodeServer.https(PEERS)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(hello)).build()), 415, "unsupported-media-type");

        // heartbeats and resources: only the peer itself, for a peer that exists
        String beat = Json.createObjectBuilder().add("agwId", nodeIdOfB).add("status", "ONLINE").add("heartbeatInterval", 2)
                .add("latestSeq", 0).build().toString();
        assertProblem(put(gateway, PEERS + "/" + peerBAtA + "/heartbeat", beat), 403, "identity-mismatch");
        assertProblem(put(agent.mtlsClient(), PEERS + "/" + peerBAtA + "/heartbeat", beat), 403, "forbidden");
        assertProblem(put(gateway, PEERS + "/" + UUID.randomUUID() + "/heartbeat", beat), 404, "unknown-peer");
        assertProblem(put(gateway, PEERS + "/" + peerBAtA + "/heartbeat", "{\"agwId\": 5}"), 400, "validation-failed");
        String resources = Json.createObjectBuilder().add("agwId", nodeIdOfB).add("since", 0).add("changes", Json.createArrayBuilder())
                .add("next", 0).add("latest", 0).build().toString();
        assertProblem(post(gateway, PEERS + "/" + peerBAtA + "/resources", resources), 403, "identity-mismatch");
        String outOfOrder = Json.createObjectBuilder().add("agwId", nodeIdOfB).add("since", 5)
                .add("changes", Json.createArrayBuilder().add(Json.createObjectBuilder().add("seq", 3).add("kind", "REGISTERED")
                        .add("agentId", UUID.randomUUID().toString()).add("time", Instant.now().toString())
                        .add("profile", Json.createObjectBuilder())))
                .add("next", 3).add("latest", 3).build().toString();
        assertProblem(post(gateway, PEERS + "/" + peerBAtA + "/resources", outOfOrder), 400, "validation-failed");
        assertProblem(NodeServer.send(gateway, NodeServer.request(NodeServer.https(PEERS + "/" + peerBAtA)).DELETE().build()),
                403, "identity-mismatch");

        // operators' bad input
        assertProblem(atA(NodeServer.request(NodeServer.https(ADMIN_PEERS)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://plain.example\"}"))), 400, "validation-failed");
        assertProblem(atA(NodeServer.request(NodeServer.https(ADMIN_PEERS)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"https://x.example/path\"}"))), 400, "validation-failed");
        assertProblem(atA(NodeServer.request(NodeServer.https(ADMIN_PEERS)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))), 400, "validation-failed");
        assertProblem(atA(NodeServer.request(NodeServer.https(ADMIN_PEERS)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("url", b.https("").toString()).build().toString()))),
                409, "conflict");
        assertProblem(atA(NodeServer.request(NodeServer.https(ADMIN_PEERS + "/" + UUID.randomUUID())).DELETE()), 404, "unknown-peer");

        // nothing stored, and B is still A's peer, unharmed
        List<JsonObject> after = peersOfA();
        assertEquals(before.size(), after.size(), after.toString());
        assertTrue(after.stream().noneMatch(p -> "local.agentnet".equals(p.getString("domain", null))), after.toString());
        assertTrue(peer(after, nodeIdOfB, "ONLINE").isPresent(), after.toString());
    }

    @Test
    @Order(3)
    void anAgentOfBIsDiscoverableAtAAndItsChangesReachA() {
        // the other way too: an agent registered at A is discoverable at B, with A's domain and gateway address
        AcaTestSupport.IssuedAgent homebody = ArsTestSupport.agent("homebody");
        String homeSkill = ArsTestSupport.unique("home");
        String homeId = ArsTestSupport.registered(homebody, ArsTestSupport.profile(homebody, homeSkill)).getString("id");
        JsonObject atB = eventually("A's agent discoverable at B", () -> discoverAtB(homeSkill));
        assertEquals(homeId, atB.getString("id"));
        assertEquals("local.agentnet", atB.getString("domain"));
        assertEquals(nodeIdOfA, atB.getString("origin"));
        assertEquals(NodeServer.https("").toString(), atB.getString("gatewayAddress"));

        AgentAtB agent = AgentAtB.registeredAndAccessed(b, "roaming");
        JsonObject atA = eventually("B's agent discoverable at A", () -> discoverAtA(agent.skill()));
        assertEquals(agent.id(), atA.getString("id"));
        assertEquals("b.example", atA.getString("domain"));
        assertEquals(nodeIdOfB, atA.getString("origin"));
        assertEquals(b.https("").toString(), atA.getString("gatewayAddress"));
        assertEquals("ONLINE", atA.getString("status"));
        assertFalse(atA.containsKey("addresses") && !atA.getJsonArray("addresses").isEmpty(), "never its private endpoint: " + atA);

        // temporarily offline at B: OFFLINE at A, and back
        assertEquals(204, agent.heartbeat("TEMPORARILY_OFFLINE", "maintenance").statusCode());
        eventually("OFFLINE at A", () -> Optional.of(agentAtA(agent.id())).filter(a -> "OFFLINE".equals(a.getString("status"))));
        assertTrue(discoverAtA(agent.skill()).isEmpty(), "not offered by default while offline");
        assertEquals(204, agent.heartbeat("RUNNING", null).statusCode());
        eventually("ONLINE at A again", () -> discoverAtA(agent.skill()));

        // withdrawn from B's gateway: OFFLINE at A with the reason
        assertEquals(204, agent.withdraw().statusCode());
        JsonObject withdrawn = eventually("withdrawal at A", () -> Optional.of(agentAtA(agent.id()))
                .filter(a -> "OFFLINE".equals(a.getString("status")) && a.getString("statusReason", "").contains("withdrawn")));
        assertEquals("b.example", withdrawn.getString("domain"));

        // deregistered at B's ARS: gone from A's discovery, a tombstone at A
        assertEquals(204, agent.deregister().statusCode());
        eventually("deregistration at A", () -> Optional.of(agentAtA(agent.id())).filter(a -> "DEREGISTERED".equals(a.getString("status"))));
    }

    /**
     * Heartbeat expiry reaches the peer: an agent of A that stops heartbeating is set OFFLINE by A's
     * sweep (hold time 3 x 2 s, sweep 1 s: ear/pom.xml) and B sees it OFFLINE with A's reason; one
     * heartbeat brings it back ONLINE at B too.
     */
    @Test
    @Order(3)
    void anAgentOfAThatGoesSilentIsOfflineAtBAndBackAfterAHeartbeat() {
        AgwTestSupport.Registered agent = AgwTestSupport.registered(ArsTestSupport.unique("silent"));
        JsonObject access = AgwTestSupport.accessed(agent);
        Duration hold = Duration.ofSeconds(access.getInt("holdTime"));
        eventually("A's accessed agent ONLINE at B", () -> Optional.of(agentAtB(agent.id()))
                .filter(a -> "ONLINE".equals(a.getString("status"))));
        assertEquals(204, AgwTestSupport.heartbeat(agent, "RUNNING", null).statusCode());
        Instant lastHeartbeat = Instant.now();

        JsonObject silent = eventually("silent agent OFFLINE at B", () -> Optional.of(agentAtB(agent.id()))
                .filter(a -> "OFFLINE".equals(a.getString("status"))));
        Duration seen = Duration.between(lastHeartbeat, Instant.now());
        System.out.printf("AGW peering: agent of A silent -> OFFLINE at B after %d ms (hold %d s + sweep 1 s at A)%n",
                seen.toMillis(), hold.toSeconds());
        assertTrue(silent.getString("statusReason", "").contains("no heartbeat"), silent.toString());
        assertFalse(seen.compareTo(hold) < 0, "offline at B before A's hold time was over: " + seen);

        assertEquals(204, AgwTestSupport.heartbeat(agent, "RUNNING", null).statusCode());
        eventually("ONLINE at B after a heartbeat", () -> Optional.of(agentAtB(agent.id()))
                .filter(a -> "ONLINE".equals(a.getString("status"))));
    }

    @Test
    @Order(4)
    void aSilentPeerGoesOfflineWithItsAgentsAndComesBackWithThem() {
        AgentAtB agent = AgentAtB.registeredAndAccessed(b, "steady");
        eventually("B's agent discoverable at A", () -> discoverAtA(agent.skill()));

        Instant stopped = Instant.now();
        b.stop();
        JsonObject offline = eventually("B OFFLINE at A", () -> peer(peersOfA(), nodeIdOfB, "OFFLINE"));
        Duration seen = Duration.between(stopped, Instant.now());
        assertTrue(offline.getString("statusReason", "").contains("silent"), offline.toString());
        eventually("B's agent INAPPLICABLE at A", () -> Optional.of(agentAtA(agent.id()))
                .filter(a -> "INAPPLICABLE".equals(a.getString("status"))));
        assertTrue(discoverAtA(agent.skill()).isEmpty(), "not offered by discovery");
        assertTrue(discoverAtA(agent.skill(), "status", "OFFLINE").isEmpty(), "not offered as OFFLINE either");
        // a figure, not an assertion (hold time 3 x 2 s + a 1 s sweep, plus B's orderly stop)
        System.out.println("AGW peering: B stopped -> OFFLINE at A after " + seen.toMillis() + " ms");

        b.start();
        eventually("B ONLINE at A again", () -> peer(peersOfA(), nodeIdOfB, "ONLINE"));
        JsonObject back = eventually("B's agent restored at A", () -> discoverAtA(agent.skill()));
        assertEquals("ONLINE", back.getString("status"));
        assertEquals(agent.id(), back.getString("id"));
        JsonObject bAtA = peer(peersOfA(), nodeIdOfB, "ONLINE").orElseThrow();
        assertTrue(bAtA.getInt("fullResyncs") >= 1, "the recovery read B's summaries again: " + bAtA);
        assertEquals(1, peersOfB().size(), "B still has A, once, after its restart: " + peersOfB());
    }

    @Test
    @Order(5)
    void disconnectionRemovesThePeerAndItsAgentsOnBothSides() {
        AgentAtB agent = AgentAtB.registeredAndAccessed(b, "parting");
        eventually("B's agent discoverable at A", () -> discoverAtA(agent.skill()));
        eventually("B ONLINE at A", () -> peer(peersOfA(), nodeIdOfB, "ONLINE"));

        HttpResponse<String> removed = atA(NodeServer.request(NodeServer.https(PEERS + "/" + peerBAtA)).DELETE());
        assertEquals(204, removed.statusCode(), removed.body());
        assertTrue(peersOfA().stream().noneMatch(p -> nodeIdOfB.equals(p.getString("nodeId", null))), peersOfA().toString());
        assertProblem(atA(NodeServer.request(NodeServer.https(PEERS + "/" + peerBAtA)).GET()), 404, "unknown-peer");
        assertEquals(404, atA(NodeServer.request(NodeServer.https(ARS_AGENTS + "/" + agent.id())).GET()).statusCode(),
                "B's agents are gone from A's agent database");
        assertTrue(discoverAtA(agent.skill()).isEmpty());
        eventually("B was told and removed A", () -> peersOfB().isEmpty() ? Optional.of(true) : Optional.empty());
        // nothing comes back: B no longer has A, and a handshake of B would be refused (A's operator disconnected it)
        sleep(B_INTERVAL.multipliedBy(3));
        assertTrue(peersOfA().stream().noneMatch(p -> nodeIdOfB.equals(p.getString("nodeId", null))), peersOfA().toString());
        assertEquals(404, atA(NodeServer.request(NodeServer.https(ARS_AGENTS + "/" + agent.id())).GET()).statusCode());
        peerBAtA = null;
    }

    // ---- an agent of domain B -------------------------------------------------------------------

    /** An agent with a certificate of B's ACA, registered at B's ARS and accessed at B's gateway. */
    record AgentAtB(PeerNode node, AcaTestSupport.IssuedAgent agent, String id, String skill, HttpClient client) {

        static AgentAtB registeredAndAccessed(PeerNode node, String prefix) {
            String name = ArsTestSupport.unique(prefix);
            KeyPair keys = AcaTestSupport.ecKeys("secp256r1");
            HttpResponse<String> token = send(node, node.client(), NodeServer.request(node.https("/api/v1/admin/aca/enrollment-tokens"))
                    .header("Authorization", node.adminAuthorization()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("organization", "Ars Tests")
                            .add("functionTypes", Json.createArrayBuilder().add("planner"))
                            .add("permissionScope", Json.createArrayBuilder().add("discovery").add("messaging")).build().toString())));
            assertEquals(201, token.statusCode(), token.body());
            HttpResponse<String> applied = send(node, node.client(), NodeServer.request(node.https("/api/v1/aca/applications"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            AcaTestSupport.application(AcaTestSupport.csr(keys), name, "Ars Tests", "planner", List.of("discovery"),
                                    NodeServer.json(token).asJsonObject().getString("token")).build().toString())));
            assertEquals(201, applied.statusCode(), applied.body());
            JsonObject application = NodeServer.json(applied).asJsonObject();
            JsonObject certificate = application.getJsonObject("certificate");
            X509Certificate x509 = AcaTestSupport.parse(certificate.getString("pem"));
            AcaTestSupport.IssuedAgent agent = new AcaTestSupport.IssuedAgent(name, new KeyPair(x509.getPublicKey(), keys.getPrivate()),
                    certificate.getString("serial"), certificate.getString("pem"), x509, application, null);
            HttpClient client = node.client(agent.keyStore(), "it-client".toCharArray());
            String skill = ArsTestSupport.unique("peered-" + prefix);
            HttpResponse<String> registered = send(node, client, NodeServer.request(node.https(ARS_AGENTS))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ArsTestSupport.profile(agent, skill).build().toString())));
            assertEquals(201, registered.statusCode(), registered.body());
            String id = NodeServer.json(registered).asJsonObject().getString("id");
            HttpResponse<String> accessed = send(node, client, NodeServer.request(node.https(AgwTestSupport.ACCESS))
                    .header("Content-Type", "application/jose").POST(HttpRequest.BodyPublishers.ofString(
                            AgwTestSupport.sign(keys.getPrivate(), AgwTestSupport.claims(id).add("heartbeatInterval", 3600).build()))));
            assertEquals(201, accessed.statusCode(), accessed.body());
            lastAgent = id;
            return new AgentAtB(node, agent, id, skill, client);
        }

        HttpResponse<String> heartbeat(String status, String detail) {
            JsonObjectBuilder body = Json.createObjectBuilder().add("status", status);
            if (detail != null) {
                body.add("detail", detail);
            }
            return send(node, client, NodeServer.request(node.https(AgwTestSupport.AGENTS + id + "/heartbeat"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body.build().toString())));
        }

        HttpResponse<String> withdraw() {
            return send(node, client, NodeServer.request(node.https(AgwTestSupport.AGENTS + id)).DELETE());
        }

        HttpResponse<String> deregister() {
            return send(node, client, NodeServer.request(node.https(ARS_AGENTS + "/" + id)).DELETE());
        }

        private static HttpResponse<String> send(PeerNode node, HttpClient client, HttpRequest.Builder request) {
            return NodeServer.send(client, request.build());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static JsonObjectBuilder hello(String agwId, String domain, String protocol) {
        return Json.createObjectBuilder().add("agwId", agwId).add("domain", domain)
                .add("protocols", Json.createArrayBuilder().add(protocol)).add("status", "ONLINE")
                .add("baseUrl", "https://stranger.invalid:1").add("heartbeatInterval", 30).add("appliedSeq", 0).add("latestSeq", 0);
    }

    /** A gateway (agw://) certificate of A's own ACA. */
    private static AcaTestSupport.IssuedAgent gatewayOfA(String prefix) {
        KeyPair keys = AcaTestSupport.ecKeys("secp256r1");
        String token = AcaTestSupport.enrollmentToken("Ars Tests", "GATEWAY", List.of("gateway"), List.of("relay", "peering"));
        HttpResponse<String> response = AcaTestSupport.apply(AcaTestSupport.application(AcaTestSupport.csr(keys),
                ArsTestSupport.unique(prefix), "Ars Tests", "gateway", List.of("relay", "peering"), token).add("profile", "GATEWAY"));
        assertEquals(201, response.statusCode(), response.body());
        JsonObject application = NodeServer.json(response).asJsonObject();
        JsonObject certificate = application.getJsonObject("certificate");
        return new AcaTestSupport.IssuedAgent(application.getString("agentName"), keys, certificate.getString("serial"),
                certificate.getString("pem"), AcaTestSupport.parse(certificate.getString("pem")), application, null);
    }

    private static HttpResponse<String> post(HttpClient client, String path, String json) {
        return NodeServer.send(client, NodeServer.request(NodeServer.https(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static HttpResponse<String> put(HttpClient client, String path, String json) {
        return NodeServer.send(client, NodeServer.request(NodeServer.https(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static Optional<JsonObject> peer(List<JsonObject> peers, String nodeId, String status) {
        return peers.stream().filter(p -> nodeId.equals(p.getString("nodeId", null)) && status.equals(p.getString("status"))).findFirst();
    }

    private static List<JsonObject> peersOfA() {
        HttpResponse<String> response = atA(NodeServer.request(NodeServer.https(PEERS)).GET());
        assertEquals(200, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonArray().getValuesAs(JsonObject.class);
    }

    private static List<JsonObject> peersOfB() {
        HttpResponse<String> response = atB(NodeServer.request(b.https(PEERS)).GET());
        assertEquals(200, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonArray().getValuesAs(JsonObject.class);
    }

    private static Optional<JsonObject> discoverAtA(String skill, String... more) {
        StringBuilder query = new StringBuilder("?capability=" + skill);
        for (int i = 0; i + 1 < more.length; i += 2) {
            query.append('&').append(more[i]).append('=').append(more[i + 1]);
        }
        HttpResponse<String> response = atA(NodeServer.request(NodeServer.https(ARS_AGENTS + query)).GET());
        assertEquals(200, response.statusCode(), response.body());
        JsonArray items = NodeServer.json(response).asJsonObject().getJsonArray("items");
        return items.isEmpty() ? Optional.empty() : Optional.of(items.getJsonObject(0));
    }

    private static Optional<JsonObject> discoverAtB(String skill) {
        HttpResponse<String> response = atB(NodeServer.request(b.https(ARS_AGENTS + "?capability=" + skill)).GET());
        assertEquals(200, response.statusCode(), response.body());
        JsonArray items = NodeServer.json(response).asJsonObject().getJsonArray("items");
        return items.isEmpty() ? Optional.empty() : Optional.of(items.getJsonObject(0));
    }

    private static JsonObject agentAtA(String id) {
        HttpResponse<String> response = atA(NodeServer.request(NodeServer.https(ARS_AGENTS + "/" + id)).GET());
        return response.statusCode() == 200 ? NodeServer.json(response).asJsonObject() : Json.createObjectBuilder().add("status", "NONE").build();
    }

    private static JsonObject agentAtB(String id) {
        HttpResponse<String> response = atB(NodeServer.request(b.https(ARS_AGENTS + "/" + id)).GET());
        return response.statusCode() == 200 ? NodeServer.json(response).asJsonObject() : Json.createObjectBuilder().add("status", "NONE").build();
    }

    private static String nodeId(HttpClient client, URI uri) {
        return NodeServer.json(NodeServer.send(client, NodeServer.request(uri).GET().build())).asJsonObject().getString("id");
    }

    private static <T> T eventually(String what, Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            Optional<T> result = probe.get();
            if (result.isPresent()) {
                return result.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": not within " + PATIENCE + "; A's peers: " + peersOfA()
                        + (lastAgent == null ? "" : "; the agent at A: " + agentAtA(lastAgent))
                        + (b.isRunning() ? "; B's peers: " + peersOfB() : ""));
            }
            sleep(Duration.ofMillis(100));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> atA(HttpRequest.Builder request) {
        return NodeServer.send(NodeServer.client(), request.header("Authorization", NodeServer.adminAuthorization()).build());
    }

    private static HttpResponse<String> atB(HttpRequest.Builder request) {
        return NodeServer.send(b.client(), request.header("Authorization", b.adminAuthorization()).build());
    }
}
