package org.agentnet.common.concurrent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Work per key (a peer, say) started on demand in the background and coalesced: while the work of
 * a key runs, any number of requests for that key make one more run after it, never a queue. A
 * failing run is logged; a request the executor refuses is dropped with a warning (callers have a
 * timer that does the work anyway). Keys are expected to be few.
 */
public final class CoalescedRuns {

    private static final Logger LOG = Logger.getLogger(CoalescedRuns.class.getName());
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int RUNNING_AGAIN = 2;

    private final String what;
    private final Map<String, AtomicInteger> states = new ConcurrentHashMap<>();

    /** @param what names the work in log messages, e.g. "pull of ARS peer" (the key follows) */
    public CoalescedRuns(String what) {
        this.what = what;
    }

    /** Runs {@code work} for the key soon, or once more after the run in progress. */
    public void request(String key, Executor executor, Runnable work) {
        AtomicInteger state = states.computeIfAbsent(key, k -> new AtomicInteger(IDLE));
        while (true) {
            int now = state.get();
            if (now == IDLE && state.compareAndSet(IDLE, RUNNING)) {
                submit(key, state, executor, work);
                return;
            }
            if (now == RUNNING && state.compareAndSet(RUNNING, RUNNING_AGAIN) || now == RUNNING_AGAIN) {
                return;
            }
        }
    }

    public void forget(String key) {
        states.remove(key);
    }

    private void submit(String key, AtomicInteger state, Executor executor, Runnable work) {
        try {
            executor.execute(() -> {
                do {
                    try {
                        work.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, what + " " + key + " failed", e);
                    }
                } while (state.compareAndSet(RUNNING_AGAIN, RUNNING));
                state.set(IDLE);
            });
        } catch (RejectedExecutionException e) {
            state.set(IDLE);
            LOG.warning(() -> what + " " + key + " not started: " + e.getMessage());
        }
    }
}
