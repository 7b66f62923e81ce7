package org.agentnet.web.agw;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.agentnet.agw.access.AgentHeartbeats;
import org.agentnet.agw.access.HeartbeatState;
import org.agentnet.agw.access.HeartbeatTable;
import org.agentnet.web.LeanRequests;
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

    @Inject
    transient Callers callers;

    @EJB
    transient AgentHeartbeats heartbeats;

    /** The heartbeat table's plain path, asked of the bean once (AgentHeartbeats.Beats: no EJB call per heartbeat). */
    private transient volatile AgentHeartbeats.Beats beats;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = heartbeatAgentId(request);
        if (id == null || !LeanRequests.isJson(request.getContentType())
                || request.getContentLengthLong() > LEAN_BODY_BYTES) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(LEAN_BODY_BYTES + 1);
        JsonObject json = body.length <= LEAN_BODY_BYTES ? plainHeartbeat(body) : null;
        if (json == null) {
            chain.doFilter(LeanRequests.withBody(request, body), response);
            return;
        }
        try {
            var identity = callers.agent(request);
            JsonValue detail = json.get("detail");
            AgentHeartbeats.Beats direct = beats;
            if (direct == null) {
                direct = heartbeats.beats();
                beats = direct;
            }
            direct.beat(id, identity.uri(), AgentAccessResource.status(json.getString("status")),
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

    /**
     * The body as a JSON object of a string {@code status} and an optional string {@code detail},
     * within the resource's Bean Validation limits (which it checks before the caller); null otherwise.
     */
    static JsonObject plainHeartbeat(byte[] body) {
        try (JsonReader reader = LeanRequests.JSON.createReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8))) {
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
}
