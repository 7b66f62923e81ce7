package org.agentnet.aca;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.util.List;

/** Records, once per certificate, that it has expired. */
@Stateless
public class CertificateExpiry {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    @EJB
    AuditTrail audit;

    @Inject
    Clock clock;

    /** Marks up to {@code limit} newly expired certificates in one transaction; returns how many. */
    public int markExpired(int limit) {
        List<IssuedCertificate> expired = em.createQuery("select c from IssuedCertificate c"
                        + " where c.revokedAt is null and c.notAfter < :now and not exists ("
                        + " select e.id from AuditEvent e where e.targetType = 'certificate' and e.targetId = c.serial"
                        + " and e.action = org.agentnet.aca.AuditEvent.Action.EXPIRED)"
                        + " order by c.notAfter", IssuedCertificate.class)
                .setParameter("now", clock.instant()).setMaxResults(limit).getResultList();
        for (IssuedCertificate certificate : expired) {
            audit.record("system", AuditEvent.Action.EXPIRED, "certificate", certificate.serial(),
                    "expired at " + certificate.notAfter());
        }
        return expired.size();
    }
}
