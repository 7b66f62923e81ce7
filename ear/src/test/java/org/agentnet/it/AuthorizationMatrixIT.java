package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.agentnet.it.NodeEndpoints.Endpoint;
import org.agentnet.it.aca.AcaTestSupport;
import org.agentnet.it.agw.AgwTestSupport;
import org.agentnet.it.agw.RelayTestSupport;
import org.agentnet.it.ars.ArsTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The authorization matrix (issue 6; docs/security.md "Who may call what"): every operation of the
 * node's OpenAPI document ({@link NodeEndpoints}), and the servlets outside it, called by every kind
 * of caller over HTTPS with real client certificates: nobody, a valid agent and another agent, an
 * expired certificate of a CA in the trust bundle, a certificate the node's ACA issued and then
 * revoked, a certificate of a CA the node does not trust (each of those for an agent and for a
 * gateway), a valid gateway and another gateway, an operator without the role admin, and an
 * operator. Each cell expects the refusal the endpoint's audience implies (status and problem type)
 * or, for the callers the endpoint serves, that the request gets through (no 401/403, no 5xx).
 *
 * <p>The rules are {@link #RULES}: one line per endpoint, keyed like {@link Endpoint#key()}, naming
 * the endpoint's {@link Audience} and, when the default request (path parameters that name nothing,
 * an empty JSON object as body) does not reach the code that decides, how to build the request. An
 * endpoint without a rule fails the matrix, and so does a rule whose endpoint is gone.
 *
 * <p>Refusals in the TLS handshake (Liberty checks the chain and the validity of client
 * certificates before the application sees them) count as refusals for the expired and untrusted
 * certificates; which cells were refused that way is written to
 * {@code target/authorization-matrix.md} with the other results.
 */
class AuthorizationMatrixIT {

    /** Who an endpoint serves. The certificate role, whether only the subject itself is served, and whether operators are. */
    enum Audience {
        PUBLIC(null, false, false, "anyone, no credentials"),
        OPERATOR(null, false, true, "operators (role admin)"),
        AGENT(Role.AGENT, false, false, "any agent (agent certificate)"),
        AGENT_SELF(Role.AGENT, true, false, "the agent itself (its agent certificate)"),
        AGENT_SELF_OR_OPERATOR(Role.AGENT, true, true, "the agent itself, or an operator"),
        CERTIFIED_OR_OPERATOR(Role.ANY, false, true, "any agent or gateway certificate, or an operator"),
        CERTIFICATE_HOLDER(Role.ANY, true, false, "the holder of that very certificate"),
        CERTIFICATE_HOLDER_OR_OPERATOR(Role.ANY, true, true, "the holder of that very certificate, or an operator"),
        GATEWAY(Role.GATEWAY, false, false, "any peer gateway (gateway certificate)"),
        PEER_SELF(Role.GATEWAY, true, false, "the peer gateway itself (its gateway certificate)"),
        PEER_SELF_OR_OPERATOR(Role.GATEWAY, true, true, "the peer gateway itself, or an operator"),
        GATEWAY_OR_OPERATOR(Role.GATEWAY, false, true, "any peer gateway, or an operator");

        final Role role;
        final boolean self;
        final boolean operators;
        final String description;

        Audience(Role role, boolean self, boolean operators, String description) {
            this.role = role;
            this.self = self;
            this.operators = operators;
            this.description = description;
        }
    }

    enum Role { AGENT, GATEWAY, ANY }

    /** The callers of every cell. */
    enum Caller {
        NONE(null, Defect.NONE),
        AGENT(Role.AGENT, Defect.NONE),
        OTHER_AGENT(Role.AGENT, Defect.NONE),
        AGENT_EXPIRED(Role.AGENT, Defect.EXPIRED),
        AGENT_REVOKED(Role.AGENT, Defect.REVOKED),
        AGENT_UNTRUSTED_CA(Role.AGENT, Defect.UNTRUSTED),
        GATEWAY(Role.GATEWAY, Defect.NONE),
        OTHER_GATEWAY(Role.GATEWAY, Defect.NONE),
        GATEWAY_EXPIRED(Role.GATEWAY, Defect.EXPIRED),
        GATEWAY_REVOKED(Role.GATEWAY, Defect.REVOKED),
        GATEWAY_UNTRUSTED_CA(Role.GATEWAY, Defect.UNTRUSTED),
        OPERATOR_WITHOUT_ROLE(null, Defect.NONE),
        OPERATOR(null, Defect.NONE);

        final Role profile;
        final Defect defect;

        Caller(Role profile, Defect defect) {
            this.profile = profile;
            this.defect = defect;
        }

        boolean hasCertificate() {
            return profile != null;
        }

        /** Liberty may refuse these in the handshake: the chain or the validity fails PKIX. */
        boolean tlsMayRefuse() {
            return defect == Defect.EXPIRED || defect == Defect.UNTRUSTED;
        }
    }

    enum Defect { NONE, EXPIRED, REVOKED, UNTRUSTED }

    /** A cell's expectation: allowed, or refused with a status and (for the REST API) a problem type. */
    record Expect(boolean allowed, int status, String problem, boolean tlsMayRefuse) {

        static Expect allowed(boolean tlsMayRefuse) {
            return new Expect(true, 0, null, tlsMayRefuse);
        }

