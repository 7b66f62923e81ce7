package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The relay queue end to end, through the operator's probe: a message sent is consumed by the
 * MDB; refused deliveries are redelivered; past the queue's limit (5) it is dead-lettered and the
 * dead-letter consumer makes that visible.
 */
class RelayMessagingIT {

    private static final String PROBES = "/api/v1/admin/diagnostics/relay-probes";

    private final HttpClient client = NodeServer.client();

    @Test
    void aMessageSentIsConsumed() {
        JsonObject settled = awaitSettled(send(0));
        assertEquals("CONSUMED", settled.getString("state"));
        assertEquals(1, settled.getInt("deliveryAttempts"));
        assertEquals("admin", settled.getString("requestedBy"));
    }

    @Test
    void refusedDeliveriesAreRedelivered() {
        JsonObject settled = awaitSettled(send(2));
        assertEquals("CONSUMED", settled.getString("state"));
        assertEquals(3, settled.getInt("deliveryAttempts"));
    }

    @Test
    void aMessageNobodyAcceptsIsDeadLettered() {
        JsonObject settled = awaitSettled(send(20));
        assertEquals("DEAD_LETTERED", settled.getString("state"));
        assertEquals(0, settled.getInt("deliveryAttempts"));
    }

    private String send(int failDeliveries) {
        HttpResponse<String> response = NodeServer.send(client, NodeServer.request(NodeServer.https(PROBES))
                .header("Authorization", NodeServer.adminAuthorization())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"failDeliveries\": " + failDeliveries + "}"))
                .build());
        assertEquals(202, response.statusCode(), response.body());
        JsonObject probe = NodeServer.json(response).asJsonObject();
        assertEquals("SENT", probe.getString("state"));
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.endsWith(PROBES + "/" + probe.getString("id")), location);
        return probe.getString("id");
    }

    private JsonObject awaitSettled(String id) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            HttpResponse<String> response = NodeServer.send(client, NodeServer.request(NodeServer.https(PROBES + "/" + id))
                    .header("Authorization", NodeServer.adminAuthorization()).GET().build());
            assertEquals(200, response.statusCode(), response.body());
            JsonObject probe = NodeServer.json(response).asJsonObject();
            if (!"SENT".equals(probe.getString("state"))) {
                assertTrue(probe.containsKey("settledAt"));
                return probe;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("probe " + id + " not settled within 30 s: " + probe);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
