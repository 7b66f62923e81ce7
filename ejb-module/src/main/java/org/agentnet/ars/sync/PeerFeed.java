package org.agentnet.ars.sync;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.agentnet.ars.ChangeKind;
import org.agentnet.ars.RemoteChange;

/**
 * One page of a peer's change feed ({@code GET /api/v1/ars/changes}), read strictly: a peer that
 * answers something else is reported, not half applied.
 */
record PeerFeed(String node, String domain, String gateway, List<RemoteChange> changes, long next, long latest) {

    private static final JsonProvider JSON = JsonProvider.provider();

    /** Thrown for an answer that is not a change feed page. */
    static final class MalformedFeed extends RuntimeException {
        MalformedFeed(String message) {
            super(message);
        }
    }

    static PeerFeed parse(String body) {
        try {
            JsonObject page = JSON.createReader(new StringReader(body)).readObject();
            List<RemoteChange> changes = new ArrayList<>();
            long previous = 0;
            for (JsonValue value : array(page, "changes")) {
                if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                    throw new MalformedFeed("a change is not an object");
                }
                JsonObject change = value.asJsonObject();
                long seq = number(change, "seq");
                if (seq <= previous) {
                    throw new MalformedFeed("changes out of seq order at " + seq);
                }
                previous = seq;
                changes.add(new RemoteChange(seq, kind(change), text(change, "agentId"),
                        Instant.parse(text(change, "time")), object(change, "profile")));
            }
            long next = number(page, "next");
            long latest = number(page, "latest");
            if (!changes.isEmpty() && next != previous) {
                throw new MalformedFeed("next " + next + " is not the last seq " + previous);
            }
            String gateway = page.containsKey("gateway") ? text(page, "gateway") : null;
            return new PeerFeed(text(page, "node"), text(page, "domain"), gateway, List.copyOf(changes), next, latest);
        } catch (JsonException | ClassCastException | DateTimeParseException e) {
            throw new MalformedFeed("not a change feed page: " + e.getMessage());
        }
    }

    boolean caughtUp() {
        return next >= latest;
    }

    private static ChangeKind kind(JsonObject change) {
        try {
            return ChangeKind.valueOf(text(change, "kind"));
        } catch (IllegalArgumentException e) {
            throw new MalformedFeed("unknown change kind " + change.get("kind"));
        }
    }

    private static String text(JsonObject object, String name) {
        if (!(object.get(name) instanceof JsonString value) || value.getString().isBlank()) {
            throw new MalformedFeed("missing text " + name);
        }
        return value.getString();
    }

    private static long number(JsonObject object, String name) {
        if (!(object.get(name) instanceof JsonNumber value) || !value.isIntegral() || value.longValue() < 0) {
            throw new MalformedFeed("missing number " + name);
        }
        return value.longValueExact();
    }

    private static JsonArray array(JsonObject object, String name) {
        if (!(object.get(name) instanceof JsonArray value)) {
            throw new MalformedFeed("missing array " + name);
        }
        return value;
    }

    private static JsonObject object(JsonObject object, String name) {
        if (!(object.get(name) instanceof JsonObject value)) {
            throw new MalformedFeed("missing object " + name);
        }
        return value;
    }
}
