package org.agentnet.agw.message;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The relayed messages this gateway holds (table {@code agw_message}). */
@Stateless
public class RelayedMessages {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    public Optional<RelayedMessage> find(String id) {
        return Optional.ofNullable(em.find(RelayedMessage.class, id));
    }

    /** The messages held under these IDs (at most a relay batch of them), by ID. */
    public Map<String, RelayedMessage> findAll(List<String> ids) {
        return byId(ids, LockModeType.NONE);
    }

    /** Which of these message IDs (at most a relay batch of them) are held: one query of the IDs alone. */
    public Set<String> takenIds(List<String> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(em.createQuery("select m.id from RelayedMessage m where m.id in :ids", String.class)
                .setParameter("ids", ids).getResultList());
    }

    /** The row, locked until the transaction ends: tries of one message take turns. */
    public Optional<RelayedMessage> findForUpdate(String id) {
        return Optional.ofNullable(em.find(RelayedMessage.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    /**
     * The rows held under these IDs (at most a relay batch of them), each locked until the transaction
     * ends, by ID: one statement for the lot instead of one {@link #findForUpdate} each (a later
     * {@code findForUpdate} of one of them in the same transaction reads nothing more).
     */
    public Map<String, RelayedMessage> findAllForUpdate(List<String> ids) {
        return byId(ids, LockModeType.PESSIMISTIC_WRITE);
    }

    private Map<String, RelayedMessage> byId(List<String> ids, LockModeType lock) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, RelayedMessage> found = new HashMap<>();
        em.createQuery("select m from RelayedMessage m where m.id in :ids", RelayedMessage.class).setParameter("ids", ids)
                .setLockMode(lock).getResultList().forEach(m -> found.put(m.id(), m));
        return found;
    }

    /**
     * Stores new messages in one new transaction (one commit for the lot: {@link MessageWriter}'s group
     * commit). A message whose ID is taken is left out and refused ({@link TakenId}; one read for the
     * batch), so that a sender repeating a message does not fail the others' transaction; an ID taken
     * meanwhile by another node (primary key) still fails it as a whole.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<RuntimeException> addAll(List<RelayedMessage> rows) {
        Set<String> taken = takenIds(rows.stream().map(RelayedMessage::id).toList());
        List<RuntimeException> results = new ArrayList<>(rows.size());
        for (RelayedMessage row : rows) {
            if (taken.contains(row.id())) {
                results.add(new TakenId(row.id()));
            } else {
                em.persist(row);
                results.add(null);
            }
        }
        em.flush();
        em.clear(); // the rows stay with their callers, detached
        return results;
    }

    /** A new message whose ID a stored message has: the caller judges the stored one (a repeat, or a conflict). */
    public static final class TakenId extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TakenId(String id) {
            super("message ID " + id + " is taken");
        }
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

    /**
     * Claims up to {@code limit} ACCEPTED messages whose try is due ({@code next_attempt <= now}) until
     * {@code until}, in a transaction of its own (committed before they are tried): a conditional
     * update per row, so that two dispatchers (of this node or of others sharing the database) never
     * claim one message at once. Returns the IDs claimed, the most overdue first.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<String> claimDue(Instant now, Instant until, int limit) {
        List<String> due = em.createQuery("select m.id from RelayedMessage m where m.state = :accepted and m.nextAttempt <= :now"
                        + " order by m.nextAttempt", String.class)
                .setParameter("accepted", MessageState.ACCEPTED).setParameter("now", now)
                .setMaxResults(limit).getResultList();
        List<String> claimed = new ArrayList<>(due.size());
        for (String id : due) {
            int updated = em.createQuery("update RelayedMessage m set m.nextAttempt = :until where m.id = :id"
                            + " and m.state = :accepted and m.nextAttempt <= :now")
                    .setParameter("until", until).setParameter("id", id).setParameter("accepted", MessageState.ACCEPTED)
                    .setParameter("now", now).executeUpdate();
            if (updated == 1) {
                claimed.add(id);
            }
        }
        return claimed;
    }

    /**
     * As {@link #claimDue} for owed receipts ({@code receipt_due <= now}): claimed until {@code until},
     * all in one conditional update. When it changed fewer rows than were due (another dispatcher claimed
     * some meanwhile), the rows claimed are read back by their claim; a receipt sent twice changes
     * nothing at the peer.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<String> claimReceipts(Instant now, Instant until, int limit) {
        List<String> due = em.createQuery("select m.id from RelayedMessage m where m.receiptDue <= :now order by m.receiptDue",
                        String.class)
                .setParameter("now", now).setMaxResults(limit).getResultList();
        if (due.isEmpty()) {
            return due;
        }
        int updated = em.createQuery("update RelayedMessage m set m.receiptDue = :until where m.id in :ids and m.receiptDue <= :now")
                .setParameter("until", until).setParameter("ids", due).setParameter("now", now).executeUpdate();
        if (updated == due.size()) {
            return due;
        }
        return em.createQuery("select m.id from RelayedMessage m where m.id in :ids and m.receiptDue = :until", String.class)
                .setParameter("ids", due).setParameter("until", until).getResultList();
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

    /**
     * Records what became of claimed receipts, in one new transaction, each only while the claim
     * ({@code receipt_due = claim}) holds: null settles the receipt (sent, refused, given up), an
     * instant is its next try.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void receiptOutcomes(Map<String, Instant> outcomes, Instant claim) {
        List<String> settled = outcomes.entrySet().stream().filter(o -> o.getValue() == null).map(Map.Entry::getKey).toList();
        if (!settled.isEmpty()) {
            em.createQuery("update RelayedMessage m set m.receiptDue = null where m.id in :ids and m.receiptDue = :claim")
                    .setParameter("ids", settled).setParameter("claim", claim).executeUpdate();
        }
        for (Map.Entry<String, Instant> outcome : outcomes.entrySet()) {
            if (outcome.getValue() != null) {
                em.createQuery("update RelayedMessage m set m.receiptDue = :next, m.receiptAttempts = m.receiptAttempts + 1"
                                + " where m.id = :id and m.receiptDue = :claim")
                        .setParameter("next", outcome.getValue()).setParameter("id", outcome.getKey())
                        .setParameter("claim", claim).executeUpdate();
            }
        }
    }

    public void detach(RelayedMessage message) {
        em.detach(message);
    }
}
