package org.agentnet.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.agentnet.aca.CertificateProfile;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * The one gate of every entry point that agents and gateways call with a TLS client certificate
 * (agent APIs, peer APIs, relay; docs/security.md "Who may call what"): the certificate must pass
 * the node's full check ({@link CertificateVerifier}: chain to the trust bundle, validity,
 * revocation, computed on every request), name an agent or gateway (URI subjectAltName
 * {@code agent://} or {@code agw://}), allow TLS client authentication, and be of the role the
 * endpoint serves. A refusal says why (draft 3.2.1: "failed identity verification"): 401
 * {@code identity-not-verified} for a missing or unusable certificate, 403
 * {@code wrong-certificate-role} for a good certificate of the other role.
 */
@ApplicationScoped
public class VerifiedCallers {

    /** Who an endpoint serves. */
    public enum Role {
        /** An agent, with its ACA agent certificate ({@code agent://}). */
        AGENT("agents (agent:// certificate)"),
        /** A peer gateway, with its ACA gateway certificate ({@code agw://}). */
        GATEWAY("peer gateways (agw:// certificate)"),
        /** The holder of an agent or a gateway certificate. */
        AGENT_OR_GATEWAY("agents and gateways (agent:// or agw:// certificate)");

        private final String audience;

        Role(String audience) {
            this.audience = audience;
        }

        boolean admits(CertificateProfile profile) {
            return this == AGENT_OR_GATEWAY || (this == AGENT) == (profile == CertificateProfile.AGENT);
        }

        /** Whom the endpoint serves, in words for a refusal. */
        public String audience() {
            return audience;
        }
    }

    /** extendedKeyUsage id-kp-clientAuth and anyExtendedKeyUsage (RFC 5280 4.2.1.12). */
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String ANY_USAGE = "2.5.29.37.0";
    private static final int DIGITAL_SIGNATURE = 0;

    /** Most certificates whose fixed facts (identity, key usage) are remembered; the memory is dropped when full. */
    static final int MEMORY = 10_000;

    @Inject
    CertificateVerifier verifier;

    /**
     * What never changes about a certificate, read once: the identity it names, or why it cannot
     * authenticate anyone. A client presents the same certificate on every request, and the
     * subjectAltName and key usage parsers allocate on every call.
     */
    record Fitness(CertifiedIdentity identity, String unfit) {
    }

    private final Map<X509Certificate, Fitness> fitness = new ConcurrentHashMap<>();

    /**
     * The verified identity of the holder of {@code certificate} (the request's TLS client
     * certificate, null without one), if it may call an endpoint that serves {@code role}.
     */
    public CertifiedIdentity identify(X509Certificate certificate, Role role) {
        if (certificate == null) {
            throw new AgentnetException(ProblemType.IDENTITY_NOT_VERIFIED,
                    "this endpoint serves " + role.audience() + ": present the ACA certificate over mutual TLS (HTTPS)");
        }
        // the verdict is computed on every request: a revocation or expiry counts from the next one
        if (verifier.verify(certificate) != CertificateVerifier.Verdict.VALID) {
            CertificateVerifier.Result result = verifier.check(certificate);
            throw new AgentnetException(ProblemType.IDENTITY_NOT_VERIFIED, "the client certificate is "
                    + result.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + result.detail());
        }
        Fitness fit = fitness.get(certificate);
        if (fit == null) {
            fit = fitnessOf(certificate);
            if (fitness.size() >= MEMORY) {
                fitness.clear();
            }
            fitness.put(certificate, fit);
        }
        if (fit.unfit() != null) {
            throw new AgentnetException(ProblemType.IDENTITY_NOT_VERIFIED, fit.unfit());
        }
        CertifiedIdentity identity = fit.identity();
        if (!role.admits(identity.profile())) {
            throw new AgentnetException(ProblemType.WRONG_CERTIFICATE_ROLE, "this endpoint serves " + role.audience()
                    + "; the client certificate names " + identity.uri() + ", a"
                    + (identity.profile() == CertificateProfile.AGENT ? "n agent" : " gateway"));
        }
        return identity;
    }

    /** The identity a certificate names and whether it may authenticate a TLS client. */
    static Fitness fitnessOf(X509Certificate certificate) {
        var identity = CertifiedIdentity.of(certificate);
        if (identity.isEmpty()) {
            return new Fitness(null, "the client certificate names no agent or gateway (no agent:// or agw:// subjectAltName)");
        }
        List<String> usages;
        try {
            usages = certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            usages = null;
        }
        if (usages == null || !(usages.contains(CLIENT_AUTH) || usages.contains(ANY_USAGE))) {
            return new Fitness(null, "the client certificate does not allow TLS client authentication "
                    + "(extendedKeyUsage clientAuth is required)");
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage != null && (keyUsage.length <= DIGITAL_SIGNATURE || !keyUsage[DIGITAL_SIGNATURE])) {
            return new Fitness(null, "the client certificate's key may not sign (keyUsage digitalSignature is required)");
        }
        return new Fitness(identity.get(), null);
    }
}
