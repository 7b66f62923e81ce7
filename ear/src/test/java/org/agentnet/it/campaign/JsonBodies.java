package org.agentnet.it.campaign;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON bodies with one place changed: the base document written out again with the value at a
 * path replaced by raw bytes (which need not be JSON), or the member left out, or a member
 * repeated. Paths are lists of member names (String) and array indices (Integer).
 */
final class JsonBodies {

    private JsonBodies() {
    }

    /** Every path of the document down to {@code depth} levels (members of objects, elements of arrays). */
    static List<List<Object>> paths(JsonValue document, int depth) {
        List<List<Object>> paths = new ArrayList<>();
        collect(document, new ArrayList<>(), depth, paths);
        return paths;
    }

    private static void collect(JsonValue value, List<Object> at, int depth, List<List<Object>> paths) {
        if (depth == 0) {
            return;
        }
        if (value instanceof JsonObject object) {
            for (String name : object.keySet()) {
                List<Object> path = new ArrayList<>(at);
                path.add(name);
                paths.add(path);
                collect(object.get(name), path, depth - 1, paths);
            }
        } else if (value instanceof JsonArray array) {
            for (int i = 0; i < array.size() && i < 2; i++) {
                List<Object> path = new ArrayList<>(at);
                path.add(i);
                paths.add(path);
                collect(array.get(i), path, depth - 1, paths);
            }
        }
    }

    static String describe(List<Object> path) {
        StringBuilder text = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                text.append(text.length() == 0 ? "" : ".").append(step);
            }
        }
        return text.toString();
    }

    /** The document with the value at {@code path} replaced by {@code replacement} (null: the member is left out). */
    static byte[] replace(JsonValue document, List<Object> path, byte[] replacement) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(document, path, 0, replacement, null, out);
        return out.toByteArray();
    }

    /** The document with the top-level member {@code name} written twice: first with {@code first}, then with its own value. */
    static byte[] duplicate(JsonObject document, String name, byte[] first, boolean mutatedFirst) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('{');
        boolean comma = false;
        for (Map.Entry<String, JsonValue> member : document.entrySet()) {
            if (comma) {
                out.write(',');
            }
            comma = true;
            if (member.getKey().equals(name)) {
                byte[] own = bytes(member.getValue());
                out.writeBytes(Mutations.json(name));
                out.write(':');
                out.writeBytes(mutatedFirst ? first : own);
                out.write(',');
                out.writeBytes(Mutations.json(name));
                out.write(':');
                out.writeBytes(mutatedFirst ? own : first);
            } else {
                out.writeBytes(Mutations.json(member.getKey()));
                out.write(':');
                out.writeBytes(bytes(member.getValue()));
            }
        }
        out.write('}');
        return out.toByteArray();
    }

    /** The document with a member added at the top level. */
    static byte[] withExtraMember(JsonObject document, String name, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] own = bytes(document);
        out.write(own, 0, own.length - 1);
        if (!document.isEmpty()) {
            out.write(',');
        }
        out.writeBytes(Mutations.json(name));
        out.write(':');
        out.writeBytes(value);
        out.write('}');
        return out.toByteArray();
    }

    static byte[] bytes(JsonValue value) {
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonValue value, List<Object> path, int level, byte[] replacement, Object unused, ByteArrayOutputStream out) {
        if (value instanceof JsonObject object) {
            out.write('{');
            boolean comma = false;
            for (Map.Entry<String, JsonValue> member : object.entrySet()) {
                boolean target = level < path.size() && member.getKey().equals(path.get(level));
                boolean last = target && level == path.size() - 1;
                if (last && replacement == null) {
                    continue;
                }
                if (comma) {
                    out.write(',');
                }
                comma = true;
                out.writeBytes(Mutations.json(member.getKey()));
                out.write(':');
                if (last) {
                    out.writeBytes(replacement);
                } else if (target) {
                    write(member.getValue(), path, level + 1, replacement, null, out);
                } else {
                    out.writeBytes(bytes(member.getValue()));
                }
            }
            out.write('}');
        } else if (value instanceof JsonArray array) {
            out.write('[');
            boolean comma = false;
            for (int i = 0; i < array.size(); i++) {
                boolean target = level < path.size() && path.get(level).equals(i);
                boolean last = target && level == path.size() - 1;
                if (last && replacement == null) {
                    continue;
                }
                if (comma) {
                    out.write(',');
                }
                comma = true;
                if (last) {
                    out.writeBytes(replacement);
                } else if (target) {
                    write(array.get(i), path, level + 1, replacement, null, out);
                } else {
                    out.writeBytes(bytes(array.get(i)));
                }
            }
            out.write(']');
        } else {
            out.writeBytes(bytes(value));
        }
    }
}
