package org.agentnet.it.ars;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.UUID;
import org.agentnet.it.NodeServer;
import org.agentnet.it.aca.AcaTestSupport;

/**
 * What the ARS integration tests share: agents and gateways with certificates from the node's
 * own ACA (through {@link AcaTestSupport}), profiles, and the ARS requests over mutual TLS.
 */
public final class ArsTestSupport {

    public static final String AGENTS = "/api/v1/ars/agents";
    static final String ORGANIZATION = "Ars Tests";

    private ArsTestSupport() {
    }

    /** A fresh agent with its own certificate; names are unique per call. */
    public static AcaTestSupport.IssuedAgent agent(String prefix) {
        return AcaTestSupport.issueAgent(unique(prefix), ORGANIZATION);
    }

    /** A gateway (agw:// identity) with a certificate from the node's ACA. */
    public static AcaTestSupport.IssuedAgent gateway(String prefix) {
        KeyPair keys = AcaTestSupport.ecKeys("secp256r1");
        String token = AcaTestSupport.enrollmentToken(ORGANIZATION, "GATEWAY", List.of("gateway"), List.of("relay", "peering"));
        HttpResponse<String> response = AcaTestSupport.apply(AcaTestSupport.application(AcaTestSupport.csr(keys), unique(prefix),
                ORGANIZATION, "gateway", List.of("relay", "peering"), token).add("profile", "GATEWAY"));
        assertEquals(201, response.statusCode(), response.body());
        JsonObject application = NodeServer.json(response).asJsonObject();
        JsonObject certificate = application.getJsonObject("certificate");
        return new AcaTestSupport.IssuedAgent(application.getString("agentName"), keys, certificate.getString("serial"),
                certificate.getString("pem"), AcaTestSupport.parse(certificate.getString("pem")), application, null);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String name(AcaTestSupport.IssuedAgent agent) {
        return agent.application().getString("agentName");
    }

    /** A valid profile for the agent: one skill with the given id and tags, HTTP and A2A, English. */
    public static JsonObjectBuilder profile(AcaTestSupport.IssuedAgent agent, String skillId, String... tags) {
        return Json.createObjectBuilder()
                .add("name", name(agent))
                .add("organization", ORGANIZATION)
                .add("description", "Plans trips for " + name(agent))
                .add("version", "1.0.0")
                .add("skills", Json.createArrayBuilder().add(skill(skillId, "Skill " + skillId, "Does " + skillId, tags)))
                .add("protocols", array("A2A-JSONRPC", "HTTP"))
                .add("dataFormats", array("application/json"))
                .add("languages", array("en"))
                .add("addresses", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("url", "https://" + name(agent).toLowerCase() + ".agents.example/a2a").add("protocol", "A2A-JSONRPC")));
    }

    static JsonObjectBuilder skill(String id, String name, String description, String... tags) {
        return Json.createObjectBuilder().add("id", id).add("name", name).add("description", description)
                .add("tags", array(tags));
    }

    static JsonArrayBuilder array(String... values) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }

    static HttpResponse<String> register(HttpClient client, JsonObject profile) {
        return NodeServer.send(client, NodeServer.request(NodeServer.https(AGENTS))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(profile.toString())).build());
    }

    /** Registers the agent with {@code profile}, expecting 201; the answer's body. */
    public static JsonObject registered(AcaTestSupport.IssuedAgent agent, JsonObjectBuilder profile) {
        HttpResponse<String> response = register(agent.mtlsClient(), profile.build());
        assertEquals(201, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonObject();
    }

    public static HttpResponse<String> get(HttpClient client, String path) {
        return NodeServer.send(client, NodeServer.request(NodeServer.https(path)).GET().build());
    }

    static HttpResponse<String> put(HttpClient client, String path, String ifMatch, JsonObject body) {
        HttpRequest.Builder request = NodeServer.request(NodeServer.https(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return NodeServer.send(client, request.build());
    }

    static HttpResponse<String> delete(HttpClient client, String path, String ifMatch) {
        HttpRequest.Builder request = NodeServer.request(NodeServer.https(path)).DELETE();
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return NodeServer.send(client, request.build());
    }

    public static HttpResponse<String> asOperator(HttpRequest.Builder request) {
        return NodeServer.send(NodeServer.client(), request.header("Authorization", NodeServer.adminAuthorization()).build());
    }

    /** GET /api/v1/ars/agents with the query (parameters as given, values URL-encoded), expecting 200. */
    public static JsonObject discover(HttpClient client, String... parameters) {
        HttpResponse<String> response = get(client, AGENTS + query(parameters));
        assertEquals(200, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonObject();
    }

    static String query(String... parameters) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i + 1 < parameters.length; i += 2) {
            query.append(query.length() == 0 ? '?' : '&').append(parameters[i]).append('=')
                    .append(URLEncoder.encode(parameters[i + 1], StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    /** The IDs of a discovery answer's items, in order. */
    public static List<String> ids(JsonObject page) {
        JsonArray items = page.getJsonArray("items");
        return items.stream().map(JsonValue::asJsonObject).map(o -> o.getString("id")).toList();
    }

    public static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse("").split(";")[0],
                response.body());
        assertEquals("https://agentnet.org/problems/" + slug, NodeServer.json(response).asJsonObject().getString("type"),
                response.body());
    }
}
