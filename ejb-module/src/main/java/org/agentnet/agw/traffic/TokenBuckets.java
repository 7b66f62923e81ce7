package org.agentnet.agw.traffic;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The token buckets of one node, one per kind and caller identity, decided on in memory (no I/O on
 * the request path once a bucket is known here). With a shared {@link Store}, what was consumed
 * here is added to the bucket in the database by a round ({@link #synchronize()}) once it is a
 * share of the limit or old enough ({@link SyncPolicy}), and the local bucket then takes the state
 * the database holds (the consumption of every node): the limits hold across nodes with the accuracy described in
 * docs/agw.md "Traffic control". Buckets idle for longer than their window are full again and
 * dropped; at most {@code maxBuckets} are held.
 */
public final class TokenBuckets {

    /** Where buckets live: only in this node's memory, or shared through the database. */
    public interface Store {

        /** A bucket of this configuration under this name (a new bucket starts full). */
        Bucket bucket(String name, BucketConfiguration configuration);

        /** Makes a new bucket ready for local decisions (a shared one reads its state, in its own transaction). */
        void prepare(Bucket bucket);

        /** Adds what these buckets consumed here to the shared state and takes it back (one transaction). */
        void synchronize(List<Pending> buckets);

        boolean shared();
    }

    /** A bucket to synchronize, and when the first of the consumption held back in it happened (clock nanoseconds). */
    public record Pending(Bucket bucket, long sinceNanos) {
    }

    /** What a bucket is for: a map key that costs no string building on the request path. */
    private record Key(TrafficControl.Kind kind, LimitRules.Limit limit, String caller) {

        /** The bucket's name in the shared table: kind, limit and caller (a changed limit is another bucket). */
        String name() {
            return kind.key() + '|' + limit.spec() + '|' + caller;
        }
    }

    /** A bucket of this node. */
    private static final class Entry {
        final Key key;
        final String name;
        final Bucket bucket;
        /** Queued for a round: it consumed since its last synchronization. */
        final AtomicBoolean dirty = new AtomicBoolean();
        /** Tokens consumed here since its last synchronization, and when the first of them was (0: none). */
        final AtomicLong pending = new AtomicLong();
        final AtomicLong firstPendingNanos = new AtomicLong();
        volatile boolean ready;
        volatile long lastUsedNanos;
        volatile long syncedNanos;

        Entry(Key key, String name, Bucket bucket, long nowNanos) {
            this.key = key;
            this.name = name;
            this.bucket = bucket;
            this.lastUsedNanos = nowNanos;
            this.syncedNanos = nowNanos;
        }
    }

    /**
     * When a bucket that consumed here is synchronized: in the next round once what it consumed here
     * since the last time reaches {@code threshold} of its limit (0: at once), or once that
     * consumption is {@code maxDelay} old. A caller far below its limit costs a write every
     * {@code maxDelay}, one near it a write every round.
     */
    public record SyncPolicy(double threshold, Duration maxDelay) {

        public static final SyncPolicy EVERY_ROUND = new SyncPolicy(0, Duration.ZERO);

        boolean due(long pending, long capacity, long sinceSyncNanos) {
            return pending >= Math.max(1, (long) Math.ceil(capacity * threshold)) || sinceSyncNanos >= maxDelay.toNanos();
        }
    }

    /** The outcome of a synchronization round: buckets synchronized, buckets that consumed but wait for a later round, dropped, held. */
    public record Round(int synced, int waiting, int dropped, int held) {
    }

    private final Store store;
    private final TimeMeter clock;
    private final int maxBuckets;
    private final SyncPolicy policy;

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final Queue<Entry> dirty = new ConcurrentLinkedQueue<>();

    public TokenBuckets(Store store, TimeMeter clock, int maxBuckets, SyncPolicy policy) {
        this.store = store;
        this.clock = clock;
        this.maxBuckets = maxBuckets;
        this.policy = policy;
    }

    /**
     * Takes one token of the caller's bucket for {@code kind} under {@code limit}: admitted with the
     * quota left, or refused with the wait for the next token. When no bucket can be held (the table
     * is full of buckets in use) the request is admitted without a quota.
     */
    public TrafficControl.Admission take(TrafficControl.Kind kind, String caller, LimitRules.Limit limit) {
        Key key = new Key(kind, limit, caller);
        Entry entry = entries.get(key);
        if (entry == null) {
            entry = create(key);
            if (entry == null) {
                return TrafficControl.Admission.ADMITTED;
            }
        }
        if (!entry.ready) {
            prepare(entry);
        }
        long now = clock.currentTimeNanos();
        ConsumptionProbe probe = entry.bucket.tryConsumeAndReturnRemaining(1);
        entry.lastUsedNanos = now;
        TrafficControl.Quota quota = new TrafficControl.Quota(limit.capacity(), Math.max(0, probe.getRemainingTokens()),
                seconds(probe.getNanosToWaitForReset()), Math.max(1, limit.window().toSeconds()));
        if (probe.isConsumed()) {
            if (store.shared()) {
                entry.pending.incrementAndGet();
                if (entry.firstPendingNanos.get() == 0) {
                    entry.firstPendingNanos.compareAndSet(0, now);
                }
                if (!entry.dirty.get() && entry.dirty.compareAndSet(false, true)) {
                    dirty.add(entry);
                }
            }
            return TrafficControl.Admission.admitted(quota);
        }
        long retryAfter = Math.max(1, seconds(probe.getNanosToWaitForRefill()));
        return TrafficControl.Admission.refused(kind.key() + " limit of " + limit.capacity() + " per " + describe(limit)
                + " reached for " + caller, retryAfter, quota);
    }

    private Entry create(Key key) {
        if (entries.size() >= maxBuckets) {
            dropIdle(clock.currentTimeNanos());
            if (entries.size() >= maxBuckets) {
                return null;
            }
        }
        return entries.computeIfAbsent(key, k -> {
            String name = k.name();
            return new Entry(k, name, store.bucket(name, k.limit().configuration()), clock.currentTimeNanos());
        });
    }

    private void prepare(Entry entry) {
        synchronized (entry) {
            if (!entry.ready) {
                try {
                    store.prepare(entry.bucket);
                    entry.syncedNanos = clock.currentTimeNanos();
                } catch (RuntimeException e) {
                    entries.remove(entry.key, entry); // tried again by the next request
                    throw e;
                }
                entry.ready = true;
            }
        }
    }

    /**
     * One round: of the buckets that consumed since their last synchronization, those due
     * ({@link SyncPolicy}) are synchronized with the shared state (in one transaction, in key order so
     * that nodes never deadlock); the others wait for a later round. Then idle buckets are dropped. A
     * failed synchronization loses that round's local consumption from the shared state (never the
     * local decisions) and is reported to the caller.
     */
    public Round synchronize() {
        long now = clock.currentTimeNanos();
        List<Entry> due = new ArrayList<>();
        List<Entry> waiting = new ArrayList<>();
        for (Entry entry; (entry = dirty.poll()) != null; ) {
            if (policy.due(entry.pending.get(), entry.key.limit().capacity(), now - entry.syncedNanos)) {
                due.add(entry);
            } else {
                waiting.add(entry);
            }
        }
        dirty.addAll(waiting);
        if (!due.isEmpty()) {
            due.sort(Comparator.comparing(e -> e.name));
            List<Pending> writes = new ArrayList<>(due.size());
            for (Entry entry : due) {
                // what is consumed from here on is counted (and marks the bucket) for the next round
                entry.dirty.set(false);
                entry.pending.set(0);
                long since = entry.firstPendingNanos.getAndSet(0);
                entry.syncedNanos = now;
                writes.add(new Pending(entry.bucket, since == 0 ? now : since));
            }
            store.synchronize(writes);
        }
        int dropped = dropIdle(now);
        return new Round(due.size(), waiting.size(), dropped, entries.size());
    }

    /** Drops the buckets not used for longer than their window (they are full again), unless a round is due for them. */
    int dropIdle(long nowNanos) {
        int dropped = 0;
        for (Entry entry : entries.values()) {
            if (!entry.dirty.get() && nowNanos - entry.lastUsedNanos > entry.key.limit().window().toNanos()
                    && entries.remove(entry.key, entry)) {
                dropped++;
            }
        }
        return dropped;
    }

    public int size() {
        return entries.size();
    }

    private static long seconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }

    private static String describe(LimitRules.Limit limit) {
        long seconds = limit.window().toSeconds();
        return seconds % 60 == 0 ? (seconds == 60 ? "minute" : seconds / 60 + " minutes") : seconds + " s";
    }
}
