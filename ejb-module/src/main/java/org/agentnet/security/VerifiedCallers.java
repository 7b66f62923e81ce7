package org.agentnet.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.cert.X509Certificate;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * Turns a TLS client certificate into the identity it names, after the node's full check
 * ({@link CertificateVerifier}: chain, validity, revocation): the gate of every component that
 * authenticates agents and gateways by mutual TLS. A refusal says why (draft 3.2.1: "failed
 * identity verification").
 */
@ApplicationScoped
public class VerifiedCallers {

    @Inject
    CertificateVerifier verifier;

    public CertifiedIdentity identify(X509Certificate certificate) {
        if (certificate == null) {
            throw new AgentnetException(ProblemType.IDENTITY_NOT_VERIFIED,
                    "present the agent's ACA certificate (mutual TLS over HTTPS)");
        }
        CertificateVerifier.Verdict verdict = verifier.verify(certificate);
        if (verdict != CertificateVerifier.Verdict.VALID) {
            throw new AgentnetException(ProblemType.IDENTITY_NOT_VERIFIED,
                    "the client certificate is " + verdict.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
        return CertifiedIdentity.of(certificate).orElseThrow(() -> new AgentnetException(ProblemType.IDENTITY_NOT_VERIFIED,
                "the client certificate names no agent or gateway (no agent:// or agw:// subjectAltName)"));
    }
}
