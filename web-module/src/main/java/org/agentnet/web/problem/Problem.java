package org.agentnet.web.problem;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;
import org.agentnet.common.error.ProblemType;

/**
 * The body of every error answer: RFC 9457 problem details, with {@code errors} listing the
 * individual field failures of a validation problem.
 */
@JsonbPropertyOrder({"type", "title", "status", "detail", "instance", "errors"})
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One failed constraint: where in the request, and why. */
    public record FieldError(String field, String message) {
    }

    public static Problem of(ProblemType type, String detail, String instance) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, null);
    }

    public static Problem of(ProblemType type, String detail, String instance, List<FieldError> errors) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance,
                errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    }
}
