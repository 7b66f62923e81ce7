package org.agentnet.it.agw;

import static org.agentnet.it.agw.AgwTestSupport.access;
import static org.agentnet.it.agw.AgwTestSupport.accessed;
import static org.agentnet.it.agw.AgwTestSupport.claims;
import static org.agentnet.it.agw.AgwTestSupport.heartbeat;
import static org.agentnet.it.agw.AgwTestSupport.sign;
import static org.agentnet.it.ars.ArsTestSupport.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import org.agentnet.it.NodeServer;
import org.agentnet.it.aca.AcaTestSupport;
import org.agentnet.it.ars.ArsTestSupport;
import org.junit.jupiter.api.Test;

/** Refused access requests and heartbeats: a clear 4xx problem each, and nothing changed. */
class AgentAccessBadInputIT {

    @Test
    void refusedAccessRequestsCreateNothing() {
        AgwTestSupport.Registered agent = AgwTestSupport.registered("bad");
        PrivateKey key = agent.agent().keys().getPrivate();
        String valid = sign(key, claims(agent.id()).build());

        assertProblem(access(NodeServer.client(), valid), 401, "identity-not-verified");
        PrivateKey otherKey = AcaTestSupport.ecKeys("secp256r1").getPrivate();
        assertProblem(access(agent.client(), sign(otherKey, claims(agent.id()).build())), 401, "invalid-signature");
        String[] parts = sign(key, claims(agent.id()).build()).split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims("someone-else").build().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertProblem(access(agent.client(), parts[0] + "." + forged + "." + parts[2]), 401, "invalid-signature");
        assertProblem(access(agent.client(), sign(key, claims(agent.id()).add("iat", Instant.now().minusSeconds(600).getEpochSecond()).build())),
                401, "request-expired");
        assertProblem(access(agent.client(), sign(key, claims(agent.id()).add("iat", Instant.now().plusSeconds(600).getEpochSecond()).build())),
                401, "request-expired");
        assertProblem(access(agent.client(), "not a jws"), 400, "malformed-body");
        assertProblem(access(agent.client(), sign(key, claims(agent.id()).remove("addresses").build())), 400, "validation-failed");
        assertProblem(access(agent.client(), sign(key, claims(agent.id()).add("protocols", Json.createArrayBuilder().add("CARRIER-PIGEON")).build())),
                400, "unknown-protocol");
        assertProblem(access(agent.client(), sign(key, claims(agent.id()).add("heartbeatInterval", "often").build())), 400, "validation-failed");
        assertProblem(access(agent.client(), sign(key, claims(agent.id()).add("extra", 1).build())), 400, "validation-failed");
        assertProblem(access(agent.client(), sign(key, claims(agent.id()).add("agentUri", "agent://x.example/o/n").build())),
                403, "identity-mismatch");
        assertProblem(access(agent.client(), sign(key, claims("00000000-0000-0000-0000-000000000000").build())), 404, "unknown-agent");

        // nothing of that created a record
        assertProblem(heartbeat(agent, "RUNNING", null), 404, "not-accessed");
        assertProblem(ArsTestSupport.get(agent.client(), AgwTestSupport.AGENTS + agent.id()), 404, "not-accessed");

        // the valid request passes once; replayed, it is refused
        assertEquals(201, access(agent.client(), valid).statusCode());
        assertProblem(access(agent.client(), valid), 409, "replayed-request");
    }

    @Test
    void anAgentNotRegisteredOrAnotherAgentsIdIsRefused() {
        AcaTestSupport.IssuedAgent unregistered = ArsTestSupport.agent("unreg");
        JsonObject byUri = claims("x").remove("agentId").add("agentUri", AgwTestSupport.agentUri(unregistered)).build();
        assertProblem(access(unregistered.mtlsClient(), sign(unregistered.keys().getPrivate(), byUri)), 404, "unknown-agent");

        AgwTestSupport.Registered owner = AgwTestSupport.registered("owner");
        assertProblem(access(unregistered.mtlsClient(), sign(unregistered.keys().getPrivate(), claims(owner.id()).build())),
                403, "identity-mismatch");
        assertProblem(heartbeat(owner, "RUNNING", null), 404, "not-accessed");
    }

    @Test
    void heartbeatsOfTheWrongAgentOrWithBadBodiesAreRefused() {
        AgwTestSupport.Registered agent = AgwTestSupport.registered("hbbad");
        AgwTestSupport.Registered other = AgwTestSupport.registered("hbother");
        accessed(agent);
        assertProblem(heartbeat(other.client(), agent.id(), "{\"status\":\"RUNNING\"}"), 403, "identity-mismatch");
        assertProblem(heartbeat(NodeServer.client(), agent.id(), "{\"status\":\"RUNNING\"}"), 401, "identity-not-verified");
        assertProblem(heartbeat(agent.client(), agent.id(), "{\"status\":\"SLEEPING\"}"), 400, "validation-failed");
        assertProblem(heartbeat(agent.client(), agent.id(), "{\"detail\":\"no status\"}"), 400, "validation-failed");
        HttpResponse<String> malformed = heartbeat(agent.client(), agent.id(), "{\"status\":");
        assertEquals(400, malformed.statusCode(), malformed.body());
        assertProblem(heartbeat(agent.client(), agent.id(), "{\"status\":\"TEMPORARILY_OFFLINE\",\"detail\":\"" + "x".repeat(201) + "\"}"),
                400, "validation-failed");
        assertProblem(heartbeat(agent.client(), "no-such-agent", "{\"status\":\"RUNNING\"}"), 404, "not-accessed");
        // none of it changed the agent's standing
        assertEquals("ONLINE", AgwTestSupport.arsAgent(agent.id()).getString("status"));
        assertProblem(NodeServer.send(other.client(), NodeServer.request(NodeServer.https(AgwTestSupport.AGENTS + agent.id())).DELETE().build()),
                403, "identity-mismatch");
        assertEquals(204, heartbeat(agent, "RUNNING", null).statusCode());
    }

    @Test
    void aRevokedCertificateIsRefusedOnTheNextHeartbeat() {
        AgwTestSupport.Registered agent = AgwTestSupport.registered("revoked");
        accessed(agent);
        assertEquals(204, heartbeat(agent, "RUNNING", null).statusCode());
        HttpResponse<String> revoked = AcaTestSupport.revoke(agent.agent().serial(), "keyCompromise");
        assertEquals(200, revoked.statusCode(), revoked.body());
        HttpResponse<String> refused = heartbeat(agent, "RUNNING", null);
        assertProblem(refused, 401, "identity-not-verified");
        assertProblem(AgwTestSupport.access(agent), 401, "identity-not-verified");
    }
}
