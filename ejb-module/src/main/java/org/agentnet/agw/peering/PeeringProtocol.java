package org.agentnet.agw.peering;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.agentnet.ars.ChangeKind;
import org.agentnet.ars.RemoteChange;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;

/**
 * The messages gateways exchange to peer (docs/agw.md "Peering"): the handshake (the same form
 * both ways), the heartbeat and its answer, and a page of resources. Read strictly where it
 * matters (required fields, ranges, forms) and leniently otherwise: fields a later version adds
 * are ignored, so that peers of different versions still understand each other.
 */
public final class PeeringProtocol {

    /** The relay protocol versions this gateway speaks, most preferred first; a peer must speak one of them. */
    public static final List<String> PROTOCOLS = List.of("agentnet-relay/1");

    public static final String PEERS_PATH = "/api/v1/agw/peers";

    /** The only status a gateway announces while it peers (one that is going away disconnects instead). */
    public static final String ONLINE = "ONLINE";

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern PROTOCOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/+-]{0,63}");
    private static final int MAX_PROTOCOLS = 16;

    private PeeringProtocol() {
    }

    /**
     * The handshake (draft 3.4.1), sent by the initiator and answered in the same form: the
     * gateway's ID (its node ID, the origin of the agents it advertises), domain, relay protocols,
     * status, base URL and heartbeat interval (seconds); {@code peerId}: the ID under which the
     * sender knows the receiver (the {@code {id}} of the receiver's later calls to it);
     * {@code appliedSeq}: how far the sender has applied the receiver's agent feed;
     * {@code latestSeq}: the sender's own latest seq; {@code protocol}: in an answer, the one chosen.
     */
    public record Hello(String agwId, String domain, List<String> protocols, String status, String baseUrl,
                        int heartbeatInterval, String peerId, long appliedSeq, long latestSeq, String protocol) {

        public JsonObject toJson() {
            JsonArrayBuilder list = JSON.createArrayBuilder();
            protocols.forEach(list::add);
            JsonObjectBuilder json = JSON.createObjectBuilder().add("agwId", agwId).add("domain", domain)
                    .add("protocols", list).add("status", status).add("baseUrl", baseUrl)
                    .add("heartbeatInterval", heartbeatInterval).add("appliedSeq", appliedSeq).add("latestSeq", latestSeq);
            if (peerId != null) {
                json.add("peerId", peerId);
            }
            if (protocol != null) {
                json.add("protocol", protocol);
            }
            return json.build();
        }

        /** A handshake read from its JSON; a 400 problem names what is wrong. */
        public static Hello parse(String body) {
            JsonObject json = object(body);
            String agwId = text(json, "agwId", 64);
            Fields.require(NODE_ID.matcher(agwId).matches(), "agwId must be a node ID (1-64 letters, digits, '.', '_', '-')");
            String domain = text(json, "domain", 253).toLowerCase(Locale.ROOT);
            Fields.require(NodeSettings.DNS_NAME.matcher(domain).matches(), "domain must be a DNS name");
            JsonArray list = json.get("protocols") instanceof JsonArray array ? array : null;
            Fields.require(list != null && !list.isEmpty() && list.size() <= MAX_PROTOCOLS,
                    "protocols must list 1 to " + MAX_PROTOCOLS + " relay protocol versions");
            List<String> protocols = new ArrayList<>();
            for (JsonValue value : list) {
                Fields.require(value instanceof JsonString s && PROTOCOL.matcher(s.getString()).matches(),
                        "each protocol is a version name such as " + PROTOCOLS.get(0));
                protocols.add(((JsonString) value).getString());
            }
            String status = text(json, "status", 32).toUpperCase(Locale.ROOT);
            Fields.require(status.equals(ONLINE), "status must be ONLINE (a gateway that goes away disconnects)");
            String baseUrl = PeeringProtocol.baseUrl("baseUrl", text(json, "baseUrl", AgwPeer.MAX_URL));
            int interval = (int) number(json, "heartbeatInterval", 1, 86_400, null);
            String peerId = optionalText(json, "peerId", 36);
            long applied = number(json, "appliedSeq", 0, Long.MAX_VALUE, 0L);
            long latest = number(json, "latestSeq", 0, Long.MAX_VALUE, 0L);
            String protocol = optionalText(json, "protocol", 64);
            return new Hello(agwId, domain, List.copyOf(protocols), status, baseUrl, interval, peerId, applied, latest, protocol);
        }
    }

    /**
     * A heartbeat (3.4.3): who sends it, its interval, its latest seq, how far it applied the
     * receiver's feed, and its feed's digest (count and sum of seqs) for anti-entropy.
     */
    public record Beat(String agwId, int heartbeatInterval, long latestSeq, long appliedSeq, long count, long seqSum) {

        public JsonObject toJson() {
            return JSON.createObjectBuilder().add("agwId", agwId).add("status", ONLINE).add("heartbeatInterval", heartbeatInterval)
                    .add("latestSeq", latestSeq).add("appliedSeq", appliedSeq)
                    .add("digest", JSON.createObjectBuilder().add("latest", latestSeq).add("count", count).add("seqSum", seqSum))
                    .build();
        }

        public static Beat parse(String body) {
            JsonObject json = object(body);
            String agwId = text(json, "agwId", 64);
            String status = optionalText(json, "status", 32);
            Fields.require(status == null || status.equalsIgnoreCase(ONLINE), "status must be ONLINE");
            int interval = (int) number(json, "heartbeatInterval", 1, 86_400, null);
            long latest = number(json, "latestSeq", 0, Long.MAX_VALUE, null);
            long applied = number(json, "appliedSeq", 0, Long.MAX_VALUE, 0L);
            long count = -1;
            long seqSum = -1;
            if (json.get("digest") instanceof JsonObject digest) {
                count = number(digest, "count", 0, Long.MAX_VALUE, null);
                seqSum = number(digest, "seqSum", 0, Long.MAX_VALUE, null);
                Fields.require(number(digest, "latest", 0, Long.MAX_VALUE, latest) == latest, "digest.latest must be latestSeq");
            } else {
                Fields.require(!json.containsKey("digest") || json.isNull("digest"), "digest must be an object");
            }
            return new Beat(agwId, interval, latest, applied, count, seqSum);
        }

        public boolean hasDigest() {
            return count >= 0;
        }
    }

    /** What the receiver of a heartbeat or a page of resources answers: how far it applied the sender's feed. */
    public record Ack(String agwId, long appliedSeq, long latestSeq, boolean resync) {

        public JsonObject toJson() {
            return JSON.createObjectBuilder().add("agwId", agwId).add("status", ONLINE).add("appliedSeq", appliedSeq)
                    .add("latestSeq", latestSeq).add("resync", resync).build();
        }

        public static Ack parse(String body) {
            JsonObject json = object(body);
            return new Ack(text(json, "agwId", 64), number(json, "appliedSeq", 0, Long.MAX_VALUE, null),
                    number(json, "latestSeq", 0, Long.MAX_VALUE, 0L), json.getBoolean("resync", false));
        }
    }

    /**
     * A page of agent summaries (3.4.2): entries of the sender's compacted change feed after
     * {@code since} in seq order, the last of them ({@code next}), and the sender's latest seq.
     * A page with {@code since} 0 starts a full resynchronization.
     */
    public record Resources(String agwId, long since, List<RemoteChange> changes, long next, long latest) {

        public static final int MAX_CHANGES = 1000;

        public boolean complete() {
            return next >= latest;
        }

        public static Resources parse(String body) {
            JsonObject json = object(body);
            String agwId = text(json, "agwId", 64);
            long since = number(json, "since", 0, Long.MAX_VALUE, null);
            long latest = number(json, "latest", 0, Long.MAX_VALUE, null);
            Fields.require(json.get("changes") instanceof JsonArray, "changes must be an array");
            JsonArray array = json.getJsonArray("changes");
            Fields.require(array.size() <= MAX_CHANGES, "at most " + MAX_CHANGES + " changes per request");
            List<RemoteChange> changes = new ArrayList<>();
            long previous = since;
            for (JsonValue value : array) {
                Fields.require(value instanceof JsonObject, "each change is an object");
                JsonObject change = value.asJsonObject();
                long seq = number(change, "seq", 1, Long.MAX_VALUE, null);
                Fields.require(seq > previous, "changes must be in increasing seq order after since (" + seq + " after " + previous + ")");
                previous = seq;
                ChangeKind kind;
                try {
                    kind = ChangeKind.valueOf(text(change, "kind", 16));
                } catch (IllegalArgumentException e) {
                    throw new AgentnetException(ProblemType.VALIDATION_FAILED, "kind must be one of REGISTERED, UPDATED, STATUS, DEREGISTERED");
                }
                Instant time;
                try {
                    time = Instant.parse(text(change, "time", 64));
                } catch (DateTimeParseException e) {
                    throw new AgentnetException(ProblemType.VALIDATION_FAILED, "time must be an ISO-8601 instant");
                }
                Fields.require(change.get("profile") instanceof JsonObject, "each change carries the agent's profile (object)");
                changes.add(new RemoteChange(seq, kind, text(change, "agentId", 36), time, change.getJsonObject("profile")));
            }
            long next = number(json, "next", 0, Long.MAX_VALUE, null);
            Fields.require(next == previous, "next must be the seq of the last change (or since when there is none)");
            Fields.require(latest >= next, "latest must be at least next");
            return new Resources(agwId, since, List.copyOf(changes), next, latest);
        }
    }

    /** The relay protocol both speak, this gateway's preference first; empty when they share none. */
    public static Optional<String> common(List<String> offered) {
        return PROTOCOLS.stream().filter(offered::contains).findFirst();
    }

    /**
     * An agent summary as advertised to peers: the change feed's view of the agent without its
     * private addresses (peers answer discovery with the gateway address; DESIGN.md 5).
     */
    public static JsonObject summary(JsonObject view) {
        JsonObjectBuilder summary = JSON.createObjectBuilder(view);
        summary.remove("addresses");
        return summary.build();
    }

    /** The canonical base URL of a gateway: https, a host, an optional port, nothing else. */
    public static String baseUrl(String field, String url) {
        String text = Fields.printable(field, url, AgwPeer.MAX_URL);
        try {
            URI uri = new URI(text);
            Fields.require("https".equalsIgnoreCase(uri.getScheme()), field + " must be https (mutual TLS): " + text);
            Fields.require(uri.getHost() != null, field + " needs a host: " + text);
            Fields.require(uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                            && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")),
                    field + " is a base URL (https://host[:port]) without path, query, fragment or user info: " + text);
            Fields.require(uri.getPort() == -1 || uri.getPort() > 0 && uri.getPort() <= 65_535, field + " has an invalid port");
            return "https://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, field + " '" + text + "' is not a URI: " + e.getReason());
        }
    }

    /** A JSON object body; anything else is a malformed-body problem. */
    static JsonObject object(String body) {
        if (body == null || body.isBlank()) {
            throw new AgentnetException(ProblemType.MALFORMED_BODY, "the request needs a JSON object");
        }
        try (var reader = JSON.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (!(value instanceof JsonObject json)) {
                throw new AgentnetException(ProblemType.MALFORMED_BODY, "the body must be a JSON object");
            }
            return json;
        } catch (JsonParsingException e) {
            throw new AgentnetException(ProblemType.MALFORMED_BODY, "the body is not JSON: " + e.getMessage());
        } catch (JsonException e) {
            throw new AgentnetException(ProblemType.MALFORMED_BODY, "the body is not JSON");
        }
    }

    private static String text(JsonObject json, String name, int max) {
        Fields.require(json.get(name) instanceof JsonString, name + " is required (a string)");
        return Fields.printable(name, json.getString(name), max);
    }

    private static String optionalText(JsonObject json, String name, int max) {
        if (!json.containsKey(name) || json.isNull(name)) {
            return null;
        }
        return text(json, name, max);
    }

    private static long number(JsonObject json, String name, long min, long max, Long fallback) {
        if (!json.containsKey(name) || json.isNull(name)) {
            Fields.require(fallback != null, name + " is required (a number)");
            return fallback;
        }
        Fields.require(json.get(name) instanceof JsonNumber n && n.isIntegral(), name + " must be a whole number");
        long value;
        try {
            value = json.getJsonNumber(name).longValueExact();
        } catch (ArithmeticException e) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, name + " is out of range");
        }
        Fields.require(value >= min && value <= max, name + " must be " + min + " to " + max);
        return value;
    }
}
