package org.agentnet.aca;

/** An application and, once issued, its certificate. */
public record ApplicationOutcome(CertificateApplication application, IssuedCertificate certificate) {
}
