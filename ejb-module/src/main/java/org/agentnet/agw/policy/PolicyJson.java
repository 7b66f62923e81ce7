package org.agentnet.agw.policy;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;

/**
 * Access policies as JSON (docs/agw.md "Access policies"), read strictly: a field this API does not
 * know is refused rather than ignored, because a misspelt field of a security rule ("organisation")
 * would otherwise silently widen it. The fields an answer adds (id, revision, times) are accepted
 * and ignored, so that a policy read with GET can be sent back with PUT.
 */
public final class PolicyJson {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Set<String> FIELDS = Set.of("name", "description", "effect", "actions", "subjects", "objects", "enabled");
    private static final Set<String> READ_ONLY = Set.of("id", "revision", "createdAt", "updatedAt", "updatedBy");
    private static final Set<String> SELECTOR_FIELDS = Set.of("domain", "organization", "agent", "agentId", "capability");

    private PolicyJson() {
    }

    /** A JSON object body; anything else is a malformed-body problem. */
    public static JsonObject object(String body) {
        if (body == null || body.isBlank()) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "the request needs a JSON object");
        }
        try (var reader = JSON.createReader(new StringReader(body))) {
            return reader.readObject();
        } catch (JsonException | ClassCastException e) {
            throw new AgentnetException(ProblemType.MALFORMED_BODY, "the body is not a JSON object");
        }
    }

    public static PolicyDocument read(String body) {
        return read(object(body));
    }

    public static PolicyDocument read(JsonObject json) {
        for (String key : json.keySet()) {
            Fields.require(FIELDS.contains(key) || READ_ONLY.contains(key), "unknown field '" + printable(key)
                    + "' (a policy has name, description, effect, actions, subjects, objects, enabled)");
        }
        String name = string(json, "name");
        String description = string(json, "description");
        String effectText = string(json, "effect");
        PolicyEffect effect = null;
        if (effectText != null) {
            try {
                effect = PolicyEffect.valueOf(effectText.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new AgentnetException(ProblemType.VALIDATION_FAILED, "effect must be ALLOW or DENY");
            }
        }
        Set<PolicyAction> actions = actions(json.get("actions"));
        List<Selector> subjects = selectors(Selector.Role.SUBJECT, "subjects", json.get("subjects"));
        List<Selector> objects = selectors(Selector.Role.OBJECT, "objects", json.get("objects"));
        JsonValue enabled = json.get("enabled");
        Fields.require(enabled == null || enabled == JsonValue.TRUE || enabled == JsonValue.FALSE, "enabled must be true or false");
        return new PolicyDocument(name, description, effect, actions, subjects, objects, enabled != JsonValue.FALSE);
    }

    private static Set<PolicyAction> actions(JsonValue value) {
        Fields.require(value != null && value.getValueType() == JsonValue.ValueType.ARRAY,
                "actions is required: an array of DISCOVER, MESSAGE");
        EnumSet<PolicyAction> actions = EnumSet.noneOf(PolicyAction.class);
        JsonArray array = value.asJsonArray();
        for (JsonValue entry : array) {
            Fields.require(entry instanceof JsonString, "actions entries are DISCOVER or MESSAGE");
            PolicyAction action;
            try {
                action = PolicyAction.valueOf(((JsonString) entry).getString().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new AgentnetException(ProblemType.VALIDATION_FAILED, "actions entries are DISCOVER or MESSAGE");
            }
            Fields.require(actions.add(action), "actions has duplicate entries");
        }
        return actions;
    }

    /** The selectors of a subjects or objects array. */
    public static List<Selector> selectors(Selector.Role role, String field, JsonValue value) {
        Fields.require(value != null && value.getValueType() == JsonValue.ValueType.ARRAY,
                field + " is required: an array of selectors such as {\"domain\": \"example.com\"}");
        JsonArray array = value.asJsonArray();
        Fields.require(!array.isEmpty() && array.size() <= PolicyDocument.MAX_SELECTORS,
                field + " must hold 1 to " + PolicyDocument.MAX_SELECTORS + " selectors");
        List<Selector> selectors = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String where = field + "[" + i + "]";
            JsonValue entry = array.get(i);
            Fields.require(entry.getValueType() == JsonValue.ValueType.OBJECT, where + " must be an object");
            JsonObject selector = entry.asJsonObject();
            for (String key : selector.keySet()) {
                Fields.require(SELECTOR_FIELDS.contains(key), where + ": unknown field '" + printable(key)
                        + "' (a selector has domain, organization, agent" + (role == Selector.Role.OBJECT ? ", agentId, capability)" : ")"));
            }
            Selector parsed = Selector.of(role, where, string(selector, "domain", where), string(selector, "organization", where),
                    string(selector, "agent", where), string(selector, "agentId", where), string(selector, "capability", where));
            Fields.require(!selectors.contains(parsed), field + " has duplicate selectors");
            selectors.add(parsed);
        }
        return selectors;
    }

    /** Selectors as stored in the database (a JSON array). */
    public static String text(List<Selector> selectors) {
        return array(selectors).build().toString();
    }

    /** Selectors stored by {@link #text}. */
    public static List<Selector> fromText(Selector.Role role, String field, String text) {
        try (var reader = JSON.createReader(new StringReader(text))) {
            return selectors(role, field, reader.readArray());
        } catch (JsonException e) {
            throw new IllegalStateException("stored " + field + " are not a JSON array", e);
        }
    }

    /** The document's fields (an answer adds id, revision and times). */
    public static JsonObjectBuilder write(PolicyDocument document) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add("name", document.name());
        if (document.description() != null) {
            json.add("description", document.description());
        }
        JsonArrayBuilder actions = JSON.createArrayBuilder();
        EnumSet.copyOf(document.actions()).forEach(action -> actions.add(action.name()));
        return json.add("effect", document.effect().name()).add("actions", actions)
                .add("subjects", array(document.subjects())).add("objects", array(document.objects()))
                .add("enabled", document.enabled());
    }

    /** A stored policy as the admin API shows it: its document, ID, revision (the ETag) and who changed it when. */
    public static JsonObject view(AccessPolicy policy) {
        return write(policy.document()).add("id", policy.id()).add("revision", policy.version())
                .add("createdAt", policy.createdAt().toString()).add("updatedAt", policy.updatedAt().toString())
                .add("updatedBy", policy.updatedBy()).build();
    }

    public static JsonObjectBuilder write(Selector selector) {
        JsonObjectBuilder json = JSON.createObjectBuilder();
        add(json, "domain", selector.domain());
        add(json, "organization", selector.organization());
        add(json, "agent", selector.agent());
        add(json, "agentId", selector.agentId());
        add(json, "capability", selector.capability());
        return json;
    }

    private static JsonArrayBuilder array(List<Selector> selectors) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        selectors.forEach(selector -> array.add(write(selector)));
        return array;
    }

    private static void add(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }

    private static String string(JsonObject json, String field) {
        return string(json, field, null);
    }

    private static String string(JsonObject json, String field, String where) {
        JsonValue value = json.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        Fields.require(value instanceof JsonString, (where == null ? "" : where + ".") + field + " must be a string");
        return ((JsonString) value).getString();
    }

    /** A client's text for a problem detail: bounded, without control characters. */
    private static String printable(String text) {
        String clean = text.codePoints().map(c -> Fields.isControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
