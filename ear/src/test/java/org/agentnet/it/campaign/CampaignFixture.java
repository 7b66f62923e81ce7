package org.agentnet.it.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.agentnet.it.NodeServer;
import org.agentnet.it.TestPki;
import org.agentnet.it.aca.AcaTestSupport;
import org.agentnet.it.ars.ArsTestSupport;
import org.agentnet.it.campaign.RawHttp.Caller;

/**
 * The few valid requests made before the campaign, so that bad input reaches validation with a
 * caller the endpoint accepts: agents alice (the usual caller) and bob (a pulling agent, target of
 * the accepted messages) registered and accessed; an agent whose certificate is revoked; a
 * gateway certificate of the node's own ACA that handshook as a peer gateway (the "peer"); an ARS
 * peer; an accepted message (alice to bob) and an accepted relayed message (through the peer),
 * kept for the replays. Everything the campaign must not change is settled before the snapshot.
 */
final class CampaignFixture {

    static final String ORGANIZATION = "Ars Tests";

    final AcaTestSupport.IssuedAgent alice;
    final AcaTestSupport.IssuedAgent bob;
    final AcaTestSupport.IssuedAgent revoked;
    final AcaTestSupport.IssuedAgent gateway;
    final TestPki untrusted;
    final Caller operator;
    final Caller aliceCaller;
    final Caller bobCaller;
    final Caller revokedCaller;
    final Caller gatewayCaller;
    final String aliceId;
    final String bobId;
    final String aliceUri;
    final String nodeId;
    final String peerId;
    final String peerNodeId;
    final String peerBaseUrl;
    final String arsPeerId;
    final String arsPeerUrl;
    final String localTrustAlias;
    final String usedAccessJti;
    final String usedMessageJti;
    final String acceptedAccessJws;
    final String acceptedMessageId;
    final String acceptedMessageJws;
    final JsonObject acceptedMessageClaims;
    final String relayedMessageId;
    final String relayedBody;
    final SecurityMutations.Material material;

    private CampaignFixture() {
        operator = new Caller("operator", null, null, NodeServer.adminAuthorization());
        alice = ArsTestSupport.agent("campaign-alice");
        bob = ArsTestSupport.agent("campaign-bob");
        revoked = ArsTestSupport.agent("campaign-revoked");
        gateway = ArsTestSupport.gateway("campaign-peer");
        untrusted = TestPki.withCrl("CN=Campaign Untrusted CA " + System.nanoTime() + ",O=rogue.example");
        aliceCaller = agentCaller("alice", alice);
        bobCaller = agentCaller("bob", bob);
        revokedCaller = agentCaller("revoked", revoked);
        gatewayCaller = agentCaller("peer-gateway", gateway);
        nodeId = NodeServer.json(send(NodeServer.client(), NodeServer.request(NodeServer.https("/api/v1/node")).GET(), 200))
                .asJsonObject().getString("id");

        aliceId = ArsTestSupport.registered(alice, ArsTestSupport.profile(alice, "campaign-skill", "campaign")).getString("id");
        bobId = ArsTestSupport.registered(bob, ArsTestSupport.profile(bob, "campaign-skill", "campaign")).getString("id");
        aliceUri = uriOf(alice.certificate());

        usedAccessJti = UUID.randomUUID().toString();
        acceptedAccessJws = SecurityMutations.sign(alice.keys().getPrivate(), accessClaims(aliceId, "alice", usedAccessJti).build().toString()
                .getBytes(StandardCharsets.UTF_8));
        send(alice.mtlsClient(), jose("/api/v1/agw/access", acceptedAccessJws), 201);
        send(bob.mtlsClient(), jose("/api/v1/agw/access", SecurityMutations.sign(bob.keys().getPrivate(),
                accessClaims(bobId, "bob", UUID.randomUUID().toString()).build().toString().getBytes(StandardCharsets.UTF_8))), 201);

        AcaTestSupport.revoke(revoked.serial(), "keyCompromise");

        peerNodeId = "campaign-peer-" + UUID.randomUUID().toString().substring(0, 8);
        peerBaseUrl = unreachableUrl();
        JsonObject hello = Json.createObjectBuilder().add("agwId", peerNodeId).add("domain", "local.agentnet")
                .add("protocols", Json.createArrayBuilder().add("agentnet-relay/1")).add("status", "ONLINE")
                .add("baseUrl", peerBaseUrl).add("heartbeatInterval", 86_400).add("appliedSeq", 0).add("latestSeq", 0).build();
        peerId = NodeServer.json(send(gateway.mtlsClient(), json("/api/v1/agw/peers", "POST", hello.toString()), 200))
                .asJsonObject().getString("peerId");

        arsPeerUrl = unreachableUrl();
        arsPeerId = NodeServer.json(send(NodeServer.client(), json("/api/v1/admin/ars/peers", "POST",
                Json.createObjectBuilder().add("url", arsPeerUrl).build().toString()).header("Authorization", operator.authorization()), 201))
                .asJsonObject().getString("id");

        localTrustAlias = NodeServer.json(send(NodeServer.client(), NodeServer.request(NodeServer.https("/api/v1/admin/trust/ca-certificates"))
                .header("Authorization", operator.authorization()).GET(), 200)).asJsonArray().stream().map(JsonValue::asJsonObject)
                .filter(entry -> entry.getString("origin").equals("LOCAL")).findFirst().orElseThrow().getString("alias");

        usedMessageJti = UUID.randomUUID().toString();
        acceptedMessageId = UUID.randomUUID().toString();
        acceptedMessageClaims = messageClaims(bobId, acceptedMessageId, usedMessageJti).build();
        acceptedMessageJws = SecurityMutations.sign(alice.keys().getPrivate(), acceptedMessageClaims.toString().getBytes(StandardCharsets.UTF_8));
        send(alice.mtlsClient(), jose("/api/v1/agw/messages", acceptedMessageJws), 202);

        relayedMessageId = UUID.randomUUID().toString();
        relayedBody = relayBody(relayedMessageId, SecurityMutations.sign(alice.keys().getPrivate(),
                messageClaims(bobId, relayedMessageId, UUID.randomUUID().toString()).build().toString().getBytes(StandardCharsets.UTF_8)))
                .build().toString();
        send(gateway.mtlsClient(), json("/api/v1/agw/relay", "POST", relayedBody), 202);

        material = new SecurityMutations.Material(alice, bob, revoked, gateway, untrusted, NodeServer.caCertificates());
    }

