package org.agentnet.agw.peering;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A neighbor gateway (draft 3.4.1): where it is reached, who it is (learned from its handshake and
 * checked against its certificate), its status (3.4.3), and how far the resource synchronization
 * (3.4.2) got in each direction: {@code sentSeq} of this node's change feed acknowledged by the
 * peer, {@code appliedSeq} of the peer's feed applied here.
 */
@Entity
@Table(name = "agw_peer")
public class AgwPeer {

    static final int MAX_URL = 512;
    static final int MAX_ERROR = 512;
    static final int MAX_REASON = 256;

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

    @Column(name = "gateway_uri", length = 512)
    private String gatewayUri;

    @Column(name = "remote_id", length = 36)
    private String remoteId;

    @Column(name = "protocol", length = 64)
    private String protocol;

    @Column(name = "heartbeat_seconds", nullable = false)
    private int heartbeatSeconds;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 16)
    private PeerStatus status;

    @Column(name = "status_reason", length = MAX_REASON)
    private String statusReason;

    @Column(name = "last_contact_at")
    private Instant lastContactAt;

    @Column(name = "established_at")
    private Instant establishedAt;

    @Column(name = "sent_seq", nullable = false)
    private long sentSeq;

    @Column(name = "applied_seq", nullable = false)
    private long appliedSeq;

    @Column(name = "peer_latest_seq", nullable = false)
    private long peerLatestSeq;

    @Column(name = "full_resyncs", nullable = false)
    private int fullResyncs;

    @Column(name = "last_error", length = MAX_ERROR)
    private String lastError;

    @Column(name = "consecutive_failures", nullable = false)
    private int consecutiveFailures;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected AgwPeer() {
        // JPA
    }

    AgwPeer(String url, boolean configured, Instant now) {
        this.id = UUID.randomUUID().toString();
        this.url = url;
        this.configured = configured ? 1 : 0;
        this.status = PeerStatus.PENDING;
        this.createdAt = now;
    }

    /** What the peer's handshake (and its certificate) said it is. */
    void identify(String newNodeId, String newDomain, String newGatewayUri, String newRemoteId, String newProtocol,
                  int newHeartbeatSeconds) {
        nodeId = newNodeId;
        domain = newDomain;
        gatewayUri = newGatewayUri;
        if (newRemoteId != null) {
            remoteId = newRemoteId;
        }
        protocol = newProtocol;
        heartbeatSeconds = newHeartbeatSeconds;
    }

    /** Heard from the peer (its handshake, heartbeat or resources, or its answer to ours). */
    void contact(Instant now) {
        lastContactAt = now;
        if (status != PeerStatus.ONLINE) {
            status = PeerStatus.ONLINE;
            statusReason = null;
            establishedAt = now;
        }
    }

    void offline(String reason) {
        status = PeerStatus.OFFLINE;
        statusReason = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
    }

    void disconnected(String reason) {
        status = PeerStatus.DISCONNECTED;
        statusReason = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        remoteId = null;
        establishedAt = null;
    }

    /** An operator adds a peer it had disconnected: it starts again from a handshake. */
    void reactivate(boolean byConfiguration) {
        status = PeerStatus.PENDING;
        statusReason = null;
        configured = byConfiguration ? 1 : configured;
    }

    void relocate(String newUrl, boolean alsoConfigured) {
        url = newUrl;
        if (alsoConfigured) {
            configured = 1;
        }
    }

    /** Merges the row of the same peer made by its own handshake under another URL: its position and identity. */
    void takeOver(AgwPeer twin) {
        nodeId = twin.nodeId;
        domain = twin.domain;
        gatewayUri = twin.gatewayUri;
        appliedSeq = twin.appliedSeq;
        peerLatestSeq = twin.peerLatestSeq;
        fullResyncs = twin.fullResyncs;
        configured = Math.max(configured, twin.configured);
    }

    void sent(long acknowledged) {
        sentSeq = Math.max(0, acknowledged);
    }

    void applied(long seq, long latest) {
        appliedSeq = seq;
        peerLatestSeq = Math.max(peerLatestSeq, Math.max(latest, seq));
    }

    void peerLatest(long latest) {
        peerLatestSeq = latest;
    }

    /** Reads the peer's feed again from its first change (new, lost state, recovered, or a digest mismatch). */
    void restartFromScratch() {
        appliedSeq = 0;
        fullResyncs++;
    }

    /** A peer that now answers as another node: what was learned of the former one is void. */
    void forgetIdentity() {
        nodeId = null;
        appliedSeq = 0;
        sentSeq = 0;
        peerLatestSeq = 0;
        remoteId = null;
    }

    /** The peer no longer knows this node under the ID it gave: the next contact is a handshake. */
    void forgetRemoteId() {
        remoteId = null;
    }

    void succeeded() {
        lastError = null;
        consecutiveFailures = 0;
    }

    void failed(String error) {
        lastError = error == null ? "failed" : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        consecutiveFailures++;
    }

    /** How long the peer may stay silent: its announced heartbeat interval times the hold intervals. */
    Duration holdTime(int holdIntervals) {
        return Duration.ofSeconds((long) Math.max(1, heartbeatSeconds) * holdIntervals);
    }

    /** The routing view of this peer, when it has been identified and is not disconnected. */
    PeerGateways.PeerHop hop() {
        if (nodeId == null || status == PeerStatus.DISCONNECTED) {
            return null;
        }
        return new PeerGateways.PeerHop(id, domain, nodeId, gatewayUri, URI.create(url), status == PeerStatus.ONLINE);
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

    public String gatewayUri() {
        return gatewayUri;
    }

    public String remoteId() {
        return remoteId;
    }

    public String protocol() {
        return protocol;
    }

    public int heartbeatSeconds() {
        return heartbeatSeconds;
    }

    public PeerStatus status() {
        return status;
    }

    public String statusReason() {
        return statusReason;
    }

    public Instant lastContactAt() {
        return lastContactAt;
    }

    public Instant establishedAt() {
        return establishedAt;
    }

    public long sentSeq() {
        return sentSeq;
    }

    public long appliedSeq() {
        return appliedSeq;
    }

    public long peerLatestSeq() {
        return peerLatestSeq;
    }

    public int fullResyncs() {
        return fullResyncs;
    }

    public String lastError() {
        return lastError;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
