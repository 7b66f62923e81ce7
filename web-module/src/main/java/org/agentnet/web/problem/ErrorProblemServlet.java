package org.agentnet.web.problem;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.agentnet.agw.traffic.TrafficRefused;
import org.agentnet.common.error.ProblemType;
import org.agentnet.web.traffic.RateLimitHeaders;

/**
 * The error page of the web container (web.xml): what the container answers by itself, such as a
 * path that no servlet serves or a failed authentication, leaves as problem+json too.
 */
@WebServlet(name = "ErrorProblemServlet", urlPatterns = "/error-problem")
public class ErrorProblemServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Jsonb JSONB = JsonbBuilder.create();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String instance = uri == null ? request.getRequestURI() : uri.toString();
        int status = code instanceof Integer i ? i : HttpServletResponse.SC_NOT_FOUND;
        Problem problem;
        if (status < 500 || failure == null) {
            // the container already chose the status (its exception, if any, only explains it)
            problem = Problem.of(ProblemType.forStatus(status), detailFor(status, instance, request), instance);
        } else {
            problem = ProblemExceptionMapper.problemFor(failure, instance);
        }
        write(response, problem);
    }

    /**
     * Answers a failure of a servlet-level lean path (a filter that answers a request without the
     * JAX-RS resource) as {@link ProblemExceptionMapper} answers it for the resource: the same
     * problem, with the {@code RateLimit-*} and {@code Retry-After} headers of a traffic refusal.
     */
    public static void write(HttpServletResponse response, RuntimeException failure, String instance) throws IOException {
        TrafficRefused refused = ProblemExceptionMapper.find(failure, TrafficRefused.class);
        if (refused != null && refused.admission() != null) {
            RateLimitHeaders.write(refused.admission(), (name, value) -> response.addHeader(name, value.toString()));
        }
        Problem problem = ProblemExceptionMapper.problemFor(failure, instance);
        // as the JAX-RS runtime writes it: UTF-8 JSON, the media type without a charset parameter
        byte[] body = JSONB.toJson(problem).getBytes(StandardCharsets.UTF_8);
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Answers with the problem (its status, application/problem+json). */
    static void write(HttpServletResponse response, Problem problem) throws IOException {
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSONB.toJson(problem));
    }

    private static String detailFor(int status, String instance, HttpServletRequest request) {
        return switch (status) {
            case 401 -> "Authentication is required for " + instance;
            case 403 -> request.isSecure() || request.getUserPrincipal() != null
                    ? "The authenticated identity may not access " + instance
                    : "Access to " + instance + " requires HTTPS and an authorized identity";
            case 404 -> "There is no resource at " + instance;
            case 405 -> "The resource at " + instance + " does not support this method";
            default -> "The request to " + instance + " cannot be processed (HTTP " + status + ")";
        };
    }
}
