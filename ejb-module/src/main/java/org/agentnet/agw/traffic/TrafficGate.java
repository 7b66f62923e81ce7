package org.agentnet.agw.traffic;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.inject.Inject;
import org.agentnet.ars.ArsCaller;
import org.agentnet.security.CertifiedIdentity;

/**
 * Asks the {@link TrafficControl} in force and turns a refusal into a {@code 429 too-many-requests}
 * problem ({@link TrafficRefused}). An admission with a quota is kept for the request
 * ({@link RateLimitStatus}), so that the answer carries the {@code RateLimit-*} headers. Discovery,
 * message submission and the peer gateways' synchronization requests call this.
 */
@ApplicationScoped
public class TrafficGate {

    @Inject
    TrafficControl control;

    @Inject
    RateLimitStatus status;

    /** A request of a certified agent or gateway. */
    public TrafficControl.Admission admit(TrafficControl.Kind kind, CertifiedIdentity caller, String target) {
        return decide(TrafficControl.TrafficRequest.of(kind, caller, target));
    }

    /** A request of an ARS caller: operators are asked about too (the control admits them), certified callers by identity. */
    public TrafficControl.Admission admit(TrafficControl.Kind kind, ArsCaller caller) {
        return decide(caller.isOperator() ? TrafficControl.TrafficRequest.operator(kind, caller.operator())
                : TrafficControl.TrafficRequest.of(kind, caller.identity(), null));
    }

    private TrafficControl.Admission decide(TrafficControl.TrafficRequest request) {
        TrafficControl.Admission admission = control.admit(request);
        if (!admission.admitted()) {
            throw new TrafficRefused(admission);
        }
        if (admission.quota() != null) {
            try {
                status.admitted(admission);
            } catch (ContextNotActiveException e) {
                // not an HTTP request: nobody to tell
            }
        }
        return admission;
    }
}
