package org.agentnet.it.agw;

import static org.agentnet.it.agw.AgwTestSupport.accessed;
import static org.agentnet.it.agw.AgwTestSupport.arsAgent;
import static org.agentnet.it.agw.AgwTestSupport.heartbeat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.agentnet.it.NodeServer;
import org.agentnet.it.ars.ArsTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Agent access and heartbeats (draft 3.3.1) over HTTPS with real agent certificates, on the IT
 * server's short heartbeat interval (ear/pom.xml: 2 s, hold 3 intervals, a sweep every second).
 */
class AgentAccessIT {

    @Test
    void accessHeartbeatSilenceAndReturn() throws Exception {
        AgwTestSupport.Registered agent = AgwTestSupport.registered("access");
        JsonObject record = accessed(agent);
        assertEquals(agent.id(), record.getString("agentId"));
        assertEquals(agent.agent().serial().toLowerCase(), record.getString("certificateSerial").toLowerCase());
        assertEquals("RUNNING", record.getString("status"));
        // the agent asked for 30 s; the gateway's shorter interval wins
        long interval = AgwTestSupport.INTERVAL.toSeconds();
        assertEquals(interval, record.getInt("heartbeatInterval"));
        assertEquals(3 * interval, record.getInt("holdTime"));
        assertEquals("A2A-JSONRPC", record.getJsonArray("addresses").getJsonObject(0).getString("protocol"));

        // access again: the same record, updated
        HttpResponse<String> again = AgwTestSupport.access(agent);
        assertEquals(200, again.statusCode(), again.body());

        // the node's last-seen time is no earlier than the moment the heartbeat was sent: the lower
        // bound of the silence (the checks below may take seconds on a loaded machine)
        Instant silentSince = Instant.now();
        assertEquals(204, heartbeat(agent, "RUNNING", null).statusCode());
        assertEquals("ONLINE", arsAgent(agent.id()).getString("status"));
        assertTrue(ArsTestSupport.ids(ArsTestSupport.discover(agent.client(), "capability", "agw-access")).contains(agent.id()));

        // silent: OFFLINE within hold + one sweep (plus the time a sweep takes), with a reason
        Duration limit = AgwTestSupport.INTERVAL.multipliedBy(3).plus(AgwTestSupport.SWEEP).plusSeconds(5);
        JsonObject offline = awaitStatus(agent.id(), "OFFLINE", limit);
        assertTrue(offline.getString("statusReason").startsWith("no heartbeat since "), offline.toString());
        assertTrue(Duration.between(silentSince, Instant.now()).compareTo(AgwTestSupport.INTERVAL.multipliedBy(3).minusSeconds(1)) >= 0,
                "not before the hold time");
        assertFalse(ArsTestSupport.ids(ArsTestSupport.discover(agent.client(), "capability", "agw-access")).contains(agent.id()));
        assertTrue(ArsTestSupport.ids(ArsTestSupport.discover(agent.client(), "capability", "agw-access", "status", "OFFLINE"))
                .contains(agent.id()));

        // a heartbeat brings it back at once
        assertEquals(204, heartbeat(agent, "RUNNING", null).statusCode());
        assertEquals("ONLINE", arsAgent(agent.id()).getString("status"));
        HttpResponse<String> seen = ArsTestSupport.get(agent.client(), AgwTestSupport.AGENTS + agent.id());
        assertEquals(200, seen.statusCode(), seen.body());
        assertEquals("RUNNING", NodeServer.json(seen).asJsonObject().getString("status"));
    }

    @Test
    void temporarilyOfflineAndBack() {
        AgwTestSupport.Registered agent = AgwTestSupport.registered("temp");
        accessed(agent);
        assertEquals(204, heartbeat(agent, "TEMPORARILY_OFFLINE", "nightly maintenance").statusCode());
        JsonObject offline = arsAgent(agent.id());
        assertEquals("OFFLINE", offline.getString("status"));
        assertEquals("temporarily offline: nightly maintenance", offline.getString("statusReason"));
        assertEquals(204, heartbeat(agent, "RUNNING", null).statusCode());
        assertEquals("ONLINE", arsAgent(agent.id()).getString("status"));
    }

    @Test
    void withdrawalDeletesTheRecordAndSetsTheAgentOffline() {
        AgwTestSupport.Registered agent = AgwTestSupport.registered("withdraw");
        accessed(agent);
        HttpResponse<String> deleted = NodeServer.send(agent.client(),
                NodeServer.request(NodeServer.https(AgwTestSupport.AGENTS + agent.id())).DELETE().build());
        assertEquals(204, deleted.statusCode(), deleted.body());
        JsonObject ars = arsAgent(agent.id());
        assertEquals("OFFLINE", ars.getString("status"));
        assertTrue(ars.getString("statusReason").startsWith("withdrawn from the gateway by agent://"), ars.toString());
        ArsTestSupport.assertProblem(heartbeat(agent, "RUNNING", null), 404, "not-accessed");
        ArsTestSupport.assertProblem(ArsTestSupport.get(agent.client(), AgwTestSupport.AGENTS + agent.id()), 404, "not-accessed");
        // and it may access again: a new record, ONLINE
        accessed(agent);
        assertEquals("ONLINE", arsAgent(agent.id()).getString("status"));
    }

    @Test
    void anOperatorWithdrawsAnAgent() {
        AgwTestSupport.Registered agent = AgwTestSupport.registered("opwithdraw");
        accessed(agent);
        HttpResponse<String> deleted = ArsTestSupport.asOperator(NodeServer.request(NodeServer.https(AgwTestSupport.AGENTS + agent.id())).DELETE());
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertTrue(arsAgent(agent.id()).getString("statusReason").startsWith("withdrawn from the gateway by operator"));
    }

    private static JsonObject awaitStatus(String id, String status, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        JsonObject agent = arsAgent(id);
        while (!agent.getString("status").equals(status)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not " + status + " within " + limit + ": " + agent);
            }
            Thread.sleep(200);
            agent = arsAgent(id);
        }
        return agent;
    }
}
