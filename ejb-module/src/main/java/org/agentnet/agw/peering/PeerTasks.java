package org.agentnet.agw.peering;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.agentnet.agw.access.AgentAccessChanged;
import org.agentnet.ars.AgentChanged;

/**
 * Work on a peer started on demand, in the background and coalesced per peer: while one runs, any
 * number of requests make one more run after it, never a queue. What starts it: a change of one of
 * this node's agents committed (ARS registration, update, deregistration, status; AGW access,
 * withdrawal, heartbeat status), a new peer, a handshake received, or the start of the node.
 */
@ApplicationScoped
public class PeerTasks {

    private static final Logger LOG = Logger.getLogger(PeerTasks.class.getName());
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int RUNNING_AGAIN = 2;

    @Resource
    ManagedExecutorService executor;

    @EJB
    PeerLink link;

    @Inject
    PeerDirectory directory;

    // one entry per peer ID; peers are few (agentnet.agw.peer.max-peers)
    private final Map<String, AtomicInteger> states = new ConcurrentHashMap<>();
    private final java.util.Set<String> greet = ConcurrentHashMap.newKeySet();

    /** Handshake if needed, then send the peer the summaries it is missing. */
    public void syncSoon(String peerId) {
        AtomicInteger state = states.computeIfAbsent(peerId, id -> new AtomicInteger(IDLE));
        while (true) {
            int now = state.get();
            if (now == IDLE && state.compareAndSet(IDLE, RUNNING)) {
                submit(peerId, state);
                return;
            }
            if (now == RUNNING && state.compareAndSet(RUNNING, RUNNING_AGAIN) || now == RUNNING_AGAIN) {
                return;
            }
        }
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
        states.remove(peerId);
        greet.remove(peerId);
    }

    private void submit(String peerId, AtomicInteger state) {
        try {
            executor.submit(() -> {
                do {
                    try {
                        boolean established = greet.remove(peerId) ? link.handshake(peerId) : link.handshakeIfNeeded(peerId);
                        if (established) {
                            link.push(peerId);
                        }
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "synchronization with peer gateway " + peerId + " failed", e);
                    }
                } while (state.compareAndSet(RUNNING_AGAIN, RUNNING));
                state.set(IDLE);
            });
        } catch (RejectedExecutionException e) {
            state.set(IDLE); // the heartbeat job comes anyway
            LOG.warning(() -> "synchronization with peer gateway " + peerId + " not started: " + e.getMessage());
        }
    }
}
