package org.agentnet.web.problem;

import jakarta.validation.ValidationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Routes validation failures to {@link ProblemExceptionMapper}: the JAX-RS runtime has a built-in
 * mapper for them (plain text) that would otherwise win over a mapper of Throwable. The answer
 * itself is built in one place only.
 */
@Provider
public class ValidationProblemMapper implements ExceptionMapper<ValidationException> {

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(ValidationException exception) {
        ProblemExceptionMapper shared = new ProblemExceptionMapper();
        shared.uriInfo = uriInfo;
        return shared.toResponse(exception);
    }
}
