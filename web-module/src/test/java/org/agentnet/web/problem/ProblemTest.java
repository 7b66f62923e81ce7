package org.agentnet.web.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.ArrayList;
import java.util.List;
import org.agentnet.common.error.ProblemType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Serialised by Yasson, the JSON-B implementation of Liberty. */
class ProblemTest {

    private static Jsonb jsonb;

    @BeforeAll
    static void createJsonb() {
        jsonb = JsonbBuilder.create();
    }

    @AfterAll
    static void closeJsonb() throws Exception {
        jsonb.close();
    }

    @Test
    void ofTakesTypeTitleAndStatusFromTheProblemType() {
        Problem problem = Problem.of(ProblemType.NOT_FOUND, "no job 'x'", "/agentnet/api/v1/admin/jobs/x");

        assertEquals("https://agentnet.org/problems/not-found", problem.type());
        assertEquals("Resource not found", problem.title());
        assertEquals(404, problem.status());
        assertEquals("no job 'x'", problem.detail());
        assertEquals("/agentnet/api/v1/admin/jobs/x", problem.instance());
        assertNull(problem.errors());
        assertEquals("application/problem+json", Problem.MEDIA_TYPE);
    }

    @Test
    void serialisesInTheOrderOfRfc9457AndOmitsNullErrors() {
        Problem problem = Problem.of(ProblemType.NOT_FOUND, "no job 'x'", "/api/jobs/x");

        assertEquals("{\"type\":\"https://agentnet.org/problems/not-found\",\"title\":\"Resource not found\","
                + "\"status\":404,\"detail\":\"no job 'x'\",\"instance\":\"/api/jobs/x\"}", jsonb.toJson(problem));
    }

    @Test
    void serialisesErrorsLast() {
        Problem problem = Problem.of(ProblemType.VALIDATION_FAILED, "2 fields are invalid", "/api/probes",
                List.of(new Problem.FieldError("a", "must not be null"),
                        new Problem.FieldError("b.c", "must be \"quoted\"")));

        assertEquals("{\"type\":\"https://agentnet.org/problems/validation-failed\","
                + "\"title\":\"Request validation failed\",\"status\":400,\"detail\":\"2 fields are invalid\","
                + "\"instance\":\"/api/probes\",\"errors\":["
                + "{\"field\":\"a\",\"message\":\"must not be null\"},"
                + "{\"field\":\"b.c\",\"message\":\"must be \\\"quoted\\\"\"}]}", jsonb.toJson(problem));
    }

    @Test
    void emptyOrNullErrorsAreLeftOut() {
        Problem empty = Problem.of(ProblemType.VALIDATION_FAILED, "d", "/i", List.of());
        Problem none = Problem.of(ProblemType.VALIDATION_FAILED, "d", "/i", null);

        assertNull(empty.errors());
        assertNull(none.errors());
        assertEquals(-1, jsonb.toJson(empty).indexOf("errors"));
        assertEquals(-1, jsonb.toJson(none).indexOf("errors"));
    }

    @Test
    void nullDetailAndInstanceAreLeftOut() {
        Problem problem = Problem.of(ProblemType.INTERNAL_ERROR, null, null);

        assertEquals("{\"type\":\"https://agentnet.org/problems/internal-error\",\"title\":\"Internal server error\","
                + "\"status\":500}", jsonb.toJson(problem));
    }

    @Test
    void errorsAreCopied() {
        List<Problem.FieldError> errors = new ArrayList<>(List.of(new Problem.FieldError("a", "m")));
        Problem problem = Problem.of(ProblemType.VALIDATION_FAILED, "d", "/i", errors);

        errors.add(new Problem.FieldError("b", "n"));

        assertEquals(1, problem.errors().size());
        assertThrows(UnsupportedOperationException.class,
                () -> problem.errors().add(new Problem.FieldError("c", "o")));
    }

    @Test
    void readsBackWhatItWrote() {
        Problem problem = Problem.of(ProblemType.VALIDATION_FAILED, "d", "/i",
                List.of(new Problem.FieldError("name", "must not be null")));

        Problem read = jsonb.fromJson(jsonb.toJson(problem), Problem.class);

        assertEquals(problem, read);
    }
}
