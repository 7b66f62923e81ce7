package org.agentnet.security;

/**
 * What a revocation source (another domain's CRL or OCSP responder) says of one certificate:
 * GOOD, REVOKED, or UNKNOWN when it gave no usable answer; {@code detail} says why (the reason
 * code, or what failed), and is what {@code GET /api/v1/caller} shows as {@code verdictDetail}.
 */
public record RevocationAnswer(Status status, String detail) {

    public enum Status { GOOD, REVOKED, UNKNOWN }
}
