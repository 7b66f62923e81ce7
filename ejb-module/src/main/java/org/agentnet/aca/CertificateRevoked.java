package org.agentnet.aca;

import java.time.Instant;

/**
 * Fired (CDI event) when the ACA revokes a certificate, after the revocation has committed
 * (observers use {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)}): the CRL is
 * regenerated and every check of the node refuses the certificate from the next request on.
 */
public record CertificateRevoked(String serial, RevocationReason reason, Instant revokedAt) {
}
