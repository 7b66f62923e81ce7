package org.agentnet.common.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.agentnet.common.jobs.ScheduledJobRecord.Outcome;
import org.junit.jupiter.api.Test;

class ScheduledJobRecordTest {

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(2);
    private static final Instant T2 = T0.plusSeconds(60);
    private static final Instant T3 = T0.plusSeconds(61);

    @Test
    void newRecordHasNeverRun() {
        ScheduledJobRecord job = new ScheduledJobRecord("retention", Duration.ofMinutes(5));

        assertEquals("retention", job.name());
        assertEquals(Duration.ofMinutes(5), job.interval());
        assertEquals(0, job.fireCount());
        assertNull(job.lastStartedAt());
        assertNull(job.lastFinishedAt());
        assertNull(job.lastOutcome());
        assertNull(job.lastError());
    }

    @Test
    void nameIsRequired() {
        assertThrows(NullPointerException.class, () -> new ScheduledJobRecord(null, Duration.ofSeconds(1)));
    }

    @Test
    void startedMarksRunningAndCountsTheFire() {
        ScheduledJobRecord job = new ScheduledJobRecord("retention", Duration.ofSeconds(30));

        job.started(T0);

        assertEquals(1, job.fireCount());
        assertEquals(T0, job.lastStartedAt());
        assertNull(job.lastFinishedAt());
        assertEquals(Outcome.RUNNING, job.lastOutcome());
        assertNull(job.lastError());
    }

    @Test
    void runningBecomesSucceededWithoutError() {
        ScheduledJobRecord job = new ScheduledJobRecord("retention", Duration.ofSeconds(30));
        job.started(T0);

        job.finished(T1, null);

        assertEquals(Outcome.SUCCEEDED, job.lastOutcome());
        assertEquals(T0, job.lastStartedAt());
        assertEquals(T1, job.lastFinishedAt());
        assertNull(job.lastError());
        assertEquals(1, job.fireCount());
    }

    @Test
    void runningBecomesFailedWithTheErrorText() {
        ScheduledJobRecord job = new ScheduledJobRecord("retention", Duration.ofSeconds(30));
        job.started(T0);

        job.finished(T1, new IllegalStateException("database gone"));

        assertEquals(Outcome.FAILED, job.lastOutcome());
        assertEquals(T1, job.lastFinishedAt());
        assertEquals("java.lang.IllegalStateException: database gone", job.lastError());
    }

    @Test
    void longErrorTextIsTruncatedToTheColumnLength() {
        ScheduledJobRecord job = new ScheduledJobRecord("retention", Duration.ofSeconds(30));
        job.started(T0);
        String message = "x".repeat(5000);

        job.finished(T1, new RuntimeException(message));

        assertEquals(1000, ScheduledJobRecord.MAX_ERROR_LENGTH);
        assertEquals(ScheduledJobRecord.MAX_ERROR_LENGTH, job.lastError().length());
        assertEquals(("java.lang.RuntimeException: " + message).substring(0, 1000), job.lastError());
    }

    @Test
    void errorTextOfExactlyTheLimitIsKeptWhole() {
        ScheduledJobRecord job = new ScheduledJobRecord("retention", Duration.ofSeconds(30));
        String prefix = "java.lang.RuntimeException: ";
        String message = "y".repeat(ScheduledJobRecord.MAX_ERROR_LENGTH - prefix.length());

        job.started(T0);
        job.finished(T1, new RuntimeException(message));

        assertEquals(prefix + message, job.lastError());
    }

    @Test
    void nextStartClearsThePreviousFailure() {
        ScheduledJobRecord job = new ScheduledJobRecord("retention", Duration.ofSeconds(30));
        job.started(T0);
        job.finished(T1, new RuntimeException("boom"));

        job.started(T2);

        assertEquals(2, job.fireCount());
        assertEquals(T2, job.lastStartedAt());
        assertNull(job.lastFinishedAt());
        assertEquals(Outcome.RUNNING, job.lastOutcome());
        assertNull(job.lastError());

        job.finished(T3, null);
        assertEquals(Outcome.SUCCEEDED, job.lastOutcome());
        assertEquals(T3, job.lastFinishedAt());
        assertNull(job.lastError());
    }

    @Test
    void fireCountCountsEveryStart() {
        ScheduledJobRecord job = new ScheduledJobRecord("retention", Duration.ofSeconds(30));
        for (int i = 0; i < 7; i++) {
            job.started(T0.plusSeconds(i * 30L));
            job.finished(T0.plusSeconds(i * 30L + 1), i % 2 == 0 ? null : new RuntimeException("odd"));
        }
        assertEquals(7, job.fireCount());
        assertEquals(Outcome.SUCCEEDED, job.lastOutcome());
    }

    @Test
    void rescheduleChangesTheInterval() {
        ScheduledJobRecord job = new ScheduledJobRecord("retention", Duration.ofSeconds(30));

        job.reschedule(Duration.ofHours(2));

        assertEquals(Duration.ofHours(2), job.interval());
    }

    @Test
    void rescheduleRejectsZeroAndNegativeIntervals() {
        ScheduledJobRecord job = new ScheduledJobRecord("retention", Duration.ofSeconds(30));

        assertThrows(IllegalArgumentException.class, () -> job.reschedule(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> job.reschedule(Duration.ofSeconds(-5)));
        assertThrows(IllegalArgumentException.class, () -> job.reschedule(Duration.ofNanos(-1)));
        assertEquals(Duration.ofSeconds(30), job.interval(), "a refused interval leaves the old one");
    }

    @Test
    void constructorRejectsZeroAndNegativeIntervals() {
        assertThrows(IllegalArgumentException.class, () -> new ScheduledJobRecord("a", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new ScheduledJobRecord("a", Duration.ofMinutes(-1)));
    }

    @Test
    void subSecondIntervalsKeepAtLeastOneSecond() {
        ScheduledJobRecord job = new ScheduledJobRecord("retention", Duration.ofMillis(1));
        assertEquals(Duration.ofSeconds(1), job.interval());

        job.reschedule(Duration.ofMillis(999));
        assertEquals(Duration.ofSeconds(1), job.interval());

        job.reschedule(Duration.ofMillis(2500));
        assertEquals(Duration.ofSeconds(2), job.interval(), "whole seconds, rounded down");
        assertTrue(job.interval().toSeconds() >= 1);
    }
}