        static Expect refused(int status, String problem, boolean tlsMayRefuse) {
            return new Expect(false, status, problem, tlsMayRefuse);
        }

        @Override
        public String toString() {
            String text = allowed ? "allowed" : "refused " + status + " " + problem;
            return tlsMayRefuse ? text + " (or refused in the TLS handshake)" : text;
        }
    }

    /** What the audience implies for the caller: the whole table of the issue in one function. */
    static Expect expected(Audience audience, Caller caller) {
        boolean tls = caller.tlsMayRefuse();
        if (audience == Audience.PUBLIC) {
            return Expect.allowed(tls);
        }
        String noCertificate = audience.role == null ? "unauthorized" : "identity-not-verified";
        return switch (caller) {
            case NONE -> Expect.refused(401, noCertificate, false);
            case OPERATOR -> audience.operators ? Expect.allowed(false) : Expect.refused(401, noCertificate, false);
            case OPERATOR_WITHOUT_ROLE -> audience.operators ? Expect.refused(403, "forbidden", false)
                    : Expect.refused(401, noCertificate, false);
            default -> {
                if (caller.defect != Defect.NONE || audience.role == null) {
                    yield Expect.refused(401, noCertificate, tls);
                }
                if (audience.role != Role.ANY && audience.role != caller.profile) {
                    yield Expect.refused(403, "wrong-certificate-role", false);
                }
                if (audience.self && caller != owner(audience)) {
                    yield Expect.refused(403, "identity-mismatch", false);
                }
                yield Expect.allowed(false);
            }
        };
    }

    /** The caller whose resources the requests of an audience that serves "itself" name. */
    static Caller owner(Audience audience) {
        return audience.role == Role.GATEWAY ? Caller.GATEWAY : Caller.AGENT;
    }

    // ---- the rules: one line per endpoint --------------------------------------------------------

    private static final String JSON = "application/json";
    private static final String JOSE = "application/jose";
    /** How often the matrix's peers say they beat: rarely, so that they stay ONLINE for the whole run. */
    static final int PEER_HEARTBEAT = 3600;

