package org.agentnet.agw.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.agentnet.agw.traffic.TrafficControl.Admission;
import org.agentnet.agw.traffic.TrafficControl.Kind;
import org.agentnet.common.persistence.FlywayMigrationIntegrator;
import org.agentnet.common.persistence.TestDatabases;
import org.agentnet.common.persistence.TestDatabases.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Token buckets shared through the real table (V10) by several "nodes" (each its own
 * {@link TokenBuckets} over the same database), on Derby, and on PostgreSQL with
 * {@code -Dagentnet.db=postgresql}: what every node consumed reaches the shared bucket, and each
 * node decides from the shared state after its round.
 */
class SharedBucketsTest {

    private static final String AGENT = "agent://a.example/Acme/planner";

    static Stream<TestDatabases.Kind> databases() {
        return TestDatabases.databases();
    }

    private final ManualTime time = new ManualTime();

    private TokenBuckets node(DataSource dataSource) {
        return node(dataSource, TokenBuckets.SyncPolicy.EVERY_ROUND);
    }

    private TokenBuckets node(DataSource dataSource, TokenBuckets.SyncPolicy policy) {
        return new TokenBuckets(BucketStores.shared(BucketStores.table(dataSource, time), time, Runnable::run), time, 10_000, policy);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void whatEachNodeConsumedCountsAtEveryNodeAfterItsRound(TestDatabases.Kind kind) throws Exception {
        LimitRules.Limit tenPerMinute = new LimitRules.Limit(10, Duration.ofMinutes(1));
        try (TestDatabase db = kind.create()) {
            FlywayMigrationIntegrator.migrate(db.dataSource());
            TokenBuckets a = node(db.dataSource());
            TokenBuckets b = node(db.dataSource());

            for (int i = 0; i < 6; i++) {
                assertTrue(a.take(Kind.DISCOVERY, AGENT, tenPerMinute).admitted());
            }
            assertEquals(new TokenBuckets.Round(1, 0, 0, 1), a.synchronize());
            // B reads the shared bucket when it first sees the caller: 4 left
            for (int i = 0; i < 4; i++) {
                assertTrue(b.take(Kind.DISCOVERY, AGENT, tenPerMinute).admitted(), "B's token " + i);
            }
            assertFalse(b.take(Kind.DISCOVERY, AGENT, tenPerMinute).admitted(), "B decides on the shared state");
            assertEquals(1, rows(db.dataSource()));

            // A still holds its own view (4 left) until its next round: the documented overshoot
            assertTrue(a.take(Kind.DISCOVERY, AGENT, tenPerMinute).admitted());
            b.synchronize();
            a.synchronize();
            // both rounds done: the shared bucket owes one token (11 taken of 10); nobody is admitted
            assertFalse(a.take(Kind.DISCOVERY, AGENT, tenPerMinute).admitted());
            // the debt is paid back by the refill: 2 tokens (12 s) before the next admission
            time.advance(Duration.ofSeconds(7));
            a.synchronize();
            assertFalse(a.take(Kind.DISCOVERY, AGENT, tenPerMinute).admitted());
            time.advance(Duration.ofSeconds(6));
            assertTrue(a.take(Kind.DISCOVERY, AGENT, tenPerMinute).admitted());

            // a third node coming late sees it all
            TokenBuckets c = node(db.dataSource());
            a.synchronize();
            Admission late = c.take(Kind.DISCOVERY, AGENT, tenPerMinute);
            assertFalse(late.admitted(), "no token left for C: " + late);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void concurrentNodesLoseNoConsumption(TestDatabases.Kind kind) throws Exception {
        LimitRules.Limit large = new LimitRules.Limit(1_000_000, Duration.ofHours(24));
        int nodes = 4;
        int takes = 300;
        try (TestDatabase db = kind.create()) {
            FlywayMigrationIntegrator.migrate(db.dataSource());
            List<TokenBuckets> tables = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                tables.add(node(db.dataSource()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(nodes * 2);
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean done = new AtomicBoolean();
            List<Future<?>> work = new ArrayList<>();
            for (TokenBuckets table : tables) {
                work.add(pool.submit(() -> { // the requests of one node, on 20 callers (new buckets race to be inserted)
                    start.await();
                    for (int i = 0; i < takes; i++) {
                        assertTrue(table.take(Kind.MESSAGE, "agent://a.example/Acme/a" + (i % 20), large).admitted());
                    }
                    return null;
                }));
                pool.submit(() -> { // its rounds, meanwhile
                    try {
                        start.await();
                        while (!done.get()) {
                            table.synchronize();
                            Thread.sleep(5);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                });
            }
            start.countDown();
            for (Future<?> f : work) {
                f.get(120, TimeUnit.SECONDS);
            }
            done.set(true);
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
            tables.forEach(TokenBuckets::synchronize);

            // every caller's shared bucket holds what all nodes took: 4 nodes x 15 takes each, and the fresh node's one
            TokenBuckets fresh = node(db.dataSource());
            for (int caller = 0; caller < 20; caller++) {
                Admission probe = fresh.take(Kind.MESSAGE, "agent://a.example/Acme/a" + caller, large);
                assertEquals(1_000_000 - nodes * (takes / 20) - 1, probe.quota().remaining(), "caller " + caller);
            }
            assertEquals(20, rows(db.dataSource()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void bucketsFullAgainAreDeletedAndStartFullWhenTheCallerReturns(TestDatabases.Kind kind) throws Exception {
        LimitRules.Limit twoPerMinute = new LimitRules.Limit(2, Duration.ofMinutes(1));
        try (TestDatabase db = kind.create()) {
            FlywayMigrationIntegrator.migrate(db.dataSource());
            JdbcBuckets table = BucketStores.table(db.dataSource(), time);
            TokenBuckets a = node(db.dataSource());
            a.take(Kind.PEER_SYNC, "agw://b.example/b.example/node", twoPerMinute);
            a.take(Kind.PEER_SYNC, "agw://b.example/b.example/node", twoPerMinute);
            a.synchronize();
            assertEquals(0, table.deleteExpired(millis()), "in use");
            time.advance(Duration.ofSeconds(60)); // full again, kept a minute longer
            assertEquals(0, table.deleteExpired(millis()));
            time.advance(Duration.ofSeconds(61));
            assertEquals(1, table.deleteExpired(millis()));
            assertEquals(0, rows(db.dataSource()));

            TokenBuckets b = node(db.dataSource());
            assertTrue(b.take(Kind.PEER_SYNC, "agw://b.example/b.example/node", twoPerMinute).admitted());
            assertTrue(b.take(Kind.PEER_SYNC, "agw://b.example/b.example/node", twoPerMinute).admitted());
            assertFalse(b.take(Kind.PEER_SYNC, "agw://b.example/b.example/node", twoPerMinute).admitted());
            // A's round drops its idle copy; the caller's next request at A reads the shared bucket again
            b.synchronize();
            assertEquals(new TokenBuckets.Round(0, 0, 1, 0), a.synchronize());
            assertFalse(a.take(Kind.PEER_SYNC, "agw://b.example/b.example/node", twoPerMinute).admitted());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aBucketIsWrittenOnceItsConsumptionHereIsAShareOfItsLimitOrOldEnough(TestDatabases.Kind kind) throws Exception {
        LimitRules.Limit hundred = new LimitRules.Limit(100, Duration.ofMinutes(1));
        TokenBuckets.SyncPolicy tenth = new TokenBuckets.SyncPolicy(0.1, Duration.ofSeconds(10));
        try (TestDatabase db = kind.create()) {
            FlywayMigrationIntegrator.migrate(db.dataSource());
            TokenBuckets a = node(db.dataSource(), tenth);
            for (int i = 0; i < 9; i++) {
                a.take(Kind.DISCOVERY, AGENT, hundred);
            }
            assertEquals(new TokenBuckets.Round(0, 1, 0, 1), a.synchronize(), "9 of 100 held back: below a tenth");
            assertEquals(100, remainingAtANewNode(db.dataSource(), hundred) + 1, "nothing written yet");
            a.take(Kind.DISCOVERY, AGENT, hundred);
            assertEquals(new TokenBuckets.Round(1, 0, 0, 1), a.synchronize(), "10 of 100: written");
            assertEquals(90, remainingAtANewNode(db.dataSource(), hundred) + 1);

            a.take(Kind.DISCOVERY, AGENT, hundred);
            assertEquals(new TokenBuckets.Round(0, 1, 0, 1), a.synchronize());
            time.advance(Duration.ofSeconds(10));
            assertEquals(new TokenBuckets.Round(1, 0, 0, 1), a.synchronize(), "one token, 10 s old: written");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void afterTheWaitARefusalNamesTheCallerIsAdmittedAgainThoughItsTokensWereWrittenLater(TestDatabases.Kind kind) throws Exception {
        LimitRules.Limit threePerSixSeconds = new LimitRules.Limit(3, Duration.ofSeconds(6)); // a token every 2 s
        try (TestDatabase db = kind.create()) {
            FlywayMigrationIntegrator.migrate(db.dataSource());
            TokenBuckets a = node(db.dataSource(), new TokenBuckets.SyncPolicy(0.05, Duration.ofSeconds(10)));
            for (int i = 0; i < 3; i++) {
                assertTrue(a.take(Kind.MESSAGE, AGENT, threePerSixSeconds).admitted());
                time.advance(Duration.ofMillis(100));
            }
            Admission refused = a.take(Kind.MESSAGE, AGENT, threePerSixSeconds);
            assertFalse(refused.admitted());
            assertEquals(2, refused.retryAfterSeconds());
            // the round writes the three tokens 0.7 s after the first: as of the first, or the shared bucket,
            // full until then, loses 0.35 tokens of refill and the caller is refused after its Retry-After
            time.advance(Duration.ofMillis(700));
            assertEquals(1, a.synchronize().synced());
            time.advance(Duration.ofMillis(1500));
            a.synchronize();
            Admission again = a.take(Kind.MESSAGE, AGENT, threePerSixSeconds);
            assertTrue(again.admitted(), "after Retry-After " + refused.retryAfterSeconds() + " s: " + again);
            a.synchronize();
            assertFalse(node(db.dataSource()).take(Kind.MESSAGE, AGENT, threePerSixSeconds).admitted(),
                    "a node that reads the shared bucket now sees it empty, as the first node does");
        }
    }

    /** What a fresh node sees of the agent's bucket after taking one token (its first request reads the shared state). */
    private long remainingAtANewNode(DataSource dataSource, LimitRules.Limit limit) {
        return node(dataSource).take(Kind.DISCOVERY, AGENT, limit).quota().remaining();
    }

    private long millis() {
        return TimeUnit.NANOSECONDS.toMillis(time.currentTimeNanos());
    }

    private static int rows(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM agw_rate_limit")) {
            count.next();
            return count.getInt(1);
        }
    }
}
