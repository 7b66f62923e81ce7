package org.agentnet.common.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group-commit writer on its own, with a store that records what each transaction wrote: the
 * store can be held (so that items queue up behind a transaction), fail as a whole when a batch
 * holds a "bad" item, or refuse single items.
 */
class GroupCommitterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    record Item(String name, String token, String key) implements GroupCommitter.Item {
        @Override
        public Set<String> uniqueKeys() {
            return Set.of("token:" + token, "key:" + key);
        }
    }

    /** A store: one call is one transaction; what each committed transaction wrote is kept. */
    static final class RecordingStore implements GroupCommitter.Store<Item> {
        final List<List<String>> committed = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger calls = new AtomicInteger();
        volatile CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch hold = new CountDownLatch(0);

        @Override
        public List<RuntimeException> write(List<Item> items) {
            calls.incrementAndGet();
            entered.countDown();
            try {
                assertTrue(hold.await(20, TimeUnit.SECONDS), "the test never released the store");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (items.stream().anyMatch(i -> i.name().startsWith("bad"))) {
                throw new IllegalStateException("constraint violated by " + items); // the whole transaction fails
            }
            List<RuntimeException> results = new ArrayList<>();
            List<String> written = new ArrayList<>();
            for (Item item : items) {
                if (item.name().startsWith("refused")) {
                    results.add(new IllegalArgumentException("refused " + item.name()));
                } else {
                    results.add(null);
                    written.add(item.name());
                }
            }
            committed.add(written);
            return results;
        }

        List<String> allWritten() {
            synchronized (committed) {
                return committed.stream().flatMap(List::stream).toList();
            }
        }
    }

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private GroupCommitter<Item> committer;

    @AfterEach
    void stop() {
        if (committer != null) {
            committer.close(Duration.ofSeconds(5));
        }
        callers.shutdownNow();
    }

    private GroupCommitter<Item> committer(RecordingStore store, int capacity, int maxBatch) {
        committer = new GroupCommitter<>("test-writer", store, capacity, maxBatch, 1, Thread::new);
        return committer;
    }

    /** Starts a caller; its future holds null when written, or what it was refused with. */
    private Future<Throwable> write(Item item, Duration timeout) {
        return callers.submit(() -> {
            try {
                committer.write(item, timeout);
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
    }

    /** Holds the store in a first transaction (item "first") so that the next items queue up behind it. */
    private Future<Throwable> holdFirst(RecordingStore store) throws InterruptedException {
        store.hold = new CountDownLatch(1);
        Future<Throwable> first = write(new Item("first", "t0", "k0"), WAIT);
        assertTrue(store.entered.await(20, TimeUnit.SECONDS));
        return first;
    }

    @Test
    void itemsHandedOverTogetherShareATransactionAndEachHasItsOutcome() throws Exception {
        RecordingStore store = new RecordingStore();
        committer(store, 100, 64);
        Future<Throwable> first = holdFirst(store);
        Future<List<RuntimeException>> all = callers.submit(() -> committer.writeAll(List.of(
                new Item("a", "t1", "k1"), new Item("refused-b", "t2", "k2"), new Item("c", "t1", "k3")), WAIT));
        Thread.sleep(200); // the three are queued behind the held transaction
        store.hold.countDown();
        assertNull(first.get(20, TimeUnit.SECONDS));
        List<RuntimeException> outcomes = all.get(20, TimeUnit.SECONDS);
        assertEquals(3, outcomes.size());
        assertNull(outcomes.get(0));
        assertInstanceOf(IllegalArgumentException.class, outcomes.get(1), "refused by the store");
        assertInstanceOf(GroupCommitter.Conflict.class, outcomes.get(2), "shares the token of an item of its batch");
        assertEquals(List.of(List.of("first"), List.of("a")), store.committed);
    }

    @Test
    void itemsQueuedBehindATransactionShareTheNextOne() throws Exception {
        RecordingStore store = new RecordingStore();
        committer(store, 100, 64);
        Future<Throwable> first = holdFirst(store);
        List<Future<Throwable>> rest = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rest.add(write(new Item("item" + i, "t" + (i + 1), "k" + (i + 1)), WAIT));
        }
        Thread.sleep(300); // all 20 callers have enqueued by now
        store.hold.countDown();
        assertNull(first.get(20, TimeUnit.SECONDS));
        for (Future<Throwable> f : rest) {
            assertNull(f.get(20, TimeUnit.SECONDS));
        }
        assertEquals(21, store.allWritten().size());
        assertEquals(List.of("first"), store.committed.get(0));
        assertEquals(20, store.committed.get(1).size(), "the 20 queued items are one transaction: " + store.committed);
        assertEquals(2, store.calls.get());
    }

    @Test
    void aBatchNeverExceedsTheMaximum() throws Exception {
        RecordingStore store = new RecordingStore();
        committer(store, 100, 8);
        Future<Throwable> first = holdFirst(store);
        List<Future<Throwable>> rest = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rest.add(write(new Item("item" + i, "t" + (i + 1), "k" + (i + 1)), WAIT));
        }
        Thread.sleep(300);
        store.hold.countDown();
        assertNull(first.get(20, TimeUnit.SECONDS));
        for (Future<Throwable> f : rest) {
            assertNull(f.get(20, TimeUnit.SECONDS));
        }
        assertEquals(21, store.allWritten().size());
        assertTrue(store.committed.stream().allMatch(batch -> batch.size() <= 8), store.committed.toString());
    }

    @Test
    void aFailingItemDoesNotTakeTheOthersDown() throws Exception {
        RecordingStore store = new RecordingStore();
        committer(store, 100, 64);
        Future<Throwable> first = holdFirst(store);
        Future<Throwable> a = write(new Item("a", "ta", "ka"), WAIT);
        Future<Throwable> bad = write(new Item("bad", "tb", "kb"), WAIT);
        Future<Throwable> c = write(new Item("c", "tc", "kc"), WAIT);
        Thread.sleep(300);
        store.hold.countDown();
        assertNull(first.get(20, TimeUnit.SECONDS));
        assertNull(a.get(20, TimeUnit.SECONDS));
        assertNull(c.get(20, TimeUnit.SECONDS));
        Throwable refused = bad.get(20, TimeUnit.SECONDS);
        assertInstanceOf(IllegalStateException.class, refused);
        assertEquals(Set.of("first", "a", "c"), Set.copyOf(store.allWritten()));
        assertEquals(1, committer.statistics()[2], "one batch failed as a whole and was written item by item");
    }

    @Test
    void itemsTheStoreRefusesAreRefusedAndTheOthersWritten() throws Exception {
        RecordingStore store = new RecordingStore();
        committer(store, 100, 64);
        Future<Throwable> first = holdFirst(store);
        Future<Throwable> a = write(new Item("a", "ta", "ka"), WAIT);
        Future<Throwable> refused = write(new Item("refused-b", "tb", "kb"), WAIT);
        Thread.sleep(300);
        store.hold.countDown();
        assertNull(first.get(20, TimeUnit.SECONDS));
        assertNull(a.get(20, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, refused.get(20, TimeUnit.SECONDS));
        assertEquals(2, store.calls.get(), "a refusal inside a transaction does not fail the batch");
        assertFalse(store.allWritten().contains("refused-b"));
    }

    @Test
    void aTokenIsNeverSpentTwiceInOneBatch() throws Exception {
        RecordingStore store = new RecordingStore();
        committer(store, 100, 64);
        Future<Throwable> first = holdFirst(store);
        Future<Throwable> x = write(new Item("x", "same-token", "kx"), WAIT);
        Future<Throwable> y = write(new Item("y", "same-token", "ky"), WAIT);
        Thread.sleep(300);
        store.hold.countDown();
        assertNull(first.get(20, TimeUnit.SECONDS));
        List<Throwable> outcomes = new ArrayList<>();
        outcomes.add(x.get(20, TimeUnit.SECONDS));
        outcomes.add(y.get(20, TimeUnit.SECONDS));
        assertEquals(1, outcomes.stream().filter(o -> o == null).count(), "exactly one wins: " + outcomes);
        Throwable lost = outcomes.stream().filter(o -> o != null).findFirst().orElseThrow();
        assertEquals("token:same-token", assertInstanceOf(GroupCommitter.Conflict.class, lost).key());
        assertEquals(2, store.allWritten().size());
    }

    @Test
    void aKeyIsNeverCertifiedTwiceInOneBatch() throws Exception {
        RecordingStore store = new RecordingStore();
        committer(store, 100, 64);
        Future<Throwable> first = holdFirst(store);
        Future<Throwable> x = write(new Item("x", "tx", "same-key"), WAIT);
        Future<Throwable> y = write(new Item("y", "ty", "same-key"), WAIT);
        Thread.sleep(300);
        store.hold.countDown();
        assertNull(first.get(20, TimeUnit.SECONDS));
        List<Throwable> outcomes = List.of(optional(x.get(20, TimeUnit.SECONDS)), optional(y.get(20, TimeUnit.SECONDS)));
        assertEquals(1, outcomes.stream().filter(o -> o == NONE).count(), "exactly one wins: " + outcomes);
        assertEquals("key:same-key", ((GroupCommitter.Conflict) outcomes.stream().filter(o -> o != NONE).findFirst()
                .orElseThrow()).key());
    }

    private static final Throwable NONE = new Throwable("written");

    private static Throwable optional(Throwable t) {
        return t == null ? NONE : t;
    }

    @Test
    void aClaimedKeyIsRefusedToASecondCallerUntilReleased() {
        committer(new RecordingStore(), 10, 10);
        GroupCommitter.Claim held = committer.claim(List.of("token:a", "key:b"));
        GroupCommitter.Conflict conflict = assertThrows(GroupCommitter.Conflict.class, () -> committer.claim(List.of("token:c", "key:b")));
        assertEquals("key:b", conflict.key());
        // the refused claim holds nothing: token:c is free
        committer.claim(List.of("token:c")).close();
        held.close();
        committer.claim(List.of("token:a", "key:b")).close();
    }

    @Test
    void concurrentCallersWithOneTokenGetExactlyOneClaim() throws Exception {
        committer(new RecordingStore(), 10, 10);
        int callers = 16;
        CountDownLatch start = new CountDownLatch(1);
        Map<Integer, Boolean> won = new ConcurrentHashMap<>();
        List<Future<?>> all = new ArrayList<>();
        List<GroupCommitter.Claim> kept = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < callers; i++) {
            int n = i;
            all.add(this.callers.submit(() -> {
                start.await();
                try {
                    kept.add(committer.claim(List.of("token:one", "key:" + n)));
                    won.put(n, true);
                } catch (GroupCommitter.Conflict e) {
                    won.put(n, false);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : all) {
            f.get(20, TimeUnit.SECONDS);
        }
        assertEquals(1, won.values().stream().filter(w -> w).count());
        kept.forEach(GroupCommitter.Claim::close);
    }

    @Test
    void aFullQueueRefusesAtOnceAndWritesNothing() throws Exception {
        RecordingStore store = new RecordingStore();
        committer(store, 2, 64);
        Future<Throwable> first = holdFirst(store);
        Future<Throwable> a = write(new Item("a", "ta", "ka"), WAIT);
        Future<Throwable> b = write(new Item("b", "tb", "kb"), WAIT);
        Thread.sleep(300);
        GroupCommitter.Unavailable full = assertThrows(GroupCommitter.Unavailable.class,
                () -> committer.write(new Item("c", "tc", "kc"), WAIT));
        assertTrue(full.getMessage().contains("full"), full.getMessage());
        store.hold.countDown();
        assertNull(first.get(20, TimeUnit.SECONDS));
        assertNull(a.get(20, TimeUnit.SECONDS));
        assertNull(b.get(20, TimeUnit.SECONDS));
        assertFalse(store.allWritten().contains("c"));
    }

    @Test
    void anItemStillQueuedAtItsTimeoutIsWithdrawnAndNeverWritten() throws Exception {
        RecordingStore store = new RecordingStore();
        committer(store, 10, 64);
        Future<Throwable> first = holdFirst(store);
        Throwable late = write(new Item("late", "tl", "kl"), Duration.ofMillis(200)).get(20, TimeUnit.SECONDS);
        assertInstanceOf(GroupCommitter.Unavailable.class, late);
        store.hold.countDown();
        assertNull(first.get(20, TimeUnit.SECONDS));
        committer.close(Duration.ofSeconds(5));
        assertEquals(List.of("first"), store.allWritten());
    }

    @Test
    void closingWritesWhatIsQueuedThenRefusesNewItems() throws Exception {
        RecordingStore store = new RecordingStore();
        committer(store, 100, 4);
        Future<Throwable> first = holdFirst(store);
        List<Future<Throwable>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queued.add(write(new Item("q" + i, "t" + (i + 1), "k" + (i + 1)), WAIT));
        }
        Thread.sleep(300);
        Future<?> closing = callers.submit(() -> committer.close(Duration.ofSeconds(20)));
        Thread.sleep(100);
        assertThrows(GroupCommitter.Unavailable.class, () -> committer.write(new Item("after", "ta", "ka"), WAIT));
        store.hold.countDown();
        closing.get(20, TimeUnit.SECONDS);
        assertNull(first.get(20, TimeUnit.SECONDS));
        for (Future<Throwable> f : queued) {
            assertNull(f.get(20, TimeUnit.SECONDS), "drained before the writer ended");
        }
        assertEquals(11, store.allWritten().size());
        assertFalse(store.allWritten().contains("after"));
    }
}
