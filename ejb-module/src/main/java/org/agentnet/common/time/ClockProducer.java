package org.agentnet.common.time;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/**
 * The one source of time for the whole node. Code asks for a {@link Clock} instead of calling
 * {@code Instant.now()}, so that expiry logic can be tested with a fixed or shifted clock.
 */
@ApplicationScoped
public class ClockProducer {

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
