package org.agentnet.agw.traffic;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The traffic-control settings (docs/agw.md "Traffic control"), checked once at start; the limits are {@link LimitRules}. */
@ApplicationScoped
public class LimitSettings {

    @Inject
    Config config;

    @Inject
    @ConfigProperty(name = "agentnet.agw.limits.enabled")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "agentnet.agw.limits.sync-interval")
    Duration syncInterval;

    @Inject
    @ConfigProperty(name = "agentnet.agw.limits.sync-threshold")
    double syncThreshold;

    @Inject
    @ConfigProperty(name = "agentnet.agw.limits.sync-max-delay")
    Duration syncMaxDelay;

    @Inject
    @ConfigProperty(name = "agentnet.agw.limits.max-buckets")
    int maxBuckets;

    @Inject
    @ConfigProperty(name = "agentnet.agw.limits.delivery.retry-delay")
    Duration deliveryRetryDelay;

    private LimitRules rules;

    @PostConstruct
    void check() {
        require(syncInterval.isZero() || (syncInterval.toMillis() >= 100 && syncInterval.toSeconds() <= 60),
                "agentnet.agw.limits.sync-interval must be 0 (limits of this node only) or 100 ms to 60 s");
        require(syncThreshold >= 0 && syncThreshold <= 1, "agentnet.agw.limits.sync-threshold must be 0 to 1 (a share of the limit)");
        require(!syncMaxDelay.isNegative() && syncMaxDelay.toMinutes() <= 10, "agentnet.agw.limits.sync-max-delay must be 0 to 10 minutes");
        require(maxBuckets >= 100, "agentnet.agw.limits.max-buckets must be at least 100");
        require(deliveryRetryDelay.toMillis() >= 10 && deliveryRetryDelay.toSeconds() <= 60,
                "agentnet.agw.limits.delivery.retry-delay must be 10 ms to 60 s");
        rules = new LimitRules(name -> config.getOptionalValue(name, String.class));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    /** Whether traffic control is on: off, every request is admitted and deliveries are not capped. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether the buckets are shared through the database (the nodes of a domain count together). */
    public boolean shared() {
        return !syncInterval.isZero();
    }

    public Duration syncInterval() {
        return syncInterval;
    }

    /** When a bucket's consumption here is written to the shared table (a share of its limit, or its age). */
    public TokenBuckets.SyncPolicy syncPolicy() {
        return new TokenBuckets.SyncPolicy(syncThreshold, syncMaxDelay);
    }

    public int maxBuckets() {
        return maxBuckets;
    }

    public LimitRules rules() {
        return rules;
    }

    /** How long a delivery waits when its target is at its cap: the retry delay and up to as much again (spreads the waiters). */
    public Duration deliveryWait() {
        long millis = deliveryRetryDelay.toMillis();
        return Duration.ofMillis(millis + ThreadLocalRandom.current().nextLong(millis + 1));
    }
}
