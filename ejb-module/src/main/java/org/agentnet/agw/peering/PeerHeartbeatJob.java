package org.agentnet.agw.peering;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.jobs.ScheduledJob;

/**
 * Sends every peer a heartbeat (draft 3.4.3) every {@code agentnet.agw.peer.heartbeat.interval}
 * (the job's interval unless {@code agentnet.jobs.agw-peer-heartbeat.interval} says otherwise);
 * a peer not peered yet gets the handshake instead, one that misses summaries gets them: the retry
 * of every failed call to a peer.
 */
@ApplicationScoped
public class PeerHeartbeatJob implements ScheduledJob {

    public static final String NAME = "agw-peer-heartbeat";

    @EJB
    PeeringService service;

    @EJB
    PeerLink link;

    @Inject
    PeeringSettings settings;

    @Inject
    PeerTasks tasks;

    @Inject
    NodeSettings node;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration defaultInterval() {
        return settings.heartbeatInterval();
    }

    @Override
    public void run() {
        if (!node.isEnabled(Component.AGW)) {
            return;
        }
        for (AgwPeer peer : service.list()) {
            if (link.beat(peer.id())) {
                tasks.syncSoon(peer.id()); // one push at a time per peer
            }
        }
    }
}
