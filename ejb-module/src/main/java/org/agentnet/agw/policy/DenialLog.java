package org.agentnet.agw.policy;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes access denials to the log for operators, at most {@code perSecond} lines a second, so
 * that a caller hammering a denied resource cannot flood the log; the lines left out are counted
 * and the next line written says how many (the metrics count every denial).
 */
final class DenialLog {

    private final Logger log;
    private final int perSecond;
    private final LongSupplier millis;
    private final AtomicLong window = new AtomicLong(); // second << 20 | lines written in it
    private final AtomicLong suppressed = new AtomicLong();

    DenialLog(Logger log, int perSecond, LongSupplier millis) {
        this.log = log;
        this.perSecond = perSecond;
        this.millis = millis;
    }

    /** @return whether the line was written */
    boolean write(String line) {
        if (!log.isLoggable(Level.INFO)) {
            return false;
        }
        long second = millis.getAsLong() / 1000;
        while (true) {
            long current = window.get();
            long next = (current >>> 20) == second ? current + 1 : (second << 20) | 1;
            if ((next & 0xFFFFF) > perSecond) {
                suppressed.incrementAndGet();
                return false;
            }
            if (window.compareAndSet(current, next)) {
                break;
            }
        }
        long left = suppressed.getAndSet(0);
        log.info(left > 0 ? line + " (" + left + " earlier denial line(s) left out: more than " + perSecond + " a second)" : line);
        return true;
    }
}