    static final List<Rule> RULES = List.of(
            // ACA
            rule("GET /api/v1/aca/applications", Audience.OPERATOR),
            rule("POST /api/v1/aca/applications", Audience.PUBLIC),
            rule("GET /api/v1/aca/applications/{id}", Audience.PUBLIC, c -> c.path("id", c.agent().issued().application().getString("id"))),
            rule("POST /api/v1/aca/applications/{id}/approval", Audience.OPERATOR, c -> c.path("id", UUID.randomUUID().toString())),
            rule("POST /api/v1/aca/applications/{id}/rejection", Audience.OPERATOR,
                    c -> c.path("id", UUID.randomUUID().toString()).json("{\"reason\":\"matrix\"}")),
            rule("GET /api/v1/aca/ca-certificates", Audience.PUBLIC),
            rule("GET /api/v1/aca/certificates", Audience.OPERATOR, c -> c.query("expiringWithin=P1D")),
            rule("GET /api/v1/aca/certificates/{serial}", Audience.PUBLIC, c -> c.path("serial", c.serial())),
            rule("POST /api/v1/aca/certificates/{serial}/renewal", Audience.CERTIFICATE_HOLDER,
                    c -> c.path("serial", c.serial()).json(Json.createObjectBuilder()
                            .add("csr", AcaTestSupport.csr(AcaTestSupport.ecKeys("secp256r1"))).build().toString())),
            destructive("POST /api/v1/aca/certificates/{serial}/revocation", Audience.CERTIFICATE_HOLDER_OR_OPERATOR,
                    c -> c.path("serial", c.serial()).json("{\"reason\":\"superseded\"}")),
            rule("GET /api/v1/aca/crl", Audience.PUBLIC),
            rule("POST /api/v1/aca/ocsp", Audience.PUBLIC, c -> c.body("application/ocsp-request", "not an OCSP request")),
            rule("GET /api/v1/aca/ocsp/{request}", Audience.PUBLIC, c -> c.path("request", "MAA%3D")),
            // operators (web.xml guards /api/v1/admin/*)
            rule("GET /api/v1/admin/aca/audit", Audience.OPERATOR),
            rule("POST /api/v1/admin/aca/enrollment-tokens", Audience.OPERATOR),
            rule("GET /api/v1/admin/agw/peers", Audience.OPERATOR),
            rule("POST /api/v1/admin/agw/peers", Audience.OPERATOR),
            rule("DELETE /api/v1/admin/agw/peers/{id}", Audience.OPERATOR),
            rule("GET /api/v1/admin/agw/peers/{id}", Audience.OPERATOR),
            rule("GET /api/v1/admin/agw/policies", Audience.OPERATOR),
            rule("POST /api/v1/admin/agw/policies", Audience.OPERATOR),
            rule("GET /api/v1/admin/agw/policies/{id}", Audience.OPERATOR),
            rule("PUT /api/v1/admin/agw/policies/{id}", Audience.OPERATOR),
            rule("DELETE /api/v1/admin/agw/policies/{id}", Audience.OPERATOR),
            rule("POST /api/v1/admin/agw/policies/evaluation", Audience.OPERATOR),
            rule("GET /api/v1/admin/agw/policies/peer-agreements", Audience.OPERATOR),
            rule("GET /api/v1/admin/agw/policies/peer-agreements/{domain}", Audience.OPERATOR),
            rule("PUT /api/v1/admin/agw/policies/peer-agreements/{domain}", Audience.OPERATOR),
            rule("DELETE /api/v1/admin/agw/policies/peer-agreements/{domain}", Audience.OPERATOR),
            rule("GET /api/v1/admin/ars/peers", Audience.OPERATOR),
            rule("POST /api/v1/admin/ars/peers", Audience.OPERATOR),
            rule("DELETE /api/v1/admin/ars/peers/{id}", Audience.OPERATOR),
            rule("GET /api/v1/admin/ars/peers/{id}", Audience.OPERATOR),
            rule("POST /api/v1/admin/ars/peers/{id}/resync", Audience.OPERATOR),
            rule("POST /api/v1/admin/diagnostics/relay-probes", Audience.OPERATOR, c -> c.json("{\"failDeliveries\":-1}")),
            rule("GET /api/v1/admin/diagnostics/relay-probes/{id}", Audience.OPERATOR),
            rule("GET /api/v1/admin/jobs", Audience.OPERATOR),
            rule("GET /api/v1/admin/jobs/{name}", Audience.OPERATOR),
            rule("POST /api/v1/admin/jobs/{name}/runs", Audience.OPERATOR),
            rule("GET /api/v1/admin/node/identity", Audience.OPERATOR),
            rule("POST /api/v1/admin/node/identity/renewal", Audience.OPERATOR),
            rule("POST /api/v1/admin/peers/probe", Audience.OPERATOR),
            rule("GET /api/v1/admin/trust/ca-certificates", Audience.OPERATOR),
            rule("POST /api/v1/admin/trust/ca-certificates", Audience.OPERATOR),
            rule("DELETE /api/v1/admin/trust/ca-certificates/{id}", Audience.OPERATOR),
            rule("GET /api/v1/admin/trust/ca-certificates/{id}", Audience.OPERATOR),
            // AGW, agents
            rule("POST /api/v1/agw/access", Audience.AGENT_SELF,
                    c -> c.body(JOSE, AgwTestSupport.sign(c.signingKey(), AgwTestSupport.claims(c.agent().id()).build()))),
            destructive("DELETE /api/v1/agw/agents/{id}", Audience.AGENT_SELF_OR_OPERATOR, c -> c.path("id", c.agent().id())),
            rule("GET /api/v1/agw/agents/{id}", Audience.AGENT_SELF_OR_OPERATOR, c -> c.path("id", c.agent().id())),
            rule("GET /api/v1/agw/agents/{id}/certificate", Audience.CERTIFIED_OR_OPERATOR, c -> c.path("id", c.agent().id())),
            rule("PUT /api/v1/agw/agents/{id}/heartbeat", Audience.AGENT_SELF,
                    c -> c.path("id", c.agent().id()).json("{\"status\":\"RUNNING\"}"))
                    // the same contract on the resource's way: a body over the filter's 1 KB goes past it
                    .variant("past the lean filter", c -> c.path("id", c.agent().id())
                            .json("{\"status\":\"RUNNING\"" + " ".repeat(1100) + "}")),
            rule("GET /api/v1/agw/agents/{id}/inbox", Audience.AGENT_SELF, c -> c.path("id", c.agent().id())),
            rule("DELETE /api/v1/agw/agents/{id}/inbox/{messageId}", Audience.AGENT_SELF,
                    c -> c.path("id", c.agent().id()).path("messageId", c.world().inboxMessage(c.agent()))),
            rule("POST /api/v1/agw/messages", Audience.AGENT, c -> c.body(JOSE, AgwTestSupport.sign(c.signingKey(),
                    RelayTestSupport.message(c.world().sink.id(), "matrix").build()))),
            rule("GET /api/v1/agw/messages/{id}", Audience.AGENT_SELF_OR_OPERATOR,
                    c -> c.path("id", c.world().sentMessage(c.agent()))),
            rule("GET /api/v1/agw/routes", Audience.OPERATOR),
            // AGW, peer gateways
            rule("GET /api/v1/agw/peers", Audience.OPERATOR),
            rule("POST /api/v1/agw/peers", Audience.PEER_SELF, c -> c.json(hello(c.peer().agwId()))),
            rule("GET /api/v1/agw/peers/{id}", Audience.OPERATOR, c -> c.path("id", c.peer().peerId())),
            destructive("DELETE /api/v1/agw/peers/{id}", Audience.PEER_SELF_OR_OPERATOR, c -> c.path("id", c.peer().peerId())),
            rule("PUT /api/v1/agw/peers/{id}/heartbeat", Audience.PEER_SELF, c -> c.path("id", c.peer().peerId())
                    .json(Json.createObjectBuilder().add("agwId", c.peer().agwId()).add("status", "ONLINE")
                            .add("heartbeatInterval", PEER_HEARTBEAT).add("latestSeq", 0).build().toString())),
            rule("POST /api/v1/agw/peers/{id}/resources", Audience.PEER_SELF, c -> c.path("id", c.peer().peerId())
                    .json(Json.createObjectBuilder().add("agwId", c.peer().agwId()).add("since", 0)
                            .add("changes", Json.createArrayBuilder()).add("next", 0).add("latest", 0).build().toString())),
            rule("POST /api/v1/agw/relay", Audience.GATEWAY, c -> c.json(c.world().relayedMessage())),
            rule("POST /api/v1/agw/relay/receipts", Audience.GATEWAY, c -> c.json(Json.createObjectBuilder()
                    .add("messageId", UUID.randomUUID().toString()).add("state", "DELIVERED").add("at", Instant.now().toString())
                    .build().toString())),
            rule("POST /api/v1/agw/relay/batch", Audience.GATEWAY, c -> c.json("{\"messages\":[" + c.world().relayedMessage() + "]}")),
            rule("POST /api/v1/agw/relay/receipts/batch", Audience.GATEWAY, c -> c.json(Json.createObjectBuilder()
                    .add("receipts", Json.createArrayBuilder().add(Json.createObjectBuilder().add("messageId", UUID.randomUUID().toString())
                            .add("state", "DELIVERED").add("at", Instant.now().toString()))).build().toString())),
            // ARS
            rule("POST /api/v1/ars/agents", Audience.AGENT_SELF,
                    c -> c.json(ArsTestSupport.profile(c.agent().issued(), "matrix").build().toString())),
            rule("GET /api/v1/ars/agents", Audience.CERTIFIED_OR_OPERATOR, c -> c.query("capability=matrix")),
            rule("PUT /api/v1/ars/agents/{id}", Audience.AGENT_SELF_OR_OPERATOR, c -> c.path("id", c.agent().id())
                    .header("If-Match", c.world().etag(c.agent().id()))
                    .json(ArsTestSupport.profile(c.agent().issued(), "matrix").build().toString())),
            rule("GET /api/v1/ars/agents/{id}", Audience.CERTIFIED_OR_OPERATOR, c -> c.path("id", c.agent().id())),
            destructive("DELETE /api/v1/ars/agents/{id}", Audience.AGENT_SELF_OR_OPERATOR, c -> c.path("id", c.agent().id())),
            rule("GET /api/v1/ars/agents/{id}/card", Audience.CERTIFIED_OR_OPERATOR, c -> c.path("id", c.agent().id())),
            rule("PUT /api/v1/ars/agents/{id}/status", Audience.OPERATOR,
                    c -> c.path("id", c.agent().id()).json("{\"status\":\"ONLINE\"}")),
            rule("GET /api/v1/ars/changes", Audience.GATEWAY_OR_OPERATOR),
            rule("GET /api/v1/ars/changes/digest", Audience.GATEWAY_OR_OPERATOR),
            rule("POST /api/v1/ars/changes/notifications", Audience.GATEWAY, c -> c.json("{\"node\":\"" + c.peer().agwId() + "\"}")),
            // node
            rule("GET /api/v1/caller", Audience.PUBLIC),
            rule("GET /api/v1/node", Audience.PUBLIC),
            // servlets outside JAX-RS (not in the OpenAPI document)
            rule("GET /health", Audience.PUBLIC),
            rule("GET /health/ready", Audience.PUBLIC),
            rule("GET /metrics", Audience.OPERATOR),
            rule("GET /openapi", Audience.PUBLIC),
            rule("GET /openapi/ui", Audience.PUBLIC));

