package org.agentnet.security;

/** No fresh, valid revocation answer (CRL or OCSP response) could be had; the message says why. */
final class RevocationUnavailable extends Exception {

    RevocationUnavailable(String message) {
        super(message, null, false, false);
    }
}
