package org.agentnet.security;

import java.util.List;
import javax.net.ssl.SSLParameters;

/**
 * The TLS the node speaks when it calls out to peers and agents: TLS 1.3 and 1.2 only, forward
 * secrecy and AEAD ciphers only - the same list its listeners accept ({@code agentnet.tls.ciphers}
 * in liberty-config/server.xml; docs/security.md "TLS"). A peer or agent endpoint that offers
 * nothing of it is not called.
 */
public final class TlsPolicy {

    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsPolicy() {
    }

    /** Fresh parameters with these protocols and suites (for {@code HttpClient.Builder.sslParameters}). */
    public static SSLParameters parameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        parameters.setCipherSuites(CIPHER_SUITES.toArray(String[]::new));
        return parameters;
    }
}
