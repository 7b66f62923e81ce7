package org.agentnet.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.agentnet.ars.ArsCaller;
import org.agentnet.security.CertifiedIdentity;
import org.agentnet.security.VerifiedCallers;
import org.agentnet.security.VerifiedCallers.Role;

/**
 * Who calls an endpoint, as that endpoint authenticates its audience (docs/security.md "Who may
 * call what"): every REST resource and servlet filter that agents or gateways call asks here, so
 * that the certificate check ({@link VerifiedCallers}) and the role are the same everywhere.
 *
 * <ul>
 * <li>{@link #agent}, {@link #gateway}, {@link #holder}: a TLS client certificate of that role
 *     only; operator credentials do not count there.</li>
 * <li>{@code ...OrOperator}: a request with credentials (basic) is an operator's and must hold
 *     the role {@code admin} over HTTPS ({@link Operators}); without, the certificate of the role.</li>
 * </ul>
 */
@ApplicationScoped
public class Callers {

    @Inject
    VerifiedCallers verified;

    /** An agent (agent:// certificate). */
    public CertifiedIdentity agent(HttpServletRequest request) {
        return verified.identify(ClientCertificates.of(request).orElse(null), Role.AGENT);
    }

    /** A gateway (agw:// certificate): peer gateways and peer ARSs. */
    public CertifiedIdentity gateway(HttpServletRequest request) {
        return verified.identify(ClientCertificates.of(request).orElse(null), Role.GATEWAY);
    }

    /** The holder of an agent or gateway certificate. */
    public CertifiedIdentity holder(HttpServletRequest request) {
        return verified.identify(ClientCertificates.of(request).orElse(null), Role.AGENT_OR_GATEWAY);
    }

    /** An operator, or an agent. */
    public ArsCaller agentOrOperator(HttpServletRequest request) {
        return orOperator(request, Role.AGENT);
    }

    /** An operator, or a gateway. */
    public ArsCaller gatewayOrOperator(HttpServletRequest request) {
        return orOperator(request, Role.GATEWAY);
    }

    /** An operator, or the holder of an agent or gateway certificate. */
    public ArsCaller holderOrOperator(HttpServletRequest request) {
        return orOperator(request, Role.AGENT_OR_GATEWAY);
    }

    private ArsCaller orOperator(HttpServletRequest request, Role role) {
        if (request.getUserPrincipal() != null) {
            return ArsCaller.operator(Operators.require(request));
        }
        return ArsCaller.holder(verified.identify(ClientCertificates.of(request).orElse(null), role));
    }
}
