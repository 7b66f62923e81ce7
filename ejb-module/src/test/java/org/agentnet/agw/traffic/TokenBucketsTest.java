package org.agentnet.agw.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.agentnet.agw.traffic.TrafficControl.Admission;
import org.agentnet.agw.traffic.TrafficControl.Kind;
import org.junit.jupiter.api.Test;

/** The buckets of one node (no database): the limit, the quota, the refill, one bucket per identity and kind. */
class TokenBucketsTest {

    private static final String AGENT = "agent://a.example/Acme/planner";
    private static final String OTHER = "agent://a.example/Acme/booker";
    private static final LimitRules.Limit FIVE_PER_MINUTE = new LimitRules.Limit(5, Duration.ofMinutes(1));

    private final ManualTime time = new ManualTime();
    private final TokenBuckets buckets = new TokenBuckets(BucketStores.local(time), time, 1000, TokenBuckets.SyncPolicy.EVERY_ROUND);

    @Test
    void theNPlusFirstRequestInAWindowIsRefusedWithWhenToTryAgain() {
        for (int i = 1; i <= 5; i++) {
            Admission admitted = buckets.take(Kind.DISCOVERY, AGENT, FIVE_PER_MINUTE);
            assertTrue(admitted.admitted());
            assertEquals(5, admitted.quota().limit());
            assertEquals(5 - i, admitted.quota().remaining());
            assertEquals(60, admitted.quota().windowSeconds());
        }
        Admission refused = buckets.take(Kind.DISCOVERY, AGENT, FIVE_PER_MINUTE);
        assertFalse(refused.admitted());
        assertEquals(12, refused.retryAfterSeconds(), "a token every 60 s / 5");
        assertEquals(0, refused.quota().remaining());
        assertEquals(60, refused.quota().resetSeconds(), "full again after a whole window");
        assertTrue(refused.reason().contains("discovery limit of 5 per minute"), refused.reason());
    }

    @Test
    void anotherAgentAndAnotherKindHaveTheirOwnBuckets() {
        for (int i = 0; i < 5; i++) {
            buckets.take(Kind.DISCOVERY, AGENT, FIVE_PER_MINUTE);
        }
        assertFalse(buckets.take(Kind.DISCOVERY, AGENT, FIVE_PER_MINUTE).admitted());
        assertTrue(buckets.take(Kind.DISCOVERY, OTHER, FIVE_PER_MINUTE).admitted());
        assertTrue(buckets.take(Kind.MESSAGE, AGENT, FIVE_PER_MINUTE).admitted());
    }

    @Test
    void tokensComeBackOverTheWindow() {
        for (int i = 0; i < 5; i++) {
            buckets.take(Kind.DISCOVERY, AGENT, FIVE_PER_MINUTE);
        }
        time.advance(Duration.ofSeconds(11));
        assertFalse(buckets.take(Kind.DISCOVERY, AGENT, FIVE_PER_MINUTE).admitted());
        time.advance(Duration.ofSeconds(1));
        assertTrue(buckets.take(Kind.DISCOVERY, AGENT, FIVE_PER_MINUTE).admitted(), "one token after 12 s");
        assertFalse(buckets.take(Kind.DISCOVERY, AGENT, FIVE_PER_MINUTE).admitted());
        time.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            assertTrue(buckets.take(Kind.DISCOVERY, AGENT, FIVE_PER_MINUTE).admitted(), "full after the window");
        }
        assertFalse(buckets.take(Kind.DISCOVERY, AGENT, FIVE_PER_MINUTE).admitted());
    }

    @Test
    void idleBucketsAreDroppedAndTheTableIsBounded() {
        TokenBuckets small = new TokenBuckets(BucketStores.local(time), time, 100, TokenBuckets.SyncPolicy.EVERY_ROUND);
        for (int i = 0; i < 100; i++) {
            assertTrue(small.take(Kind.DISCOVERY, "agent://a.example/Acme/a" + i, FIVE_PER_MINUTE).admitted());
        }
        assertEquals(100, small.size());
        // full: a new caller is admitted without a bucket (nothing is idle yet)
        Admission unbounded = small.take(Kind.DISCOVERY, "agent://a.example/Acme/late", FIVE_PER_MINUTE);
        assertTrue(unbounded.admitted());
        assertNull(unbounded.quota());
        // after the window the buckets are full again and make room
        time.advance(Duration.ofSeconds(61));
        assertEquals(5, small.take(Kind.DISCOVERY, "agent://a.example/Acme/late", FIVE_PER_MINUTE).quota().limit());
        assertEquals(1, small.size());
        assertEquals(new TokenBuckets.Round(0, 0, 1, 0), after(small, Duration.ofSeconds(61)));
    }

    private TokenBuckets.Round after(TokenBuckets table, Duration idle) {
        time.advance(idle);
        return table.synchronize();
    }

    @Test
    void concurrentRequestsNeverTakeMoreThanTheLimit() throws Exception {
        LimitRules.Limit limit = new LimitRules.Limit(1000, Duration.ofHours(1));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> admitted = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            admitted.add(pool.submit(() -> {
                start.await();
                int count = 0;
                for (int i = 0; i < 500; i++) {
                    if (buckets.take(Kind.DISCOVERY, AGENT, limit).admitted()) {
                        count++;
                    }
                }
                return count;
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> count : admitted) {
            total += count.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(1000, total);
    }
}