    /** The servlet endpoints the matrix covers besides the OpenAPI document's operations. */
    static final List<Endpoint> SERVLETS = List.of(
            new Endpoint("GET", "/health", List.of(), false),
            new Endpoint("GET", "/health/ready", List.of(), false),
            new Endpoint("GET", "/metrics", List.of(), false),
            new Endpoint("GET", "/openapi", List.of(), false),
            new Endpoint("GET", "/openapi/ui", List.of(), false));

    /** An endpoint's rule: its audience and its requests (one, or more variants of the same operation). */
    record Rule(String key, Audience audience, boolean destructive, Map<String, Function<Cell, Cell>> variants) {

        Rule variant(String name, Function<Cell, Cell> request) {
            Map<String, Function<Cell, Cell>> more = new LinkedHashMap<>(variants);
            more.put(name, request);
            return new Rule(key, audience, destructive, more);
        }
    }

    static Rule rule(String key, Audience audience) {
        return rule(key, audience, c -> c.defaults());
    }

    static Rule rule(String key, Audience audience, Function<Cell, Cell> request) {
        return new Rule(key, audience, false, Map.of("", request));
    }

    /** An endpoint whose allowed callers destroy what they act on: each allowed cell acts on a subject of its own. */
    static Rule destructive(String key, Audience audience, Function<Cell, Cell> request) {
        return new Rule(key, audience, true, Map.of("", request));
    }

    // ---- the world the cells act in --------------------------------------------------------------

    /** A gateway of the node's ACA that peered with the node from the test (its handshake). */
    record Peer(AcaTestSupport.IssuedAgent certificate, String agwId, String peerId, HttpClient client) {
    }

    static final class World {
        final RelayTestSupport.Gateway gateway = RelayTestSupport.Gateway.main();
        RelayTestSupport.Agent sink;
        RelayTestSupport.Agent agentA;
        RelayTestSupport.Agent agentB;
        RelayTestSupport.Agent revokedAgent;
        Peer peerG;
        Peer peerH;
        Peer revokedPeer;
        TestPki trustedCa;
        String trustedCaSha256;
        TestPki untrustedCa;
        String operatorWithoutRole;
        final Map<Caller, HttpClient> clients = new EnumMap<>(Caller.class);
        final Map<Caller, KeyPair> keys = new EnumMap<>(Caller.class);
        final Map<String, String> sentMessages = new ConcurrentHashMap<>();
        final Map<String, String> inboxMessages = new ConcurrentHashMap<>();
        final List<String> peersToRemove = new ArrayList<>();

