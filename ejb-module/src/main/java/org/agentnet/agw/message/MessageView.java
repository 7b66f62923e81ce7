package org.agentnet.agw.message;

import java.time.Instant;

/** A relayed message's state as {@code GET /api/v1/agw/messages/{id}} shows it (without its content). */
public record MessageView(String messageId, String senderId, String senderUri, String target, String sessionId,
                          String contentType, MessageState state, int attempts, Instant nextAttempt, String reason,
                          String hop, String receivedFrom, Instant acceptedAt, Instant forwardedAt, Instant deliveredAt,
                          Instant updatedAt) {

    static MessageView of(RelayedMessage m) {
        return new MessageView(m.id(), m.senderId(), m.senderUri(), m.targetId(), m.sessionId(), m.contentType(), m.state(),
                m.attempts(), m.state() == MessageState.ACCEPTED ? m.nextAttempt() : null, m.lastError(), m.hop(),
                m.receivedFrom(), m.acceptedAt(), m.forwardedAt(), m.deliveredAt(), m.updatedAt());
    }
}
