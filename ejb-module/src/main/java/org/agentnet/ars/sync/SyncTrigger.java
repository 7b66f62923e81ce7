package org.agentnet.ars.sync;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Pulls of a peer started on demand (a peer's notification, a new peer, an operator), in the
 * background and coalesced: while a pull of a peer runs, any number of requests for it make one
 * more pull after it, never a queue of them.
 */
@ApplicationScoped
public class SyncTrigger {

    private static final Logger LOG = Logger.getLogger(SyncTrigger.class.getName());
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int RUNNING_AGAIN = 2;

    @Resource
    ManagedExecutorService executor;

    @EJB
    ArsSynchronizer synchronizer;

    // one entry per peer ID ever pulled on demand; peers are few (agentnet.ars.sync.max-peers)
    private final Map<String, AtomicInteger> states = new ConcurrentHashMap<>();

    public void pullSoon(String peerId) {
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

    void forget(String peerId) {
        states.remove(peerId);
    }

    private void submit(String peerId, AtomicInteger state) {
        try {
            executor.submit(() -> {
                do {
                    try {
                        synchronizer.pull(peerId);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "pull of ARS peer " + peerId + " failed", e);
                    }
                } while (state.compareAndSet(RUNNING_AGAIN, RUNNING));
                state.set(IDLE);
            });
        } catch (RejectedExecutionException e) {
            state.set(IDLE); // the timer's pull comes anyway
            LOG.warning(() -> "pull of ARS peer " + peerId + " not started: " + e.getMessage());
        }
    }
}
