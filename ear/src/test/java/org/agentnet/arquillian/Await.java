package org.agentnet.arquillian;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Bounded polling for what the server does asynchronously (timers, message deliveries). */
final class Await {

    private static final long POLL_MILLIS = 100;

    private Await() {
    }

    /**
     * Reads {@code value} until {@code done} accepts it and returns that value; fails the test
     * with the last value read if that does not happen within {@code timeout}.
     */
    static <T> T until(String what, Duration timeout, Supplier<T> value, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!done.test(last)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what + "; last seen: " + last);
            }
            sleep(POLL_MILLIS);
            last = value.get();
        }
        return last;
    }

    /** Reads {@code value} for the whole {@code period} and fails as soon as {@code never} accepts it. */
    static <T> void never(String what, Duration period, Supplier<T> value, Predicate<? super T> never) {
        long end = System.nanoTime() + period.toNanos();
        do {
            T current = value.get();
            if (never.test(current)) {
                throw new AssertionError("unexpectedly " + what + ": " + current);
            }
            sleep(POLL_MILLIS);
        } while (System.nanoTime() - end < 0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
