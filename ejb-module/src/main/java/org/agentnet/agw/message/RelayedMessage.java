package org.agentnet.agw.message;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A message this gateway accepted for relay (draft 3.4.4; table {@code agw_message}, docs/agw.md "Relay"). */
@Entity
@Table(name = "agw_message")
public class RelayedMessage {

    public static final int MAX_JWS = 32_000;
    public static final int MAX_CHAIN = 16_000;
    public static final int MAX_ERROR = 512;

    // What the message is never changes (updatable = false): an update writes its state alone, where the
    // whole row went into every UPDATE, and Derby's log took the JWS and the chain again at each change.
    @Id
    @Column(name = "id", length = 36, updatable = false)
    private String id;

    @Column(name = "sender_id", updatable = false, length = 36)
    private String senderId;

    @Column(name = "sender_uri", updatable = false, nullable = false, length = 512)
    private String senderUri;

    @Column(name = "sender_chain", updatable = false, nullable = false, length = MAX_CHAIN)
    private String senderChain;

    @Column(name = "target_id", updatable = false, nullable = false, length = 36)
    private String targetId;

    @Column(name = "session_id", updatable = false, length = 128)
    private String sessionId;

    @Column(name = "content_type", updatable = false, nullable = false, length = 128)
    private String contentType;

    @Column(name = "jws", updatable = false, nullable = false, length = MAX_JWS)
    private String jws;

    @Column(name = "received_from", updatable = false, length = 512)
    private String receivedFrom;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false, length = 16)
    private MessageState state;

    @Column(name = "attempts", nullable = false)
    private int attempts;

    @Column(name = "next_attempt", nullable = false)
    private Instant nextAttempt;

    @Column(name = "last_error", length = MAX_ERROR)
    private String lastError;

    @Column(name = "hop", length = 64)
    private String hop;

    @Column(name = "accepted_at", updatable = false, nullable = false)
    private Instant acceptedAt;

    @Column(name = "forwarded_at")
    private Instant forwardedAt;

    @Column(name = "delivered_at")
    private Instant deliveredAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** A receipt is owed to {@code receivedFrom} from this time on (null: none owed, or sent). */
    @Column(name = "receipt_due")
    private Instant receiptDue;

    @Column(name = "receipt_attempts", nullable = false)
    private int receiptAttempts;

    protected RelayedMessage() {
        // JPA
    }

    /**
     * A new message, claimed until {@code claimedUntil} by the node that accepted it (its dispatcher
     * tries it as soon as the row is committed; any node's dispatcher takes it after the claim).
     */
    static RelayedMessage accepted(SignedMessage message, String receivedFrom, Instant now, Instant claimedUntil) {
        RelayedMessage row = new RelayedMessage();
        row.id = message.messageId();
        row.senderId = message.senderId();
        row.senderUri = message.senderUri();
        row.senderChain = message.senderChain();
        row.targetId = message.target();
        row.sessionId = message.sessionId();
        row.contentType = message.contentType();
        row.jws = message.jws();
        row.receivedFrom = receivedFrom;
        row.state = MessageState.ACCEPTED;
        row.attempts = 0;
        row.nextAttempt = claimedUntil;
        row.acceptedAt = now;
        row.updatedAt = now;
        return row;
    }

    /** A try failed: the next one is due at {@code next}. */
    void retryAt(Instant next, String error, Instant now) {
        attempts++;
        nextAttempt = next;
        lastError = clip(error);
        updatedAt = now;
    }

    /** Not tried now (its target has its cap of deliveries in progress): due again at {@code next}; not a try. */
    void deferredTo(Instant next, Instant now) {
        nextAttempt = next;
        updatedAt = now;
    }

    void forwarded(String peer, Instant now) {
        attempts++;
        state = MessageState.FORWARDED;
        hop = clip(peer, 64);
        forwardedAt = now;
        lastError = null;
        updatedAt = now;
    }

    void inInbox(Instant now) {
        attempts++;
        state = MessageState.INBOX;
        hop = "LOCAL";
        nextAttempt = now;
        lastError = null;
        updatedAt = now;
    }

    void delivered(String how, Instant now) {
        if (state == MessageState.ACCEPTED) {
            attempts++;
        }
        state = MessageState.DELIVERED;
        if (hop == null) {
            hop = clip(how, 64);
        }
        deliveredAt = now;
        lastError = null;
        updatedAt = now;
    }

    /** The hop reported the delivery (a receipt): DELIVERED here too. */
    void deliveredBeyond(Instant at, Instant now) {
        state = MessageState.DELIVERED;
        deliveredAt = at;
        updatedAt = now;
    }

    void failed(String reason, boolean countsAsAttempt, Instant now) {
        if (countsAsAttempt) {
            attempts++;
        }
        state = MessageState.FAILED;
        lastError = clip(reason);
        updatedAt = now;
    }

    /** Settled here for a message a peer handed over: a receipt is owed to that peer, due now. */
    void receiptOwed(Instant now) {
        if (receivedFrom != null) {
            receiptDue = now;
            receiptAttempts = 0;
        }
    }

    private static String clip(String text) {
        return clip(text, MAX_ERROR);
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    public String id() {
        return id;
    }

    public String senderId() {
        return senderId;
    }

    public String senderUri() {
        return senderUri;
    }

    public String senderChain() {
        return senderChain;
    }

    public String targetId() {
        return targetId;
    }

    public String sessionId() {
        return sessionId;
    }

    public String contentType() {
        return contentType;
    }

    public String jws() {
        return jws;
    }

    public String receivedFrom() {
        return receivedFrom;
    }

    public MessageState state() {
        return state;
    }

    public int attempts() {
        return attempts;
    }

    public Instant nextAttempt() {
        return nextAttempt;
    }

    public String lastError() {
        return lastError;
    }

    public String hop() {
        return hop;
    }

    public Instant acceptedAt() {
        return acceptedAt;
    }

    public Instant forwardedAt() {
        return forwardedAt;
    }

    public Instant deliveredAt() {
        return deliveredAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Instant receiptDue() {
        return receiptDue;
    }

    public int receiptAttempts() {
        return receiptAttempts;
    }
}
