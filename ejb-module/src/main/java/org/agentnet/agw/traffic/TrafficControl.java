package org.agentnet.agw.traffic;

import org.agentnet.security.CertifiedIdentity;

/**
 * The one place where the gateway's traffic control (draft 2.1 "security, traffic control") decides
 * whether a request may pass: every discovery request ({@code GET /api/v1/ars/agents}), every message
 * submission ({@code POST /api/v1/agw/messages}) and every synchronization request of a peer gateway
 * (AGW peering, the ARS change feed) asks it before any work is done. The bean in force is
 * {@link TokenBucketLimits} (docs/agw.md "Traffic control"); another policy replaces it by an
 * {@code @Alternative @Priority} bean implementing this interface.
 */
public interface TrafficControl {

    /** What is asked for; each kind has its own limit (the key segment of its settings). */
    enum Kind {
        DISCOVERY("discovery"), MESSAGE("message"), PEER_SYNC("peer-sync");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        /** The segment naming the kind in settings, metrics and bucket keys. */
        public String key() {
            return key;
        }
    }

    /**
     * One request: its kind, the caller's authenticated identity (the agent:// or agw:// URI of its
     * verified certificate, with the domain and organization the certificate names), or an operator
     * (identity null, {@code caller} "operator &lt;name&gt;"), and for a message its target agent ID.
     */
    record TrafficRequest(Kind kind, String caller, String domain, String organization, String target) {

        public static TrafficRequest of(Kind kind, CertifiedIdentity identity, String target) {
            return new TrafficRequest(kind, identity.uri(), identity.domain(), identity.organization(), target);
        }

        public static TrafficRequest operator(Kind kind, String name) {
            return new TrafficRequest(kind, "operator " + name, null, null, null);
        }

        /** Whether the caller authenticated with a certificate (operators are not limited). */
        public boolean certified() {
            return domain != null;
        }
    }

    /**
     * Where the caller stands with its limit (draft-ietf-httpapi-ratelimit-headers): the limit
     * (tokens per window), what is left, the seconds until the bucket is full again, the window.
     */
    record Quota(long limit, long remaining, long resetSeconds, long windowSeconds) {
    }

    /**
     * The decision: admitted, or refused with a reason and when to try again (seconds, 0 if unknown);
     * with the caller's quota when a limit applied (null when none did).
     */
    record Admission(boolean admitted, String reason, long retryAfterSeconds, Quota quota) {

        public static final Admission ADMITTED = new Admission(true, null, 0, null);

        public static Admission admitted(Quota quota) {
            return new Admission(true, null, 0, quota);
        }

        public static Admission refused(String reason, long retryAfterSeconds, Quota quota) {
            return new Admission(false, reason, retryAfterSeconds, quota);
        }
    }

    Admission admit(TrafficRequest request);
}
