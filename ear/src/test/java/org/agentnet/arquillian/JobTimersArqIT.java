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
            Instant next = Await.until("next run of " + job + " is in the future", Duration.ofSeconds(10),
                    () -> scheduler.nextRuns().get(job), run -> run != null && run.isAfter(clock.instant()));
            Instant latest = clock.instant().plus(interval).plusSeconds(1);
            assertFalse(next.isAfter(latest), "next run of " + job + " " + next + " is at most " + interval + " away");
        }
    }

    @Test
    void timerFiresByItself() {
        Instant testStart = clock.instant();
        long before = record(JOB).fireCount();

        ScheduledJobRecord fired = Await.until(JOB + " run by its timer (no runNow here)", Duration.ofSeconds(30),
                () -> record(JOB), r -> r.fireCount() > before && r.lastOutcome() == Outcome.SUCCEEDED);

        assertFalse(fired.lastStartedAt().isBefore(testStart), "last run started during this test");
        assertNotNull(fired.lastFinishedAt());
        assertFalse(fired.lastFinishedAt().isBefore(fired.lastStartedAt()));
    }

    @Test
    void runNowRunsTheJobAndRecordsIt() {
        // The timer runs the job every two seconds. Start between two of its runs so that the
        // two runs' updates of the job's record do not collide (optimistic lock).
        record Schedule(Outcome lastOutcome, Instant nextRun) {
        }
        Await.until("a quiet second before the timer's next run", Duration.ofSeconds(15),
                () -> new Schedule(record(JOB).lastOutcome(), scheduler.nextRuns().get(JOB)),
                seen -> seen.lastOutcome() != Outcome.RUNNING && seen.nextRun() != null
                        && Duration.between(clock.instant(), seen.nextRun()).toMillis() >= 1000);
        long before = record(JOB).fireCount();
        Instant start = clock.instant();

        scheduler.runNow(JOB);

        Instant end = clock.instant();
        ScheduledJobRecord after = record(JOB);
        assertTrue(after.fireCount() > before, "fire count " + before + " -> " + after.fireCount());
        assertEquals(Outcome.SUCCEEDED, after.lastOutcome());
        assertEquals(null, after.lastError());
        assertFalse(after.lastStartedAt().isBefore(start), "started " + after.lastStartedAt() + ", called " + start);
        assertFalse(after.lastFinishedAt().isAfter(end), "finished " + after.lastFinishedAt() + ", returned " + end);
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
}
