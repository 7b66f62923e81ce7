package org.agentnet.ars;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/** The agents the ARS holds (table {@code ars_agent}), of this origin and synchronized from others. */
@Stateless
public class RegisteredAgents {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    public Optional<AgentRecord> find(String id) {
        return Optional.ofNullable(em.find(AgentRecord.class, id));
    }

    /** The record, locked until the transaction ends: concurrent changes of one agent take turns. */
    public Optional<AgentRecord> findForUpdate(String id) {
        return Optional.ofNullable(em.find(AgentRecord.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** The live (not deregistered) local registration of an identity. */
    public Optional<AgentRecord> liveByUri(String agentUri) {
        return em.createQuery("select a from AgentRecord a where a.liveUri = :uri", AgentRecord.class)
                .setParameter("uri", agentUri).getResultStream().findFirst();
    }

    public void add(AgentRecord record) {
        em.persist(record);
        em.flush();
    }

    /** Records that are not deregistered, by ID, after {@code afterId}: pages for rebuilding the index. */
    public List<AgentRecord> liveAfter(String afterId, int limit) {
        return em.createQuery("select a from AgentRecord a where a.status <> :deregistered and a.id > :after order by a.id",
                        AgentRecord.class)
                .setParameter("deregistered", AgentStatus.DEREGISTERED).setParameter("after", afterId)
                .setMaxResults(limit).getResultList();
    }

    /** The records of one other origin, tombstones included, by ID after {@code afterId}. */
    public List<AgentRecord> ofOrigin(String originNode, String afterId, int limit) {
        return em.createQuery("select a from AgentRecord a where a.originNode = :origin and a.localOrigin = 0"
                        + " and a.id > :after order by a.id", AgentRecord.class)
                .setParameter("origin", originNode).setParameter("after", afterId)
                .setMaxResults(limit).getResultList();
    }

    /** How many records of another origin this node holds, and the sum of their origin seqs (anti-entropy). */
    public record OriginDigest(long count, long seqSum) {
    }

    public OriginDigest digestOfOrigin(String originNode) {
        Object[] row = em.createQuery("select count(a), coalesce(sum(a.originSeq), 0) from AgentRecord a"
                        + " where a.originNode = :origin and a.localOrigin = 0", Object[].class)
                .setParameter("origin", originNode).getSingleResult();
        return new OriginDigest(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
    }

    public void remove(AgentRecord record) {
        em.remove(record);
    }

    public void flush() {
        em.flush();
    }

    public void detach() {
        em.clear();
    }
}
