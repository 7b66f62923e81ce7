package org.agentnet.ars.sync;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.jobs.ScheduledJob;

/** Compares what is held for each ARS peer with the peer's digest and repairs a difference (anti-entropy). */
@ApplicationScoped
public class ArsAntiEntropyJob implements ScheduledJob {

    @EJB
    ArsPeers peers;

    @EJB
    ArsSynchronizer synchronizer;

    @Inject
    NodeSettings node;

    @Override
    public String name() {
        return "ars-anti-entropy";
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofMinutes(1);
    }

    @Override
    public void run() {
        if (node.isEnabled(Component.ARS)) {
            peers.all().forEach(peer -> synchronizer.checkConsistency(peer.id()));
        }
    }
}
