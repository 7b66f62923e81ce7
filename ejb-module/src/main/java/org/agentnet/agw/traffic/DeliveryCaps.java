package org.agentnet.agw.traffic;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the deliveries in progress per target agent and grants one more only below the target's
 * cap. Holds an entry only while a delivery to that agent is in progress.
 */
final class DeliveryCaps {

    private final Map<String, Integer> active = new ConcurrentHashMap<>();

    /** Whether a delivery to {@code target} may start now (then it must be {@link #release released}); cap 0: always. */
    boolean tryAcquire(String target, int cap) {
        boolean[] granted = new boolean[1];
        active.compute(target, (key, count) -> {
            int now = count == null ? 0 : count;
            if (cap > 0 && now >= cap) {
                return count;
            }
            granted[0] = true;
            return now + 1;
        });
        return granted[0];
    }

    void release(String target) {
        active.computeIfPresent(target, (key, count) -> count <= 1 ? null : count - 1);
    }

    int active(String target) {
        return active.getOrDefault(target, 0);
    }

    /** Deliveries in progress to all targets. */
    int total() {
        return active.values().stream().mapToInt(Integer::intValue).sum();
    }
}