    static CampaignFixture create() {
        CampaignFixture fixture = new CampaignFixture();
        fixture.settle();
        return fixture;
    }

    /** After the campaign: the peers it made go, so that later tests on the same node do not meet them. */
    void close() {
        for (String path : new String[] {"/api/v1/admin/agw/peers/" + peerId, "/api/v1/admin/ars/peers/" + arsPeerId}) {
            NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(path))
                    .header("Authorization", operator.authorization()).DELETE().build());
        }
        untrusted.close();
    }

    /** Waits until what moves by itself after the set-up has moved: both agents OFFLINE (silent), both messages in bob's inbox. */
    private void settle() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (true) {
            boolean settled = status("/api/v1/ars/agents/" + aliceId, "status").equals("OFFLINE")
                    && status("/api/v1/ars/agents/" + bobId, "status").equals("OFFLINE")
                    && status("/api/v1/agw/messages/" + acceptedMessageId, "state").equals("INBOX")
                    && status("/api/v1/agw/messages/" + relayedMessageId, "state").equals("INBOX");
            if (settled) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the set-up did not settle: alice " + status("/api/v1/ars/agents/" + aliceId, "status")
                        + ", bob " + status("/api/v1/ars/agents/" + bobId, "status")
                        + ", message " + status("/api/v1/agw/messages/" + acceptedMessageId, "state")
                        + ", relayed " + status("/api/v1/agw/messages/" + relayedMessageId, "state"));
            }
            sleep(Duration.ofMillis(500));
        }
    }

    private String status(String path, String field) {
        HttpResponse<String> response = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(path))
                .header("Authorization", operator.authorization()).GET().build());
        return response.statusCode() == 200 ? NodeServer.json(response).asJsonObject().getString(field, "?") : "HTTP " + response.statusCode();
    }

    // ---- request bodies the profiles start from -----------------------------------------------------

    /** Access claims naming {@code agentId}, with a fresh iat. */
    JsonObjectBuilder accessClaims(String agentId, String name, String jti) {
        return Json.createObjectBuilder()
                .add("agentId", agentId)
                .add("addresses", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("url", "https://" + name + ".campaign.example/a2a").add("protocol", "A2A-JSONRPC")))
                .add("protocols", Json.createArrayBuilder().add("A2A-JSONRPC"))
                .add("heartbeatInterval", 30)
                .add("iat", Instant.now().getEpochSecond())
                .add("jti", jti);
    }

    JsonObjectBuilder messageClaims(String target, String messageId, String jti) {
        return Json.createObjectBuilder()
                .add("messageId", messageId)
                .add("target", target)
                .add("sessionId", "campaign-session")
                .add("contentType", "application/json")
                .add("payload", Json.createObjectBuilder().add("text", "hello").add("n", 1))
                .add("iat", Instant.now().getEpochSecond())
                .add("jti", jti);
    }

    JsonObjectBuilder relayBody(String messageId, String jws) {
        return Json.createObjectBuilder().add("messageId", messageId).add("senderId", aliceId)
                .add("senderCertificate", alice.pem()).add("jws", jws);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static Caller agentCaller(String name, AcaTestSupport.IssuedAgent agent) {
        KeyStore keys = agent.keyStore();
        return new Caller(name, keys, TestPki.CLIENT_PASSWORD, null);
    }

    static String uriOf(X509Certificate certificate) {
        try {
            return certificate.getSubjectAlternativeNames().stream().filter(name -> Integer.valueOf(6).equals(name.get(0)))
                    .map(name -> (String) name.get(1)).filter(uri -> uri.startsWith("agent://")).findFirst().orElseThrow();
        } catch (java.security.cert.CertificateParsingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.Builder jose(String path, String jws) {
        return NodeServer.request(NodeServer.https(path)).header("Content-Type", "application/jose")
                .POST(HttpRequest.BodyPublishers.ofString(jws));
    }

    private static HttpRequest.Builder json(String path, String method, String body) {
        return NodeServer.request(NodeServer.https(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request, int expected) {
        HttpResponse<String> response = NodeServer.send(client, request.build());
        assertEquals(expected, response.statusCode(), response.body());
        return response;
    }

    /**
     * An https URL no peer answers at (a connection is refused at once), unique to this run: a peer
     * of an earlier run in the same database never has it (a handshake naming a known peer's URL
     * would take that peer over: docs/platform.md "Bad-input campaign").
     */
    private static String unreachableUrl() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return "https://127." + random.nextInt(1, 255) + "." + random.nextInt(0, 256) + "." + random.nextInt(1, 255) + ":1";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

}
