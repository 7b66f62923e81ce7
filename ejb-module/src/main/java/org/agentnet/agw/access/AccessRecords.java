package org.agentnet.agw.access;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The access records of the agents that accessed this gateway (table {@code agw_access}). */
@Stateless
public class AccessRecords {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    public Optional<AccessRecord> find(String agentId) {
        return Optional.ofNullable(em.find(AccessRecord.class, agentId));
    }

    public Optional<AccessRecord> findForUpdate(String agentId) {
        return Optional.ofNullable(em.find(AccessRecord.class, agentId, LockModeType.PESSIMISTIC_WRITE));
    }

    public Optional<AccessRecord> byUri(String agentUri) {
        return em.createQuery("select r from AccessRecord r where r.agentUri = :uri", AccessRecord.class)
                .setParameter("uri", agentUri).getResultStream().findFirst();
    }

    public void add(AccessRecord record) {
        em.persist(record);
        em.flush();
    }

    public void remove(AccessRecord record) {
        em.remove(record);
        em.flush();
    }

    /** Records by agent ID after {@code afterId}: pages for loading the heartbeat table. */
    public List<AccessRecord> after(String afterId, int limit) {
        return em.createQuery("select r from AccessRecord r where r.agentId > :after order by r.agentId", AccessRecord.class)
                .setParameter("after", afterId).setMaxResults(limit).getResultList();
    }

    /**
     * Writes a batch of last-seen times and states in one transaction (one select and batched
     * updates); records deleted meanwhile are skipped.
     */
    public void writeHeartbeats(List<HeartbeatTable.Seen> batch) {
        Map<String, HeartbeatTable.Seen> byId = batch.stream()
                .collect(Collectors.toMap(HeartbeatTable.Seen::agentId, Function.identity(), (a, b) -> b));
        em.createQuery("select r from AccessRecord r where r.agentId in :ids", AccessRecord.class)
                .setParameter("ids", byId.keySet()).getResultList()
                .forEach(record -> {
                    HeartbeatTable.Seen seen = byId.get(record.agentId());
                    record.heartbeat(seen.lastSeen(), seen.state(), seen.detail());
                });
    }
}
