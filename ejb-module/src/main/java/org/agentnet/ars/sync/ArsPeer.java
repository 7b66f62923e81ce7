package org.agentnet.ars.sync;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/**
 * Another ARS this node synchronizes with (draft 3.5): where its change feed is, what it is (its
 * node ID and domain, learned from its feed and checked against its certificate), and how far its
 * feed has been applied here.
 */
@Entity
@Table(name = "ars_peer")
public class ArsPeer {

    /** Longest error text kept (the column's size). */
    static final int MAX_ERROR = 512;

    /** Longest peer URL (the column's size). */
    static final int MAX_URL = 512;

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Column(name = "url", nullable = false, length = MAX_URL)
    private String url;

    @Column(name = "configured", nullable = false)
    private int configured;

    @Column(name = "node_id", length = 64)
    private String nodeId;

    @Column(name = "domain", length = 253)
    private String domain;

    @Column(name = "gateway_address", length = 512)
    private String gatewayAddress;

    @Column(name = "applied_seq", nullable = false)
    private long appliedSeq;

    @Column(name = "latest_seq", nullable = false)
    private long latestSeq;

    @Column(name = "last_attempt_at")
    private Instant lastAttemptAt;

    @Column(name = "last_success_at")
    private Instant lastSuccessAt;

    @Column(name = "last_error", length = MAX_ERROR)
    private String lastError;

    @Column(name = "consecutive_failures", nullable = false)
    private int consecutiveFailures;

    @Column(name = "full_resyncs", nullable = false)
    private int fullResyncs;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected ArsPeer() {
        // JPA
    }

    ArsPeer(String url, boolean configured, Instant now) {
        this.id = UUID.randomUUID().toString();
        this.url = url;
        this.configured = configured ? 1 : 0;
        this.createdAt = now;
    }

    /** The first answer of a peer names it; a peer whose node ID changes lost its state (or was replaced). */
    void identify(String newNodeId, String newDomain, String newGatewayAddress) {
        nodeId = newNodeId;
        domain = newDomain;
        gatewayAddress = newGatewayAddress;
    }

    void applied(long seq, long latest, Instant now) {
        appliedSeq = seq;
        latestSeq = Math.max(latest, seq);
        lastAttemptAt = now;
        lastSuccessAt = now;
        lastError = null;
        consecutiveFailures = 0;
    }

    void failed(String error, Instant now) {
        lastAttemptAt = now;
        lastError = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        consecutiveFailures++;
    }

    /** Starts over from the peer's first change: a full resynchronization. */
    void restartFromScratch() {
        appliedSeq = 0;
        fullResyncs++;
    }

    public String id() {
        return id;
    }

    public String url() {
        return url;
    }

    public boolean configured() {
        return configured == 1;
    }

    public String nodeId() {
        return nodeId;
    }

    public String domain() {
        return domain;
    }

    public String gatewayAddress() {
        return gatewayAddress;
    }

    public long appliedSeq() {
        return appliedSeq;
    }

    public long latestSeq() {
        return latestSeq;
    }

    public Instant lastAttemptAt() {
        return lastAttemptAt;
    }

    public Instant lastSuccessAt() {
        return lastSuccessAt;
    }

    public String lastError() {
        return lastError;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public int fullResyncs() {
        return fullResyncs;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
