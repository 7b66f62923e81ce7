package org.agentnet.agw.message;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.jobs.ScheduledJob;
import jakarta.inject.Inject;

/**
 * The relay's safety net (docs/agw.md "Crash safety"): every
 * {@code agentnet.jobs.agw-relay-recovery.interval} (and when an operator runs it) it has the
 * dispatcher look for due messages and owed receipts at once, besides its own polls every
 * {@code agentnet.agw.relay.poll-interval}: ACCEPTED messages whose try is due, among them those whose
 * claim ran out (a node that died while it held them).
 */
@ApplicationScoped
public class RelayRecoveryJob implements ScheduledJob {

    public static final String NAME = "agw-relay-recovery";

    @EJB
    RelayDispatcher dispatcher;

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
        if (node.isEnabled(Component.AGW)) {
            dispatcher.pollNow();
        }
    }
}
