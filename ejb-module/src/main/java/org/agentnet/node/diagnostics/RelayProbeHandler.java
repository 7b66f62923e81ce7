package org.agentnet.node.diagnostics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.logging.Logger;
import org.agentnet.agw.relay.RelayEnvelope;
import org.agentnet.agw.relay.RelayMessageHandler;

/** Settles relay probes as the relay consumers deliver or dead-letter them. */
@ApplicationScoped
public class RelayProbeHandler implements RelayMessageHandler {

    static final String KIND = "diagnostics.relay-probe";

    private static final Logger LOG = Logger.getLogger(RelayProbeHandler.class.getName());

    @Inject
    RelayProbeRepository probes;

    @Inject
    Clock clock;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Outcome deliver(RelayEnvelope envelope, int deliveryCount) {
        RelayProbe probe = probes.findForUpdate(envelope.id()).orElse(null);
        if (probe == null) {
            LOG.fine(() -> "relay probe " + envelope.id() + " no longer exists; message dropped");
            return Outcome.DELIVERED;
        }
        if (probe.refuses(deliveryCount)) {
            return Outcome.RETRY;
        }
        probe.consumed(clock.instant(), deliveryCount);
        return Outcome.DELIVERED;
    }

    @Override
    public void deadLettered(RelayEnvelope envelope) {
        probes.findForUpdate(envelope.id()).ifPresent(probe -> probe.deadLettered(clock.instant()));
    }
}
