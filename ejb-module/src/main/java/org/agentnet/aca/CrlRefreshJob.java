package org.agentnet.aca;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.logging.Logger;
import org.agentnet.common.jobs.ScheduledJob;

/**
 * Issues the next CRL before the current one runs out: when now + {@code agentnet.aca.crl.overlap}
 * reaches its nextUpdate (EJBCA's rule). Runs every {@code agentnet.jobs.aca-crl-refresh.interval},
 * which should be well below the overlap so that a CRL is always replaced before it expires.
 */
@ApplicationScoped
public class CrlRefreshJob implements ScheduledJob {

    public static final String NAME = "aca-crl-refresh";

    private static final Logger LOG = Logger.getLogger(CrlRefreshJob.class.getName());

    @EJB
    CrlPublisher publisher;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofMinutes(15);
    }

    @Override
    public void run() {
        if (!publisher.isEnabled()) {
            return;
        }
        publisher.refreshIfDue().ifPresent(crl -> LOG.info(() -> "published " + crl + " (the previous one was due)"));
    }
}
