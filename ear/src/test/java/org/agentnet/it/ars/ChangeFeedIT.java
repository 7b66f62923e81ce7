package org.agentnet.it.ars;

import static org.agentnet.it.ars.ArsTestSupport.AGENTS;
import static org.agentnet.it.ars.ArsTestSupport.assertProblem;
import static org.agentnet.it.ars.ArsTestSupport.delete;
import static org.agentnet.it.ars.ArsTestSupport.get;
import static org.agentnet.it.ars.ArsTestSupport.profile;
import static org.agentnet.it.ars.ArsTestSupport.put;
import static org.agentnet.it.ars.ArsTestSupport.registered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.agentnet.it.NodeServer;
import org.agentnet.it.aca.AcaTestSupport;
import org.junit.jupiter.api.Test;

/** The change feed peer ARSs pull (docs/ars.md): compacted, in seq order, for gateways and operators. */
class ChangeFeedIT {

    private static final String CHANGES = "/api/v1/ars/changes";

    @Test
    void aGatewayFollowsRegistrationsUpdatesAndDeregistrationsInSeqOrder() {
        HttpClient gateway = ArsTestSupport.gateway("peer").mtlsClient();
        long start = feed(gateway, 0, 1).getJsonNumber("latest").longValue();

        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("feed");
        JsonObject created = registered(agent, profile(agent, "fed"));
        String id = created.getString("id");
        JsonObject registered = only(changesOf(gateway, start, id));
        assertEquals("REGISTERED", registered.getString("kind"));
        assertEquals(created, registered.getJsonObject("profile"), "the profile is the same JSON as GET /agents/{id}");
        long firstSeq = registered.getJsonNumber("seq").longValue();
        assertTrue(firstSeq > start);

        HttpResponse<String> updated = put(agent.mtlsClient(), AGENTS + "/" + id, "\"" + created.getJsonNumber("revision") + "\"",
                profile(agent, "fed", "updated").build());
        assertEquals(200, updated.statusCode(), updated.body());
        JsonObject update = only(changesOf(gateway, start, id));
        assertEquals("UPDATED", update.getString("kind"), "compacted: only the latest change of the agent");
        assertTrue(update.getJsonNumber("seq").longValue() > firstSeq);
        assertEquals(List.of(), changesOf(gateway, update.getJsonNumber("seq").longValue(), id), "nothing after the latest");

        assertEquals(204, delete(agent.mtlsClient(), AGENTS + "/" + id, null).statusCode());
        JsonObject tombstone = only(changesOf(gateway, 0, id));
        assertEquals("DEREGISTERED", tombstone.getString("kind"));
        assertEquals("DEREGISTERED", tombstone.getJsonObject("profile").getString("status"));
        assertEquals(id, tombstone.getString("agentId"));
    }

    @Test
    void pagesAreOrderedBoundedAndSayWhereToGoOn() {
        HttpClient gateway = ArsTestSupport.gateway("pager").mtlsClient();
        for (int i = 0; i < 3; i++) {
            AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("page");
            registered(agent, profile(agent, "paged"));
        }
        JsonObject page = feed(gateway, 0, 2);
        assertEquals(2, page.getJsonArray("changes").size());
        long previous = 0;
        for (JsonValue change : page.getJsonArray("changes")) {
            long seq = change.asJsonObject().getJsonNumber("seq").longValue();
            assertTrue(seq > previous);
            previous = seq;
        }
        assertEquals(previous, page.getJsonNumber("next").longValue());
        assertTrue(page.getJsonNumber("latest").longValue() >= previous);
        assertEquals("local.agentnet", page.getString("domain"));
        assertTrue(!page.getString("node").isBlank());

        JsonObject end = feed(gateway, page.getJsonNumber("latest").longValue(), 10);
        assertEquals(0, end.getJsonArray("changes").size());
        assertEquals(page.getJsonNumber("latest").longValue(), end.getJsonNumber("next").longValue());
        assertProblem(get(gateway, CHANGES + "?limit=1001"), 400, "validation-failed");
        assertProblem(get(gateway, CHANGES + "?since=-1"), 400, "validation-failed");
    }

    @Test
    void agentsAndAnonymousCallersMayNotReadIt() {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("nosy");
        assertProblem(get(agent.mtlsClient(), CHANGES), 403, "wrong-certificate-role");
        assertProblem(get(NodeServer.client(), CHANGES), 401, "identity-not-verified");
        HttpResponse<String> operator = ArsTestSupport.asOperator(NodeServer.request(NodeServer.https(CHANGES + "?limit=1")).GET());
        assertEquals(200, operator.statusCode(), operator.body());
    }

    private static JsonObject feed(HttpClient client, long since, int limit) {
        HttpResponse<String> response = get(client, CHANGES + "?since=" + since + "&limit=" + limit);
        assertEquals(200, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonObject();
    }

    /** Every change of one agent after {@code since}, reading the feed to its end. */
    private static List<JsonObject> changesOf(HttpClient client, long since, String agentId) {
        List<JsonObject> found = new ArrayList<>();
        long next = since;
        for (int pages = 0; pages < 1000; pages++) {
            JsonObject page = feed(client, next, 1000);
            page.getJsonArray("changes").stream().map(JsonValue::asJsonObject)
                    .filter(c -> c.getString("agentId").equals(agentId)).forEach(found::add);
            if (page.getJsonArray("changes").isEmpty()) {
                return found;
            }
            next = page.getJsonNumber("next").longValue();
        }
        throw new AssertionError("the feed did not end");
    }

    private static JsonObject only(List<JsonObject> changes) {
        assertEquals(1, changes.size(), changes.toString());
        return changes.get(0);
    }
}
