package org.agentnet.web.agw;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.agentnet.agw.access.AgentHeartbeats;
import org.agentnet.agw.access.HeartbeatState;
import org.agentnet.agw.access.HeartbeatTable;
import org.agentnet.web.problem.ErrorProblemServlet;
import org.agentnet.web.security.Callers;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The lean path of {@code PUT /api/v1/agw/agents/{id}/heartbeat} (docs/agw.md "Heartbeats"): the
 * most frequent request of the gateway, answered by this filter without the JAX-RS, CDI request
 * scope and Bean Validation machinery, with the same contract as {@link AgentAccessResource#heartbeat}:
 * the caller's certificate checked on every request ({@link Callers#agent}: cached chain check,
 * validity, in-memory revocation), an agent certificate only, the same body rules and the same
 * problem answers, in the same order (body rules, then the caller, then the status name, then the
 * heartbeat table). It takes the plain case only: a PUT of an {@code application/json} body of at
 * most 1 KB that is a JSON object of {@code status} and an optional {@code detail}, both strings
 * within their lengths (operator credentials do not count: heartbeats are the agent's own). Anything else
 * (another media type, a larger or malformed body, other fields) goes on to the JAX-RS resource unchanged, with the body
 * bytes already read, so that its answers stay the resource's own.
 */
@WebFilter(filterName = "HeartbeatFilter", urlPatterns = "/api/v1/agw/agents/*", asyncSupported = true)
public class HeartbeatFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "/api/v1/agw/agents/";
    private static final String SUFFIX = "/heartbeat";
    /** Larger bodies are left to the resource (and its body limit). */
    static final int LEAN_BODY_BYTES = 1024;
    /** Looked up once: {@code Json.createReader} looks the provider up (ServiceLoader) on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    transient Callers callers;

    @EJB
    transient AgentHeartbeats heartbeats;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = heartbeatAgentId(request);
        if (id == null || !isJson(request.getContentType())
                || request.getContentLengthLong() > LEAN_BODY_BYTES) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(LEAN_BODY_BYTES + 1);
        JsonObject json = body.length <= LEAN_BODY_BYTES ? plainHeartbeat(body) : null;
        if (json == null) {
            chain.doFilter(new ReadBody(request, body), response);
            return;
        }
        try {
            var identity = callers.agent(request);
            JsonValue detail = json.get("detail");
            heartbeats.beat(id, identity.uri(), AgentAccessResource.status(json.getString("status")),
                    detail instanceof JsonString text ? text.getString() : null);
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } catch (RuntimeException e) {
            ErrorProblemServlet.write(response, e, request.getRequestURI());
        }
    }

    /** The agent ID of a PUT to {@code /api/v1/agw/agents/{id}/heartbeat}, or null for any other request. */
    static String heartbeatAgentId(HttpServletRequest request) {
        if (!"PUT".equals(request.getMethod())) {
            return null;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX) || path.length() <= PREFIX.length() + SUFFIX.length()) {
            return null;
        }
        String id = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
        // one plain path segment; encoded or odd IDs take the resource's way
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                return null;
            }
        }
        return id;
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT).strip();
        int semicolon = type.indexOf(';');
        if (semicolon >= 0) {
            String parameters = type.substring(semicolon + 1).replace(" ", "");
            if (!parameters.isEmpty() && !parameters.equals("charset=utf-8")) {
                return false;
            }
            type = type.substring(0, semicolon).strip();
        }
        return type.equals("application/json");
    }

    /**
     * The body as a JSON object of a string {@code status} and an optional string {@code detail},
     * within the resource's Bean Validation limits (which it checks before the caller); null otherwise.
     */
    static JsonObject plainHeartbeat(byte[] body) {
        try (JsonReader reader = JSON.createReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8))) {
            JsonValue value = reader.readValue();
            if (!(value instanceof JsonObject object) || !(object.get("status") instanceof JsonString status)
                    || status.getString().isBlank() || status.getString().length() > 32) {
                return null;
            }
            for (var field : object.entrySet()) {
                boolean known = field.getKey().equals("status")
                        || field.getKey().equals("detail") && field.getValue() instanceof JsonString detail
                                && detail.getString().length() <= HeartbeatTable.MAX_DETAIL;
                if (!known) {
                    return null;
                }
            }
            return object;
        } catch (RuntimeException e) {
            return null; // not JSON: the resource answers it
        }
    }

    /** The request with its body, already read here, to be read again by the resource. */
    private static final class ReadBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            InputStream rest = super.getInputStream();
            ByteArrayInputStream read = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                private boolean inBody = true;

                @Override
                public int read() throws IOException {
                    if (inBody) {
                        int b = read.read();
                        if (b >= 0) {
                            return b;
                        }
                        inBody = false;
                    }
                    return rest.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (length == 0) {
                        return 0;
                    }
                    if (inBody) {
                        int n = read.read(buffer, offset, length);
                        if (n > 0) {
                            return n;
                        }
                        inBody = false;
                    }
                    return rest.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return !inBody && ((ServletInputStream) rest).isFinished();
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("not asynchronous");
                }
            };
        }

        @Override
        public BufferedReader getReader() throws IOException {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
