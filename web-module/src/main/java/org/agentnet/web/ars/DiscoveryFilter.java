package org.agentnet.web.ars;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.agentnet.agw.traffic.RateLimitStatus;
import org.agentnet.agw.traffic.TrafficControl;
import org.agentnet.ars.DiscoveryQuery;
import org.agentnet.web.LeanRequests;
import org.agentnet.web.problem.ErrorProblemServlet;
import org.agentnet.web.traffic.RateLimitHeaders;

/**
 * The lean path of {@code GET /api/v1/ars/agents} (discovery, the ARS's most frequent request),
 * answered without the JAX-RS runtime, its parameter binding and Bean Validation, with the same
 * contract as {@link AgentResource#discover}: the same {@link Discovery} (caller certificate checked
 * on every request, traffic control, query, cursor, access policies), the same page bytes, the same
 * {@code RateLimit-*} headers and the same problem answers. It takes only the plain case, where the
 * resource's Bean Validation and parameter conversion would pass and its answer would be JSON: a
 * GET over HTTPS without a body or credentials (operators take the resource's way), an Accept that
 * admits {@code application/json} without parameters (or none), and a query string of known
 * parameters, each well-formed percent-encoded UTF-8 without {@code +}, single ones given once,
 * {@code limit} 1-100 in plain digits, {@code cursor} within 400 characters. Anything else goes on
 * to the resource unchanged, so that its answers stay its own.
 */
@WebFilter(filterName = "DiscoveryFilter", urlPatterns = "/api/v1/ars/agents", asyncSupported = true)
public class DiscoveryFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final String PATH = "/api/v1/ars/agents";
    /** The resource's {@code @Size(max = 400)} on the cursor. */
    static final int MAX_CURSOR = 400;

    @Inject
    transient Discovery discovery;

    @Inject
    transient RateLimitStatus rateLimits;

    /** The parameters of a plain discovery request, as the resource would bind them. */
    record Parameters(List<String> capability, List<String> protocol, List<String> language, List<String> domain,
                      List<String> status, String q, int limit, String cursor) {
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Parameters parameters = plain(request) ? parameters(request.getQueryString()) : null;
        if (parameters == null) {
            chain.doFilter(request, response);
            return;
        }
        Discovery.Answer answer;
        try {
            answer = discovery.answer(request, parameters.capability(), parameters.protocol(), parameters.language(),
                    parameters.domain(), parameters.status(), parameters.q(), parameters.limit(), parameters.cursor());
        } catch (RuntimeException e) {
            // as RateLimitHeadersFilter does for the resource: a refusal after admission (403, 400) carries the quota
            TrafficControl.Admission admitted = rateLimits.admission();
            if (admitted != null) {
                RateLimitHeaders.write(admitted, (name, value) -> response.addHeader(name, value.toString()));
            }
            ErrorProblemServlet.write(response, e, request.getRequestURI());
            return;
        }
        RateLimitHeaders.write(answer.admission(), (name, value) -> response.addHeader(name, value.toString()));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setContentLength(answer.page().length);
        response.getOutputStream().write(answer.page());
    }

    /** A GET of exactly the discovery path over HTTPS, without body or credentials, that accepts JSON. */
    static boolean plain(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod()) || !request.isSecure()
                || !PATH.equals(request.getRequestURI().substring(request.getContextPath().length()))) {
            return false;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && !length.strip().equals("0") || request.getHeader("Transfer-Encoding") != null
                || request.getHeader("Content-Type") != null || request.getHeader("Content-Encoding") != null) {
            return false;
        }
        if (request.getHeader("Authorization") != null || request.getUserPrincipal() != null) {
            return false; // an operator: the resource's way
        }
        var accepts = request.getHeaders("Accept");
        while (accepts != null && accepts.hasMoreElements()) {
            if (!LeanRequests.acceptsJson(accepts.nextElement())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The parameters of a query string (raw, as received), when the resource would bind them
     * alike and its Bean Validation would pass; null otherwise.
     */
    static Parameters parameters(String query) {
        List<String> capability = new ArrayList<>();
        List<String> protocol = new ArrayList<>();
        List<String> language = new ArrayList<>();
        List<String> domain = new ArrayList<>();
        List<String> status = new ArrayList<>();
        String q = null;
        String limit = null;
        String cursor = null;
        if (query != null && !query.isEmpty()) {
            for (String part : query.split("&", -1)) {
                int equals = part.indexOf('=');
                if (equals <= 0) {
                    return null; // no name, or no value: the resource's binding decides
                }
                String name = decode(part.substring(0, equals));
                String value = decode(part.substring(equals + 1));
                if (name == null || value == null) {
                    return null;
                }
                switch (name) {
                    case "capability" -> capability.add(value);
                    case "protocol" -> protocol.add(value);
                    case "language" -> language.add(value);
                    case "domain" -> domain.add(value);
                    case "status" -> status.add(value);
                    case "q" -> {
                        if (q != null) {
                            return null;
                        }
                        q = value;
                    }
                    case "limit" -> {
                        if (limit != null) {
                            return null;
                        }
                        limit = value;
                    }
                    case "cursor" -> {
                        if (cursor != null || value.length() > MAX_CURSOR) {
                            return null;
                        }
                        cursor = value;
                    }
                    default -> {
                        // the resource ignores other parameters
                    }
                }
            }
        }
        int size = DiscoveryQuery.DEFAULT_LIMIT;
        if (limit != null) {
            if (limit.isEmpty() || limit.length() > 3 || limit.charAt(0) == '0' || !limit.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            size = Integer.parseInt(limit);
            if (size > DiscoveryQuery.MAX_LIMIT) {
                return null;
            }
        }
        return new Parameters(capability, protocol, language, domain, status, q, size, cursor);
    }

    /**
     * A percent-encoded query component decoded as UTF-8; null for anything the resource might read
     * otherwise: a {@code +}, a character that should have been encoded, a bad escape, bytes that are not UTF-8.
     */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            for (int i = 0; i < raw.length(); i++) {
                if (!unreserved(raw.charAt(i))) {
                    return null;
                }
            }
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (unreserved(c)) {
                bytes.write(c);
            } else {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Characters a query component may hold unencoded here (RFC 3986 unreserved, and the sub-delimiters the API's values use). */
    private static boolean unreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~,:*!'()@/".indexOf(c) >= 0;
    }
}
