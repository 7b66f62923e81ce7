package org.agentnet.agw.peering;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.agentnet.common.jobs.ScheduledJob;

/**
 * Marks peers that were silent beyond their hold time OFFLINE (draft 3.4.3), every
 * {@code agentnet.jobs.agw-peer-sweep.interval}: they leave the routing table at once, and the
 * agents of their origin are set INAPPLICABLE (not offered by discovery, not routed to), a page per
 * transaction. A peer is seen offline at the latest hold time + this interval after it was last
 * heard from. Work left by a failure is resumed by the next run.
 */
@ApplicationScoped
public class PeerSweepJob implements ScheduledJob {

    public static final String NAME = "agw-peer-sweep";

    private static final Logger LOG = Logger.getLogger(PeerSweepJob.class.getName());

    @EJB
    PeeringService service;

    @EJB
    PeerAgents agents;

    /** Peers whose agents are still to be set INAPPLICABLE, with the position reached. */
    private record Pending(String nodeId, String reason, String afterId) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofSeconds(10);
    }

    @Override
    public void run() {
        for (PeeringService.Silenced silenced : service.sweep()) {
            pending.put(silenced.peerId(), new Pending(silenced.nodeId(), silenced.reason(), ""));
        }
        for (Map.Entry<String, Pending> entry : pending.entrySet()) {
            String peerId = entry.getKey();
            Pending work = entry.getValue();
            boolean stillOffline = service.find(peerId).map(p -> p.status() == PeerStatus.OFFLINE
                    && work.nodeId().equals(p.nodeId())).orElse(false);
            if (!stillOffline) {
                pending.remove(peerId); // back, removed or disconnected: nothing to mark
                continue;
            }
            String after = work.afterId();
            int pages = 0;
            try {
                while (after != null) {
                    after = agents.markInapplicable(peerId, work.nodeId(), after, work.reason());
                    pages++;
                    if (after != null) {
                        pending.put(peerId, new Pending(work.nodeId(), work.reason(), after));
                    }
                }
                pending.remove(peerId);
                int done = pages;
                LOG.info(() -> "peer gateway " + peerId + " OFFLINE: its agents are INAPPLICABLE (" + done + " pages)");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "peer gateway " + peerId + ": agents not all set INAPPLICABLE yet (next sweep)", e);
            }
        }
    }
}
