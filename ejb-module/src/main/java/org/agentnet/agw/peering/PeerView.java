package org.agentnet.agw.peering;

import java.time.Instant;

/**
 * A peer as operators see it ({@code GET /api/v1/agw/peers}): who it is, where, its status and
 * last heartbeat, and how far the resource synchronization got each way ({@code lastSeqSent}: of
 * this node's feed, acknowledged by the peer; {@code lastSeqApplied}: of the peer's feed, applied
 * here; {@code peerLatestSeq}: the peer's latest as it last said).
 */
public record PeerView(String id, String url, boolean configured, String domain, String nodeId, String gatewayUri,
                       String baseUrl, String protocol, PeerStatus status, String statusReason, int heartbeatInterval,
                       long holdTime, Instant lastHeartbeat, long lastSeqSent, long lastSeqApplied, long peerLatestSeq,
                       Instant establishedAt, int fullResyncs, String lastError, int consecutiveFailures, Instant createdAt) {

    public static PeerView of(AgwPeer peer, int holdIntervals) {
        return new PeerView(peer.id(), peer.url(), peer.configured(), peer.domain(), peer.nodeId(), peer.gatewayUri(),
                peer.url(), peer.protocol(), peer.status(), peer.statusReason(), peer.heartbeatSeconds(),
                peer.holdTime(holdIntervals).toSeconds(), peer.lastContactAt(), peer.sentSeq(), peer.appliedSeq(),
                peer.peerLatestSeq(), peer.establishedAt(), peer.fullResyncs(), peer.lastError(), peer.consecutiveFailures(),
                peer.createdAt());
    }
}
