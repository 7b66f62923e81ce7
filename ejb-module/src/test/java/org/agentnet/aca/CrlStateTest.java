package org.agentnet.aca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CrlStateTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void theFirstCrlIsNumberOne() {
        CrlState state = CrlState.first(T0, T0.plusSeconds(86400));
        assertEquals(1, state.crlNumber());
        assertEquals(T0, state.thisUpdate());
        assertEquals(T0.plusSeconds(86400), state.nextUpdate());
    }

    @Test
    void everyNewCrlTakesTheNextNumberAndItsWindow() {
        CrlState state = CrlState.first(T0, T0.plusSeconds(60));
        assertEquals(2, state.advance(T0.plusSeconds(10), T0.plusSeconds(70)));
        assertEquals(3, state.advance(T0.plusSeconds(20), T0.plusSeconds(80)));
        assertEquals(3, state.crlNumber());
        assertEquals(T0.plusSeconds(20), state.thisUpdate());
        assertEquals(T0.plusSeconds(80), state.nextUpdate());
    }

    @Test
    void aWindowMustEndAfterItStarts() {
        assertThrows(IllegalArgumentException.class, () -> CrlState.first(T0, T0));
        CrlState state = CrlState.first(T0, T0.plusSeconds(60));
        assertThrows(IllegalArgumentException.class, () -> state.advance(T0.plusSeconds(60), T0));
        assertEquals(1, state.crlNumber(), "a refused window takes no number");
    }
}
