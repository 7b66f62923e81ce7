package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeIT {

    private final HttpClient client = NodeServer.client();

    @Test
    void describesTheNodeOverHttpAndHttps() {
        for (var uri : List.of(NodeServer.http("/api/v1/node"), NodeServer.https("/api/v1/node"))) {
            HttpResponse<String> response = NodeServer.send(client, NodeServer.request(uri).GET().build());
            assertEquals(200, response.statusCode(), uri.toString());
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
            JsonObject node = NodeServer.json(response).asJsonObject();
            assertEquals("local.agentnet", node.getString("domain"));
            assertFalse(node.getString("name").isBlank());
            assertEquals(System.getProperty("it.project.version"), node.getString("version"));
            assertEquals(List.of("aca", "ars", "agw", "task"),
                    node.getJsonArray("components").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList());
            assertTrue(Instant.parse(node.getString("startedAt")).isBefore(Instant.now()));
        }
    }

    @Test
    void tellsACallerWithoutClientCertificateHowItIsSeen() {
        JsonObject plain = NodeServer.json(NodeServer.send(client,
                NodeServer.request(NodeServer.http("/api/v1/caller")).GET().build())).asJsonObject();
        assertFalse(plain.getBoolean("secure"));
        assertFalse(plain.containsKey("clientCertificate"));
        JsonObject secure = NodeServer.json(NodeServer.send(client,
                NodeServer.request(NodeServer.https("/api/v1/caller")).GET().build())).asJsonObject();
        assertTrue(secure.getBoolean("secure"));
        assertFalse(secure.containsKey("clientCertificate"), "no client certificate was presented");
    }
}
