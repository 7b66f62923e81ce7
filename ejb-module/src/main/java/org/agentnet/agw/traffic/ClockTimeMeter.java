package org.agentnet.agw.traffic;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;

/** The node's one clock ({@code common/time/ClockProducer}) as Bucket4j's time source: wall-clock nanoseconds, the same on every node. */
final class ClockTimeMeter implements TimeMeter {

    private final Clock clock;

    ClockTimeMeter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
