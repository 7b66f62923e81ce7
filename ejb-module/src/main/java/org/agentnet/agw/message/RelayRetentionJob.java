package org.agentnet.agw.message;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Logger;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.jobs.ScheduledJob;

/**
 * Keeps the message table bounded (docs/agw.md "Retries and failure"): every
 * {@code agentnet.jobs.agw-relay-retention.interval} it deletes settled messages (FORWARDED,
 * DELIVERED, FAILED) unchanged for longer than {@code agentnet.agw.relay.retention}, in batches. The
 * retention is longer than any retry of a message, so a peer never repeats a message this gateway
 * has forgotten. Messages in an inbox or still being tried are kept.
 */
@ApplicationScoped
public class RelayRetentionJob implements ScheduledJob {

    public static final String NAME = "agw-relay-retention";
    private static final Logger LOG = Logger.getLogger(RelayRetentionJob.class.getName());
    private static final int BATCH = 1000;
    private static final int MAX_BATCHES = 100;

    @EJB
    MessageService messages;

    @Inject
    NodeSettings node;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofHours(1);
    }

    @Override
    public void run() {
        if (!node.isEnabled(Component.AGW)) {
            return;
        }
        int total = 0;
        for (int i = 0; i < MAX_BATCHES; i++) {
            int deleted = messages.forgetSettled(BATCH);
            total += deleted;
            if (deleted < BATCH) {
                break;
            }
        }
        int forgotten = total;
        if (forgotten > 0) {
            LOG.info(() -> "relay retention: " + forgotten + " settled messages forgotten");
        }
    }
}
