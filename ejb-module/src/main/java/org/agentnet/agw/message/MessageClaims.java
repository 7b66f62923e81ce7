package org.agentnet.agw.message;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;

/**
 * What a sender signed (the payload of its compact JWS, docs/agw.md "Submit"): the target agent ID,
 * the session, the content type, the payload itself (any JSON value), the freshness claims
 * {@code iat} and {@code jti}, and optionally the message ID. Without one the message ID is derived
 * from the sender's identity and the {@code jti} (a name-based UUID), so that every gateway on the
 * way can check that the ID belongs to the signed message: a peer cannot pass off one signed message
 * under two IDs.
 */
public record MessageClaims(String messageId, boolean idGiven, String target, String sessionId, String contentType,
                            long iat, String jti) {

    public static final int MAX_SESSION = 128;
    public static final int MAX_CONTENT_TYPE = 128;
    private static final Set<String> FIELDS =
            Set.of("messageId", "target", "sessionId", "contentType", "payload", "iat", "jti", "aud", "exp", "nbf");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** type/subtype with optional parameters, RFC 6838 characters. */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}(\\s*;\\s*[A-Za-z0-9!#$&^_.+-]+=(\"[^\"\\\\]*\"|[A-Za-z0-9!#$&^_.+-]+))*");

    /**
     * Reads and checks the claims of the sender {@code senderUri}.
     *
     * @throws AgentnetException validation-failed for a missing, malformed or unknown field
     */
    public static MessageClaims read(JsonObject claims, String senderUri) {
        for (String field : claims.keySet()) {
            Fields.require(FIELDS.contains(field), "unknown field '" + field + "' in the signed message");
        }
        String target = Fields.printable("target", string(claims, "target"), 36);
        String session = Fields.optionalPrintable("sessionId", string(claims, "sessionId"), MAX_SESSION);
        String contentType = Fields.printable("contentType", string(claims, "contentType"), MAX_CONTENT_TYPE);
        Fields.require(MEDIA_TYPE.matcher(contentType).matches(), "contentType '" + contentType + "' is not a media type (type/subtype)");
        Fields.require(claims.containsKey("payload") && claims.get("payload") != JsonValue.NULL,
                "payload is required (any JSON value; a string for content that is not JSON)");
        if (!(claims.get("iat") instanceof JsonNumber iat) || !iat.isIntegral()) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "iat (seconds since the epoch) is required");
        }
        String jti = Fields.printable("jti", string(claims, "jti"), 128);
        String given = Fields.optionalPrintable("messageId", string(claims, "messageId"), 36);
        if (given != null) {
            given = given.toLowerCase(Locale.ROOT);
            Fields.require(UUID_TEXT.matcher(given).matches(), "messageId must be a UUID (8-4-4-4-12 hexadecimal digits)");
        }
        if (EncryptedPayload.isEncrypted(contentType)) {
            EncryptedPayload.check(claims.get("payload"), senderUri, target);
        }
        String id = given != null ? given : derivedId(senderUri, jti);
        return new MessageClaims(id, given != null, target, session, contentType, iat.longValue(), jti);
    }

    /** The message ID of a signed message that names none: a name-based UUID of the sender and the jti. */
    public static String derivedId(String senderUri, String jti) {
        return UUID.nameUUIDFromBytes((senderUri + "\n" + jti).getBytes(StandardCharsets.UTF_8)).toString();
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
