package org.agentnet.web.security;

import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** The TLS client certificate of a request (mutual TLS); Liberty only passes on trusted ones. */
public final class ClientCertificates {

    static final String ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private ClientCertificates() {
    }

    public static Optional<X509Certificate> of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0) {
            return Optional.of(chain[0]);
        }
        return Optional.empty();
    }

    /** The client's whole certificate chain as presented, its own certificate first (empty without one). */
    public static java.util.List<X509Certificate> chainOf(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0) {
            return java.util.List.of(chain);
        }
        return java.util.List.of();
    }
}
