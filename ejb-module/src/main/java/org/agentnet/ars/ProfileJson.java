package org.agentnet.ars;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;

/**
 * The JSON of agent profiles: the registration body, the stored profile, and the one view of an
 * agent that {@code GET /agents/{id}}, discovery and the change feed all answer with.
 */
public final class ProfileJson {

    static final JsonProvider JSON = JsonProvider.provider();
    private static final byte[] ITEMS_OPEN = "{\"items\":[".getBytes(StandardCharsets.US_ASCII);
    /** Largest profile, as stored JSON: fits the database column with the rest of a feed snapshot. */
    public static final int MAX_STORED_LENGTH = 28_000;

    private static final Set<String> PROFILE_FIELDS = Set.of("name", "organization", "description", "version", "skills",
            "protocols", "dataFormats", "languages", "addresses");
    private static final Set<String> SKILL_FIELDS = Set.of("id", "name", "description", "tags");

    private ProfileJson() {
    }

    /**
     * A profile in the ARS's own form. Strict: an unknown field is refused (a misspelt one would
     * silently be lost); lenient reads of stored and synchronized profiles ignore extra fields.
     */
    public static AgentProfile readProfile(JsonObject body, boolean strict) {
        if (strict) {
            for (String field : body.keySet()) {
                Fields.require(PROFILE_FIELDS.contains(field), "unknown field '" + field + "'; a profile has " + new java.util.TreeSet<>(PROFILE_FIELDS));
            }
        }
        List<AgentSkill> skills = objects(body, "skills", AgentProfile.MAX_SKILLS, skill -> {
            if (strict) {
                for (String field : skill.keySet()) {
                    Fields.require(SKILL_FIELDS.contains(field), "unknown skill field '" + field + "'");
                }
            }
            return new AgentSkill(string(skill, "id"), string(skill, "name"), string(skill, "description"),
                    strings(skill, "tags", AgentSkill.MAX_TAGS));
        });
        List<Protocol> protocols = strings(body, "protocols", AgentProfile.MAX_PROTOCOLS).stream().map(Protocol::parse).toList();
        List<AgentAddress> addresses = objects(body, "addresses", AgentProfile.MAX_ADDRESSES, address -> {
            String protocol = string(address, "protocol");
            return new AgentAddress(string(address, "url"),
                    protocol == null ? (protocols.isEmpty() ? null : protocols.get(0)) : Protocol.parse(protocol));
        });
        return new AgentProfile(string(body, "name"), string(body, "organization"), string(body, "description"),
                string(body, "version"), skills, protocols, strings(body, "dataFormats", AgentProfile.MAX_DATA_FORMATS),
                strings(body, "languages", AgentProfile.MAX_LANGUAGES), addresses);
    }

    /** The agent-provided part, as stored. */
    public static JsonObject profile(AgentProfile profile) {
        JsonObjectBuilder json = JSON.createObjectBuilder();
        writeProfile(json, profile);
        return json.build();
    }

    /** The stored form of a profile; one too large for the database is a validation problem. */
    static String storable(AgentProfile profile) {
        String text = profile(profile).toString();
        Fields.require(text.length() <= MAX_STORED_LENGTH, "the profile is " + text.length()
                + " characters as JSON; at most " + MAX_STORED_LENGTH + " are accepted");
        return text;
    }

