package org.agentnet.agw.peering;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents seen during a peer's full resynchronization (pages from seq 0 up to its latest): once
 * the last page is applied, the records of that origin not among them are forgotten (the peer no
 * longer holds them). In memory: a restart in the middle loses the set, which only means that
 * nothing is forgotten this time; the digest comparison of the heartbeats asks for another full
 * resynchronization if records remain that the peer does not hold. Bounded by the registry's size.
 */
@ApplicationScoped
public class ResyncTracker {

    private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();

    /** Notes a page's agents; the whole set once the page completes a full pass, else null. */
    Set<String> page(String peerId, long since, boolean complete, Iterable<String> agentIds) {
        Set<String> pass = since == 0 ? new HashSet<>() : seen.get(peerId);
        if (pass == null) {
            return null;
        }
        if (since == 0) {
            seen.put(peerId, pass);
        }
        synchronized (pass) {
            agentIds.forEach(pass::add);
        }
        if (complete) {
            seen.remove(peerId);
            return pass;
        }
        return null;
    }

    void forget(String peerId) {
        seen.remove(peerId);
    }
}
