package org.agentnet.aca;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.jobs.ScheduledJob;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Marks certificates that have expired (an EXPIRED entry in the audit trail, once each) and
 * warns about those that expire within {@code agentnet.aca.expiry.warning}; operators list the
 * latter with {@code GET /api/v1/aca/certificates?expiringWithin=P7D}.
 */
@ApplicationScoped
public class CertificateExpiryJob implements ScheduledJob {

    private static final Logger LOG = Logger.getLogger(CertificateExpiryJob.class.getName());
    static final int BATCH = 500;

    @EJB
    CertificateExpiry expiry;

    @EJB
    IssuedCertificates certificates;

    @Inject
    NodeSettings node;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "agentnet.aca.expiry.warning")
    Duration warning;

    @Override
    public String name() {
        return "aca-certificate-expiry";
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofHours(1);
    }

    @Override
    public void run() {
        if (!node.isEnabled(Component.ACA)) {
            return;
        }
        int marked;
        int total = 0;
        do {
            marked = expiry.markExpired(BATCH);
            total += marked;
        } while (marked == BATCH);
        Instant now = clock.instant();
        List<IssuedCertificate> soon = certificates.expiringBetween(now, now.plus(warning), BATCH);
        int expired = total;
        if (expired > 0 || !soon.isEmpty()) {
            LOG.info(() -> expired + " certificates expired since the last run; " + soon.size()
                    + " expire within " + warning);
        }
    }
}
