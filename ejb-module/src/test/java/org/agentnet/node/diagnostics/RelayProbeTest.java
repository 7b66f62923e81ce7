package org.agentnet.node.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelayProbeTest {

    private static final Instant REQUESTED = Instant.parse("2025-03-01T08:00:00Z");
    private static final Instant LATER = REQUESTED.plusSeconds(3);
    private static final Instant MUCH_LATER = REQUESTED.plusSeconds(300);

    @Test
    void newProbeIsSentAndUnsettled() {
        RelayProbe probe = new RelayProbe(REQUESTED, "operator", 2);

        assertEquals(RelayProbeState.SENT, probe.state());
        assertEquals(REQUESTED, probe.requestedAt());
        assertEquals("operator", probe.requestedBy());
        assertEquals(2, probe.failDeliveries());
        assertEquals(0, probe.deliveryAttempts());
        assertNull(probe.settledAt());
        assertEquals(probe.id(), UUID.fromString(probe.id()).toString(), "the id is a UUID");
        assertEquals(36, probe.id().length());
    }

    @Test
    void eachProbeHasItsOwnId() {
        assertNotEquals(new RelayProbe(REQUESTED, "a", 0).id(), new RelayProbe(REQUESTED, "a", 0).id());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 19, RelayProbe.MAX_FAIL_DELIVERIES})
    void failDeliveriesWithinBoundsAreAccepted(int failDeliveries) {
        assertEquals(failDeliveries, new RelayProbe(REQUESTED, "operator", failDeliveries).failDeliveries());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, RelayProbe.MAX_FAIL_DELIVERIES + 1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void failDeliveriesOutOfBoundsAreRejected(int failDeliveries) {
        assertThrows(IllegalArgumentException.class, () -> new RelayProbe(REQUESTED, "operator", failDeliveries));
    }

    @Test
    void maximumIsTwenty() {
        assertEquals(20, RelayProbe.MAX_FAIL_DELIVERIES);
    }

    @Test
    void requestedAtAndByAreRequired() {
        assertThrows(NullPointerException.class, () -> new RelayProbe(null, "operator", 0));
        assertThrows(NullPointerException.class, () -> new RelayProbe(REQUESTED, null, 0));
    }

    @Test
    void refusesExactlyTheFirstFailDeliveries() {
        RelayProbe probe = new RelayProbe(REQUESTED, "operator", 3);

        assertTrue(probe.refuses(1));
        assertTrue(probe.refuses(2));
        assertTrue(probe.refuses(3));
        assertFalse(probe.refuses(4));
        assertFalse(probe.refuses(5));
    }

    @Test
    void probeWithoutFailuresAcceptsTheFirstDelivery() {
        RelayProbe probe = new RelayProbe(REQUESTED, "operator", 0);

        assertFalse(probe.refuses(1));
        assertFalse(probe.refuses(2));
    }

    @Test
    void consumedSettlesWithTheDeliveryCount() {
        RelayProbe probe = new RelayProbe(REQUESTED, "operator", 2);

        probe.consumed(LATER, 3);

        assertEquals(RelayProbeState.CONSUMED, probe.state());
        assertEquals(3, probe.deliveryAttempts());
        assertEquals(LATER, probe.settledAt());
    }

    @Test
    void duplicateDeliveryAfterConsumedChangesNothing() {
        RelayProbe probe = new RelayProbe(REQUESTED, "operator", 0);
        probe.consumed(LATER, 1);

        probe.consumed(MUCH_LATER, 2);
        probe.deadLettered(MUCH_LATER);

        assertEquals(RelayProbeState.CONSUMED, probe.state());
        assertEquals(1, probe.deliveryAttempts());
        assertEquals(LATER, probe.settledAt());
    }

    @Test
    void deadLetteredSettlesWithoutChangingTheAttempts() {
        RelayProbe probe = new RelayProbe(REQUESTED, "operator", 20);

        probe.deadLettered(LATER);

        assertEquals(RelayProbeState.DEAD_LETTERED, probe.state());
        assertEquals(LATER, probe.settledAt());
        assertEquals(0, probe.deliveryAttempts());
    }

    @Test
    void laterCallsAfterDeadLetteredChangeNothing() {
        RelayProbe probe = new RelayProbe(REQUESTED, "operator", 20);
        probe.deadLettered(LATER);

        probe.deadLettered(MUCH_LATER);
        probe.consumed(MUCH_LATER, 7);

        assertEquals(RelayProbeState.DEAD_LETTERED, probe.state());
        assertEquals(LATER, probe.settledAt());
        assertEquals(0, probe.deliveryAttempts());
    }
}
