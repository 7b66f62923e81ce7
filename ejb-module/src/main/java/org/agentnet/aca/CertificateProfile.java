package org.agentnet.aca;

/** What a certificate is for: an agent (TLS client) or a gateway (TLS client and server). */
public enum CertificateProfile {
    AGENT("agent"),
    GATEWAY("agw");

    private final String uriScheme;

    CertificateProfile(String uriScheme) {
        this.uriScheme = uriScheme;
    }

    /** Scheme of the URI subjectAltName that names the holder (docs/aca.md). */
    public String uriScheme() {
        return uriScheme;
    }
}
