package org.agentnet.ars;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * The communication protocols an agent may declare (draft 3.2.1: "HTTP, MQTT, gRPC, or custom
 * protocols"), under one canonical name each. Names are matched case-insensitively, with spaces
 * and underscores read as hyphens, and a few common aliases; anything else is refused, so that
 * discovery by protocol never misses an agent because of spelling.
 */
public enum Protocol {
    HTTP(null, "HTTPS", "REST"),
    A2A_JSONRPC("JSONRPC", "A2A", "A2A-JSON-RPC", "JSONRPC", "JSON-RPC"),
    A2A_GRPC("GRPC"),
    A2A_REST("HTTP+JSON", "A2A-HTTP+JSON", "A2A-HTTP-JSON"),
    GRPC(null),
    MQTT(null, "MQTTS", "MQTT5"),
    WEBSOCKET(null, "WS", "WSS", "WEB-SOCKET"),
    AMQP(null, "AMQPS"),
    COAP(null),
    MCP(null, "MODEL-CONTEXT-PROTOCOL");

    private static final Map<String, Protocol> BY_NAME = new HashMap<>();

    static {
        for (Protocol protocol : values()) {
            BY_NAME.put(protocol.canonical(), protocol);
            for (String alias : protocol.aliases) {
                BY_NAME.put(alias, protocol);
            }
        }
    }

    private final String a2aBinding;
    private final List<String> aliases;

    Protocol(String a2aBinding, String... aliases) {
        this.a2aBinding = a2aBinding;
        this.aliases = List.of(aliases);
    }

    /** The name the API writes: {@code A2A-JSONRPC}, {@code HTTP}, ... */
    public String canonical() {
        return name().replace('_', '-');
    }

    /** The A2A protocol binding ({@code JSONRPC}, {@code GRPC}, {@code HTTP+JSON}) for A2A protocols. */
    public Optional<String> a2aBinding() {
        return Optional.ofNullable(a2aBinding);
    }

    public static Optional<Protocol> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.strip().toUpperCase(Locale.ROOT).replace(' ', '-').replace('_', '-');
        return Optional.ofNullable(BY_NAME.get(key));
    }

    /** The protocol of a name; an unknown one is an {@code unknown-protocol} problem listing the known ones. */
    public static Protocol parse(String name) {
        return find(name).orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_PROTOCOL,
                "unknown protocol '" + abbreviate(name) + "'; known: " + known()));
    }

    /** The protocol an A2A card's transport or protocolBinding names. */
    public static Optional<Protocol> ofA2aBinding(String binding) {
        for (Protocol protocol : values()) {
            if (protocol.a2aBinding != null && protocol.a2aBinding.equalsIgnoreCase(binding == null ? "" : binding.strip())) {
                return Optional.of(protocol);
            }
        }
        return Optional.empty();
    }

    static String known() {
        return String.join(", ", java.util.Arrays.stream(values()).map(Protocol::canonical).toList());
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
