package org.agentnet.ars.sync;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import org.agentnet.common.concurrent.CoalescedRuns;

/**
 * Pulls of a peer started on demand (a peer's notification, a new peer, an operator), in the
 * background and coalesced: while a pull of a peer runs, any number of requests for it make one
 * more pull after it, never a queue of them.
 */
@ApplicationScoped
public class SyncTrigger {

    @Resource
    ManagedExecutorService executor;

    @EJB
    ArsSynchronizer synchronizer;

    // one entry per peer ID ever pulled on demand; peers are few (agentnet.ars.sync.max-peers)
    private final CoalescedRuns pulls = new CoalescedRuns("pull of ARS peer");

    public void pullSoon(String peerId) {
        // the timer's pull comes anyway if this one is refused
        pulls.request(peerId, executor, () -> synchronizer.pull(peerId));
    }

    void forget(String peerId) {
        pulls.forget(peerId);
    }
}
