package org.agentnet.agw.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class DenialLogTest {

    @Test
    void atMostTheBudgetIsWrittenASecondAndTheNextLineSaysHowManyWereLeftOut() {
        Logger logger = Logger.getLogger("test.denials." + System.nanoTime());
        logger.setUseParentHandlers(false);
        List<String> lines = new ArrayList<>();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        AtomicLong now = new AtomicLong(10_000);
        DenialLog log = new DenialLog(logger, 3, now::get);

        for (int i = 0; i < 3; i++) {
            assertTrue(log.write("denied " + i));
        }
        assertFalse(log.write("denied 3"));
        assertFalse(log.write("denied 4"));
        assertEquals(3, lines.size());

        now.addAndGet(1000);
        assertTrue(log.write("denied 5"));
        assertEquals("denied 5 (2 earlier denial line(s) left out: more than 3 a second)", lines.get(3));
        assertTrue(log.write("denied 6"));
        assertEquals("denied 6", lines.get(4));
    }
}
