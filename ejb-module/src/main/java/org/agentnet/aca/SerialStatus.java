package org.agentnet.aca;

import java.util.Objects;

/**
 * What the ACA knows of a serial number it is asked about (OCSP, RFC 6960 2.2): issued and not
 * revoked (good, expired or not), revoked, or never issued by this CA (unknown).
 */
public record SerialStatus(State state, RevokedEntry revocation) {

    public enum State { GOOD, REVOKED, UNKNOWN }

    public static final SerialStatus GOOD = new SerialStatus(State.GOOD, null);
    public static final SerialStatus UNKNOWN = new SerialStatus(State.UNKNOWN, null);

    public SerialStatus {
        Objects.requireNonNull(state, "state");
        if ((state == State.REVOKED) != (revocation != null)) {
            throw new IllegalArgumentException("a revocation goes with the state REVOKED, and only with it");
        }
    }

    public static SerialStatus revoked(RevokedEntry revocation) {
        return new SerialStatus(State.REVOKED, Objects.requireNonNull(revocation));
    }

    static SerialStatus of(IssuedCertificate certificate) {
        if (certificate == null) {
            return UNKNOWN;
        }
        return certificate.revokedAt() == null ? GOOD : revoked(RevokedEntry.of(certificate));
    }
}
