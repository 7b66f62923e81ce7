package org.agentnet.agw.message;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.logging.Logger;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.jobs.ScheduledJob;
import jakarta.inject.Inject;

/**
 * The relay's safety net (docs/agw.md "Crash safety"): every
 * {@code agentnet.jobs.agw-relay-recovery.interval} it puts ACCEPTED messages whose try is overdue by
 * more than {@code agentnet.agw.relay.recovery-grace} back on the relay queue. The row and its queue
 * entry commit together, so this finds nothing unless a queue entry was lost (a messaging store
 * discarded, a message moved by an operator); a duplicate entry it makes is recognised and dropped.
 */
@ApplicationScoped
public class RelayRecoveryJob implements ScheduledJob {

    public static final String NAME = "agw-relay-recovery";
    private static final Logger LOG = Logger.getLogger(RelayRecoveryJob.class.getName());
    private static final int BATCH = 500;

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
        return Duration.ofMinutes(1);
    }

    @Override
    public void run() {
        if (!node.isEnabled(Component.AGW)) {
            return;
        }
        int requeued = messages.requeueOverdue(BATCH);
        if (requeued > 0) {
            LOG.warning(() -> "relay recovery: " + requeued + " overdue messages put back on the relay queue");
        }
    }
}
