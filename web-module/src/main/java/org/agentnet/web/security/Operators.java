package org.agentnet.web.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
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
        return require(security.getUserPrincipal(), security.isUserInRole(ROLE), security.isSecure());
    }

    /** As {@link #require(SecurityContext)}, for code that holds the servlet request (filters, {@link Callers}). */
    public static String require(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        return require(principal, principal != null && request.isUserInRole(ROLE), request.isSecure());
    }

    private static String require(Principal principal, boolean admin, boolean secure) {
        if (principal == null) {
            throw new AgentnetException(ProblemType.UNAUTHORIZED, "operator credentials are required");
        }
        if (!admin) {
            throw new AgentnetException(ProblemType.FORBIDDEN, "only operators (role " + ROLE + ") may do this");
        }
        if (!secure) {
            throw new AgentnetException(ProblemType.FORBIDDEN, "operator actions need HTTPS");
        }
        return principal.getName();
    }
}
