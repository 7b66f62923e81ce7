package org.agentnet.aca;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serials this ACA has revoked, in memory: every certificate check of the node (registration,
 * access, peering, relay) asks here, so a revocation counts from the very next request, not from
 * the next CRL. Loaded from the database when the application starts, and updated by
 * {@link CertificateRevoked} once the revocation has committed (no database work then).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RevokedSerials {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    private final Set<String> serials = ConcurrentHashMap.newKeySet();

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    void load() {
        serials.addAll(em.createQuery("select c.serial from IssuedCertificate c where c.revokedAt is not null", String.class)
                .getResultList());
    }

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void revoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) CertificateRevoked event) {
        serials.add(event.serial());
    }

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public boolean isRevoked(String serial) {
        return serials.contains(serial);
    }
}