        String sentMessage(RelayTestSupport.Agent agent) {
            return sentMessages.getOrDefault(agent.id(), UUID.randomUUID().toString());
        }

        String inboxMessage(RelayTestSupport.Agent agent) {
            return inboxMessages.getOrDefault(agent.id(), UUID.randomUUID().toString());
        }

        /** The current ETag of an ARS profile (read as an operator). */
        String etag(String agentId) {
            HttpResponse<String> response = ArsTestSupport.asOperator(NodeServer.request(NodeServer.https(ArsTestSupport.AGENTS + "/" + agentId)).GET());
            return response.headers().firstValue("ETag").orElse("\"0\"");
        }

        /** What a peer gateway hands over: a fresh message of agent A to the sink, signed by A. */
        String relayedMessage() {
            String id = UUID.randomUUID().toString();
            String jws = RelayTestSupport.sign(agentA, RelayTestSupport.message(sink.id(), "relayed").add("messageId", id).build());
            return Json.createObjectBuilder().add("messageId", id).add("senderId", agentA.id())
                    .add("senderCertificate", agentA.issued().pem()).add("jws", jws).build().toString();
        }

        RelayTestSupport.Agent freshAgent() {
            return RelayTestSupport.agent(gateway, "matrix-fresh", null);
        }

        Peer freshPeer() {
            Peer peer = peer("matrix-fresh-gw");
            peersToRemove.add(peer.peerId());
            return peer;
        }
    }

    private static World world;
    private static final Map<String, String> RESULTS = new ConcurrentHashMap<>();
    /** Some reasons given, per caller and refusal: evidence that refusals say why. */
    private static final Map<String, Set<String>> REASONS = new ConcurrentHashMap<>();

