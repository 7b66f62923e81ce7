package org.agentnet.agw.traffic;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * Asks the {@link TrafficControl} in force and turns a refusal into a {@code 429 too-many-requests}
 * problem (its detail names when to try again). Discovery and message submission call this.
 */
@ApplicationScoped
public class TrafficGate {

    @Inject
    TrafficControl control;

    public void admit(TrafficControl.Kind kind, String caller, String target) {
        TrafficControl.Admission admission = control.admit(new TrafficControl.TrafficRequest(kind, caller, target));
        if (!admission.admitted()) {
            throw new AgentnetException(ProblemType.TOO_MANY_REQUESTS, (admission.reason() == null ? "refused by traffic control"
                    : admission.reason()) + (admission.retryAfterSeconds() > 0 ? "; retry after " + admission.retryAfterSeconds() + " s" : ""));
        }
    }
}
