package org.agentnet.aca;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ACA's current CRL, kept in memory as signed DER. It is rebuilt from the database at start,
 * at once after each revocation commits ({@link CertificateRevoked}), and when it is within
 * {@code agentnet.aca.crl.overlap} of its nextUpdate (by {@link CrlRefreshJob}, and by the first
 * request that finds it due, so that a node whose timer runs elsewhere in a cluster still serves
 * a fresh CRL). Each CRL takes the next persisted CRL number before it is signed. Nothing happens
 * when the ACA is not enabled on this node.
 * <p>
 * The revocation observer runs while the revoking transaction completes, where no database work
 * may be enlisted; it marks the CRL stale and waits for an asynchronous rebuild, so that the CRL
 * lists the revocation by the time the revocation request is answered. A CRL known to be stale
 * is never served: the next request rebuilds it, or gets 503 if that fails too.
 */
@Singleton
@Startup
@DependsOn("CertificateAuthority")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class CrlPublisher {

    private static final Logger LOG = Logger.getLogger(CrlPublisher.class.getName());

    /** Attempts at taking a CRL number when nodes race for it. */
    static final int NUMBER_ATTEMPTS = 3;

    /** How long a revocation waits for the CRL that lists it. */
    static final Duration REBUILD_WAIT = Duration.ofSeconds(30);

    @EJB
    CertificateAuthority authority;

    @EJB
    RevokedCertificates revoked;

    @EJB
    CrlStates states;

    @Resource
    SessionContext context;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "agentnet.aca.crl.validity")
    Duration validity;

    @Inject
    @ConfigProperty(name = "agentnet.aca.crl.overlap")
    Duration overlap;

    private final ReentrantLock regenerating = new ReentrantLock();
    private volatile PublishedCrl current;
    /** A revocation has committed since the current CRL was built. */
    private volatile boolean stale;

    @PostConstruct
    void start() {
        checkSettings(validity, overlap);
        if (!authority.isReady()) {
            return;
        }
        try {
            PublishedCrl crl = regenerate();
            LOG.info(() -> "published " + crl);
        } catch (RuntimeException e) {
            // the node still starts; the refresh job and the first request try again
            LOG.log(Level.WARNING, "cannot publish the CRL at start", e);
        }
    }

    static void checkSettings(Duration validity, Duration overlap) {
        if (validity == null || validity.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalStateException("agentnet.aca.crl.validity must be at least one minute, was " + validity);
        }
        if (overlap == null || overlap.isNegative() || overlap.compareTo(validity) >= 0) {
            throw new IllegalStateException("agentnet.aca.crl.overlap must be zero or more and shorter than "
                    + "agentnet.aca.crl.validity (" + validity + "), was " + overlap);
        }
    }

    public boolean isEnabled() {
        return authority.isReady();
    }

    /**
     * The CRL to serve: the current one, rebuilt first when it is due, stale or missing. Empty
     * when the ACA is not enabled, or when no CRL that lists every revocation could be built.
     */
    public Optional<PublishedCrl> current() {
        if (!authority.isReady()) {
            return Optional.empty();
        }
        PublishedCrl crl = current;
        if (crl == null || stale || crl.isDue(clock.instant(), overlap)) {
            try {
                crl = refreshIfDue().orElse(current);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot rebuild the CRL", e);
                crl = stale ? null : current; // still valid, and it misses no revocation
            }
        }
        return Optional.ofNullable(crl);
    }

    /**
     * A revocation committed that this node's observer did not see (another node made it): the
     * current CRL is not served any more, the next request rebuilds it.
     */
    public void markStale() {
        stale = true;
    }

    /** Rebuilds the CRL when it is due, stale or missing; returns the new one, or empty if the current one was kept. */
    public Optional<PublishedCrl> refreshIfDue() {
        if (!authority.isReady()) {
            return Optional.empty();
        }
        regenerating.lock();
        try {
            PublishedCrl crl = current;
            if (crl != null && !stale && !crl.isDue(clock.instant(), overlap)) {
                return Optional.empty(); // another thread just rebuilt it
            }
            return Optional.of(regenerate());
        } finally {
            regenerating.unlock();
        }
    }

    /** Rebuilds the CRL now, with the next CRL number, from the revocations committed so far. */
    public PublishedCrl regenerate() {
        if (!authority.isReady()) {
            throw new IllegalStateException("the ACA is not enabled on this node");
        }
        regenerating.lock();
        boolean wasStale = stale;
        try {
            stale = false; // revocations committed from here on mark the new CRL stale again
            Instant thisUpdate = clock.instant().truncatedTo(ChronoUnit.SECONDS); // CRL times have whole seconds
            Instant nextUpdate = thisUpdate.plus(validity);
            List<RevokedEntry> entries = revoked.unexpired(thisUpdate);
            long number = takeNumber(thisUpdate, nextUpdate);
            byte[] der = authority.sign(CrlBuilder.prepare(authority.caCertificate(), entries, number, thisUpdate, nextUpdate));
            PublishedCrl crl = new PublishedCrl(der, number, thisUpdate, nextUpdate, entries.size());
            current = crl;
            return crl;
        } catch (RuntimeException | Error e) {
            if (wasStale) {
                stale = true;
            }
            throw e;
        } finally {
            regenerating.unlock();
        }
    }

    /** {@link #regenerate()} on a container thread, outside the caller's transaction context. */
    @Asynchronous
    public Future<PublishedCrl> regenerateAsynchronously() {
        return CompletableFuture.completedFuture(regenerate());
    }

    /** A revocation has committed: the CRL lists it from now on. */
    public void revoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) CertificateRevoked event) {
        if (!authority.isReady()) {
            return;
        }
        stale = true;
        try {
            PublishedCrl crl = asynchronous().regenerateAsynchronously().get(REBUILD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info(() -> "published " + crl + " after revoking " + event.serial());
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "cannot rebuild the CRL after revoking " + event.serial()
                    + "; the next request for it tries again", e.getCause());
        } catch (TimeoutException e) {
            LOG.warning(() -> "the CRL was not rebuilt within " + REBUILD_WAIT + " after revoking " + event.serial()
                    + "; the next request for it tries again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot rebuild the CRL after revoking " + event.serial(), e);
        }
    }

    /** This bean through the container, for asynchronous calls. */
    CrlPublisher asynchronous() {
        return context.getBusinessObject(CrlPublisher.class);
    }

    private long takeNumber(Instant thisUpdate, Instant nextUpdate) {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= NUMBER_ATTEMPTS; attempt++) {
            try {
                return states.next(thisUpdate, nextUpdate);
            } catch (RuntimeException e) { // another node took the number or created the row first
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }
}
