package org.agentnet.agw.peering;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;
import org.agentnet.agw.access.AgentAccessChanged;
import org.agentnet.ars.AgentChanged;
import org.agentnet.common.concurrent.CoalescedRuns;

/**
 * Work on a peer started on demand, in the background and coalesced per peer: while one runs, any
 * number of requests make one more run after it, never a queue. What starts it: a change of one of
 * this node's agents committed (ARS registration, update, deregistration, status; AGW access,
 * withdrawal, heartbeat status), a new peer, a handshake received, or the start of the node.
 */
@ApplicationScoped
public class PeerTasks {

    @Resource
    ManagedExecutorService executor;

    @EJB
    PeerLink link;

    @Inject
    PeerDirectory directory;

    // one entry per peer ID; peers are few (agentnet.agw.peer.max-peers)
    private final CoalescedRuns syncs = new CoalescedRuns("synchronization with peer gateway");
    private final java.util.Set<String> greet = ConcurrentHashMap.newKeySet();

    /** Handshake if needed, then send the peer the summaries it is missing. */
    public void syncSoon(String peerId) {
        // the heartbeat job does it anyway if this one is refused
        syncs.request(peerId, executor, () -> {
            boolean established = greet.remove(peerId) ? link.handshake(peerId) : link.handshakeIfNeeded(peerId);
            if (established) {
                link.push(peerId);
            }
        });
    }

    /** A handshake in any case (at start: peerings are renewed), then the summaries the peer is missing. */
    public void greetSoon(String peerId) {
        greet.add(peerId);
        syncSoon(peerId);
    }

    /** Every identified peer gets what changed. */
    public void syncAllSoon() {
        directory.hops().forEach(hop -> syncSoon(hop.peerId()));
    }

    void agentChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AgentChanged event) {
        if (event.agent().local()) {
            syncAllSoon();
        }
    }

    void accessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AgentAccessChanged event) {
        syncAllSoon();
    }

    void forget(String peerId) {
        syncs.forget(peerId);
        greet.remove(peerId);
    }
}
