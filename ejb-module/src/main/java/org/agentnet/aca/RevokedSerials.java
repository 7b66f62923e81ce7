package org.agentnet.aca;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serials this ACA has revoked, in memory: every certificate check of the node (registration,
 * access, peering, relay) asks here, so a revocation counts from the very next request, not from
 * the next CRL. Loaded from the database at start and updated by {@link CertificateRevoked} once
 * the revocation has committed.
 */
@ApplicationScoped
public class RevokedSerials {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    private final Set<String> serials = ConcurrentHashMap.newKeySet();

    /** Loads the set when the application starts, never later inside a finishing transaction. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        size();
    }

    @PostConstruct
    void load() {
        serials.addAll(em.createQuery("select c.serial from IssuedCertificate c where c.revokedAt is not null", String.class)
                .getResultList());
    }

    void revoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) CertificateRevoked event) {
        serials.add(event.serial());
    }

    public boolean isRevoked(String serial) {
        return serials.contains(serial);
    }

    public int size() {
        return serials.size();
    }
}
