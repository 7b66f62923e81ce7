package org.agentnet.agw.access;

import static org.agentnet.agw.access.SignedRequestsTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.time.MovableClock;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(2);

    private static ReplayGuard at(Instant now, int capacity) {
        return new ReplayGuard(Clock.fixed(now, ZoneOffset.UTC), WINDOW, capacity);
    }

    @Test
    void acceptsEachJtiOncePerAgent() {
        ReplayGuard guard = at(NOW, 10);
        guard.accept("agent://a/o/x", NOW.getEpochSecond(), "j1");
        assertProblem(ProblemType.REPLAYED_REQUEST, () -> guard.accept("agent://a/o/x", NOW.getEpochSecond(), "j1"));
        guard.accept("agent://a/o/y", NOW.getEpochSecond(), "j1");
        guard.accept("agent://a/o/x", NOW.getEpochSecond(), "j2");
    }

    @Test
    void refusesIatOutsideTheWindow() {
        ReplayGuard guard = at(NOW, 10);
        assertProblem(ProblemType.REQUEST_EXPIRED, () -> guard.accept("u", NOW.minus(WINDOW).getEpochSecond() - 1, "a"));
        assertProblem(ProblemType.REQUEST_EXPIRED, () -> guard.accept("u", NOW.plus(WINDOW).getEpochSecond() + 1, "b"));
        guard.accept("u", NOW.minus(WINDOW).getEpochSecond(), "c");
        guard.accept("u", NOW.plus(WINDOW).getEpochSecond(), "d");
        assertProblem(ProblemType.VALIDATION_FAILED, () -> guard.accept("u", NOW.getEpochSecond(), null));
        assertProblem(ProblemType.VALIDATION_FAILED, () -> guard.accept("u", NOW.getEpochSecond(), "x".repeat(ReplayGuard.MAX_JTI + 1)));
    }

    @Test
    void anIatBeyondTheRangeOfInstantIsExpiredNotAnError() {
        // the bad-input campaign's "1e400" and 2^63 - 1 as iat (a DateTimeException before)
        ReplayGuard guard = at(NOW, 10);
        assertProblem(ProblemType.REQUEST_EXPIRED, () -> guard.accept("u", Long.MAX_VALUE, "a"));
        assertProblem(ProblemType.REQUEST_EXPIRED, () -> guard.accept("u", Long.MIN_VALUE, "b"));
    }

    @Test
    void isBoundedAndForgetsOnlyExpiredEntries() {
        MovableClock clock = new MovableClock(NOW);
        ReplayGuard guard = new ReplayGuard(clock, WINDOW, 2);
        guard.accept("u", NOW.getEpochSecond(), "a");
        guard.accept("u", NOW.getEpochSecond(), "b");
        // full of live entries: refused, nothing forgotten
        assertProblem(ProblemType.SERVICE_UNAVAILABLE, () -> guard.accept("u", NOW.getEpochSecond(), "c"));
        assertEquals(2, guard.size());
        // once their window has passed they make room, and a jti may be used again
        clock.now = NOW.plus(WINDOW).plusSeconds(1);
        guard.accept("u", clock.now.getEpochSecond(), "c");
        assertEquals(1, guard.size());
        guard.accept("u", clock.now.getEpochSecond(), "a");
        assertProblem(ProblemType.REPLAYED_REQUEST, () -> guard.accept("u", clock.now.getEpochSecond(), "a"));
    }
}
