package org.agentnet.it.agw;

import static org.agentnet.it.agw.RelayTestSupport.message;
import static org.agentnet.it.agw.RelayTestSupport.sign;
import static org.agentnet.it.agw.RelayTestSupport.submit;
import static org.agentnet.it.ars.ArsTestSupport.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.agentnet.it.NodeServer;
import org.agentnet.it.aca.AcaTestSupport;
import org.agentnet.it.ars.ArsTestSupport;
import org.agentnet.it.agw.RelayTestSupport.Agent;
import org.agentnet.it.agw.RelayTestSupport.Gateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Messages refused before anything is stored (docs/agw.md "Submit"): each refusal names a message
 * ID, and the operator finds no such message afterwards. Also the peer side without peers.
 */
class RelayBadInputIT {

    private static final Gateway GATEWAY = Gateway.main();
    private static Agent sender;
    private static Agent target;

    @BeforeAll
    static void agents() {
        sender = RelayTestSupport.agent(GATEWAY, "badsender", null);
        target = RelayTestSupport.agent(GATEWAY, "badtarget", null);
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
