package org.agentnet.web.security;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * Agent, peer and operator APIs are not served over plain HTTP (docs/security.md "TLS"): a request
 * that did not come over TLS gets 403 {@code https-required} before anything else looks at it,
 * unless it is for one of the few public documents that are meant to be fetched over HTTP:
 * <ul>
 * <li>the ACA's CA certificates, CRL and OCSP responder - signed documents whose integrity does not
 * depend on the transport, fetched by relying parties that may not (yet) trust anything to verify a
 * TLS server with (RFC 5280 and RFC 6960 use plain HTTP for them; an https location would need the
 * very revocation check it serves);</li>
 * <li>{@code /api/v1/node} (name, domain, version, components: what a load balancer or an operator
 * probes) and {@code /api/v1/caller} (tells a caller how the node sees it: over HTTP, not secure).</li>
 * </ul>
 * Health ({@code /health}) and the OpenAPI document are Liberty's own endpoints, outside this
 * application, and stay on both ports. An allow-list: an endpoint added later is HTTPS-only unless
 * it is added here.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 200)
public class PlainHttpFilter implements ContainerRequestFilter {

    /** Paths (relative to /api, without a leading slash) served over plain HTTP too; a prefix ends with '/'. */
    static final List<String> PUBLIC = List.of(
            "v1/node", "v1/caller", "v1/aca/ca-certificates", "v1/aca/crl", "v1/aca/ocsp", "v1/aca/ocsp/");

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getSecurityContext().isSecure()) {
            return;
        }
        if (!servedOverPlainHttp(request.getUriInfo().getPath())) {
            throw new AgentnetException(ProblemType.HTTPS_REQUIRED,
                    "this API is served over HTTPS only (mutual TLS for agents and peers); plain HTTP serves only health, "
                            + "the node's description and the ACA's CA certificates, CRL and OCSP");
        }
    }

    static boolean servedOverPlainHttp(String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        for (String segment : relative.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false; // never let a dot segment walk out of a public prefix
            }
        }
        for (String open : PUBLIC) {
            if (open.endsWith("/") ? relative.startsWith(open) && relative.length() > open.length() : relative.equals(open)) {
                return true;
            }
        }
        return false;
    }
}
