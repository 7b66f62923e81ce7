package org.agentnet.node.diagnostics;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Optional;

/** The relay probes an operator has sent. */
@Stateless
public class RelayProbeRepository {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    public void add(RelayProbe probe) {
        em.persist(probe);
    }

    public Optional<RelayProbe> find(String id) {
        return Optional.ofNullable(em.find(RelayProbe.class, id));
    }

    /** The probe, locked for the settling delivery so that concurrent duplicates serialize. */
    public Optional<RelayProbe> findForUpdate(String id) {
        return Optional.ofNullable(em.find(RelayProbe.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    public int removeRequestedBefore(Instant cutoff) {
        return em.createQuery("delete from RelayProbe p where p.requestedAt < :cutoff")
                .setParameter("cutoff", cutoff)
                .executeUpdate();
    }
}
