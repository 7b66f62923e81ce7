package org.agentnet.aca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/** A revoked certificate as a CRL entry or an OCSP "revoked" answer names it. */
public record RevokedEntry(BigInteger serial, Instant revokedAt, RevocationReason reason) {

    public RevokedEntry {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revokedAt, "revokedAt");
        reason = reason == null ? RevocationReason.UNSPECIFIED : reason;
    }

    static RevokedEntry of(IssuedCertificate certificate) {
        return new RevokedEntry(certificate.serialNumber(), certificate.revokedAt(), certificate.revocationReason());
    }
}
