package org.agentnet.common.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescedRunsTest {

    @Test
    void requestsDuringARunMakeExactlyOneMoreRun() throws Exception {
        CoalescedRuns runs = new CoalescedRuns("test work");
        ExecutorService executor = Executors.newFixedThreadPool(2);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger count = new AtomicInteger();
        Runnable work = () -> {
            if (count.incrementAndGet() == 1) {
                started.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        runs.request("k", executor, work);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 50; i++) {
            runs.request("k", executor, work);
        }
        release.countDown();
        executor.shutdown();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(2, count.get(), "the first run and one more for the fifty requests made meanwhile");
    }

    @Test
    void aFailedOrRefusedRunLeavesTheKeyFreeForTheNextRequest() throws Exception {
        CoalescedRuns runs = new CoalescedRuns("test work");
        AtomicInteger count = new AtomicInteger();
        runs.request("k", command -> {
            throw new RejectedExecutionException("full");
        }, count::incrementAndGet);
        runs.request("k", Runnable::run, () -> {
            count.incrementAndGet();
            throw new IllegalStateException("failed");
        });
        runs.request("k", Runnable::run, count::incrementAndGet);
        assertEquals(2, count.get(), "the refused request never ran; the failed run did not block the next");
    }
}
