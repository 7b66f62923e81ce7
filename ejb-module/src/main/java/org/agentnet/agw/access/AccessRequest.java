package org.agentnet.agw.access;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.agentnet.ars.AgentAddress;
import org.agentnet.ars.Protocol;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;

/**
 * What an agent asks of the gateway when it accesses it (draft 3.3.1), read from the verified
 * JWS payload: who it is in the ARS ({@code agentId} and/or {@code agentUri}), where and how it is
 * reached ({@code addresses}, {@code protocols}), the heartbeat interval it intends (seconds,
 * optional), and the freshness claims {@code iat} and {@code jti}.
 */
public record AccessRequest(String agentId, String agentUri, List<AgentAddress> addresses, List<Protocol> protocols,
                            Integer heartbeatInterval, long iat, String jti) {

    public static final int MAX_ADDRESSES = 8;
    public static final int MAX_PROTOCOLS = 16;
    private static final Set<String> FIELDS =
            Set.of("agentId", "agentUri", "addresses", "protocols", "heartbeatInterval", "iat", "jti", "aud", "exp", "nbf");

    public static AccessRequest read(JsonObject claims) {
        for (String field : claims.keySet()) {
            Fields.require(FIELDS.contains(field), "unknown field '" + field + "' in the signed request");
        }
        String agentId = Fields.optionalPrintable("agentId", string(claims, "agentId"), 36);
        String agentUri = Fields.optionalPrintable("agentUri", string(claims, "agentUri"), 512);
        Fields.require(agentId != null || agentUri != null, "the signed request names the agent: agentId (its ARS resource ID) or agentUri");

        List<AgentAddress> addresses = new ArrayList<>();
        JsonArray addressArray = array(claims, "addresses");
        Fields.require(addressArray != null && !addressArray.isEmpty() && addressArray.size() <= MAX_ADDRESSES,
                "addresses must give 1 to " + MAX_ADDRESSES + " communication addresses");
        for (JsonValue value : addressArray) {
            Fields.require(value instanceof JsonObject, "each address is an object {url, protocol}");
            JsonObject address = (JsonObject) value;
            String protocol = string(address, "protocol");
            Fields.require(protocol != null, "address " + string(address, "url") + " needs a protocol");
            addresses.add(new AgentAddress(string(address, "url"), Protocol.parse(protocol)));
        }
        Fields.require(addresses.stream().map(AgentAddress::url).distinct().count() == addresses.size(), "addresses are repeated");

        Set<Protocol> protocols = new LinkedHashSet<>();
        JsonArray protocolArray = array(claims, "protocols");
        if (protocolArray == null) {
            addresses.forEach(address -> protocols.add(address.protocol()));
        } else {
            Fields.require(!protocolArray.isEmpty() && protocolArray.size() <= MAX_PROTOCOLS,
                    "protocols must list 1 to " + MAX_PROTOCOLS + " protocols");
            for (JsonValue value : protocolArray) {
                Fields.require(value instanceof JsonString, "protocols are names");
                protocols.add(Protocol.parse(((JsonString) value).getString()));
            }
            for (AgentAddress address : addresses) {
                Fields.require(protocols.contains(address.protocol()),
                        "address " + address.url() + " speaks " + address.protocol().canonical() + ", which protocols does not list");
            }
        }

        Integer interval = null;
        if (claims.containsKey("heartbeatInterval")) {
            Fields.require(claims.get("heartbeatInterval") instanceof JsonNumber n && n.isIntegral()
                    && n.longValue() >= 1 && n.longValue() <= 86_400, "heartbeatInterval is a whole number of seconds, 1 to 86400");
            interval = claims.getJsonNumber("heartbeatInterval").intValue();
        }
        if (!(claims.get("iat") instanceof JsonNumber iat) || !iat.isIntegral()) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "iat (seconds since the epoch) is required");
        }
        return new AccessRequest(agentId, agentUri, List.copyOf(addresses), List.copyOf(protocols), interval,
                iat.longValue(), string(claims, "jti"));
    }

    private static String string(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        Fields.require(value instanceof JsonString, field + " is a string");
        return ((JsonString) value).getString();
    }

    private static JsonArray array(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        Fields.require(value instanceof JsonArray, field + " is an array");
        return (JsonArray) value;
    }
}
