package org.agentnet.web.problem;

import jakarta.ejb.EJBException;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.agentnet.agw.traffic.TrafficRefused;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.web.traffic.RateLimitHeaders;

/**
 * The one place where failures become HTTP answers: every exception a resource, a filter or the
 * JAX-RS runtime raises leaves as {@code application/problem+json} with a stable type. Unexpected
 * failures are logged with a reference the answer quotes; their details never leave the server.
 */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class.getName());

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(Throwable exception) {
        Problem problem = problemFor(exception, instance());
        Response.ResponseBuilder answer = Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem);
        if (exception instanceof WebApplicationException web && web.getResponse() != null) {
            // keep what the runtime said about the alternatives (Allow on 405, for one)
            String allow = web.getResponse().getHeaderString(HttpHeaders.ALLOW);
            if (allow != null) {
                answer.header(HttpHeaders.ALLOW, allow);
            }
        }
        TrafficRefused refused = find(exception, TrafficRefused.class);
        if (refused != null && refused.admission() != null) {
            RateLimitHeaders.write(refused.admission(), answer::header);
        }
        return answer.build();
    }

    public static Problem problemFor(Throwable exception, String instance) {
        AgentnetException known = find(exception, AgentnetException.class);
        if (known != null) {
            return Problem.of(known.type(), known.detail(), instance);
        }
        ConstraintViolationException invalid = find(exception, ConstraintViolationException.class);
        if (invalid != null) {
            return validationProblem(invalid, instance);
        }
        if (exception instanceof WebApplicationException web) {
            int status = web.getResponse() == null ? 500 : web.getResponse().getStatus();
            if (status < 500 && isUnreadableBody(exception)) {
                return malformedBody(exception, instance);
            }
            if (status < 500 || status == 503) {
                return Problem.of(ProblemType.forStatus(status), detailFor(status, instance), instance);
            }
        }
        if (isUnreadableBody(exception)) {
            return malformedBody(exception, instance);
        }
        if (isUnreadableHeader(exception)) {
            return Problem.of(ProblemType.BAD_REQUEST, "A request header cannot be parsed", instance);
        }
        String reference = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "unexpected failure at " + instance + ", reference " + reference, exception);
        return Problem.of(ProblemType.INTERNAL_ERROR,
                "The server failed to complete the request; quote reference " + reference + " to the operator",
                instance);
    }

    /**
     * A JSON failure while reading the request body is the client's; one while writing the
     * answer is the server's (500). The innermost reader or writer frame on the stack tells.
     */
    static boolean isUnreadableBody(Throwable exception) {
        Throwable json = find(exception, JsonParsingException.class);
        if (json == null) {
            json = find(exception, JsonbException.class);
        }
        if (json == null) {
            json = find(exception, CharacterCodingException.class);
        }
        if (json == null && thrownByJsonParser(innermost(exception))) {
            json = innermost(exception);
        }
        if (json == null) {
            return false;
        }
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getMethodName().equals("readFrom") || frame.getMethodName().equals("fromJson")) {
                    return true;
                }
                if (frame.getMethodName().equals("writeTo") || frame.getMethodName().equals("toJson")) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether the JSON parser itself refused the text, with an exception that is not a
     * JsonParsingException: Parsson throws a plain RuntimeException for nesting beyond its depth
     * limit, and a NumberFormatException (from BigDecimal) for a number it cannot represent.
     */
    static boolean thrownByJsonParser(Throwable failure) {
        if (!(failure instanceof RuntimeException)) {
            return false;
        }
        for (StackTraceElement frame : failure.getStackTrace()) {
            String type = frame.getClassName();
            if (type.startsWith("java.")) {
                continue; // BigDecimal and the like, called by the parser
            }
            return type.startsWith("org.eclipse.parsson.");
        }
        return false;
    }

    /** The innermost cause, through EJB exceptions too. */
    static Throwable innermost(Throwable exception) {
        Throwable current = exception;
        for (int depth = 0; depth < 20; depth++) {
            Throwable next = current instanceof EJBException ejb && ejb.getCausedByException() != null
                    ? ejb.getCausedByException() : current.getCause();
            if (next == null || next == current) {
                return current;
            }
            current = next;
        }
        return current;
    }

    /**
     * Whether the JAX-RS runtime failed to parse a request header (a media type, a date): its header
     * delegates throw IllegalArgumentException, which is the request's fault.
     */
    static boolean isUnreadableHeader(Throwable exception) {
        Throwable failure = innermost(exception);
        if (!(failure instanceof IllegalArgumentException)) {
            return false;
        }
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().endsWith("HeaderDelegate") || frame.getMethodName().equals("extractHttpHeaders")) {
                return true;
            }
            if (frame.getClassName().startsWith("org.agentnet.")) {
                return false;
            }
        }
        return false;
    }

    private static Problem malformedBody(Throwable exception, String instance) {
        Throwable parse = find(exception, JsonParsingException.class);
        if (find(exception, CharacterCodingException.class) != null) {
            return Problem.of(ProblemType.MALFORMED_BODY, "The request body is not valid text in its charset (UTF-8 unless declared)",
                    instance);
        }
        String where = parse instanceof JsonParsingException json && json.getLocation() != null
                ? " at line " + json.getLocation().getLineNumber() + ", column " + json.getLocation().getColumnNumber()
                : "";
        return Problem.of(ProblemType.MALFORMED_BODY,
                "The request body is not valid JSON for this resource" + where, instance);
    }

    private static Problem validationProblem(ConstraintViolationException invalid, String instance) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : invalid.getConstraintViolations()) {
            if (isReturnValue(violation.getPropertyPath())) {
                String reference = UUID.randomUUID().toString();
                LOG.log(Level.SEVERE, "invalid response at " + instance + ", reference " + reference, invalid);
                return Problem.of(ProblemType.INTERNAL_ERROR,
                        "The server produced an invalid answer; quote reference " + reference, instance);
            }
            errors.add(new Problem.FieldError(fieldOf(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return Problem.of(ProblemType.VALIDATION_FAILED, detail, instance, errors);
    }

    private static boolean isReturnValue(Path path) {
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * The path inside the request, as a client writes it ({@code stops[1].city},
     * {@code limits[burst]}): the method and parameter names of the resource are left out, and a
     * node's index or key belongs to the property before it.
     */
    static String fieldOf(Path path) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, CROSS_PARAMETER, RETURN_VALUE -> { }
                case PARAMETER -> parameter = node.getName();
                default -> {
                    if (node.isInIterable()) {
                        field.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
                    }
                    if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                        if (field.length() > 0) {
                            field.append('.');
                        }
                        field.append(node.getName());
                    }
                }
            }
        }
        if (field.length() > 0) {
            return field.toString();
        }
        return parameter == null ? "body" : parameter;
    }

    private static String detailFor(int status, String instance) {
        return switch (status) {
            case 404 -> "There is no resource at " + instance;
            case 405 -> "The resource at " + instance + " does not support this method";
            case 406 -> "The resource at " + instance + " cannot produce any of the accepted media types";
            case 415 -> "The resource at " + instance + " does not accept this Content-Type";
            case 401 -> "Authentication is required";
            case 403 -> "The authenticated identity may not do this";
            case 503 -> "The service is temporarily unavailable; try again later";
            default -> "The request cannot be processed (HTTP " + status + ")";
        };
    }

    private String instance() {
        try {
            return uriInfo == null ? null : "/" + uriInfo.getBaseUri().getPath().replaceAll("^/|/$", "")
                    + "/" + uriInfo.getPath().replaceAll("^/", "");
        } catch (RuntimeException e) {
            return null;
        }
    }

    static <T extends Throwable> T find(Throwable exception, Class<T> type) {
        Throwable current = exception;
        for (int depth = 0; current != null && depth < 20; depth++) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            Throwable next = current instanceof EJBException ejb && ejb.getCausedByException() != null
                    ? ejb.getCausedByException() : current.getCause();
            current = next == current ? null : next;
        }
        return null;
    }
}
