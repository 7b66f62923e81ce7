package org.agentnet.agw.access;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.logging.Logger;
import org.agentnet.common.jobs.ScheduledJob;

/**
 * Marks accessed agents that sent no heartbeat within their hold time OFFLINE in the ARS (draft
 * 3.3.1), every {@code agentnet.jobs.agw-heartbeat-sweep.interval}: an agent is seen offline at the
 * latest hold time + this interval after its last heartbeat.
 */
@ApplicationScoped
public class HeartbeatSweepJob implements ScheduledJob {

    public static final String NAME = "agw-heartbeat-sweep";

    private static final Logger LOG = Logger.getLogger(HeartbeatSweepJob.class.getName());

    @EJB
    AgentHeartbeats heartbeats;

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
        HeartbeatTable.Sweep sweep = heartbeats.sweep();
        if (!sweep.silenced().isEmpty() || sweep.failed() > 0) {
            LOG.info(() -> "heartbeat sweep: " + sweep.silenced().size() + " agents silent, now OFFLINE"
                    + (sweep.failed() > 0 ? "; " + sweep.failed() + " could not be set (next sweep)" : ""));
        }
    }
}
