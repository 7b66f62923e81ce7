package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every operation the running node serves, read from its own OpenAPI document ({@code GET /openapi}):
 * the security tests (authorization matrix, bad-input campaign) are generated from this list, so an
 * endpoint added without a rule in those tests makes them fail instead of going unchecked.
 * Servlets outside JAX-RS (health, metrics, OpenAPI itself) are not in the document; the tests that
 * need them name them.
 */
public final class NodeEndpoints {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    /**
     * One operation: its method (upper case), its path template as documented (e.g.
     * {@code /api/v1/ars/agents/{id}}), the names of its path parameters, and whether it takes a body.
     */
    public record Endpoint(String method, String path, List<String> pathParameters, boolean takesBody) {

        /** The key tests write rules against: {@code "GET /api/v1/ars/agents/{id}"}. */
        public String key() {
            return method + " " + path;
        }

        /** The path with each parameter replaced by the given value (URL-encoded by the caller if needed). */
        public String expand(java.util.function.Function<String, String> valueOfParameter) {
            String expanded = path;
            for (String name : pathParameters) {
                expanded = expanded.replace("{" + name + "}", valueOfParameter.apply(name));
            }
            return expanded;
        }

        @Override
        public String toString() {
            return key();
        }
    }

    private NodeEndpoints() {
    }

    /** All operations of the node's OpenAPI document, sorted by path then method. */
    public static List<Endpoint> all() {
        HttpResponse<String> response = NodeServer.send(NodeServer.client(),
                NodeServer.request(NodeServer.http("/openapi")).header("Accept", "application/json").GET().build());
        assertEquals(200, response.statusCode(), "the node serves its OpenAPI document: " + response.body());
        JsonObject document = NodeServer.json(response).asJsonObject();
        List<Endpoint> endpoints = new ArrayList<>();
        for (var path : document.getJsonObject("paths").entrySet()) {
            JsonObject item = path.getValue().asJsonObject();
            List<String> shared = parameterNames(item);
            for (var operation : item.entrySet()) {
                if (!METHODS.contains(operation.getKey())) {
                    continue;
                }
                JsonObject details = operation.getValue().asJsonObject();
                List<String> parameters = new ArrayList<>(shared);
                for (String name : parameterNames(details)) {
                    if (!parameters.contains(name)) {
                        parameters.add(name);
                    }
                }
                for (String name : templateNames(path.getKey())) {
                    if (!parameters.contains(name)) {
                        parameters.add(name);
                    }
                }
                endpoints.add(new Endpoint(operation.getKey().toUpperCase(Locale.ROOT), path.getKey(), List.copyOf(parameters),
                        details.containsKey("requestBody")));
            }
        }
        assertFalse(endpoints.isEmpty(), "the OpenAPI document lists no operation");
        endpoints.sort(Comparator.comparing(Endpoint::path).thenComparing(Endpoint::method));
        return List.copyOf(endpoints);
    }

    private static List<String> parameterNames(JsonObject holder) {
        List<String> names = new ArrayList<>();
        if (holder.get("parameters") instanceof jakarta.json.JsonArray parameters) {
            for (JsonValue parameter : parameters) {
                JsonObject p = parameter.asJsonObject();
                if ("path".equals(p.getString("in", ""))) {
                    names.add(p.getString("name"));
                }
            }
        }
        return names;
    }

    private static List<String> templateNames(String path) {
        List<String> names = new ArrayList<>();
        var matcher = java.util.regex.Pattern.compile("\\{([^}/]+)}").matcher(path);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
