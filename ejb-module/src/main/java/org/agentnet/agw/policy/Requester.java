package org.agentnet.agw.policy;

import java.util.Locale;
import org.agentnet.security.CertifiedIdentity;

/**
 * Who asks, as policies see it: the identity of a verified certificate (an agent or a gateway),
 * its URI ({@code agent://<domain>/<organization>/<name>}) and domain.
 */
public record Requester(String uri, String domain) {

    public Requester {
        domain = domain.toLowerCase(Locale.ROOT);
    }

    public static Requester of(CertifiedIdentity identity) {
        return new Requester(identity.uri(), identity.domain());
    }
}
