package org.agentnet.node.diagnostics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;
import org.agentnet.common.jobs.ScheduledJob;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Deletes relay probes older than {@code agentnet.diagnostics.probe-retention}. */
@ApplicationScoped
public class RelayProbeRetentionJob implements ScheduledJob {

    private static final Logger LOG = Logger.getLogger(RelayProbeRetentionJob.class.getName());

    @Inject
    RelayProbeRepository probes;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "agentnet.diagnostics.probe-retention")
    Duration retention;

    @Override
    public String name() {
        return "relay-probe-retention";
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofHours(1);
    }

    @Override
    public void run() {
        int removed = probes.removeRequestedBefore(clock.instant().minus(retention));
        if (removed > 0) {
            LOG.info(() -> "removed " + removed + " relay probes older than " + retention);
        }
    }
}
