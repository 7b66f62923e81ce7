package org.agentnet.agw.access;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.agentnet.ars.AgentStatus;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * The accessed agents' heartbeats, in memory (draft 3.3.1): agent ID -> agent URI, hold time, last
 * seen, state. A heartbeat that changes nothing but the last-seen time is two volatile writes; the
 * ARS status is set only on a transition (RUNNING <-> TEMPORARILY_OFFLINE, SILENT -> anything), under
 * the agent's entry lock so that transitions of one agent never overtake each other. Changed
 * entries are marked dirty for the write-behind ({@link #drainDirty}) and their IDs queued, so that
 * a flush visits only the agents heard from since the last one, not the whole table. Times are
 * held as epoch milliseconds, so that the sweep over every entry allocates nothing. Bounded by the
 * number of access records it may hold.
 */
public final class HeartbeatTable {

    /** Where status transitions go: the ARS ({@code AgentStatusUpdates}); throws when it cannot set it. */
    @FunctionalInterface
    public interface StatusSink {
        void set(String agentId, AgentStatus status, String reason);
    }

    /** A last-seen time and state to be written behind. */
    public record Seen(String agentId, Instant lastSeen, HeartbeatState state, String detail) {
    }

    /** What a sweep did: agents silenced now, and agents whose status could not be set (tried again next sweep). */
    public record Sweep(List<String> silenced, int failed) {
    }

    public static final int MAX_DETAIL = 200;

    private static final class Entry {
        final String agentUri;
        final Duration hold;
        final long holdMillis;
        volatile long lastSeen; // epoch milliseconds
        volatile HeartbeatState state;
        volatile String detail;
        volatile boolean dirty;

        Entry(String agentUri, Duration hold, Instant lastSeen, HeartbeatState state, String detail) {
            this.agentUri = agentUri;
            this.hold = hold;
            this.holdMillis = hold.toMillis();
            this.lastSeen = lastSeen.toEpochMilli();
            this.state = state;
            this.detail = detail;
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** The agent ID of each entry by its agent URI: who an agent's certificate says it is, without a query. */
    private final ConcurrentHashMap<String, String> idsByUri = new ConcurrentHashMap<>();
    /** IDs of entries marked dirty since the last drain (an ID may appear twice; the drain skips clean ones). */
    private final ConcurrentLinkedQueue<String> dirtyIds = new ConcurrentLinkedQueue<>();
    private final int capacity;

    public HeartbeatTable(int capacity) {
        this.capacity = capacity;
    }

    /** Adds or replaces an agent (access, or loading at start); false when the table is full. */
    public boolean put(String agentId, String agentUri, Duration hold, Instant lastSeen, HeartbeatState state, String detail) {
        if (!entries.containsKey(agentId) && entries.size() >= capacity) {
            return false;
        }
        Entry replaced = entries.put(agentId, new Entry(agentUri, hold, lastSeen, state, detail));
        if (replaced != null && !replaced.agentUri.equals(agentUri)) {
            idsByUri.remove(replaced.agentUri, agentId);
        }
        idsByUri.put(agentUri, agentId);
        return true;
    }

    public void remove(String agentId) {
        Entry removed = entries.remove(agentId);
        if (removed != null) {
            idsByUri.remove(removed.agentUri, agentId);
        }
    }

    /** The agent ID of the access record of the agent with this URI, when the table holds it. */
    public Optional<String> agentIdOf(String agentUri) {
        return Optional.ofNullable(idsByUri.get(agentUri));
    }

    public boolean isFull() {
        return entries.size() >= capacity;
    }

    public int size() {
        return entries.size();
    }

    public Optional<HeartbeatState> state(String agentId) {
        return Optional.ofNullable(entries.get(agentId)).map(e -> e.state);
    }

    public Optional<Instant> lastSeen(String agentId) {
        return Optional.ofNullable(entries.get(agentId)).map(e -> Instant.ofEpochMilli(e.lastSeen));
    }

    /**
     * A heartbeat of {@code callerUri} for {@code agentId}: records it as seen now and, on a
     * transition, sets the ARS status through {@code sink}.
     *
     * @return the new state when this heartbeat changed it, empty when it did not
     * @throws AgentnetException not-accessed (no access record), identity-mismatch (another agent's record)
     */
    public Optional<HeartbeatState> beat(String agentId, String callerUri, HeartbeatState reported, String detail,
                                         Instant now, StatusSink sink) {
        Entry entry = entries.get(agentId);
        if (entry == null) {
            throw new AgentnetException(ProblemType.NOT_ACCESSED, "agent " + agentId
                    + " has no access record at this gateway; access it first (POST /api/v1/agw/access)");
        }
        if (!entry.agentUri.equals(callerUri)) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH, "the access record " + agentId + " is of "
                    + entry.agentUri + ", not of " + callerUri);
        }
        String newDetail = reported == HeartbeatState.RUNNING ? null : detail;
        // last-seen first: a sweep that reads it afterwards does not silence this agent
        long nowMillis = now.toEpochMilli();
        if (nowMillis > entry.lastSeen) {
            entry.lastSeen = nowMillis;
        }
        markDirty(agentId, entry);
        if (!changes(entry, reported, newDetail)) {
            return Optional.empty();
        }
        synchronized (entry) {
            if (!changes(entry, reported, newDetail)) {
                return Optional.empty();
            }
            sink.set(agentId, reported.arsStatus(), reason(reported, newDetail));
            entry.state = reported;
            entry.detail = newDetail;
            markDirty(agentId, entry);
            return Optional.of(reported);
        }
    }

    /**
     * Silences every agent not heard of within its hold time ({@code now} after last seen + hold):
     * sets it OFFLINE in the ARS with the reason "no heartbeat since ...". An agent the ARS no longer
     * knows (or has deregistered) is silenced too; any other failure leaves it for the next sweep.
     */
    public Sweep sweep(Instant now, StatusSink sink) {
        List<String> silenced = new ArrayList<>();
        int failed = 0;
        long nowMillis = now.toEpochMilli();
        for (var item : entries.entrySet()) {
            Entry entry = item.getValue();
            if (entry.state == HeartbeatState.SILENT || !expired(entry, nowMillis)) {
                continue;
            }
            synchronized (entry) {
                if (entry.state == HeartbeatState.SILENT || !expired(entry, nowMillis)) {
                    continue;
                }
                Instant last = Instant.ofEpochMilli(entry.lastSeen);
                try {
                    sink.set(item.getKey(), AgentStatus.OFFLINE, "no heartbeat since " + last + " (hold time " + entry.hold + ")");
                } catch (AgentnetException e) {
                    if (e.type() != ProblemType.UNKNOWN_AGENT && e.type() != ProblemType.AGENT_DEREGISTERED) {
                        failed++;
                        continue;
                    }
                } catch (RuntimeException e) {
                    failed++;
                    continue;
                }
                entry.state = HeartbeatState.SILENT;
                entry.detail = null;
                markDirty(item.getKey(), entry);
                silenced.add(item.getKey());
            }
        }
        return new Sweep(silenced, failed);
    }

    /** The entries changed since the last drain (and marks them clean). */
    public List<Seen> drainDirty() {
        List<Seen> changed = new ArrayList<>();
        String agentId;
        while ((agentId = dirtyIds.poll()) != null) {
            Entry entry = entries.get(agentId);
            if (entry != null && entry.dirty) {
                // cleared before the fields are read: a heartbeat that writes them after this either
                // is read here or marks the entry (and queues it) again
                entry.dirty = false;
                changed.add(new Seen(agentId, Instant.ofEpochMilli(entry.lastSeen), entry.state, entry.detail));
            }
        }
        return changed;
    }

    /** Marks entries dirty again after their write failed. */
    public void redirty(List<Seen> unwritten) {
        unwritten.forEach(seen -> {
            Entry entry = entries.get(seen.agentId());
            if (entry != null) {
                markDirty(seen.agentId(), entry);
            }
        });
    }

    private void markDirty(String agentId, Entry entry) {
        if (!entry.dirty) {
            entry.dirty = true;
            dirtyIds.add(agentId);
        }
    }

    private static boolean expired(Entry entry, long nowMillis) {
        return nowMillis > entry.lastSeen + entry.holdMillis;
    }

    private static boolean changes(Entry entry, HeartbeatState reported, String detail) {
        return entry.state != reported || !Objects.equals(entry.detail, detail);
    }

    private static String reason(HeartbeatState state, String detail) {
        return state == HeartbeatState.RUNNING ? null
                : "temporarily offline" + (detail == null ? "" : ": " + detail);
    }
}
