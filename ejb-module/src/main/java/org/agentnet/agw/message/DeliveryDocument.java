package org.agentnet.agw.message;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * What the target agent receives (docs/agw.md "Delivery document"), pushed to its HTTP address or
 * handed out by its inbox: the message ID (to recognise a repeat), the sender (agent ID when known,
 * agent URI, certificate chain in PEM), the target, session and content type, and the sender's
 * compact JWS exactly as signed, so that the target verifies the message end to end with the
 * sender's certificate (and that certificate against its ACA) without trusting any gateway.
 */
public final class DeliveryDocument {

    public static final String MEDIA_TYPE = "application/json";

    private DeliveryDocument() {
    }

    public static JsonObject of(RelayedMessage message, String gatewayUri) {
        JsonObjectBuilder sender = Json.createObjectBuilder();
        if (message.senderId() != null) {
            sender.add("agentId", message.senderId());
        }
        sender.add("agentUri", message.senderUri()).add("certificateChain", message.senderChain());
        JsonObjectBuilder document = Json.createObjectBuilder()
                .add("messageId", message.id())
                .add("sender", sender)
                .add("target", message.targetId());
        if (message.sessionId() != null) {
            document.add("sessionId", message.sessionId());
        }
        document.add("contentType", message.contentType())
                .add("jws", message.jws())
                .add("acceptedAt", message.acceptedAt().toString());
        if (gatewayUri != null) {
            document.add("gateway", gatewayUri);
        }
        return document.build();
    }
}
