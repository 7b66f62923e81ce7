package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Health, metrics and OpenAPI, as an operator and a monitoring system reach them. */
class HealthAndOperationsIT {

    private final HttpClient client = NodeServer.client();

    @Test
    void readinessChecksTheDatabaseTheMessagingEngineAndTheServedNodeCertificate() {
        HttpResponse<String> response = NodeServer.send(client,
                NodeServer.request(NodeServer.http("/health/ready")).GET().build());
        assertEquals(200, response.statusCode());
        JsonObject health = NodeServer.json(response).asJsonObject();
        assertEquals("UP", health.getString("status"));
        Map<String, String> checks = health.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(c -> c.getString("name"), c -> c.getString("status")));
        assertEquals(Map.of("database", "UP", "messaging", "UP", "node-identity", "UP"), checks);
    }

    @Test
    void livenessIsUp() {
        HttpResponse<String> response = NodeServer.send(client,
                NodeServer.request(NodeServer.http("/health/live")).GET().build());
        assertEquals(200, response.statusCode());
        assertEquals("UP", NodeServer.json(response).asJsonObject().getString("status"));
    }

    @Test
    void metricsAreForOperatorsOnly() {
        HttpResponse<String> anonymous = NodeServer.send(client,
                NodeServer.request(NodeServer.https("/metrics")).GET().build());
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> operator = NodeServer.send(client, NodeServer.request(NodeServer.https("/metrics"))
                .header("Authorization", NodeServer.adminAuthorization()).GET().build());
        assertEquals(200, operator.statusCode());
        assertTrue(operator.body().contains("jvm_uptime_seconds"), "base metrics are exported");
    }

    @Test
    void openApiDocumentsTheApiAndServesItsUi() {
        HttpResponse<String> document = NodeServer.send(client,
                NodeServer.request(NodeServer.http("/openapi")).GET().build());
        assertEquals(200, document.statusCode());
        assertTrue(document.body().contains("/api/v1/node"), document.body());
        assertTrue(document.body().contains("/api/v1/admin/jobs"));
        HttpResponse<String> ui = NodeServer.send(client, NodeServer.request(NodeServer.http("/openapi/ui/")).GET().build());
        assertEquals(200, ui.statusCode());
        assertTrue(ui.body().toLowerCase().contains("<html"));
    }
}