    @BeforeAll
    static void buildTheWorld() throws Exception {
        World w = new World();
        w.operatorWithoutRole = NodeServer.operatorWithoutRoleAuthorization();
        w.sink = RelayTestSupport.agent(w.gateway, "matrix-sink", null);
        w.agentA = RelayTestSupport.agent(w.gateway, "matrix-a", null);
        w.agentB = RelayTestSupport.agent(w.gateway, "matrix-b", null);
        w.revokedAgent = RelayTestSupport.agent(w.gateway, "matrix-revoked", null);
        for (RelayTestSupport.Agent agent : List.of(w.agentA, w.revokedAgent)) {
            w.sentMessages.put(agent.id(), submit(agent, w.sink.id()));
            w.inboxMessages.put(agent.id(), submit(w.agentB, agent.id()));
        }
        w.peerG = peer("matrix-g");
        w.peerH = peer("matrix-h");
        w.revokedPeer = peer("matrix-revoked-gw");
        w.peersToRemove.addAll(List.of(w.peerG.peerId(), w.peerH.peerId(), w.revokedPeer.peerId()));
        for (String serial : List.of(w.revokedAgent.issued().serial(), w.revokedPeer.certificate().serial())) {
            HttpResponse<String> revoked = AcaTestSupport.revoke(serial, "keyCompromise");
            assertEquals(200, revoked.statusCode(), revoked.body());
        }

        // a CA the node trusts (added by the operator) that issued certificates now expired, naming A and G
        w.trustedCa = TestPki.withCrl("CN=Matrix Trusted CA " + System.nanoTime() + ",O=matrix.example");
        HttpResponse<String> added = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https("/api/v1/admin/trust/ca-certificates"))
                .header("Authorization", NodeServer.adminAuthorization()).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("pem", TestPki.pem(w.trustedCa.ca)).build().toString()))
                .build());
        assertEquals(201, added.statusCode(), added.body());
        w.trustedCaSha256 = NodeServer.json(added).asJsonObject().getString("sha256");
        awaitTrustedByTls(w.trustedCa);
        // and a CA it does not trust, naming them too
        w.untrustedCa = TestPki.withCrl("CN=Matrix Untrusted CA " + System.nanoTime() + ",O=rogue.example");

        Instant now = Instant.now();
        String agentUri = AgwTestSupport.agentUri(w.agentA.issued());
        String gatewayUri = uriOf(w.peerG.certificate().certificate(), "agw://");
        certificateCaller(w, Caller.AGENT, w.agentA.issued().keys(), w.agentA.issued().certificate());
        certificateCaller(w, Caller.OTHER_AGENT, w.agentB.issued().keys(), w.agentB.issued().certificate());
        certificateCaller(w, Caller.AGENT_REVOKED, w.revokedAgent.issued().keys(), w.revokedAgent.issued().certificate());
        certificateCaller(w, Caller.GATEWAY, w.peerG.certificate().keys(), w.peerG.certificate().certificate());
        certificateCaller(w, Caller.OTHER_GATEWAY, w.peerH.certificate().keys(), w.peerH.certificate().certificate());
        certificateCaller(w, Caller.GATEWAY_REVOKED, w.revokedPeer.certificate().keys(), w.revokedPeer.certificate().certificate());
        KeyPair keys = TestPki.ecKeys();
        certificateCaller(w, Caller.AGENT_EXPIRED, keys, w.trustedCa.client("CN=expired agent,O=matrix.example", keys, agentUri,
                now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))), w.trustedCa.ca);
        keys = TestPki.ecKeys();
        certificateCaller(w, Caller.GATEWAY_EXPIRED, keys, w.trustedCa.client("CN=expired gateway,O=matrix.example", keys, gatewayUri,
                now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))), w.trustedCa.ca);
        keys = TestPki.ecKeys();
        certificateCaller(w, Caller.AGENT_UNTRUSTED_CA, keys, w.untrustedCa.client("CN=untrusted agent,O=rogue.example", keys, agentUri,
                now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1))), w.untrustedCa.ca);
        keys = TestPki.ecKeys();
        certificateCaller(w, Caller.GATEWAY_UNTRUSTED_CA, keys, w.untrustedCa.client("CN=untrusted gateway,O=rogue.example", keys,
                gatewayUri, now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1))), w.untrustedCa.ca);
        w.clients.put(Caller.NONE, NodeServer.client());
        w.clients.put(Caller.OPERATOR_WITHOUT_ROLE, NodeServer.client());
        w.clients.put(Caller.OPERATOR, NodeServer.client());
        world = w;
    }

    @AfterAll
    static void tidyUp() throws IOException {
        if (world == null) {
            return;
        }
        for (String peer : world.peersToRemove) {
            ArsTestSupport.asOperator(NodeServer.request(NodeServer.https("/api/v1/admin/agw/peers/" + peer)).DELETE());
        }
        if (world.trustedCaSha256 != null) {
            ArsTestSupport.asOperator(NodeServer.request(NodeServer.https("/api/v1/admin/trust/ca-certificates/" + world.trustedCaSha256))
                    .DELETE());
        }
        world.trustedCa.close();
        world.untrustedCa.close();
        writeReport();
    }

    // ---- the matrix --------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicNode> everyEndpointTimesEveryCaller() {
        List<Endpoint> endpoints = new ArrayList<>(NodeEndpoints.all());
        Set<String> documented = endpoints.stream().map(Endpoint::key).collect(Collectors.toCollection(LinkedHashSet::new));
        endpoints.addAll(SERVLETS);
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (Rule rule : RULES) {
            if (rules.put(rule.key(), rule) != null) {
                throw new AssertionError("two rules for " + rule.key());
            }
        }
        List<DynamicNode> nodes = new ArrayList<>();
        Set<String> servletKeys = SERVLETS.stream().map(Endpoint::key).collect(Collectors.toSet());
        for (Rule rule : RULES) {
            if (!documented.contains(rule.key()) && !servletKeys.contains(rule.key())) {
                nodes.add(dynamicTest(rule.key() + ": rule for an endpoint the node no longer has", () -> fail(
                        "AuthorizationMatrixIT has a rule for " + rule.key() + ", which is not in the node's OpenAPI document: remove it")));
            }
        }
        for (Endpoint endpoint : endpoints) {
            Rule rule = rules.get(endpoint.key());
            if (rule == null) {
                nodes.add(dynamicTest(endpoint.key() + ": no rule", () -> fail("the endpoint " + endpoint.key()
                        + " has no rule in AuthorizationMatrixIT.RULES: add one line naming its audience")));
                continue;
            }
            for (var variant : rule.variants().entrySet()) {
                String name = endpoint.key() + (variant.getKey().isEmpty() ? "" : " (" + variant.getKey() + ")");
                List<DynamicNode> cells = new ArrayList<>();
                for (Caller caller : Caller.values()) {
                    Expect expect = expected(rule.audience(), caller);
                    cells.add(dynamicTest(caller + " -> " + expect, () -> run(name, endpoint, rule, variant.getValue(), caller, expect)));
                }
                nodes.add(dynamicContainer(name + " [" + rule.audience().description + "]", cells));
            }
        }
        return nodes.stream();
    }

    private static void run(String name, Endpoint endpoint, Rule rule, Function<Cell, Cell> request, Caller caller, Expect expect) {
        boolean fresh = rule.destructive() && expect.allowed();
        Cell cell = request.apply(Cell.of(world, endpoint, rule.audience(), caller, fresh));
        HttpResponse<String> response;
        try {
            response = NodeServer.send(cell.client(), cell.build());
        } catch (UncheckedIOException e) {
            if (expect.tlsMayRefuse() && isTlsRefusal(e)) {
                record(name, caller, "TLS handshake refused");
                return;
            }
            throw new AssertionError(name + " as " + caller + ": " + e, e);
        }
        int status = response.statusCode();
        String body = response.body();
        String detail = name + " as " + caller + " answered " + status + ": " + body;
        // a health endpoint answers 503 with its checks while the node is not ready (the matrix's own
        // node-identity renewal makes it so until Liberty has reloaded the key store): an answer, not
        // a refusal and not a server error
        boolean healthDown = status == 503 && endpoint.path().startsWith("/health")
                && body.contains("\"status\":\"DOWN\"");
        assertTrue(status < 500 || healthDown, detail);
        if (expect.allowed()) {
            assertTrue(status != 401 && status != 403, "expected to be allowed; " + detail);
            record(name, caller, status + " (allowed)");
            return;
        }
        assertEquals(expect.status(), status, "expected " + expect + "; " + detail);
        if (endpoint.path().startsWith("/api/")) {
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse("").split(";")[0].strip(), detail);
            JsonObject problem = NodeServer.json(response).asJsonObject();
            assertEquals("https://agentnet.org/problems/" + expect.problem(), problem.getString("type", ""), detail);
            String reason = problem.getString("detail", "");
            assertTrue(!reason.isBlank(), "a refusal says why: " + detail);
            Set<String> reasons = REASONS.computeIfAbsent(caller + ": " + status + " " + expect.problem(),
                    k -> ConcurrentHashMap.newKeySet());
            if (reasons.size() < 3) {
                reasons.add(reason);
            }
            record(name, caller, status + " " + expect.problem());
        } else {
            record(name, caller, Integer.toString(status));
        }
    }

    private static boolean isTlsRefusal(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                return true;
            }
            String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("connection reset") || message.contains("broken pipe") || message.contains("closed")
                    || message.contains("eof")) {
                return true;
            }
        }
        return false;
    }

    private static void record(String name, Caller caller, String outcome) {
        RESULTS.put(name + "\t" + caller, outcome);
    }

    /** The results as a table (endpoint x caller) and counts, in target/authorization-matrix.md. */
    private static void writeReport() throws IOException {
        Map<String, Map<Caller, String>> table = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (var result : RESULTS.entrySet()) {
            String[] key = result.getKey().split("\t");
            table.computeIfAbsent(key[0], k -> new EnumMap<>(Caller.class)).put(Caller.valueOf(key[1]), result.getValue());
            String kind = result.getValue().contains("allowed") ? "allowed" : result.getValue().startsWith("TLS") ? "refused in the TLS handshake"
                    : "refused by the application";
            counts.merge(kind, 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder("# Authorization matrix (AuthorizationMatrixIT)\n\n");
        text.append(RESULTS.size()).append(" cells passed: ").append(counts).append("\n\n| endpoint |");
        for (Caller caller : Caller.values()) {
            text.append(' ').append(caller.name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(" |");
        }
        text.append("\n|---|").append("---|".repeat(Caller.values().length)).append('\n');
        for (var row : table.entrySet()) {
            text.append("| ").append(row.getKey()).append(" |");
            for (Caller caller : Caller.values()) {
                text.append(' ').append(row.getValue().getOrDefault(caller, "-")).append(" |");
            }
            text.append('\n');
        }
        text.append("\n## Some reasons given, by caller and refusal\n\n");
        new TreeMap<>(REASONS).forEach((refusal, reasons) -> reasons.forEach(
                reason -> text.append("- ").append(refusal).append(": ").append(reason).append('\n')));
        Path report = Path.of("target", "authorization-matrix.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, text, StandardCharsets.UTF_8);
        System.out.println("AuthorizationMatrixIT: " + RESULTS.size() + " cells passed " + counts + "; table in " + report.toAbsolutePath());
    }

    // ---- a cell's request ----------------------------------------------------------------------------

    /** One request of the matrix: who sends it, about which subject, and what it is. */
    static final class Cell {
        private final World world;
        private final Endpoint endpoint;
        private final Caller caller;
        private final RelayTestSupport.Agent agent;
        private final Peer peer;
        private final String serial;
        private final HttpClient client;
        private final KeyPair callerKeys;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String query;
        private String contentType;
        private String body;

        private Cell(World world, Endpoint endpoint, Caller caller, RelayTestSupport.Agent agent, Peer peer, String serial,
                     HttpClient client, KeyPair callerKeys) {
            this.world = world;
            this.endpoint = endpoint;
            this.caller = caller;
            this.agent = agent;
            this.peer = peer;
            this.serial = serial;
            this.client = client;
            this.callerKeys = callerKeys;
        }

        /**
         * The subject of the requests is agent A, peer G and A's certificate; for the revoked
         * callers their own (so that only the revocation stands between them and their resources);
         * for an allowed cell of a destructive endpoint a new one, which its owner calls about.
         */
        static Cell of(World world, Endpoint endpoint, Audience audience, Caller caller, boolean fresh) {
            RelayTestSupport.Agent agent = caller == Caller.AGENT_REVOKED ? world.revokedAgent : world.agentA;
            Peer peer = caller == Caller.GATEWAY_REVOKED ? world.revokedPeer : world.peerG;
            HttpClient client = world.clients.get(caller);
            KeyPair keys = world.keys.get(caller);
            if (fresh && audience.role == Role.GATEWAY) {
                peer = world.freshPeer();
                if (caller == Caller.GATEWAY) {
                    client = peer.client();
                    keys = peer.certificate().keys();
                }
            } else if (fresh) {
                agent = world.freshAgent();
                if (caller == Caller.AGENT) {
                    client = agent.client();
                    keys = agent.issued().keys();
                }
            }
            String serial = caller == Caller.GATEWAY_REVOKED ? world.revokedPeer.certificate().serial() : agent.issued().serial();
            Cell cell = new Cell(world, endpoint, caller, agent, peer, serial, client, keys);
            if (caller == Caller.OPERATOR) {
                cell.header("Authorization", NodeServer.adminAuthorization());
            } else if (caller == Caller.OPERATOR_WITHOUT_ROLE) {
                cell.header("Authorization", world.operatorWithoutRole);
            }
            return cell;
        }

        World world() {
            return world;
        }

        RelayTestSupport.Agent agent() {
            return agent;
        }

        Peer peer() {
            return peer;
        }

        String serial() {
            return serial;
        }

        HttpClient client() {
            return client;
        }

        /** The caller's key, or the subject's when the caller has none (a signed request it replays). */
        java.security.PrivateKey signingKey() {
            return (callerKeys != null ? callerKeys : agent.issued().keys()).getPrivate();
        }

        Cell path(String parameter, String value) {
            parameters.put(parameter, value);
            return this;
        }

        Cell query(String text) {
            query = text;
            return this;
        }

        Cell header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Cell json(String text) {
            return body(JSON, text);
        }

        Cell body(String type, String text) {
            contentType = type;
            body = text;
            return this;
        }

        /** Path parameters that name nothing, and an empty JSON object for an operation that takes a body. */
        Cell defaults() {
            return endpoint.takesBody() ? json("{}") : this;
        }

        HttpRequest build() {
            String path = endpoint.expand(name -> parameters.getOrDefault(name, "matrix-no-such-" + name));
            URI uri = NodeServer.https(path + (query == null ? "" : "?" + query));
            HttpRequest.Builder request = NodeServer.request(uri);
            headers.forEach(request::header);
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body);
            if (body != null) {
                request.header("Content-Type", contentType);
            }
            return request.method(endpoint.method(), publisher).build();
        }
    }

    // ---- the world's making --------------------------------------------------------------------------

    private static void certificateCaller(World world, Caller caller, KeyPair keys, X509Certificate certificate,
                                          X509Certificate... issuers) {
        X509Certificate[] chain = new X509Certificate[1 + issuers.length];
        chain[0] = certificate;
        System.arraycopy(issuers, 0, chain, 1, issuers.length);
        world.keys.put(caller, keys);
        world.clients.put(caller, NodeServer.client(TestPki.keyStore(keys, chain), TestPki.CLIENT_PASSWORD));
    }

    /** Submits a message from {@code sender} to {@code target}; its message ID. */
    private static String submit(RelayTestSupport.Agent sender, String target) {
        HttpResponse<String> response = NodeServer.send(sender.client(), NodeServer.request(NodeServer.https("/api/v1/agw/messages"))
                .header("Content-Type", JOSE)
                .POST(HttpRequest.BodyPublishers.ofString(RelayTestSupport.sign(sender, RelayTestSupport.message(target, "matrix").build())))
                .build());
        assertEquals(202, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonObject().getString("messageId");
    }

    /** A gateway certificate of the node's ACA, and its handshake with the node (a peer that is never reachable back). */
    private static Peer peer(String prefix) {
        AcaTestSupport.IssuedAgent certificate = ArsTestSupport.gateway(prefix);
        HttpClient client = certificate.mtlsClient();
        String agwId = UUID.randomUUID().toString();
        HttpResponse<String> answer = NodeServer.send(client, NodeServer.request(NodeServer.https("/api/v1/agw/peers"))
                .header("Content-Type", JSON).POST(HttpRequest.BodyPublishers.ofString(hello(agwId))).build());
        assertEquals(200, answer.statusCode(), answer.body());
        return new Peer(certificate, agwId, NodeServer.json(answer).asJsonObject().getString("peerId"), client);
    }

    static String hello(String agwId) {
        return Json.createObjectBuilder().add("agwId", agwId).add("domain", "local.agentnet")
                .add("protocols", Json.createArrayBuilder().add("agentnet-relay/1")).add("status", "ONLINE")
                .add("baseUrl", "https://matrix-" + agwId.substring(0, 8) + ".invalid:1").add("heartbeatInterval", PEER_HEARTBEAT)
                .add("appliedSeq", 0).add("latestSeq", 0).build().toString();
    }

    private static String uriOf(X509Certificate certificate, String scheme) {
        try {
            return certificate.getSubjectAlternativeNames().stream().filter(name -> Integer.valueOf(6).equals(name.get(0)))
                    .map(name -> (String) name.get(1)).filter(uri -> uri.startsWith(scheme)).findFirst().orElseThrow();
        } catch (java.security.cert.CertificateParsingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Liberty reads the truststore every 5 s: a certificate of the newly trusted CA passes the handshake from then on. */
    private static void awaitTrustedByTls(TestPki ca) throws InterruptedException {
        KeyPair keys = TestPki.ecKeys();
        X509Certificate probe = ca.client("CN=probe,O=matrix.example", keys, "agent://matrix.example/matrix/probe",
                Instant.now().minus(Duration.ofMinutes(1)), Instant.now().plus(Duration.ofHours(1)));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = NodeServer.send(NodeServer.client(TestPki.keyStore(keys, probe, ca.ca), TestPki.CLIENT_PASSWORD),
                        NodeServer.request(NodeServer.https("/api/v1/caller")).GET().build());
                last = response.body();
                if (NodeServer.json(response).asJsonObject().containsKey("clientCertificate")) {
                    return;
                }
            } catch (UncheckedIOException refused) {
                last = refused.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the CA added to the trust bundle was not trusted by TLS within 30 s: " + last);
    }
}
