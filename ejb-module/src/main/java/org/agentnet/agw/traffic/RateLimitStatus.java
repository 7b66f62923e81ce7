package org.agentnet.agw.traffic;

import jakarta.enterprise.context.RequestScoped;

/**
 * The admission of the current HTTP request, when a limit applied to it: the web module writes it
 * as {@code RateLimit-*} headers on the answer ({@code web/problem/RateLimitHeaders}).
 */
@RequestScoped
public class RateLimitStatus {

    private TrafficControl.Admission admission;

    void admitted(TrafficControl.Admission admission) {
        this.admission = admission;
    }

    /** The admission with its quota; null when no limit applied to this request. */
    public TrafficControl.Admission admission() {
        return admission;
    }
}
