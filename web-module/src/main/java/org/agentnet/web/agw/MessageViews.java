package org.agentnet.web.agw;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import org.agentnet.agw.message.MessageView;
import org.agentnet.agw.routing.Route;

/** JSON of relayed messages and routes. */
final class MessageViews {

    private MessageViews() {
    }

    static JsonObject message(MessageView view) {
        JsonObjectBuilder sender = Json.createObjectBuilder();
        if (view.senderId() != null) {
            sender.add("agentId", view.senderId());
        }
        sender.add("agentUri", view.senderUri());
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("messageId", view.messageId())
                .add("sender", sender)
                .add("target", view.target());
        if (view.sessionId() != null) {
            json.add("sessionId", view.sessionId());
        }
        json.add("contentType", view.contentType())
                .add("state", view.state().name())
                .add("attempts", view.attempts());
        optional(json, "nextAttempt", view.nextAttempt());
        if (view.reason() != null) {
            json.add(view.state().name().equals("FAILED") ? "reason" : "lastError", view.reason());
        }
        if (view.hop() != null) {
            json.add("hop", view.hop());
        }
        if (view.receivedFrom() != null) {
            json.add("receivedFrom", view.receivedFrom());
        }
        json.add("acceptedAt", view.acceptedAt().toString());
        optional(json, "forwardedAt", view.forwardedAt());
        optional(json, "deliveredAt", view.deliveredAt());
        json.add("updatedAt", view.updatedAt().toString());
        return json.build();
    }

    static JsonObject route(Route route) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("agentId", route.agentId())
                .add("agentUri", route.agentUri());
        if (route.domain() != null) {
            json.add("domain", route.domain());
        }
        json.add("agentStatus", route.agentStatus().name()).add("kind", route.kind().name());
        if (route.delivery() != null) {
            json.add("delivery", route.delivery().name());
        }
        if (route.pushAddress() != null) {
            json.add("pushAddress", route.pushAddress().toString());
        }
        if (route.peerId() != null) {
            JsonObjectBuilder peer = Json.createObjectBuilder().add("id", route.peerId());
            if (route.peerDomain() != null) {
                peer.add("domain", route.peerDomain());
            }
            if (route.peerGatewayUri() != null) {
                peer.add("gatewayUri", route.peerGatewayUri());
            }
            if (route.nextHop() != null) {
                peer.add("nextHop", route.nextHop().toString());
            }
            json.add("peer", peer);
        }
        json.add("applicable", route.applicable());
        if (route.reason() != null) {
            json.add("reason", route.reason());
        }
        return json.build();
    }

    private static void optional(JsonObjectBuilder json, String name, Instant value) {
        if (value != null) {
            json.add(name, value.toString());
        }
    }
}
