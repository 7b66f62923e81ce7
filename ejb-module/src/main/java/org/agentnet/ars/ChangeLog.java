package org.agentnet.ars;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;

/**
 * The change feed of this node's agents (table {@code ars_change}), compacted to each agent's
 * latest change, written in the transaction of the change. Seqs are taken from a counter row that
 * each writer holds locked until it commits, so they become visible in increasing order.
 */
@Stateless
public class ChangeLog {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    /** Records the agent's new state as its latest change. */
    public void record(Agent agent, ChangeKind kind, Instant at) {
        // the agent's row is written (and locked) first, the counter second: one lock order for every writer
        em.flush();
        FeedCounter counter = em.find(FeedCounter.class, FeedCounter.ROW, LockModeType.PESSIMISTIC_WRITE);
        long seq = counter.next();
        ChangeEntry entry = em.find(ChangeEntry.class, agent.id());
        boolean first = entry == null;
        if (first) {
            entry = new ChangeEntry(agent.id());
        }
        // set before persist: Hibernate inserts the state an entity has when it is persisted
        entry.set(seq, kind, at, ProfileJson.view(agent).toString());
        if (first) {
            em.persist(entry);
        }
    }

    /**
     * A page of the feed: the changes after {@code since} in seq order, the seq to ask from next
     * time (the last one returned, or {@code since} when none), and the highest seq now.
     */
    public record Page(List<ChangeEntry> changes, long next, long latest) {
    }

    public Page page(long since, int limit) {
        List<ChangeEntry> entries = after(since, limit);
        long next = entries.isEmpty() ? since : entries.get(entries.size() - 1).seq();
        return new Page(entries, next, latest());
    }

    /** The changes after {@code seq}, in seq order. */
    public List<ChangeEntry> after(long seq, int limit) {
        return em.createQuery("select c from ChangeEntry c where c.seq > :seq order by c.seq", ChangeEntry.class)
                .setParameter("seq", seq).setMaxResults(limit).getResultList();
    }

    /** The highest seq given out and committed. */
    public long latest() {
        return em.find(FeedCounter.class, FeedCounter.ROW).lastSeq();
    }

    /** The feed in three numbers, for peers checking that they hold all of it (anti-entropy). */
    public record Digest(long latest, long count, long seqSum) {
    }

    public Digest digest() {
        // one statement: the three numbers describe the same committed state
        Object[] row = em.createQuery("select count(c), coalesce(sum(c.seq), 0), coalesce(max(c.seq), 0) from ChangeEntry c",
                Object[].class).getSingleResult();
        return new Digest(((Number) row[2]).longValue(), ((Number) row[0]).longValue(), ((Number) row[1]).longValue());
    }
}
