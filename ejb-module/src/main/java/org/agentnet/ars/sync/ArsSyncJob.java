package org.agentnet.ars.sync;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.jobs.ScheduledJob;

/** The timed pull of every ARS peer's change feed: what notifications missed arrives within one interval. */
@ApplicationScoped
public class ArsSyncJob implements ScheduledJob {

    @EJB
    ArsPeers peers;

    @Inject
    SyncTrigger trigger;

    @Inject
    NodeSettings node;

    @Override
    public String name() {
        return "ars-sync";
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofSeconds(10);
    }

    @Override
    public void run() {
        if (node.isEnabled(Component.ARS)) {
            peers.all().forEach(peer -> trigger.pullSoon(peer.id()));
        }
    }
}
