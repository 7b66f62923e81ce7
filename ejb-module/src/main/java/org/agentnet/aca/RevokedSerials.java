package org.agentnet.aca;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The serials revoked by this ACA, in memory: every certificate check of the node (registration,
 * access, peering, relay) asks here, so a revocation counts from the very next request, not from
 * the next CRL. Loaded from the database when the application starts; a revocation made on this
 * node is added by {@link CertificateRevoked} once it has committed (no database work then).
 * <p>
 * Nodes that share the database do not see each other's events, so every
 * {@code agentnet.aca.revocation-refresh} (PT2S) each node also reads the revoked serials and adds
 * those it did not know, and marks its CRL stale. This is a non-persistent timer: it must run on
 * every node, whereas persistent timers (scheduled jobs) run on one node of a cluster. All revoked
 * serials are read, not those revoked since the last read, because a revocation may be dated in
 * the past, so no time tells what is new.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RevokedSerials {

    private static final Logger LOG = Logger.getLogger(RevokedSerials.class.getName());

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    @Resource
    TimerService timers;

    @EJB
    CrlPublisher crl;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "agentnet.aca.revocation-refresh")
    Duration refresh;

    private final Set<String> serials = ConcurrentHashMap.newKeySet();

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    void load() {
        if (refresh == null || refresh.isNegative() || refresh.isZero()) {
            throw new IllegalStateException("agentnet.aca.revocation-refresh must be positive, was " + refresh);
        }
        serials.addAll(revokedSerials());
        timers.createIntervalTimer(refresh.toMillis(), refresh.toMillis(), new TimerConfig("revoked-serials-refresh", false));
    }

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void revoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) CertificateRevoked event) {
        serials.add(event.serial());
    }

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public boolean isRevoked(String serial) {
        return serials.contains(serial);
    }

    /**
     * The revoked serials as a live, read-only view: a revocation is in it as soon as it is here.
     * The certificate check of every request asks this view rather than {@link #isRevoked}, as the
     * EJB container's call cost more than the look-up.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Set<String> view() {
        return Collections.unmodifiableSet(serials);
    }

    /**
     * Every revoked serial. A range on revokedAt rather than "is not null", so that the database
     * reads the revokedAt index (Derby uses no index for "is not null"), not every certificate; a
     * revocation is never dated after its request, and a day ahead covers other nodes' clocks.
     */
    private List<String> revokedSerials() {
        return em.createQuery("select c.serial from IssuedCertificate c"
                        + " where c.revokedAt >= :first and c.revokedAt <= :last", String.class)
                .setParameter("first", Instant.EPOCH)
                .setParameter("last", clock.instant().plus(Duration.ofDays(1)))
                .getResultList();
    }

    /** Adds the revocations other nodes made since the last refresh. */
    @Timeout
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    void refresh() {
        List<String> revoked;
        try {
            revoked = revokedSerials();
        } catch (RuntimeException e) {
            // the next refresh tries again; one line, not a stack trace every period while the database is away
            LOG.log(Level.WARNING, "cannot refresh the revoked serials: " + e);
            return;
        }
        List<String> learned = revoked.stream().filter(serial -> !serials.contains(serial)).toList();
        if (!learned.isEmpty()) {
            // the CRL first: whoever sees a serial refused must not be served a CRL without it next
            crl.markStale();
            serials.addAll(learned);
            LOG.info(() -> "learned " + learned.size() + " revocation(s) made by another node");
        }
    }
}
