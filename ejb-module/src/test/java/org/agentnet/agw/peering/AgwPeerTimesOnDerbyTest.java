package org.agentnet.agw.peering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.agentnet.aca.AcaDerby;
import org.junit.jupiter.api.Test;

/**
 * An AGW peer's times ({@code created_at}, {@code last_contact_at}: the {@code createdAt} and
 * {@code lastHeartbeat} of {@code GET /api/v1/agw/peers}) read and written by several threads at
 * once on Derby, the way the node does it: operators list the peers while the sweep reads them and
 * the heartbeat job records a failed call to a peer (an UPDATE that writes every column). Each
 * time must read back as stored. Hibernate binds and reads Instants on Derby through one Calendar
 * shared by all threads; a time then came back with the minutes and seconds of another and its own
 * microseconds (the bad-input campaign saw +86 s, -786 s, +28 min 14 s): {@code UtcTimestampContributor}.
 */
class AgwPeerTimesOnDerbyTest {

    private static final int PEERS = 6;
    private static final int THREADS = 4;
    private static final int ROUNDS = 200;

    @Test
    void timesReadAndWrittenByConcurrentThreadsAreTheOnesStored() throws Exception {
        try (AcaDerby db = new AcaDerby(AgwPeer.class)) {
            List<String> ids = new ArrayList<>();
            List<Instant> created = new ArrayList<>();
            List<Instant> contacted = new ArrayList<>();
            Instant base = Instant.parse("2026-11-26T17:03:00Z");
            for (int i = 0; i < PEERS; i++) {
                // other hours, minutes and seconds for every time, and microseconds of its own
                Instant createdAt = base.plusSeconds(i * 3_907L).plusNanos((i + 1) * 111_111_000L);
                Instant contactAt = createdAt.plusSeconds(1_747L + i * 61L).plusNanos(7_000L * (i + 1));
                AgwPeer peer = new AgwPeer("https://peer" + i + ".example:9443", false, createdAt);
                peer.contact(contactAt);
                db.inTransaction(em -> {
                    em.persist(peer);
                    return null;
                });
                ids.add(peer.id());
                created.add(createdAt);
                contacted.add(contactAt);
            }

            Queue<String> wrong = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    work.add(pool.submit(() -> {
                        for (int round = 0; round < ROUNDS; round++) {
                            // the list operators and the sweep read
                            db.inTransaction(em -> {
                                for (AgwPeer peer : em.createQuery("select p from AgwPeer p", AgwPeer.class).getResultList()) {
                                    check(peer, ids, created, contacted, "read", wrong);
                                }
                                return null;
                            });
                            // the heartbeat job's failure record of its peer: the row written again as it was read
                            String id = ids.get(thread);
                            db.inTransaction(em -> {
                                em.find(AgwPeer.class, id).failed("heartbeat: connection refused");
                                return null;
                            });
                        }
                    }));
                }
                for (Future<?> done : work) {
                    done.get();
                }
            } finally {
                pool.shutdownNow();
            }

            // what the rows hold now, read alone
            db.inTransaction(em -> {
                for (String id : ids) {
                    check(em.find(AgwPeer.class, id), ids, created, contacted, "stored", wrong);
                }
                return null;
            });
            assertTrue(wrong.isEmpty(), wrong.size() + " times differ from the stored ones, e.g.:\n"
                    + String.join("\n", wrong.stream().limit(10).toList()));
            assertEquals(ROUNDS, (int) db.<Integer>inTransaction(em -> em.find(AgwPeer.class, ids.get(0)).consecutiveFailures()),
                    "every failure was recorded");
        }
    }

    private static void check(AgwPeer peer, List<String> ids, List<Instant> created, List<Instant> contacted, String how,
                              Queue<String> wrong) {
        int i = ids.indexOf(peer.id());
        if (!created.get(i).equals(peer.createdAt())) {
            wrong.add(how + " createdAt " + peer.createdAt() + ", stored " + created.get(i));
        }
        if (!contacted.get(i).equals(peer.lastContactAt())) {
            wrong.add(how + " lastContactAt " + peer.lastContactAt() + ", stored " + contacted.get(i));
        }
    }
}
