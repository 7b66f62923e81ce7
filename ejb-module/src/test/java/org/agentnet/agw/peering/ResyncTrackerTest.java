package org.agentnet.agw.peering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResyncTrackerTest {

    @Test
    void aFullPassCollectsEveryPageFromSeqZero() {
        ResyncTracker tracker = new ResyncTracker();
        assertNull(tracker.page("p", 0, false, List.of("a", "b")));
        assertNull(tracker.page("p", 2, false, List.of("c")));
        assertEquals(Set.of("a", "b", "c", "d"), tracker.page("p", 3, true, List.of("d")));
        assertNull(tracker.page("p", 4, true, List.of("e")), "over: incremental pages forget nothing");
    }

    @Test
    void incrementalPagesAreNoPass() {
        ResyncTracker tracker = new ResyncTracker();
        assertNull(tracker.page("p", 5, true, List.of("a")));
    }

    @Test
    void aPassThatStartsAgainStartsFromNothing() {
        ResyncTracker tracker = new ResyncTracker();
        tracker.page("p", 0, false, List.of("gone"));
        assertEquals(Set.of("a"), tracker.page("p", 0, true, List.of("a")));
    }

    @Test
    void aSinglePagePass() {
        assertEquals(Set.of(), new ResyncTracker().page("p", 0, true, List.of()));
    }
}
