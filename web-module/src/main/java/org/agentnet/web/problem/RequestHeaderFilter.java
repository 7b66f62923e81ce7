package org.agentnet.web.problem;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.RuntimeDelegate;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks the request head before the JAX-RS runtime parses it: that runtime answers a header it
 * cannot parse (an Accept or Content-Type that is no media type, a q that is no number, a charset
 * the JVM does not know, a Content-Length beyond an int, a content coding it cannot undo) with an
 * internal error. Here such a request gets a 400, 413 or 415 problem instead; a conditional date
 * that is no HTTP-date is ignored, as RFC 9110 13.1.3 says, and an empty Accept or Content-Type
 * counts as absent. Asynchronous: the inbox's long-poll suspends its request behind this filter.
 */
@WebFilter(filterName = "RequestHeaderFilter", urlPatterns = "/*", asyncSupported = true)
public class RequestHeaderFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Set<String> CONDITIONAL_DATES = Set.of("if-modified-since", "if-unmodified-since");

    @Inject
    @ConfigProperty(name = "agentnet.http.max-body-bytes")
    long maxBodyBytes;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            check(request);
        } catch (AgentnetException refused) {
            ErrorProblemServlet.write(response, Problem.of(refused.type(), refused.detail(), request.getRequestURI()));
            return;
        }
        chain.doFilter(new Cleaned(request), response);
    }

    void check(HttpServletRequest request) {
        RequestBodyLimitFilter.declaredLength(request.getHeader(HttpHeaders.CONTENT_LENGTH), maxBodyBytes);
        for (String accept : Collections.list(request.getHeaders(HttpHeaders.ACCEPT))) {
            checkAccept(accept);
        }
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !contentType.isBlank()) {
            checkContentType(contentType);
        }
        String coding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        if (coding != null && !coding.isBlank() && !coding.strip().equalsIgnoreCase("identity")) {
            throw new AgentnetException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "request bodies are not content-encoded here: send the body as it is, without Content-Encoding");
        }
    }

    static void checkAccept(String header) {
        for (String element : header.split(",")) {
            if (element.isBlank()) {
                continue;
            }
            try {
                MediaType type = MediaType.valueOf(element.strip());
                String q = type.getParameters().get("q");
                if (q != null) {
                    double weight = Double.parseDouble(q);
                    if (!(weight >= 0 && weight <= 1)) {
                        throw new NumberFormatException(q);
                    }
                }
            } catch (IllegalArgumentException notAMediaType) { // NumberFormatException included
                throw new AgentnetException(ProblemType.BAD_REQUEST,
                        "the Accept header is not a list of media types with weights between 0 and 1");
            }
        }
    }

    static void checkContentType(String header) {
        MediaType type;
        try {
            type = MediaType.valueOf(header.strip());
        } catch (IllegalArgumentException notAMediaType) {
            throw new AgentnetException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "the Content-Type header is not a media type");
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null) {
            boolean known;
            try {
                known = Charset.isSupported(charset);
            } catch (IllegalArgumentException illegalName) {
                known = false;
            }
            if (!known) {
                throw new AgentnetException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "the charset of the Content-Type is not supported");
            }
        }
    }

    /** Whether a conditional date is an HTTP-date, as the JAX-RS runtime reads them when it evaluates preconditions. */
    static boolean isHttpDate(String value) {
        try {
            return RuntimeDelegate.getInstance().createHeaderDelegate(Date.class).fromString(value) != null;
        } catch (RuntimeException notADate) {
            return false;
        }
    }

    /** The request without the headers the API treats as absent: empty Accept and Content-Type, conditional dates that are no dates. */
    static final class Cleaned extends HttpServletRequestWrapper {

        Cleaned(HttpServletRequest request) {
            super(request);
        }

        private boolean dropped(String name, String value) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (value == null) {
                return false;
            }
            if (lower.equals("accept") || lower.equals("content-type")) {
                return value.isBlank();
            }
            return CONDITIONAL_DATES.contains(lower) && !isHttpDate(value);
        }

        @Override
        public String getHeader(String name) {
            String value = super.getHeader(name);
            return dropped(name, value) ? null : value;
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            List<String> values = Collections.list(super.getHeaders(name));
            return Collections.enumeration(values.stream().filter(value -> !dropped(name, value)).toList());
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            return Collections.enumeration(names.stream().filter(name -> getHeaders(name).hasMoreElements()).toList());
        }

        @Override
        public long getDateHeader(String name) {
            return getHeader(name) == null ? -1 : super.getDateHeader(name);
        }

        @Override
        public String getContentType() {
            String type = super.getContentType();
            return type == null || type.isBlank() ? null : type;
        }
    }
}
