package org.agentnet.agw.traffic;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Logger;
import org.agentnet.common.jobs.ScheduledJob;

/**
 * Deletes the rows of {@code agw_rate_limit} whose bucket has been full again for a minute (a
 * caller that comes back starts with a full bucket, which is what the row would say). Once per
 * cluster (a persistent job), every {@code agentnet.jobs.agw-rate-limit-cleanup.interval}.
 */
@ApplicationScoped
public class RateLimitCleanupJob implements ScheduledJob {

    public static final String NAME = "agw-rate-limit-cleanup";
    private static final Logger LOG = Logger.getLogger(RateLimitCleanupJob.class.getName());

    @Inject
    TokenBucketLimits limits;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofMinutes(10);
    }

    @Override
    public void run() {
        int deleted = limits.deleteExpired();
        if (deleted > 0) {
            LOG.fine(() -> "rate-limit cleanup: " + deleted + " buckets full again deleted");
        }
    }
}
