package org.agentnet.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.agentnet.common.jobs.JobScheduler;
import org.agentnet.common.jobs.ScheduledJobRecord;
import org.agentnet.common.jobs.ScheduledJobRecord.Outcome;
import org.agentnet.common.jobs.ScheduledJobRepository;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduled jobs' persistent EJB timers, inside the server. The test server configures the
 * job relay-probe-retention to run every two seconds
 * ({@code src/test/arquillian/liberty/configDropins/overrides/arquillian.xml}), so that its timer
 * can be seen firing by itself.
 */
@ExtendWith(ArquillianExtension.class)
class JobTimersArqIT {

    static final String JOB = "relay-probe-retention";
    static final Duration JOB_INTERVAL = Duration.ofSeconds(2);

    @Deployment
    static EnterpriseArchive deployment() {
        return AgentnetDeployment.earWith(JobTimersArqIT.class);
    }

    @EJB(lookup = "java:global/agentnet/agentnet-ejb/JobScheduler")
    JobScheduler scheduler;

    @EJB(lookup = "java:global/agentnet/agentnet-ejb/ScheduledJobRepository")
    ScheduledJobRepository records;

    @Inject
    Clock clock;

    @Test
    void everyJobHasOnePersistentTimer() {
        Set<String> jobs = new TreeSet<>(scheduler.jobNames());
        assertTrue(jobs.contains(JOB), "jobs: " + jobs);

        assertEquals(jobs, scheduler.nextRuns().keySet(), "jobs with a timer");
        Map<String, Boolean> persistent = scheduler.timersPersistent();
        assertEquals(jobs, persistent.keySet(), "jobs with a timer");
        persistent.forEach((job, isPersistent) -> assertTrue(isPersistent, "timer of " + job + " is persistent"));

        for (String job : jobs) {
            assertTrue(records.find(job).isPresent(), "job " + job + " is registered");
        }
        assertEquals(JOB_INTERVAL, record(JOB).interval(),
                "interval of " + JOB + " from MicroProfile Config (agentnet.jobs." + JOB + ".interval)");
    }

    @Test
    void nextRunsAreInTheFutureWithinOneInterval() {
        // a timer that is due this very moment may still show its current run: a live timer
        // moves on within a moment, a dead one never does
        for (String job : scheduler.jobNames()) {
            Duration interval = record(job).interval();
            // patience for a loaded machine: a persistent timer's next run may be some seconds late
            Instant next = Await.until("next run of " + job + " is in the future", Duration.ofSeconds(30),
                    () -> scheduler.nextRuns().get(job), run -> run != null && run.isAfter(clock.instant()));
            Instant latest = clock.instant().plus(interval).plusSeconds(1);
            assertFalse(next.isAfter(latest), "next run of " + job + " " + next + " is at most " + interval + " away");
        }
    }

    @Test
    void timerFiresByItself() {
        Instant testStart = clock.instant();
        long before = run(JOB).fireCount();

        Run fired = Await.until(JOB + " run by its timer (no runNow here) after " + before + " runs",
                Duration.ofSeconds(30), () -> run(JOB),
                run -> run.fireCount() > before && run.lastOutcome() == Outcome.SUCCEEDED);

        // the run that counted may have stamped its start a moment before `before` was read
        assertFalse(fired.lastStartedAt().isBefore(testStart.minusSeconds(1)), "a run of this test: " + fired);
        assertNotNull(fired.lastFinishedAt());
        assertFalse(fired.lastFinishedAt().isBefore(fired.lastStartedAt()), fired.toString());
    }

    @Test
    void runNowRunsTheJobAndRecordsIt() {
        // The timer runs the job every two seconds, and a timed run and runNow updating the
        // job's record at the same moment collide (optimistic lock). Start once the timer's
        // latest run has finished and its next one is at least a second away.
        record Schedule(Run lastRun, Instant nextRun) {
        }
        Await.until("the timer's latest run finished and its next one a second away", Duration.ofSeconds(15),
                () -> new Schedule(run(JOB), scheduler.nextRuns().get(JOB)),
                seen -> seen.nextRun() != null
                        && Duration.between(clock.instant(), seen.nextRun()).toMillis() >= 1000
                        && seen.lastRun().lastOutcome() == Outcome.SUCCEEDED
                        && !seen.lastRun().lastFinishedAt().isBefore(
                                seen.nextRun().minus(seen.lastRun().interval()).minusMillis(500)));
        long before = run(JOB).fireCount();
        Instant start = clock.instant();

        scheduler.runNow(JOB);

        Instant end = clock.instant();
        Run after = run(JOB);
        assertTrue(after.fireCount() > before, "fire count " + before + " -> " + after);
        assertEquals(Outcome.SUCCEEDED, after.lastOutcome(), after.toString());
        assertEquals(null, after.lastError());
        assertFalse(after.lastStartedAt().isBefore(start), "called at " + start + ": " + after);
        assertFalse(after.lastFinishedAt().isAfter(end), "returned at " + end + ": " + after);
    }

    @Test
    void runNowOfAnUnknownJobIsRefused() {
        EJBException thrown = assertThrows(EJBException.class, () -> scheduler.runNow("no-such-job"));
        Throwable cause = thrown.getCause() != null ? thrown.getCause() : thrown.getCausedByException();
        assertInstanceOf(IllegalArgumentException.class, cause, "cause of " + thrown);
    }

    private ScheduledJobRecord record(String job) {
        return records.find(job).orElseThrow(() -> new AssertionError("job " + job + " has no record"));
    }

    private Run run(String job) {
        return Run.of(record(job));
    }

    /** A job record's state, readable in failure messages. */
    record Run(Duration interval, long fireCount, Outcome lastOutcome, Instant lastStartedAt, Instant lastFinishedAt,
               String lastError) {

        static Run of(ScheduledJobRecord record) {
            return new Run(record.interval(), record.fireCount(), record.lastOutcome(), record.lastStartedAt(),
                    record.lastFinishedAt(), record.lastError());
        }
    }
}
