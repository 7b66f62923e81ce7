package org.agentnet.common.jobs;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Gives every {@link ScheduledJob} one persistent interval timer and runs the job when it
 * fires. Timers live in the database (Liberty's persistent executor), so on a shared database a
 * job runs on one node at a time and missed runs are collapsed into one at restart
 * ({@code missedPersistentTimerAction="ONCE"} in server.xml). At start the timers are reconciled
 * with the jobs that exist and their configured intervals.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class JobScheduler {

    private static final Logger LOG = Logger.getLogger(JobScheduler.class.getName());

    @Resource
    TimerService timerService;

    @Inject
    @Any
    Instance<ScheduledJob> discoveredJobs;

    @Inject
    ScheduledJobRepository records;

    @Inject
    Config config;

    private final Map<String, ScheduledJob> jobs = new TreeMap<>();

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void reconcileTimers() {
        for (ScheduledJob job : discoveredJobs) {
            if (jobs.putIfAbsent(job.name(), job) != null) {
                throw new IllegalStateException("two scheduled jobs are named " + job.name());
            }
        }
        Map<String, Timer> existing = new HashMap<>();
        for (Timer timer : timerService.getTimers()) {
            if (timer.getInfo() instanceof JobTimerInfo info && existing.putIfAbsent(info.jobName(), timer) == null) {
                continue;
            }
            timer.cancel(); // a duplicate, or a timer of a job that no longer exists in this form
        }
        for (ScheduledJob job : jobs.values()) {
            Duration interval = intervalOf(job);
            Timer timer = existing.remove(job.name());
            if (timer != null && ((JobTimerInfo) timer.getInfo()).intervalSeconds() == interval.toSeconds()) {
                LOG.fine(() -> "job " + job.name() + " keeps its timer, next run " + timer.getNextTimeout());
            } else {
                if (timer != null) {
                    timer.cancel();
                }
                schedule(job.name(), interval);
            }
            records.register(job.name(), interval);
        }
        existing.values().forEach(Timer::cancel);
    }

    private void schedule(String name, Duration interval) {
        long millis = interval.toMillis();
        timerService.createIntervalTimer(millis, millis,
                new TimerConfig(new JobTimerInfo(name, interval.toSeconds()), true));
        LOG.info(() -> "job " + name + " scheduled every " + interval);
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void fire(Timer timer) {
        if (!(timer.getInfo() instanceof JobTimerInfo info)) {
            return;
        }
        ScheduledJob job = jobs.get(info.jobName());
        if (job == null) {
            LOG.warning(() -> "timer for unknown job " + info.jobName() + " cancelled");
            timer.cancel();
            return;
        }
        runNow(job);
    }

    /** Runs a job at once, outside its schedule (operators, tests); records it like a timed run. */
    public void runNow(String name) {
        ScheduledJob job = jobs.get(name);
        if (job == null) {
            throw new IllegalArgumentException("no scheduled job named " + name);
        }
        runNow(job);
    }

    private void runNow(ScheduledJob job) {
        records.started(job.name());
        Throwable failure = null;
        try {
            job.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.log(Level.WARNING, "job " + job.name() + " failed", e);
        }
        records.finished(job.name(), failure);
    }

    public Collection<String> jobNames() {
        return List.copyOf(jobs.keySet());
    }

    /** When each job's persistent timer fires next, by job name. */
    public Map<String, Instant> nextRuns() {
        Map<String, Instant> byJob = new TreeMap<>();
        for (Timer timer : timerService.getTimers()) {
            if (timer.getInfo() instanceof JobTimerInfo info) {
                byJob.put(info.jobName(), timer.getNextTimeout().toInstant());
            }
        }
        return byJob;
    }

    /** Whether each job's timer is persistent, by job name (all of them are; tests check it). */
    public Map<String, Boolean> timersPersistent() {
        Map<String, Boolean> byJob = new TreeMap<>();
        for (Timer timer : timerService.getTimers()) {
            if (timer.getInfo() instanceof JobTimerInfo info) {
                byJob.put(info.jobName(), timer.isPersistent());
            }
        }
        return byJob;
    }

    private Duration intervalOf(ScheduledJob job) {
        String key = "agentnet.jobs." + job.name() + ".interval";
        Duration interval;
        try {
            interval = config.getOptionalValue(key, String.class).map(Duration::parse).orElse(job.defaultInterval());
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(key + " must be an ISO-8601 duration such as PT5M", e);
        }
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalStateException(key + " must be at least one second, was " + interval);
        }
        return interval;
    }
}
