package org.agentnet.agw.message;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Locale;
import java.util.Set;
import org.agentnet.common.text.Fields;

/**
 * What a gateway hands over to the next one ({@code POST /api/v1/agw/relay}, docs/agw.md "Relay"):
 * the message ID, the sender's agent ID at its origin (optional), the sender's certificate chain
 * (PEM, the sender's certificate first) and the sender's compact JWS as signed.
 */
public record RelayRequest(String messageId, String senderId, String senderCertificate, String jws) {

    private static final Set<String> FIELDS = Set.of("messageId", "senderId", "senderCertificate", "jws");

    public static RelayRequest read(JsonObject body) {
        Fields.require(body != null, "the relay request is a JSON object");
        for (String field : body.keySet()) {
            Fields.require(FIELDS.contains(field), "unknown field '" + field + "' in the relay request");
        }
        String id = Fields.printable("messageId", string(body, "messageId"), 36).toLowerCase(Locale.ROOT);
        String senderId = Fields.optionalPrintable("senderId", string(body, "senderId"), 36);
        String chain = string(body, "senderCertificate");
        Fields.require(chain != null && !chain.isBlank(), "senderCertificate is required");
        String jws = string(body, "jws");
        Fields.require(jws != null && !jws.isBlank(), "jws is required");
        Fields.require(jws.length() <= RelayedMessage.MAX_JWS, "jws is longer than " + RelayedMessage.MAX_JWS + " characters");
        return new RelayRequest(id, senderId, chain, jws.strip());
    }

    private static String string(JsonObject object, String field) {
        JsonValue value = object.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        Fields.require(value instanceof JsonString, field + " is a string");
        return ((JsonString) value).getString();
    }
}
