package org.agentnet.agw.access;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The gateway's heartbeat settings (docs/agw.md), checked once at start. */
@ApplicationScoped
public class AgwSettings {

    @Inject
    @ConfigProperty(name = "agentnet.agw.heartbeat.interval")
    Duration interval;

    @Inject
    @ConfigProperty(name = "agentnet.agw.heartbeat.hold-intervals")
    int holdIntervals;

    @Inject
    @ConfigProperty(name = "agentnet.agw.heartbeat.min-interval")
    Duration minInterval;

    @Inject
    @ConfigProperty(name = "agentnet.agw.heartbeat.flush-interval")
    Duration flushInterval;

    @Inject
    @ConfigProperty(name = "agentnet.agw.max-agents")
    int maxAgents;

    @PostConstruct
    void check() {
        require(interval.toSeconds() >= 1, "agentnet.agw.heartbeat.interval must be at least one second");
        require(holdIntervals >= 1 && holdIntervals <= 100, "agentnet.agw.heartbeat.hold-intervals must be 1 to 100");
        require(minInterval.toSeconds() >= 1 && minInterval.compareTo(interval) <= 0,
                "agentnet.agw.heartbeat.min-interval must be at least one second and at most the interval");
        require(flushInterval.toMillis() >= 100, "agentnet.agw.heartbeat.flush-interval must be at least 100 ms");
        require(maxAgents >= 1, "agentnet.agw.max-agents must be positive");
    }

    /**
     * The interval (seconds) an agent is held to: the one it intends, when shorter than the
     * gateway's (like BGP's hold time, the shorter one wins), but never below the minimum.
     */
    public int agreedInterval(Integer intended) {
        long configured = interval.toSeconds();
        long agreed = intended == null ? configured : Math.min(intended, configured);
        return (int) Math.max(agreed, minInterval.toSeconds());
    }

    public int holdIntervals() {
        return holdIntervals;
    }

    public Duration hold(int intervalSeconds) {
        return Duration.ofSeconds((long) intervalSeconds * holdIntervals);
    }

    public Duration flushInterval() {
        return flushInterval;
    }

    public int maxAgents() {
        return maxAgents;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
