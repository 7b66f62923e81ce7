package org.agentnet.it.agw;

import static org.agentnet.it.agw.RelayTestSupport.message;
import static org.agentnet.it.agw.RelayTestSupport.sign;
import static org.agentnet.it.agw.RelayTestSupport.submit;
import static org.agentnet.it.ars.ArsTestSupport.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.http.HttpRequest;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.agentnet.it.NodeServer;
import org.agentnet.it.aca.AcaTestSupport;
import org.agentnet.it.ars.ArsTestSupport;
import org.agentnet.it.agw.RelayTestSupport.Agent;
import org.agentnet.it.agw.RelayTestSupport.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Messages refused before anything is stored (docs/agw.md "Submit"): each refusal names a message
 * ID, and the operator finds no such message afterwards. Also the peer side: callers that are no
 * peer gateway, and the batch calls of a peer ({@code POST /api/v1/agw/relay/batch},
 * {@code .../receipts/batch}: at most {@value #MAX_BATCH} items, one result per item, a refused item
 * stored nowhere while the others of its batch are).
 */
class RelayBadInputIT {

    private static final Gateway GATEWAY = Gateway.main();
    /** Items of one batch call at most (MessageService.MAX_RELAY_BATCH, docs/agw.md "Outbox and dispatcher"). */
    static final int MAX_BATCH = 100;
    private static final String RELAY_BATCH = "/api/v1/agw/relay/batch";
    private static final String RECEIPT_BATCH = "/api/v1/agw/relay/receipts/batch";
    private static Agent sender;
    private static Agent target;
    /** A gateway of the node's ACA that peered with the node (the node never calls it back). */
    private static HttpClient peer;
    private static String peerId;

    @BeforeAll
    static void agents() {
        sender = RelayTestSupport.agent(GATEWAY, "badsender", null);
        target = RelayTestSupport.agent(GATEWAY, "badtarget", null);
        AcaTestSupport.IssuedAgent gateway = ArsTestSupport.gateway("relay-bad-peer");
        peer = gateway.mtlsClient();
        String agwId = UUID.randomUUID().toString();
        HttpResponse<String> hello = NodeServer.send(peer, GATEWAY.request("/api/v1/agw/peers").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("agwId", agwId).add("domain", "local.agentnet")
                        .add("protocols", Json.createArrayBuilder().add("agentnet-relay/1")).add("status", "ONLINE")
                        .add("baseUrl", "https://relay-bad-" + agwId.substring(0, 8) + ".invalid:1").add("heartbeatInterval", 3600)
                        .add("appliedSeq", 0).add("latestSeq", 0).build().toString())).build());
        assertEquals(200, hello.statusCode(), hello.body());
        peerId = NodeServer.json(hello).asJsonObject().getString("peerId");
    }

    @AfterAll
    static void forgetPeer() {
        if (peerId != null) {
            GATEWAY.asOperator(GATEWAY.request("/api/v1/agw/peers/" + peerId).DELETE());
        }
    }

    @Test
    void anUnknownTargetIsNotFound() {
        refused(c -> c.add("target", UUID.randomUUID().toString()), 404, "unknown-agent");
    }

    @Test
    void aTargetThatNeverAccessedIsUnreachable() {
        AcaTestSupport.IssuedAgent registeredOnly = ArsTestSupport.agent("notaccessed");
        String id = ArsTestSupport.registered(registeredOnly, ArsTestSupport.profile(registeredOnly, "relay-bad")).getString("id");
        refused(c -> c.add("target", id), 409, "target-unreachable");
    }

    @Test
    void aDeregisteredTargetIsGone() {
        AcaTestSupport.IssuedAgent gone = ArsTestSupport.agent("gone");
        String id = ArsTestSupport.registered(gone, ArsTestSupport.profile(gone, "relay-bad")).getString("id");
        HttpResponse<String> deleted = NodeServer.send(gone.mtlsClient(),
                NodeServer.request(NodeServer.https(ArsTestSupport.AGENTS + "/" + id)).DELETE().build());
        assertEquals(204, deleted.statusCode(), deleted.body());
        refused(c -> c.add("target", id), 410, "agent-deregistered");
    }

    @Test
    void malformedClaimsAreRefused() {
        refused(c -> c.remove("contentType"), 400, "validation-failed");
        refused(c -> c.add("contentType", "not a media type"), 400, "validation-failed");
        refused(c -> c.remove("payload"), 400, "validation-failed");
        refused(c -> c.remove("target"), 400, "validation-failed");
        refused(c -> c.add("target", "x".repeat(37)), 400, "validation-failed");
        refused(c -> c.add("sessionId", "s".repeat(129)), 400, "validation-failed");
        refused(c -> c.add("unexpected", true), 400, "validation-failed");
        refused(c -> c.remove("iat"), 400, "validation-failed");
        refused(c -> c.remove("jti"), 400, "validation-failed");
        refused(c -> c.add("iat", java.time.Instant.now().minusSeconds(3600).getEpochSecond()), 401, "request-expired");
    }

    @Test
    void aBadMessageIdIsRefused() {
        HttpResponse<String> response = submit(sender, sign(sender, message(target.id(), "x").add("messageId", "not-a-uuid").build()));
        assertProblem(response, 400, "validation-failed");
    }

    @Test
    void aBodyThatIsNoJwsOrSignedByAnotherKeyIsRefused() {
        String id = UUID.randomUUID().toString();
        assertProblem(submit(sender, "not a jws"), 400, "malformed-body");
        JsonObject claims = message(target.id(), "x").add("messageId", id).build();
        assertProblem(submit(sender, AgwTestSupport.sign(AcaTestSupport.ecKeys("secp256r1").getPrivate(), claims)), 401, "invalid-signature");
        // someone else's message, signed by its key, presented with another certificate
        assertProblem(submit(target, sign(sender, claims)), 401, "invalid-signature");
        assertNotStored(id);
    }

    @Test
    void aReplayedJwsIsRefusedAndAnIdOfAnotherSenderConflicts() {
        String id = UUID.randomUUID().toString();
        String jws = sign(sender, message(target.id(), "once").add("messageId", id).build());
        assertEquals(202, submit(sender, jws).statusCode());
        assertProblem(submit(sender, jws), 409, "replayed-request");
        // the same message ID from another sender
        assertProblem(submit(target, sign(target, message(sender.id(), "mine").add("messageId", id).build())), 409, "message-id-conflict");
    }

    @Test
    void callersThatMayNotSubmitAreRefused() {
        String id = UUID.randomUUID().toString();
        String jws = sign(sender, message(target.id(), "x").add("messageId", id).build());
        // no client certificate
        assertProblem(NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(RelayTestSupport.MESSAGES))
                .header("Content-Type", "application/jose").POST(HttpRequest.BodyPublishers.ofString(jws)).build()), 401, "identity-not-verified");
        // an agent that registered but never accessed this gateway
        AcaTestSupport.IssuedAgent stranger = ArsTestSupport.agent("stranger");
        ArsTestSupport.registered(stranger, ArsTestSupport.profile(stranger, "relay-bad"));
        String strangerJws = AgwTestSupport.sign(stranger.keys().getPrivate(), message(target.id(), "x").add("messageId", id).build());
        assertProblem(NodeServer.send(stranger.mtlsClient(), NodeServer.request(NodeServer.https(RelayTestSupport.MESSAGES))
                .header("Content-Type", "application/jose").POST(HttpRequest.BodyPublishers.ofString(strangerJws)).build()), 404, "not-accessed");
        assertNotStored(id);
        // a message ID nobody sent
        assertProblem(GATEWAY.asOperator(GATEWAY.request(RelayTestSupport.MESSAGES + "/" + UUID.randomUUID()).GET()), 404, "unknown-message");
    }

    @Test
    void theRelayEndpointOnlyServesPeerGateways() {
        JsonObject body = Json.createObjectBuilder().add("messageId", UUID.randomUUID().toString())
                .add("senderCertificate", sender.issued().pem())
                .add("jws", sign(sender, message(target.id(), "x").build())).build();
        // an agent is no peer
        assertProblem(sender.send(GATEWAY.request("/api/v1/agw/relay").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))), 403, "wrong-certificate-role");
        // nor is anyone without a certificate
        assertProblem(NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https("/api/v1/agw/relay"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build()),
                401, "identity-not-verified");
        assertProblem(sender.send(GATEWAY.request("/api/v1/agw/relay/receipts").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))), 403, "wrong-certificate-role");
    }

    @Test
    void aBatchThatIsNoBatchIsRefusedAsAWhole() {
        for (String path : List.of(RELAY_BATCH, RECEIPT_BATCH)) {
            assertProblem(postAsPeer(path, "{\"messages\": ["), 400, "malformed-body");
            assertProblem(postAsPeer(path, "[]"), 400, "malformed-body");
            assertProblem(postAsPeer(path, "{}"), 400, "validation-failed");
            assertProblem(postAsPeer(path, "{\"messages\": \"x\", \"receipts\": \"x\"}"), 400, "validation-failed");
        }
        assertProblem(postAsPeer(RELAY_BATCH, "{\"messages\": []}"), 400, "validation-failed");
        assertProblem(postAsPeer(RECEIPT_BATCH, "{\"receipts\": []}"), 400, "validation-failed");
    }

    @Test
    void aBatchOfMoreThanTheLimitIsRefusedAndNothingOfItStored() {
        List<String> ids = new ArrayList<>();
        JsonArrayBuilder messages = Json.createArrayBuilder();
        for (int i = 0; i <= MAX_BATCH; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            messages.add(relayed(id, "over the limit"));
        }
        HttpResponse<String> response = postAsPeer(RELAY_BATCH, Json.createObjectBuilder().add("messages", messages).build().toString());
        assertProblem(response, 400, "validation-failed");
        assertTrue(NodeServer.json(response).asJsonObject().getString("detail").contains("1 to " + MAX_BATCH), response.body());
        ids.forEach(RelayBadInputIT::assertNotStored);

        JsonArrayBuilder receipts = Json.createArrayBuilder();
        for (int i = 0; i <= MAX_BATCH; i++) {
            receipts.add(Json.createObjectBuilder().add("messageId", UUID.randomUUID().toString()).add("state", "DELIVERED")
                    .add("at", Instant.now().toString()));
        }
        assertProblem(postAsPeer(RECEIPT_BATCH, Json.createObjectBuilder().add("receipts", receipts).build().toString()),
                400, "validation-failed");
    }

    @Test
    void aBatchMixingValidAndInvalidMessagesHasAResultPerMessageAndStoresOnlyTheValid() {
        String valid = UUID.randomUUID().toString();
        String otherValid = UUID.randomUUID().toString();
        String wrongId = UUID.randomUUID().toString();
        String badSignature = UUID.randomUUID().toString();
        String unknownTarget = UUID.randomUUID().toString();
        JsonObject signedByAnotherKey = Json.createObjectBuilder(relayed(badSignature, "x")).add("jws", AgwTestSupport.sign(
                AcaTestSupport.ecKeys("secp256r1").getPrivate(), message(target.id(), "x").add("messageId", badSignature).build())).build();
        JsonObject idNotSigned = Json.createObjectBuilder(relayed(UUID.randomUUID().toString(), "x")).add("messageId", wrongId).build();
        JsonObject toNobody = Json.createObjectBuilder(relayed(unknownTarget, "x")).add("jws", sign(sender,
                message(UUID.randomUUID().toString(), "x").add("messageId", unknownTarget).build())).build();
        JsonArray batch = Json.createArrayBuilder().add(relayed(valid, "one")).add(signedByAnotherKey).add(42).add(idNotSigned)
                .add(toNobody).add(relayed(otherValid, "two")).build();

        HttpResponse<String> response = postAsPeer(RELAY_BATCH, Json.createObjectBuilder().add("messages", batch).build().toString());
        assertEquals(200, response.statusCode(), response.body());
        JsonArray results = NodeServer.json(response).asJsonObject().getJsonArray("results");
        assertEquals(batch.size(), results.size(), response.body());
        assertResult(results.getJsonObject(0), valid, 202, null);
        assertResult(results.getJsonObject(1), badSignature, 401, "invalid-signature");
        assertResult(results.getJsonObject(2), "", 400, "validation-failed");
        assertResult(results.getJsonObject(3), wrongId, 400, "validation-failed");
        assertResult(results.getJsonObject(4), unknownTarget, 404, "unknown-agent");
        assertResult(results.getJsonObject(5), otherValid, 202, null);
        assertEquals(200, GATEWAY.asOperator(GATEWAY.request(RelayTestSupport.MESSAGES + "/" + valid).GET()).statusCode());
        assertEquals(200, GATEWAY.asOperator(GATEWAY.request(RelayTestSupport.MESSAGES + "/" + otherValid).GET()).statusCode());
        List.of(badSignature, wrongId, unknownTarget).forEach(RelayBadInputIT::assertNotStored);

        // the same batch again: the stored ones are acknowledged (200, no second delivery), the others refused as before
        JsonArray again = NodeServer.json(postAsPeer(RELAY_BATCH, Json.createObjectBuilder().add("messages", batch).build().toString()))
                .asJsonObject().getJsonArray("results");
        assertResult(again.getJsonObject(0), valid, 200, null);
        assertResult(again.getJsonObject(1), badSignature, 401, "invalid-signature");
        assertResult(again.getJsonObject(5), otherValid, 200, null);
    }

    @Test
    void aReceiptBatchHasAResultPerReceipt() {
        String unknown = UUID.randomUUID().toString();
        JsonArray receipts = Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("messageId", unknown).add("state", "DELIVERED").add("at", Instant.now().toString()))
                .add(Json.createObjectBuilder().add("messageId", unknown).add("state", "LOST").add("at", Instant.now().toString()))
                .add(Json.createObjectBuilder().add("messageId", unknown).add("state", "FAILED").add("at", "yesterday"))
                .add(Json.createObjectBuilder().add("messageId", "x".repeat(37)).add("state", "DELIVERED").add("at", Instant.now().toString()))
                .add("a receipt").build();
        HttpResponse<String> response = postAsPeer(RECEIPT_BATCH, Json.createObjectBuilder().add("receipts", receipts).build().toString());
        assertEquals(200, response.statusCode(), response.body());
        JsonArray results = NodeServer.json(response).asJsonObject().getJsonArray("results");
        assertEquals(receipts.size(), results.size(), response.body());
        assertResult(results.getJsonObject(0), unknown, 404, "unknown-message");
        assertResult(results.getJsonObject(1), unknown, 400, "validation-failed");
        assertResult(results.getJsonObject(2), unknown, 400, "validation-failed");
        assertResult(results.getJsonObject(3), "x".repeat(37), 400, "validation-failed");
        assertResult(results.getJsonObject(4), "", 400, "validation-failed");
    }

    @Test
    void theBatchEndpointsOnlyServePeerGateways() {
        String id = UUID.randomUUID().toString();
        String body = Json.createObjectBuilder().add("messages", Json.createArrayBuilder().add(relayed(id, "x"))).build().toString();
        String receipts = Json.createObjectBuilder().add("receipts", Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("messageId", id).add("state", "DELIVERED").add("at", Instant.now().toString()))).build().toString();
        // an agent certificate is no gateway's
        assertProblem(sender.send(GATEWAY.request(RELAY_BATCH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))), 403, "wrong-certificate-role");
        assertProblem(sender.send(GATEWAY.request(RECEIPT_BATCH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(receipts))), 403, "wrong-certificate-role");
        // nor is anyone without a certificate
        for (String[] call : List.of(new String[] {RELAY_BATCH, body}, new String[] {RECEIPT_BATCH, receipts})) {
            assertProblem(NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(call[0]))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(call[1])).build()),
                    401, "identity-not-verified");
        }
        // a gateway certificate of a gateway that never peered
        HttpClient stranger = ArsTestSupport.gateway("relay-bad-stranger").mtlsClient();
        assertProblem(NodeServer.send(stranger, GATEWAY.request(RELAY_BATCH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()), 403, "not-a-peer");
        assertNotStored(id);
    }

    /** A relay body of the peer: a message of {@code sender} to {@code target}, signed by the sender. */
    private static JsonObject relayed(String id, String text) {
        return Json.createObjectBuilder().add("messageId", id).add("senderId", sender.id()).add("senderCertificate", sender.issued().pem())
                .add("jws", sign(sender, message(target.id(), text).add("messageId", id).build())).build();
    }

    private static HttpResponse<String> postAsPeer(String path, String body) {
        return NodeServer.send(peer, GATEWAY.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** One item's result: its message ID and status, and for a refusal the problem type and a detail that says why. */
    private static void assertResult(JsonObject result, String messageId, int status, String slug) {
        assertEquals(messageId, result.getString("messageId"), result.toString());
        assertEquals(status, result.getInt("status"), result.toString());
        if (slug == null) {
            assertTrue(result.containsKey("state"), result.toString());
        } else {
            assertEquals("https://agentnet.org/problems/" + slug, result.getString("type"), result.toString());
            assertTrue(!result.getString("detail").isBlank(), result.toString());
        }
    }

    /** Submits the valid claims changed by {@code change}, expects the problem, and checks nothing was stored. */
    private static void refused(UnaryOperator<JsonObjectBuilder> change, int status, String slug) {
        String id = UUID.randomUUID().toString();
        JsonObjectBuilder claims = message(target.id(), "x").add("messageId", id);
        HttpResponse<String> response = submit(sender, sign(sender, change.apply(claims).build()));
        assertProblem(response, status, slug);
        assertNotStored(id);
    }

    private static void assertNotStored(String id) {
        assertProblem(GATEWAY.asOperator(GATEWAY.request(RelayTestSupport.MESSAGES + "/" + id).GET()), 404, "unknown-message");
    }
}
