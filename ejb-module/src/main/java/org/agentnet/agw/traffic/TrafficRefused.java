package org.agentnet.agw.traffic;

import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * A request traffic control refused: {@code 429 too-many-requests}, with the admission that says
 * when to try again and the caller's quota, which the web module writes as {@code Retry-After} and
 * {@code RateLimit-*} headers.
 */
public class TrafficRefused extends AgentnetException {

    private static final long serialVersionUID = 1L;

    private final transient TrafficControl.Admission admission;

    public TrafficRefused(TrafficControl.Admission admission) {
        super(ProblemType.TOO_MANY_REQUESTS, (admission.reason() == null ? "refused by traffic control" : admission.reason())
                + (admission.retryAfterSeconds() > 0 ? "; retry after " + admission.retryAfterSeconds() + " s" : ""));
        this.admission = admission;
    }

    public TrafficControl.Admission admission() {
        return admission;
    }
}