    /**
     * A discovery answer, {@code {"items": [views...], "nextCursor": ...}}, from the views the index
     * rendered when it indexed each agent; with {@code scored}, each view also carries its "score".
     */
    public static byte[] discoveryPage(List<AgentIndex.Hit> hits, boolean scored, String nextCursor) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + hits.size() * 1024);
        out.writeBytes(ITEMS_OPEN);
        for (int i = 0; i < hits.size(); i++) {
            AgentIndex.Hit hit = hits.get(i);
            byte[] view = hit.view();
            if (i > 0) {
                out.write(',');
            }
            if (scored) {
                out.write(view, 0, view.length - 1); // the view is an object: it ends with '}'
                out.writeBytes((",\"score\":" + JSON.createValue(hit.score())).getBytes(StandardCharsets.UTF_8));
                out.write('}');
            } else {
                out.writeBytes(view);
            }
        }
        out.write(']');
        if (nextCursor != null) {
            out.writeBytes((",\"nextCursor\":" + JSON.createValue(nextCursor)).getBytes(StandardCharsets.UTF_8));
        }
        out.write('}');
        return out.toByteArray();
    }

    /** The view of an agent: identity, origin and status, then its profile (addresses only for agents of this origin). */
    public static JsonObject view(Agent agent) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", agent.id())
                .add("domain", agent.domain())
                .add("origin", agent.origin())
                .add("agentUri", agent.agentUri())
                .add("status", agent.status().name());
        if (agent.statusReason() != null) {
            json.add("statusReason", agent.statusReason());
        }
        writeProfile(json, agent.profile());
        if (agent.gatewayAddress() != null) {
            json.add("gatewayAddress", agent.gatewayAddress());
        }
        return json.add("registeredAt", agent.registeredAt().toString())
                .add("updatedAt", agent.updatedAt().toString())
                .add("revision", agent.revision())
                .build();
    }

    public static JsonObject parse(String text) {
        try (var reader = JSON.createReader(new StringReader(text))) {
            return reader.readObject();
        } catch (JsonException | ClassCastException e) {
            // JsonParsingException (broken JSON) is a JsonException, like "an array where an object was expected"
            throw new AgentnetException(ProblemType.MALFORMED_BODY, "the body is not a JSON object");
        }
    }

    private static void writeProfile(JsonObjectBuilder json, AgentProfile profile) {
        json.add("name", profile.name());
        if (profile.organization() != null) {
            json.add("organization", profile.organization());
        }
        json.add("description", profile.description());
        if (profile.version() != null) {
            json.add("version", profile.version());
        }
        JsonArrayBuilder skills = JSON.createArrayBuilder();
        for (AgentSkill skill : profile.skills()) {
            skills.add(JSON.createObjectBuilder().add("id", skill.id()).add("name", skill.name())
                    .add("description", skill.description()).add("tags", array(skill.tags())));
        }
        json.add("skills", skills)
                .add("protocols", array(profile.protocols().stream().map(Protocol::canonical).toList()))
                .add("dataFormats", array(profile.dataFormats()))
                .add("languages", array(profile.languages()));
        if (!profile.addresses().isEmpty()) {
            JsonArrayBuilder addresses = JSON.createArrayBuilder();
            for (AgentAddress address : profile.addresses()) {
                addresses.add(JSON.createObjectBuilder().add("url", address.url()).add("protocol", address.protocol().canonical()));
            }
            json.add("addresses", addresses);
        }
    }

    static JsonArrayBuilder array(Collection<String> values) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }

    /** A string member, null when absent or null; another JSON type is a validation problem. */
    static String string(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        Fields.require(value instanceof JsonString, field + " must be a string");
        return ((JsonString) value).getString();
    }

    static List<String> strings(JsonObject object, String field, int max) {
        return elements(object, field, max, value -> {
            Fields.require(value instanceof JsonString, field + " must be an array of strings");
            return ((JsonString) value).getString();
        });
    }

    static <T> List<T> objects(JsonObject object, String field, int max, Function<JsonObject, T> read) {
        return elements(object, field, max, value -> {
            Fields.require(value instanceof JsonObject, field + " must be an array of objects");
            return read.apply((JsonObject) value);
        });
    }

    private static <T> List<T> elements(JsonObject object, String field, int max, Function<JsonValue, T> read) {
        JsonValue value = object.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return List.of();
        }
        Fields.require(value instanceof JsonArray, field + " must be an array");
        JsonArray array = (JsonArray) value;
        // checked before reading the entries, so an oversized list costs nothing
        Fields.require(array.size() <= max, field + " has more than " + max + " entries");
        List<T> values = new ArrayList<>(array.size());
        for (JsonValue element : array) {
            values.add(read.apply(element));
        }
        return values;
    }
}
