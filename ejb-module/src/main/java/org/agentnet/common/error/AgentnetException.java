package org.agentnet.common.error;

import jakarta.ejb.ApplicationException;

/**
 * A failure the caller can understand: it carries the problem type and a human detail, and
 * rolls back the transaction it happens in, so that a refused request changes nothing.
 * The web module turns it into an {@code application/problem+json} answer.
 */
@ApplicationException(rollback = true, inherited = true)
public class AgentnetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ProblemType type;

    public AgentnetException(ProblemType type, String detail) {
        super(detail);
        this.type = type;
    }

    public AgentnetException(ProblemType type, String detail, Throwable cause) {
        super(detail, cause);
        this.type = type;
    }

    public ProblemType type() {
        return type;
    }

    public String detail() {
        return getMessage();
    }

    public static AgentnetException notFound(String what, Object id) {
        return new AgentnetException(ProblemType.NOT_FOUND, what + " '" + id + "' does not exist");
    }
}
