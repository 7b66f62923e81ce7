package org.agentnet.agw.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeliveryCapsTest {

    private final DeliveryCaps caps = new DeliveryCaps();

    @Test
    void noMoreThanTheCapPerTargetAndOthersAreNotAffected() {
        assertTrue(caps.tryAcquire("t1", 2));
        assertTrue(caps.tryAcquire("t1", 2));
        assertFalse(caps.tryAcquire("t1", 2));
        assertTrue(caps.tryAcquire("t2", 2));
        assertEquals(3, caps.total());
        caps.release("t1");
        assertTrue(caps.tryAcquire("t1", 2));
        caps.release("t1");
        caps.release("t1");
        caps.release("t2");
        assertEquals(0, caps.total());
        assertEquals(0, caps.active("t1"));
    }

    @Test
    void capZeroMeansNoCap() {
        for (int i = 0; i < 100; i++) {
            assertTrue(caps.tryAcquire("t", 0));
        }
        assertEquals(100, caps.active("t"));
    }

    @Test
    void concurrentDeliveriesStayWithinTheCap() throws Exception {
        AtomicInteger inProgress = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> {
                int delivered = 0;
                while (delivered < 200) {
                    if (caps.tryAcquire("popular", 3)) {
                        most.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
                        Thread.onSpinWait();
                        inProgress.decrementAndGet();
                        caps.release("popular");
                        delivered++;
                    }
                }
                return delivered;
            }));
        }
        int total = 0;
        for (Future<Integer> f : done) {
            total += f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(1600, total);
        assertTrue(most.get() <= 3, "at most 3 at once, saw " + most.get());
        assertEquals(0, caps.total());
    }
}
