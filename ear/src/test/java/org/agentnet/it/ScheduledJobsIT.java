package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The scheduled jobs as an operator sees them (their timers firing alone is proven in-container). */
class ScheduledJobsIT {

    private static final String JOB = "relay-probe-retention";

    private final HttpClient client = NodeServer.client();

    @Test
    void everyJobHasAPersistentTimerWithANextRun() {
        HttpResponse<String> response = NodeServer.send(client, NodeServer.request(NodeServer.https("/api/v1/admin/jobs"))
                .header("Authorization", NodeServer.adminAuthorization()).GET().build());
        assertEquals(200, response.statusCode(), response.body());
        JsonObject job = NodeServer.json(response).asJsonArray().stream().map(JsonValue::asJsonObject)
                .filter(j -> j.getString("name").equals(JOB)).findFirst().orElseThrow();
        assertEquals("PT1H", job.getString("interval"));
        assertTrue(Instant.parse(job.getString("nextRunAt")).isAfter(Instant.now()));
    }

    @Test
    void anOperatorCanRunAJobNow() {
        long before = job().getJsonNumber("fireCount").longValue();
        HttpResponse<String> response = NodeServer.send(client, NodeServer.request(NodeServer.https("/api/v1/admin/jobs/" + JOB + "/runs"))
                .header("Authorization", NodeServer.adminAuthorization())
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, response.statusCode(), response.body());
        JsonObject after = NodeServer.json(response).asJsonObject();
        assertEquals(before + 1, after.getJsonNumber("fireCount").longValue());
        assertEquals("SUCCEEDED", after.getString("lastOutcome"));
        assertTrue(!Instant.parse(after.getString("lastFinishedAt")).isBefore(Instant.parse(after.getString("lastStartedAt"))));
    }

    @Test
    void unknownJob() {
        ProblemDetailsIT.assertProblem(NodeServer.send(client, NodeServer.request(NodeServer.https("/api/v1/admin/jobs/no-such-job/runs"))
                .header("Authorization", NodeServer.adminAuthorization())
                .POST(HttpRequest.BodyPublishers.noBody()).build()), 404, "not-found");
    }

    private JsonObject job() {
        HttpResponse<String> response = NodeServer.send(client, NodeServer.request(NodeServer.https("/api/v1/admin/jobs/" + JOB))
                .header("Authorization", NodeServer.adminAuthorization()).GET().build());
        assertEquals(200, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonObject();
    }
}
