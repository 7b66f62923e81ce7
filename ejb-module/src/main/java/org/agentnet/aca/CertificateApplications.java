package org.agentnet.aca;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Certificate applications, pending and decided. */
@Stateless
public class CertificateApplications {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    public void add(CertificateApplication application) {
        em.persist(application);
    }

    public Optional<CertificateApplication> find(String id) {
        return Optional.ofNullable(em.find(CertificateApplication.class, id));
    }

    /** The application, locked for a decision so that two operators cannot both decide it. */
    public Optional<CertificateApplication> findForDecision(String id) {
        return Optional.ofNullable(em.find(CertificateApplication.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** Pending applications, oldest first, after the cursor position (submittedAt, id). */
    public List<CertificateApplication> pending(Instant afterSubmittedAt, String afterId, int limit) {
        return em.createQuery("select a from CertificateApplication a"
                        + " where a.state = org.agentnet.aca.CertificateApplication.State.PENDING"
                        + " and (a.submittedAt > :at or (a.submittedAt = :at and a.id > :id))"
                        + " order by a.submittedAt, a.id", CertificateApplication.class)
                .setParameter("at", afterSubmittedAt).setParameter("id", afterId)
                .setMaxResults(limit).getResultList();
    }
}
