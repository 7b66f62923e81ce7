package org.agentnet.common.jobs;

import java.time.Duration;

/**
 * Periodic work of a component (CRL regeneration, offline sweeps, retention...). Implement it as
 * a CDI bean (or a session bean with this local view); {@link JobScheduler} gives each job one
 * persistent EJB timer, so a job runs once per cluster and survives restarts, with missed runs
 * collapsed into one.
 */
public interface ScheduledJob {

    /** Stable name: the timer's identity and the key {@code agentnet.jobs.<name>.interval}. */
    String name();

    /** Interval used when {@code agentnet.jobs.<name>.interval} is not configured. */
    Duration defaultInterval();

    /** Does one run. Exceptions are recorded as a failed run; the next run happens on schedule. */
    void run();
}
