package org.agentnet.agw.message;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The relayed messages this gateway holds (table {@code agw_message}). */
@Stateless
public class RelayedMessages {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    public Optional<RelayedMessage> find(String id) {
        return Optional.ofNullable(em.find(RelayedMessage.class, id));
    }

    /** The row, locked until the transaction ends: tries of one message take turns. */
    public Optional<RelayedMessage> findForUpdate(String id) {
        return Optional.ofNullable(em.find(RelayedMessage.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    public void add(RelayedMessage message) {
        em.persist(message);
        em.flush();
    }

    /** IDs of a target's inbox messages that may be handed out now (not leased), oldest first. */
    public List<String> inboxCandidates(String targetId, Instant now, int limit) {
        return em.createQuery("select m.id from RelayedMessage m where m.targetId = :target and m.state = :inbox"
                        + " and m.nextAttempt <= :now order by m.acceptedAt, m.id", String.class)
                .setParameter("target", targetId).setParameter("inbox", MessageState.INBOX).setParameter("now", now)
                .setMaxResults(limit).getResultList();
    }

    /**
     * Leases one inbox message to the poller until {@code until}, if it is still in the inbox and not
     * leased: a conditional update, so that two polls never hand out the same message at once.
     */
    public boolean lease(String id, Instant now, Instant until) {
        return em.createQuery("update RelayedMessage m set m.nextAttempt = :until, m.updatedAt = :now where m.id = :id"
                        + " and m.state = :inbox and m.nextAttempt <= :now")
                .setParameter("until", until).setParameter("now", now).setParameter("id", id)
                .setParameter("inbox", MessageState.INBOX).executeUpdate() == 1;
    }

    /** ACCEPTED messages whose try was due before {@code dueBefore} (lost from the queue, or slow), oldest first. */
    public List<RelayedMessage> overdue(Instant dueBefore, int limit) {
        return em.createQuery("select m from RelayedMessage m where m.state = :accepted and m.nextAttempt < :due"
                        + " order by m.nextAttempt", RelayedMessage.class)
                .setParameter("accepted", MessageState.ACCEPTED).setParameter("due", dueBefore)
                .setMaxResults(limit).getResultList();
    }

    /** Deletes up to {@code limit} settled messages (FORWARDED, DELIVERED, FAILED) last changed before {@code before}. */
    public int deleteSettled(Instant before, int limit) {
        List<String> ids = em.createQuery("select m.id from RelayedMessage m where m.state in :settled and m.updatedAt < :before",
                        String.class)
                .setParameter("settled", List.of(MessageState.FORWARDED, MessageState.DELIVERED, MessageState.FAILED))
                .setParameter("before", before).setMaxResults(limit).getResultList();
        if (ids.isEmpty()) {
            return 0;
        }
        return em.createQuery("delete from RelayedMessage m where m.id in :ids").setParameter("ids", ids).executeUpdate();
    }

    public void detach(RelayedMessage message) {
        em.detach(message);
    }
}
