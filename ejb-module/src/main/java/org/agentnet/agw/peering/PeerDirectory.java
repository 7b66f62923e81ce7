package org.agentnet.agw.peering;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The neighbor list as routing and relay forwarding see it ({@link PeerGateways}), answered from
 * memory: loaded at start and kept in step with {@code agw_peer} by the {@link PeerChanged} events
 * of committed changes. Lookups read an immutable snapshot (no lock); changes are rare.
 */
@ApplicationScoped
public class PeerDirectory implements PeerGateways {

    private record Snapshot(Map<String, PeerHop> byPeer, Map<String, PeerHop> byOrigin, Map<String, PeerHop> byGatewayUri) {

        static Snapshot of(Map<String, PeerHop> byPeer) {
            Map<String, PeerHop> byOrigin = new HashMap<>();
            Map<String, PeerHop> byGateway = new HashMap<>();
            for (PeerHop hop : byPeer.values()) {
                byOrigin.merge(hop.nodeId(), hop, Snapshot::preferOnline);
                if (hop.gatewayUri() != null) {
                    byGateway.merge(hop.gatewayUri(), hop, Snapshot::preferOnline);
                }
            }
            return new Snapshot(Map.copyOf(byPeer), Map.copyOf(byOrigin), Map.copyOf(byGateway));
        }

        private static PeerHop preferOnline(PeerHop a, PeerHop b) {
            return a.online() || !b.online() ? a : b;
        }
    }

    private volatile Snapshot snapshot = Snapshot.of(Map.of());

    /** Handshakes (received and answered) take turns on this server: one row per peer even when both sides start at once. */
    private final java.util.concurrent.locks.ReentrantLock identification = new java.util.concurrent.locks.ReentrantLock();

    java.util.concurrent.locks.ReentrantLock identification() {
        return identification;
    }

    @Override
    public Optional<PeerHop> hopForOrigin(String originNode) {
        return originNode == null ? Optional.empty() : Optional.ofNullable(snapshot.byOrigin().get(originNode));
    }

    @Override
    public Optional<PeerHop> peerByGatewayUri(String gatewayUri) {
        return gatewayUri == null ? Optional.empty() : Optional.ofNullable(snapshot.byGatewayUri().get(gatewayUri));
    }

    /** The peer by its ID here, if routable. */
    public Optional<PeerHop> hop(String peerId) {
        return Optional.ofNullable(snapshot.byPeer().get(peerId));
    }

    @Override
    public Collection<PeerHop> hops() {
        return snapshot.byPeer().values();
    }

    /** Replaces the whole list (at start). */
    synchronized void load(Collection<AgwPeer> peers) {
        Map<String, PeerHop> byPeer = new HashMap<>();
        for (AgwPeer peer : peers) {
            PeerHop hop = peer.hop();
            if (hop != null) {
                byPeer.put(peer.id(), hop);
            }
        }
        snapshot = Snapshot.of(byPeer);
    }

    void changed(@Observes(during = TransactionPhase.AFTER_SUCCESS) PeerChanged event) {
        apply(event);
    }

    synchronized void apply(PeerChanged event) {
        Map<String, PeerHop> byPeer = new HashMap<>(snapshot.byPeer());
        if (event.hop() == null) {
            byPeer.remove(event.peerId());
        } else {
            byPeer.put(event.peerId(), event.hop());
        }
        snapshot = Snapshot.of(byPeer);
    }
}
