package org.agentnet.node.diagnostics;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.time.Clock;
import org.agentnet.agw.relay.RelayEnvelope;
import org.agentnet.agw.relay.RelayQueue;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/** Sends relay probes and reports on them: the operator's end-to-end check of the messaging path. */
@Stateless
public class RelayProbeService {

    @Inject
    RelayProbeRepository probes;

    @Inject
    RelayQueue relayQueue;

    @Inject
    Clock clock;

    /** Records the probe and queues it in one transaction: both happen or neither. */
    public RelayProbe send(String requestedBy, int failDeliveries) {
        if (failDeliveries < 0 || failDeliveries > RelayProbe.MAX_FAIL_DELIVERIES) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED,
                    "failDeliveries must be between 0 and " + RelayProbe.MAX_FAIL_DELIVERIES);
        }
        RelayProbe probe = new RelayProbe(clock.instant(), requestedBy, failDeliveries);
        probes.add(probe);
        relayQueue.send(new RelayEnvelope(RelayProbeHandler.KIND, probe.id(), ""));
        return probe;
    }

    public RelayProbe get(String id) {
        return probes.find(id).orElseThrow(() -> AgentnetException.notFound("relay probe", id));
    }
}
