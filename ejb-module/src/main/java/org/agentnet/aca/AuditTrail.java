package org.agentnet.aca;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The ACA's audit trail; entries are written in the transaction of what they record. */
@Stateless
public class AuditTrail {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    @Inject
    Clock clock;

    public void record(String actor, AuditEvent.Action action, String targetType, String targetId, String detail) {
        em.persist(new AuditEvent(clock.instant(), actor, action, targetType, targetId, detail));
    }

    /** Entries after the cursor position (occurredAt, id), oldest first. */
    public List<AuditEvent> after(Instant at, String id, int limit) {
        return em.createQuery("select e from AuditEvent e where e.occurredAt > :at or (e.occurredAt = :at and e.id > :id)"
                        + " order by e.occurredAt, e.id", AuditEvent.class)
                .setParameter("at", at).setParameter("id", id).setMaxResults(limit).getResultList();
    }
}
