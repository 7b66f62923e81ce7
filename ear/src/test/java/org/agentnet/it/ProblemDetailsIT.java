package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every error, whoever raises it (resource, JAX-RS runtime, web container, security), is an
 * RFC 9457 problem with a stable type; never an HTML page or a stack trace.
 */
public class ProblemDetailsIT {

    static final String PROBES = "/api/v1/admin/diagnostics/relay-probes";
    static final int BODY_LIMIT = 1_048_576;

    private final HttpClient client = NodeServer.client();

    @Test
    void unknownPathUnderTheApi() {
        assertProblem(get(NodeServer.https("/api/v1/no-such-thing")), 404, "not-found");
    }

    @Test
    void unknownPathOutsideTheApi() {
        JsonObject problem = assertProblem(get(NodeServer.http("/no/such/page.html")), 404, "not-found");
        assertEquals("/no/such/page.html", problem.getString("instance"));
    }

    @Test
    void unsupportedMethod() {
        HttpResponse<String> response = send(NodeServer.request(NodeServer.http("/api/v1/node"))
                .DELETE().build());
        assertProblem(response, 405, "method-not-allowed");
        assertTrue(response.headers().firstValue("Allow").orElse("").contains("GET"));
    }

    @Test
    void unacceptableMediaType() {
        assertProblem(send(NodeServer.request(NodeServer.http("/api/v1/node"))
                .header("Accept", "application/xml").GET().build()), 406, "not-acceptable");
    }

    @Test
    void malformedJson() {
        JsonObject problem = assertProblem(postProbe("application/json", "{\"failDeliveries\": "), 400, "malformed-body");
        assertTrue(problem.getString("detail").contains("line 1"), problem.toString());
    }

    @Test
    void jsonOfTheWrongShape() {
        assertProblem(postProbe("application/json", "{\"failDeliveries\": \"many\"}"), 400, "malformed-body");
        assertProblem(postProbe("application/json", "[1, 2, 3]"), 400, "malformed-body");
    }

    @Test
    void wrongContentType() {
        assertProblem(postProbe("text/plain", "failDeliveries=1"), 415, "unsupported-media-type");
    }

    @Test
    void validationErrorsNameTheField() {
        JsonObject problem = assertProblem(postProbe("application/json", "{\"failDeliveries\": 99}"), 400, "validation-failed");
        JsonObject error = problem.getJsonArray("errors").getJsonObject(0);
        assertEquals("failDeliveries", error.getString("field"));
        assertFalse(error.getString("message").isBlank());
    }

    @Test
    void oversizedBodyWithContentLength() {
        assertProblem(postProbe("application/json", oversizedJson()), 413, "payload-too-large");
    }

    @Test
    void oversizedChunkedBody() {
        byte[] body = oversizedJson().getBytes();
        // a publisher of unknown length makes the client send the body chunked
        HttpRequest request = NodeServer.request(NodeServer.https(PROBES))
                .header("Authorization", NodeServer.adminAuthorization())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build();
        assertProblem(send(request), 413, "payload-too-large");
    }

    @Test
    void missingAuthenticationOnAnOperatorEndpoint() {
        HttpResponse<String> response = send(NodeServer.request(NodeServer.https("/api/v1/admin/jobs")).GET().build());
        assertProblem(response, 401, "unauthorized");
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
    }

    @Test
    void wrongPasswordOnAnOperatorEndpoint() {
        assertProblem(send(NodeServer.request(NodeServer.https("/api/v1/admin/jobs"))
                .header("Authorization", NodeServer.basic("admin", "not-the-password")).GET().build()), 401, "unauthorized");
    }

    @Test
    void unknownProbe() {
        assertProblem(send(NodeServer.request(NodeServer.https(PROBES + "/00000000-0000-0000-0000-000000000000"))
                .header("Authorization", NodeServer.adminAuthorization()).GET().build()), 404, "not-found");
    }

    private static String oversizedJson() {
        char[] padding = new char[BODY_LIMIT + 10];
        Arrays.fill(padding, ' ');
        return "{\"failDeliveries\": 0" + new String(padding) + "}";
    }

    private HttpResponse<String> postProbe(String contentType, String body) {
        return send(NodeServer.request(NodeServer.https(PROBES))
                .header("Authorization", NodeServer.adminAuthorization())
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private HttpResponse<String> get(URI uri) {
        return send(NodeServer.request(uri).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        return NodeServer.send(client, request);
    }

    public static JsonObject assertProblem(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response.body());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(contentType.startsWith("application/problem+json"), contentType);
        JsonObject problem = NodeServer.json(response).asJsonObject();
        assertEquals("https://agentnet.org/problems/" + type, problem.getString("type"));
        assertEquals(status, problem.getInt("status"));
        assertFalse(problem.getString("title").isBlank());
        assertFalse(problem.getString("detail").isBlank());
        assertFalse(response.body().contains("Exception"), "no exception leaks: " + response.body());
        return problem;
    }
}
