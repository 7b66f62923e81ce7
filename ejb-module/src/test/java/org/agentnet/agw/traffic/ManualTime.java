package org.agentnet.agw.traffic;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A wall clock that moves only when the test says so. */
final class ManualTime implements TimeMeter {

    private final AtomicLong nanos = new AtomicLong(Instant.parse("2026-11-26T12:00:00Z").getEpochSecond() * 1_000_000_000L);

    void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Override
    public long currentTimeNanos() {
        return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
