package org.agentnet.node.diagnostics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
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

    /**
     * How long a delivery waits for its probe's row. The probe and the message commit in one XA
     * transaction, but its second phase commits the resources one after the other: the message
     * can be delivered a moment before the row is visible.
     */
    static final Duration ROW_VISIBILITY_WAIT = Duration.ofSeconds(2);

    @Override
    public Outcome deliver(RelayEnvelope envelope, int deliveryCount) {
        RelayProbe probe = awaitProbe(envelope.id());
        if (probe == null) {
            // not committed yet, or removed by retention: try again later; after the last
            // delivery the message is dead-lettered, where a missing probe changes nothing
            LOG.fine(() -> "relay probe " + envelope.id() + " not found (delivery " + deliveryCount + "); to be retried");
            return Outcome.RETRY;
        }
        if (probe.refuses(deliveryCount)) {
            return Outcome.RETRY;
        }
        probe.consumed(clock.instant(), deliveryCount);
        return Outcome.DELIVERED;
    }

    private RelayProbe awaitProbe(String id) {
        long deadline = System.nanoTime() + ROW_VISIBILITY_WAIT.toNanos();
        while (true) {
            RelayProbe probe = probes.findForUpdate(id).orElse(null);
            if (probe != null || System.nanoTime() > deadline) {
                return probe;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    @Override
    public void deadLettered(RelayEnvelope envelope) {
        probes.findForUpdate(envelope.id()).ifPresent(probe -> probe.deadLettered(clock.instant()));
    }
}
