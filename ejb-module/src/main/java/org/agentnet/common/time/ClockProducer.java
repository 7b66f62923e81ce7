package org.agentnet.common.time;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;

/**
 * The one source of time for the whole node. Code asks for a {@link Clock} instead of calling
 * {@code Instant.now()}, so that expiry logic can be tested with a fixed or shifted clock. It
 * ticks in whole microseconds, the precision PostgreSQL keeps: a time the node answers with is
 * the time it stored, not one that reads back different.
 */
@ApplicationScoped
public class ClockProducer {

    static final Duration PRECISION = Duration.ofNanos(1_000);

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), PRECISION);
    }
}
