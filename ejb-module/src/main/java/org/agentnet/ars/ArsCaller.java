package org.agentnet.ars;

import org.agentnet.aca.CertificateProfile;
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

    /** Whether the caller is the agent of this identity URI. */
    public boolean is(String agentUri) {
        return isAgent() && identity.uri().equals(agentUri);
    }

    /** How the caller appears in status reasons and logs. */
    public String actor() {
        return isOperator() ? "operator " + operator : identity.uri();
    }
}
