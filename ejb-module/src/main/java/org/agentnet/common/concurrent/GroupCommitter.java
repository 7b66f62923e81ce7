package org.agentnet.common.concurrent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit: callers hand over items to write and wait for their outcome; writer threads take
 * what has queued up meanwhile (up to {@code maxBatch}) and write it in one transaction, so that
 * many items share one commit (one log force). The caller learns its item's outcome only once the
 * transaction that wrote it has committed, or that it was refused.
 *
 * <ul>
 * <li>A batch whose transaction fails as a whole is written again item by item, each in a
 * transaction of its own, so that one bad item does not take the others down.</li>
 * <li>Items name unique keys ({@link Item#uniqueKeys()}: a token, a public key). Two items of one
 * batch with a key in common are never written together: the later one is refused with
 * {@link Conflict}. {@link #claim} lets a caller hold keys while it prepares an item, so that a
 * concurrent caller with the same key is refused before doing any work. The store stays the
 * authority (a conditional update, a primary key); these are the cheap checks before it.</li>
 * <li>The queue is bounded: a full queue or a closed committer refuses at once
 * ({@link Unavailable}). An item still queued when its caller's timeout ends is withdrawn and
 * refused the same way; one already taken into a batch is waited for until its transaction ends.</li>
 * <li>{@link #close} stops taking new items and writes everything queued before the threads end.</li>
 * </ul>
 *
 * @param <T> the items
 */
public final class GroupCommitter<T extends GroupCommitter.Item> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCommitter.class.getName());

    /** Something to write. */
    public interface Item {
        /** Keys no two items written together may share (such as "token:..." and "key:..."). */
        Set<String> uniqueKeys();
    }

    /** Writes items: one call, one transaction. */
    public interface Store<T> {
        /**
         * Writes the items in one transaction and commits it. Returns one entry per item, in order:
         * null when the item was written, or the exception that refused it (the store left its writes
         * out and committed the others). Throws when the transaction failed as a whole (nothing written).
         */
        List<RuntimeException> write(List<T> items);
    }

    /** An item refused because another item (in flight or in the same batch) has one of its unique keys. */
    public static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String key;

        Conflict(String key) {
            super("another item holds " + key);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** Not taken: the queue is full, the committer is closing, or the item waited longer than its timeout. */
    public static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    /** Keys a caller holds while it prepares an item; closing releases them. */
    public interface Claim extends AutoCloseable {
        @Override
        void close();
    }

    private static final int QUEUED = 0;
    private static final int TAKEN = 1;
    private static final int WITHDRAWN = 2;

    private final class Entry {
        final T item;
        final CompletableFuture<Void> outcome = new CompletableFuture<>();
        final AtomicInteger state = new AtomicInteger(QUEUED);

        Entry(T item) {
            this.item = item;
        }
    }

    private final String name;
    private final Store<T> store;
    private final int maxBatch;
    private final BlockingQueue<Entry> queue;
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closed;

    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();

    public GroupCommitter(String name, Store<T> store, int capacity, int maxBatch, int writerThreads, ThreadFactory threads) {
        if (capacity < 1 || maxBatch < 1 || writerThreads < 1) {
            throw new IllegalArgumentException("capacity, batch size and writers must be positive");
        }
        this.name = name;
        this.store = store;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
        for (int i = 0; i < writerThreads; i++) {
            Thread thread = threads.newThread(this::run);
            thread.setName(name + "-" + i);
            thread.setDaemon(true);
            writers.add(thread);
        }
        writers.forEach(Thread::start);
    }

    /**
     * Holds the keys until the returned claim is closed; refused with {@link Conflict} when another
     * caller holds one of them (then none is held).
     */
    public Claim claim(Collection<String> keys) {
        List<String> taken = new ArrayList<>(keys.size());
        for (String key : keys) {
            if (!claimed.add(key)) {
                taken.forEach(claimed::remove);
                throw new Conflict(key);
            }
            taken.add(key);
        }
        return () -> taken.forEach(claimed::remove);
    }

    /**
     * Hands the item to a writer and waits until it is written (returns), refused (throws the
     * store's exception or {@link Conflict}) or not taken ({@link Unavailable}: nothing written).
     * {@code timeout} bounds the wait in the queue; once in a batch, the item's transaction is waited for.
     */
    public void write(T item, Duration timeout) {
        await(enqueue(item), timeout);
    }

    /**
     * Hands over several items at once (they may share transactions with each other and with other
     * callers' items) and waits for each: one entry per item, in order, null when it was written or
     * the exception that refused it or did not take it, as {@link #write} would have thrown it.
     */
    public List<RuntimeException> writeAll(List<T> items, Duration timeout) {
        List<Object> entries = new ArrayList<>(items.size());
        for (T item : items) {
            try {
                entries.add(enqueue(item));
            } catch (Unavailable e) {
                entries.add(e);
            }
        }
        List<RuntimeException> outcomes = new ArrayList<>(items.size());
        for (Object entry : entries) {
            if (entry instanceof Unavailable refused) {
                outcomes.add(refused);
                continue;
            }
            try {
                @SuppressWarnings("unchecked")
                Entry queued = (Entry) entry;
                await(queued, timeout);
                outcomes.add(null);
            } catch (RuntimeException e) {
                outcomes.add(e);
            }
        }
        return outcomes;
    }

    private Entry enqueue(T item) {
        if (closed) {
            throw new Unavailable(name + " is shutting down");
        }
        Entry entry = new Entry(item);
        if (!queue.offer(entry)) {
            throw new Unavailable(name + " is full (" + (queue.size() + queue.remainingCapacity()) + " waiting)");
        }
        return entry;
    }

    private void await(Entry entry, Duration timeout) {
        try {
            try {
                entry.outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (entry.state.compareAndSet(QUEUED, WITHDRAWN)) {
                    queue.remove(entry);
                    throw new Unavailable(name + ": not written within " + timeout + " (nothing was written)");
                }
                entry.outcome.get(); // taken into a batch: its transaction decides
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (entry.state.compareAndSet(QUEUED, WITHDRAWN)) {
                queue.remove(entry);
                throw new Unavailable(name + ": interrupted (nothing was written)");
            }
            // taken: the outcome is unknown to this thread, but the item may well be written
            throw new IllegalStateException(name + ": interrupted while the item was being written", e);
        }
    }

    /** Stops taking items, writes those queued, and waits up to {@code timeout} for the writers to end. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    public void close(Duration timeout) {
        closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread writer : writers) {
            try {
                writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Entry left;
        while ((left = queue.poll()) != null) {
            if (left.state.compareAndSet(QUEUED, TAKEN)) {
                left.outcome.completeExceptionally(new Unavailable(name + " shut down before writing it (nothing was written)"));
            }
        }
        LOG.info(() -> name + ": " + written.get() + " items written in " + batches.get() + " transactions ("
                + failedBatches.get() + " batches written again item by item)");
    }

    /** Items written, transactions committed, batches that failed as a whole: for the logs and tests. */
    public long[] statistics() {
        return new long[] {written.get(), batches.get(), failedBatches.get()};
    }

    private void run() {
        List<Entry> drained = new ArrayList<>(maxBatch);
        while (true) {
            Entry first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (closed) {
                    break; // the rest is failed by close()
                }
                continue;
            }
            if (first == null) {
                if (closed) {
                    break;
                }
                continue;
            }
            drained.clear();
            drained.add(first);
            queue.drainTo(drained, maxBatch - 1);
            List<Entry> batch = take(drained);
            if (!batch.isEmpty()) {
                writeBatch(batch);
            }
        }
    }

    /** The entries still wanted, minus those sharing a unique key with an earlier one (refused). */
    private List<Entry> take(List<Entry> drained) {
        List<Entry> batch = new ArrayList<>(drained.size());
        Set<String> keys = new HashSet<>();
        for (Entry entry : drained) {
            if (!entry.state.compareAndSet(QUEUED, TAKEN)) {
                continue; // withdrawn by its caller
            }
            String shared = entry.item.uniqueKeys().stream().filter(keys::contains).findFirst().orElse(null);
            if (shared != null) {
                entry.outcome.completeExceptionally(new Conflict(shared));
                continue;
            }
            keys.addAll(entry.item.uniqueKeys());
            batch.add(entry);
        }
        return batch;
    }

    private void writeBatch(List<Entry> batch) {
        try {
            complete(batch, store.write(batch.stream().map(e -> e.item).toList()));
            return;
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                batch.get(0).outcome.completeExceptionally(e);
                return;
            }
            failedBatches.incrementAndGet();
            LOG.log(Level.FINE, name + ": a batch of " + batch.size() + " failed; writing its items one by one", e);
        }
        for (Entry entry : batch) {
            try {
                complete(List.of(entry), store.write(List.of(entry.item)));
            } catch (RuntimeException | Error e) {
                entry.outcome.completeExceptionally(e);
            }
        }
    }

    private void complete(List<Entry> entries, List<RuntimeException> results) {
        batches.incrementAndGet();
        if (results == null || results.size() != entries.size()) {
            IllegalStateException wrong = new IllegalStateException("the store answered for "
                    + (results == null ? "no" : results.size()) + " of " + entries.size() + " items");
            entries.forEach(e -> e.outcome.completeExceptionally(wrong));
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            RuntimeException refused = results.get(i);
            if (refused == null) {
                written.incrementAndGet();
                entries.get(i).outcome.complete(null);
            } else {
                entries.get(i).outcome.completeExceptionally(refused);
            }
        }
    }
}
