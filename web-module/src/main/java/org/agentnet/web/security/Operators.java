package org.agentnet.web.security;

import jakarta.ws.rs.core.SecurityContext;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * The check of an operator action outside {@code /api/v1/admin} (which web.xml guards): an
 * authenticated identity with the role {@code admin}, over TLS so that credentials never cross
 * the network in clear.
 */
public final class Operators {

    public static final String ROLE = "admin";

    private Operators() {
    }

    /** The operator's name; a 401 or 403 problem when the caller is not an operator over HTTPS. */
    public static String require(SecurityContext security) {
        if (security.getUserPrincipal() == null) {
            throw new AgentnetException(ProblemType.UNAUTHORIZED, "operator credentials are required");
        }
        if (!security.isUserInRole(ROLE)) {
            throw new AgentnetException(ProblemType.FORBIDDEN, "only operators may do this");
        }
        if (!security.isSecure()) {
            throw new AgentnetException(ProblemType.FORBIDDEN, "operator actions need HTTPS");
        }
        return security.getUserPrincipal().getName();
    }
}
