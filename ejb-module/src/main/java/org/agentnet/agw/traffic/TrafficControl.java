package org.agentnet.agw.traffic;

/**
 * The one place where the gateway's traffic control (draft 2.1 "security, traffic control"; the
 * security issue) decides whether a request may pass: every discovery request
 * ({@code GET /api/v1/ars/agents}) and every message submission ({@code POST /api/v1/agw/messages})
 * asks it before any work is done. The default bean, {@link AdmitAll}, admits everything; a
 * rate limiter replaces it by an {@code @Alternative @Priority} bean implementing this interface
 * (docs/agw.md "Traffic-control hook").
 */
public interface TrafficControl {

    /** What is asked for. */
    enum Kind { DISCOVERY, MESSAGE }

    /**
     * One request: its kind, the caller (an agent:// or agw:// URI, or "operator:<name>"), and for a
     * message its target agent ID (null for discovery).
     */
    record TrafficRequest(Kind kind, String caller, String target) {
    }

    /** The decision: admitted, or refused with a reason and when to try again (seconds, 0 if unknown). */
    record Admission(boolean admitted, String reason, long retryAfterSeconds) {

        public static final Admission ADMITTED = new Admission(true, null, 0);

        public static Admission refused(String reason, long retryAfterSeconds) {
            return new Admission(false, reason, retryAfterSeconds);
        }
    }

    Admission admit(TrafficRequest request);
}
