package org.agentnet.agw.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.junit.jupiter.api.Test;

class MessageClaimsTest {

    private static final String SENDER = "agent://a.example/Acme/sender";

    private static JsonObjectBuilder valid() {
        return Json.createObjectBuilder().add("target", "6f1c0a5e-1f7e-4c55-9d58-0f0f5d2b6a11").add("sessionId", "s-1")
                .add("contentType", "application/json; charset=utf-8").add("payload", Json.createObjectBuilder().add("a", 1))
                .add("iat", 1_796_035_200L).add("jti", "j-1");
    }

    @Test
    void withoutAMessageIdTheIdIsDerivedFromSenderAndJti() {
        MessageClaims claims = MessageClaims.read(valid().build(), SENDER);
        assertFalse(claims.idGiven());
        assertEquals(MessageClaims.derivedId(SENDER, "j-1"), claims.messageId());
        assertEquals(claims.messageId(), MessageClaims.read(valid().build(), SENDER).messageId());
        assertNotEquals(claims.messageId(), MessageClaims.read(valid().add("jti", "j-2").build(), SENDER).messageId());
        assertNotEquals(claims.messageId(), MessageClaims.read(valid().build(), "agent://a.example/Acme/other").messageId());
    }

    @Test
    void aGivenMessageIdIsAUuidInLowerCase() {
        MessageClaims claims = MessageClaims.read(valid().add("messageId", "3B0F2A0C-0B6E-4A1F-A1A7-9D2D7C7B8E01").build(), SENDER);
        assertTrue(claims.idGiven());
        assertEquals("3b0f2a0c-0b6e-4a1f-a1a7-9d2d7c7b8e01", claims.messageId());
        refused(valid().add("messageId", "message-1"));
    }

    @Test
    void theSessionIsOptionalThePayloadAndContentTypeAreNot() {
        assertEquals(null, MessageClaims.read(valid().remove("sessionId").build(), SENDER).sessionId());
        refused(valid().remove("payload"));
        refused(valid().addNull("payload"));
        refused(valid().remove("contentType"));
        refused(valid().add("contentType", "json"));
        refused(valid().add("contentType", "text/plain; charset"));
        assertEquals("text/plain", MessageClaims.read(valid().add("contentType", "text/plain").add("payload", "hi").build(), SENDER).contentType());
    }

    @Test
    void badFieldsAreRefused() {
        refused(valid().add("extra", 1));
        refused(valid().remove("target"));
        refused(valid().add("target", 5));
        refused(valid().add("target", "x".repeat(37)));
        refused(valid().add("sessionId", "s".repeat(129)));
        refused(valid().remove("iat"));
        refused(valid().add("iat", 1.5));
        refused(valid().remove("jti"));
        refused(valid().add("jti", "j".repeat(129)));
    }

    private static void refused(JsonObjectBuilder claims) {
        AgentnetException e = assertThrows(AgentnetException.class, () -> MessageClaims.read(claims.build(), SENDER));
        assertEquals(ProblemType.VALIDATION_FAILED, e.type());
    }
}
