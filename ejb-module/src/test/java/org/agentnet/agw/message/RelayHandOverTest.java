package org.agentnet.agw.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.agentnet.aca.AcaDerby;
import org.agentnet.common.concurrent.GroupCommitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-over of a relayed message from the commit of its row ({@link MessageWriter}: group commit)
 * to the dispatcher that holds its claim ({@link MessageDelivery#attempt}), on Derby. In the relay
 * benchmark one message stored at B was not tried until its claim ran out (140 s), and nothing was
 * logged: the dispatcher found the row's next_attempt other than its claim and left it alone, without
 * a word. The times of concurrent statements were mixed by Hibernate's shared Calendar
 * ({@code UtcTimestampContributor}); a claim that misses its row before it runs out is now a warning.
 */
class RelayHandOverTest {

    private static final Instant NOW = Instant.parse("2026-11-26T20:41:07.123Z");
    private static final Instant CLAIM = NOW.plusSeconds(140);
    private static final RelayDispatcher.Claim DONE = new RelayDispatcher.Claim("done", CLAIM);

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger logger = Logger.getLogger(MessageDelivery.class.getName());
    private Level level;

    @BeforeEach
    void listen() {
        level = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(handler);
        logger.setLevel(level);
    }

    @Test
    void aClaimThatMissesItsRowBeforeItRunsOutIsAWarningAndTheRowIsLeftAlone() {
        try (AcaDerby db = new AcaDerby(RelayedMessage.class)) {
            String id = UUID.randomUUID().toString();
            String missing = UUID.randomUUID().toString();
            db.inTransaction(em -> {
                em.persist(row(id, CLAIM));
                return null;
            });
            // the claim handed over names another time than the row's (a time read back wrong), and a row that is not there
            boolean owed = db.inTransaction(em -> delivery(em, NOW).attempt(List.of(
                    new RelayDispatcher.Claim(id, CLAIM.plusSeconds(86)), new RelayDispatcher.Claim(missing, CLAIM))));

            assertFalse(owed);
            List<String> warnings = messages(Level.WARNING);
            assertEquals(2, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains(id) && warnings.get(0).contains("ACCEPTED"), warnings.get(0));
            assertTrue(warnings.get(1).contains(missing) && warnings.get(1).contains("missing"), warnings.get(1));
            RelayedMessage after = db.inTransaction(em -> em.find(RelayedMessage.class, id));
            assertEquals(MessageState.ACCEPTED, after.state());
            assertEquals(0, after.attempts());
            assertEquals(CLAIM, after.nextAttempt());
        }
    }

    @Test
    void aClaimThatRanOutBeforeItsTryIsNoWarning() {
        try (AcaDerby db = new AcaDerby(RelayedMessage.class)) {
            String id = UUID.randomUUID().toString();
            Instant retaken = CLAIM.plusSeconds(140);
            db.inTransaction(em -> {
                em.persist(row(id, retaken)); // another dispatcher claimed it again after the first claim ran out
                return null;
            });
            db.inTransaction(em -> delivery(em, CLAIM.plusSeconds(1)).attempt(List.of(new RelayDispatcher.Claim(id, CLAIM))));

            assertEquals(List.of(), messages(Level.WARNING));
            assertTrue(messages(Level.FINE).stream().anyMatch(m -> m.contains(id) && m.contains("ran out")), logged.toString());
        }
    }

    /**
     * Callers hand rows to the group committer, which hands each row's claim to the dispatcher after its
     * commit; dispatcher threads read each row locked meanwhile, as {@link MessageDelivery#attempt}
     * does. Every claim must find its row held by it (with Hibernate's shared Calendar, times of
     * concurrent statements were mixed and a claim then missed its row).
     */
    @Test
    void everyCommittedRowIsHeldByTheClaimHandedOver() throws Exception {
        int callers = 4;
        int perCaller = 60;
        try (AcaDerby db = new AcaDerby(RelayedMessage.class)) {
            BlockingQueue<RelayDispatcher.Claim> handedOver = new LinkedBlockingQueue<>();
            GroupCommitter.Store<MessageWriter.Pending> store = items -> {
                List<RelayedMessage> rows = items.stream().map(MessageWriter.Pending::row).toList();
                db.inTransaction(em -> {
                    rows.forEach(em::persist);
                    return null;
                });
                rows.forEach(r -> handedOver.add(new RelayDispatcher.Claim(r.id(), r.nextAttempt())));
                return Collections.nCopies(rows.size(), null);
            };
            Queue<String> missed = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(callers + 3);
            try (GroupCommitter<MessageWriter.Pending> writer = new GroupCommitter<>("test-relay-writer", store, 1000, 16, 2,
                    Executors.defaultThreadFactory())) {
                List<Future<?>> work = new ArrayList<>();
                for (int c = 0; c < callers; c++) {
                    int caller = c;
                    work.add(pool.submit(() -> {
                        for (int i = 0; i < perCaller; i++) {
                            // claims with hours, minutes, seconds and milliseconds of their own
                            long n = caller * perCaller + i;
                            Instant claim = CLAIM.plusSeconds(n * 3_907L).plusMillis(n * 7L);
                            writer.write(new MessageWriter.Pending(row(UUID.randomUUID().toString(), claim)), java.time.Duration.ofSeconds(60));
                        }
                    }));
                }
                List<Future<Integer>> dispatchers = new ArrayList<>();
                for (int d = 0; d < 3; d++) {
                    dispatchers.add(pool.submit(() -> {
                        int read = 0;
                        RelayDispatcher.Claim claim;
                        while ((claim = handedOver.take()) != DONE) {
                            RelayDispatcher.Claim mine = claim;
                            db.inTransaction(em -> {
                                RelayedMessages messages = new RelayedMessages();
                                messages.em = em;
                                RelayedMessage row = messages.findForUpdate(mine.id()).orElse(null);
                                if (row == null || !MessageDelivery.holds(row, mine)) {
                                    missed.add(mine + " found " + (row == null ? "no row" : row.state() + " " + row.nextAttempt()));
                                }
                                return null;
                            });
                            read++;
                        }
                        return read;
                    }));
                }
                for (Future<?> done : work) {
                    done.get();
                }
                dispatchers.forEach(d -> handedOver.add(DONE)); // after the last commit's hand-over
                int read = 0;
                for (Future<Integer> done : dispatchers) {
                    read += done.get();
                }
                assertEquals(callers * perCaller, read, "every committed row handed over");
            } finally {
                pool.shutdownNow();
            }
            assertTrue(missed.isEmpty(), missed.size() + " claims missed their rows, e.g.:\n"
                    + String.join("\n", missed.stream().limit(10).toList()));
        }
    }

    private static RelayedMessage row(String id, Instant claim) {
        MessageClaims claims = new MessageClaims(id, true, UUID.randomUUID().toString(), null, "text/plain", NOW.getEpochSecond(),
                "jti-" + id);
        return RelayedMessage.accepted(SignedMessage.of(claims, null, "agent://a.example/test/sender", "chain", "jws"), null, NOW, claim);
    }

    private static MessageDelivery delivery(EntityManager em, Instant now) {
        MessageDelivery delivery = new MessageDelivery();
        delivery.messages = new RelayedMessages();
        delivery.messages.em = em;
        delivery.clock = Clock.fixed(now, ZoneOffset.UTC);
        return delivery;
    }

    private List<String> messages(Level at) {
        return logged.stream().filter(r -> r.getLevel().equals(at)).map(LogRecord::getMessage).toList();
    }
}
