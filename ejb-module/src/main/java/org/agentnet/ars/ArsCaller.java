package org.agentnet.ars;

import org.agentnet.aca.CertificateProfile;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.security.CertifiedIdentity;

/**
 * Who calls the ARS: an operator (by name) or the holder of a verified agent or gateway
 * certificate (made by {@link org.agentnet.security.VerifiedCallers}, never from unchecked input).
 */
public record ArsCaller(String operator, CertifiedIdentity identity) {

    public static ArsCaller operator(String name) {
        return new ArsCaller(name, null);
    }

    public static ArsCaller holder(CertifiedIdentity identity) {
        return new ArsCaller(null, identity);
    }

    public boolean isOperator() {
        return operator != null;
    }

    public boolean isGateway() {
        return identity != null && identity.profile() == CertificateProfile.GATEWAY;
    }

    public boolean isAgent() {
        return identity != null && identity.profile() == CertificateProfile.AGENT;
    }

    /** This caller, when it is an agent; only agents register (themselves). */
    public ArsCaller requireAgent() {
        if (!isAgent()) {
            throw new AgentnetException(ProblemType.IDENTITY_NOT_VERIFIED,
                    "an agent registers itself, authenticated by its ACA agent certificate (mutual TLS)");
        }
        return this;
    }

    /** Whether the caller is the agent of this identity URI. */
    public boolean is(String agentUri) {
        return isAgent() && identity.uri().equals(agentUri);
    }

    /** How the caller appears in status reasons and logs. */
    public String actor() {
        return isOperator() ? "operator " + operator : identity.uri();
    }
}
