package org.agentnet.web.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ejb.EJBException;
import jakarta.json.Json;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.InternalServerErrorException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agentnet.agw.traffic.TrafficControl;
import org.agentnet.agw.traffic.TrafficRefused;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.web.admin.RelayProbeResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JAX-RS exceptions build their Response through RESTEasy's RuntimeDelegate (test
 * dependency); the constraint violations come from Hibernate Validator, as on the server.
 */
class ProblemExceptionMapperTest {

    private static final String INSTANCE = "/agentnet/api/v1/node";
    private static final Pattern REFERENCE = Pattern.compile("reference ([0-9a-f-]{36})");

    private static ValidatorFactory validation;

    @BeforeAll
    static void startValidation() {
        validation = Validation.buildDefaultValidatorFactory();
    }

    @AfterAll
    static void stopValidation() {
        validation.close();
    }

    // -- AgentnetException

    @Test
    void agentnetExceptionKeepsItsTypeAndDetail() {
        Problem problem = ProblemExceptionMapper.problemFor(
                new AgentnetException(ProblemType.CONFLICT, "probe 7 is settled"), INSTANCE);

        assertEquals(ProblemType.CONFLICT.uri(), problem.type());
        assertEquals("Conflict", problem.title());
        assertEquals(409, problem.status());
        assertEquals("probe 7 is settled", problem.detail());
        assertEquals(INSTANCE, problem.instance());
        assertNull(problem.errors());
    }

    @Test
    void agentnetExceptionKeepsASpecificTypeThatSharesAStatus() {
        Problem problem = ProblemExceptionMapper.problemFor(
                new AgentnetException(ProblemType.COMPONENT_DISABLED, "ARS is not enabled"), INSTANCE);

        assertEquals(ProblemType.COMPONENT_DISABLED.uri(), problem.type());
        assertEquals(404, problem.status());
    }

    @Test
    void agentnetExceptionInsideAnEjbException() {
        AgentnetException known = AgentnetException.notFound("job", "retention");

        Problem viaCausedBy = ProblemExceptionMapper.problemFor(new EJBException(known), INSTANCE);
        Problem viaMessageAndCause = ProblemExceptionMapper.problemFor(new EJBException("call failed", known), INSTANCE);

        for (Problem problem : List.of(viaCausedBy, viaMessageAndCause)) {
            assertEquals(ProblemType.NOT_FOUND.uri(), problem.type());
            assertEquals(404, problem.status());
            assertEquals("job 'retention' does not exist", problem.detail());
        }
    }

    @Test
    void agentnetExceptionAsADeeperCause() {
        AgentnetException known = new AgentnetException(ProblemType.PAYLOAD_TOO_LARGE, "too big");
        Throwable wrapped = new EJBException(new IllegalStateException("outer", new RuntimeException("middle", known)));

        Problem problem = ProblemExceptionMapper.problemFor(wrapped, INSTANCE);

        assertEquals(ProblemType.PAYLOAD_TOO_LARGE.uri(), problem.type());
        assertEquals(413, problem.status());
        assertEquals("too big", problem.detail());
    }

    @Test
    void agentnetExceptionAsTheCauseOfAWebApplicationException() {
        Problem problem = ProblemExceptionMapper.problemFor(
                new WebApplicationException(new AgentnetException(ProblemType.FORBIDDEN, "not yours"), 500), INSTANCE);

        assertEquals(ProblemType.FORBIDDEN.uri(), problem.type());
        assertEquals("not yours", problem.detail());
    }

    // -- malformed bodies

    @Test
    void jsonbExceptionIsAMalformedBody() {
        Problem problem = ProblemExceptionMapper.problemFor(new JsonbException("Unable to deserialize property 'x'"),
                INSTANCE);

        assertMalformedBody(problem);
        assertEquals("The request body is not valid JSON for this resource", problem.detail());
        assertFalse(problem.detail().contains("deserialize"), "the binding's message stays on the server");
    }

    @Test
    void jsonParsingExceptionIsAMalformedBodyWithItsLocation() {
        JsonParsingException parse = parseError("{\n  \"name\": }");

        Problem problem = ProblemExceptionMapper.problemFor(parse, INSTANCE);

        assertMalformedBody(problem);
        assertEquals("The request body is not valid JSON for this resource at line "
                + parse.getLocation().getLineNumber() + ", column " + parse.getLocation().getColumnNumber(),
                problem.detail());
        assertEquals(2, parse.getLocation().getLineNumber());
    }

    @Test
    void aJsonFailureWhileWritingTheAnswerIsTheServers() {
        JsonbException writing;
        try (jakarta.json.bind.Jsonb jsonb = jakarta.json.bind.JsonbBuilder.create()) {
            jsonb.toJson(new Unserializable());
            throw new AssertionError("Yasson serialized a value whose getter fails");
        } catch (JsonbException e) {
            writing = e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Problem problem = ProblemExceptionMapper.problemFor(writing, INSTANCE);

        assertEquals(ProblemType.INTERNAL_ERROR.uri(), problem.type());
        assertEquals(500, problem.status());
    }

    /** A bean whose property cannot be read: serializing it fails inside toJson. */
    public static class Unserializable {
        public String getValue() {
            throw new IllegalStateException("no value");
        }
    }

    @Test
    void theParsersOwnRefusalsAreMalformedBodies() {
        // found by the bad-input campaign: Parsson refuses deep nesting with a plain RuntimeException and a
        // number it cannot hold with a NumberFormatException; the runtime wraps them in an HTTP 500
        RuntimeException tooDeep = assertParserFails("[".repeat(5_000) + "]".repeat(5_000));
        RuntimeException hugeExponent = assertParserFails("{\"a\": 1e99999999999999999}");

        assertMalformedBody(ProblemExceptionMapper.problemFor(new WebApplicationException(tooDeep, 500), INSTANCE));
        assertMalformedBody(ProblemExceptionMapper.problemFor(tooDeep, INSTANCE));
        assertMalformedBody(ProblemExceptionMapper.problemFor(new EJBException(hugeExponent), INSTANCE));
    }

    @Test
    void aBodyThatIsNotValidInItsCharsetIsMalformed() {
        RuntimeException decoding = new RuntimeException(new java.nio.charset.MalformedInputException(1));

        Problem problem = ProblemExceptionMapper.problemFor(decoding, INSTANCE);

        assertEquals(ProblemType.MALFORMED_BODY.uri(), problem.type());
        assertEquals(400, problem.status());
        assertTrue(problem.detail().contains("charset"), problem.detail());
    }

    @Test
    void aRequestHeaderTheRuntimeCannotParseIsABadRequest() {
        IllegalArgumentException unparseable = null;
        try {
            jakarta.ws.rs.core.MediaType.valueOf(";;;");
        } catch (IllegalArgumentException e) {
            unparseable = e;
        }

        Problem problem = ProblemExceptionMapper.problemFor(unparseable, INSTANCE);

        assertEquals(ProblemType.BAD_REQUEST.uri(), problem.type());
        assertEquals(400, problem.status());
        assertEquals("A request header cannot be parsed", problem.detail());
    }

    @Test
    void anIllegalArgumentOfTheNodesOwnCodeIsStillTheServers() {
        Problem problem = ProblemExceptionMapper.problemFor(new IllegalArgumentException("bug"), INSTANCE);

        assertEquals(500, problem.status());
    }

    private static RuntimeException assertParserFails(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            reader.readValue();
        } catch (RuntimeException e) {
            assertFalse(e instanceof JsonParsingException, "the case the mapper must recognize otherwise: " + e);
            return e;
        }
        throw new AssertionError("the parser read " + json.length() + " characters");
    }

    @Test
    void malformedBodyAsTheRuntimeReportsIt() {
        // a JSON-B reader fails inside the runtime, which answers 400 with the parse failure as cause
        JsonParsingException parse = parseError("[1, 2");
        Problem asBadRequest = ProblemExceptionMapper.problemFor(
                new BadRequestException(new JsonbException("cannot bind", parse)), INSTANCE);
        Problem asProcessing = ProblemExceptionMapper.problemFor(
                new ProcessingException(new JsonbException("cannot bind")), INSTANCE);
        Problem asServerError = ProblemExceptionMapper.problemFor(
                new InternalServerErrorException(new JsonbException("cannot bind")), INSTANCE);

        assertMalformedBody(asBadRequest);
        assertTrue(asBadRequest.detail().contains(" at line 1, column "), asBadRequest.detail());
        assertMalformedBody(asProcessing);
        assertMalformedBody(asServerError);
    }

    // -- JAX-RS exceptions

    @Test
    void notFound() {
        Problem problem = ProblemExceptionMapper.problemFor(new NotFoundException(), INSTANCE);

        assertEquals(ProblemType.NOT_FOUND.uri(), problem.type());
        assertEquals("Resource not found", problem.title());
        assertEquals(404, problem.status());
        assertEquals("There is no resource at " + INSTANCE, problem.detail());
        assertEquals(INSTANCE, problem.instance());
    }

    @Test
    void notAllowed() {
        Problem problem = ProblemExceptionMapper.problemFor(new NotAllowedException("GET", new String[] {"POST"}), INSTANCE);

        assertEquals(ProblemType.METHOD_NOT_ALLOWED.uri(), problem.type());
        assertEquals(405, problem.status());
        assertEquals("The resource at " + INSTANCE + " does not support this method", problem.detail());
    }

    @Test
    void notSupported() {
        Problem problem = ProblemExceptionMapper.problemFor(new NotSupportedException(), INSTANCE);

        assertEquals(ProblemType.UNSUPPORTED_MEDIA_TYPE.uri(), problem.type());
        assertEquals(415, problem.status());
        assertEquals("The resource at " + INSTANCE + " does not accept this Content-Type", problem.detail());
    }

    @Test
    void notAcceptable() {
        Problem problem = ProblemExceptionMapper.problemFor(new NotAcceptableException(), INSTANCE);

        assertEquals(ProblemType.NOT_ACCEPTABLE.uri(), problem.type());
        assertEquals(406, problem.status());
        assertEquals("The resource at " + INSTANCE + " cannot produce any of the accepted media types",
                problem.detail());
    }

    @Test
    void serviceUnavailableKeepsItsStatus() {
        Problem problem = ProblemExceptionMapper.problemFor(new jakarta.ws.rs.ServiceUnavailableException(), INSTANCE);

        assertEquals(ProblemType.SERVICE_UNAVAILABLE.uri(), problem.type());
        assertEquals(503, problem.status());
    }

    @Test
    void notAuthorizedAndForbidden() {
        Problem unauthorized = ProblemExceptionMapper.problemFor(new NotAuthorizedException("Basic realm=\"agentnet\""),
                INSTANCE);
        Problem forbidden = ProblemExceptionMapper.problemFor(new ForbiddenException(), INSTANCE);

        assertEquals(ProblemType.UNAUTHORIZED.uri(), unauthorized.type());
        assertEquals(401, unauthorized.status());
        assertEquals("Authentication is required", unauthorized.detail());
        assertEquals(ProblemType.FORBIDDEN.uri(), forbidden.type());
        assertEquals(403, forbidden.status());
        assertEquals("The authenticated identity may not do this", forbidden.detail());
    }

    @Test
    void otherClientErrorsGetTheGenericTypeOfTheirStatus() {
        Problem conflict = ProblemExceptionMapper.problemFor(new WebApplicationException(409), INSTANCE);
        Problem teapot = ProblemExceptionMapper.problemFor(new WebApplicationException(418), INSTANCE);

        assertEquals(ProblemType.CONFLICT.uri(), conflict.type());
        assertEquals(409, conflict.status());
        assertEquals("The request cannot be processed (HTTP 409)", conflict.detail());
        assertEquals(ProblemType.BAD_REQUEST.uri(), teapot.type());
        assertEquals(400, teapot.status());
    }

    @Test
    void webApplicationExceptionMessagesStayOnTheServer() {
        Problem problem = ProblemExceptionMapper.problemFor(
                new NotFoundException("HTTP 404 Not Found: no method for /internal/path"), INSTANCE);

        assertFalse(problem.detail().contains("internal"), problem.detail());
    }

    // -- unexpected failures

    @Test
    void unexpectedFailureIsAnInternalErrorThatQuotesAReference() {
        Problem problem = ProblemExceptionMapper.problemFor(
                new IllegalStateException("password=hunter2 at jdbc:postgresql://db/agentnet"), INSTANCE);

        assertEquals(ProblemType.INTERNAL_ERROR.uri(), problem.type());
        assertEquals("Internal server error", problem.title());
        assertEquals(500, problem.status());
        assertEquals(INSTANCE, problem.instance());
        assertFalse(problem.detail().contains("hunter2"), problem.detail());
        assertFalse(problem.detail().contains("jdbc"), problem.detail());
        assertFalse(problem.detail().contains("IllegalStateException"), problem.detail());
        UUID.fromString(reference(problem));
    }

    @Test
    void everyUnexpectedFailureHasItsOwnReference() {
        RuntimeException failure = new RuntimeException("boom");

        assertNotEquals(reference(ProblemExceptionMapper.problemFor(failure, INSTANCE)),
                reference(ProblemExceptionMapper.problemFor(failure, INSTANCE)));
    }

    @Test
    void serverSideFailuresAreInternalErrorsToo() {
        for (Throwable failure : List.of(
                new EJBException(new IOException("disk full")),
                new InternalServerErrorException("secret detail"),
                new WebApplicationException("secret detail", 502),
                new NullPointerException(),
                new StackOverflowError())) {
            Problem problem = ProblemExceptionMapper.problemFor(failure, INSTANCE);
            assertEquals(ProblemType.INTERNAL_ERROR.uri(), problem.type(), failure.toString());
            assertEquals(500, problem.status());
            assertFalse(problem.detail().contains("secret") || problem.detail().contains("disk"), problem.detail());
            reference(problem);
        }
    }

    @Test
    void aCauseCycleEndsTheSearch() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        Problem problem = ProblemExceptionMapper.problemFor(first, INSTANCE);

        assertEquals(500, problem.status());
    }

    @Test
    void findReturnsTheFirstMatchAlongTheCauses() {
        AgentnetException inner = new AgentnetException(ProblemType.CONFLICT, "inner");
        AgentnetException outer = new AgentnetException(ProblemType.BAD_REQUEST, "outer", inner);

        assertSame(outer, ProblemExceptionMapper.find(new EJBException(outer), AgentnetException.class));
        assertNull(ProblemExceptionMapper.find(new RuntimeException(), AgentnetException.class));
        assertNull(ProblemExceptionMapper.find(null, AgentnetException.class));
    }

    // -- validation

    @Test
    void oneInvalidFieldIsNamedInTheDetail() {
        Body body = validBody();
        body.name = null;

        Problem problem = ProblemExceptionMapper.problemFor(invalidParameters(body, 1), INSTANCE);

        assertEquals(ProblemType.VALIDATION_FAILED.uri(), problem.type());
        assertEquals("Request validation failed", problem.title());
        assertEquals(400, problem.status());
        assertEquals(List.of(new Problem.FieldError("name", "must not be null")), problem.errors());
        assertEquals("name: must not be null", problem.detail());
    }

    @Test
    void fieldsLeaveOutTheMethodAndParameterAndAreSorted() {
        Body body = validBody();
        body.name = null;
        body.code = "ABCDE";
        body.address = new Address(" ");

        Problem problem = ProblemExceptionMapper.problemFor(invalidParameters(body, 0), INSTANCE);

        assertEquals(List.of(
                new Problem.FieldError("address.city", "must not be blank"),
                new Problem.FieldError("code", "size must be between 0 and 3"),
                new Problem.FieldError("count", "must be greater than or equal to 1"),
                new Problem.FieldError("name", "must not be null")),
                problem.errors());
        assertEquals("4 fields are invalid", problem.detail());
        for (Problem.FieldError error : problem.errors()) {
            assertFalse(error.field().startsWith("create"), error.field());
            assertFalse(error.field().startsWith("body."), error.field());
        }
    }

    @Test
    void twoFailuresOfOneFieldAreSortedByMessage() {
        Body body = validBody();
        body.code = "abcdef";

        Problem problem = ProblemExceptionMapper.problemFor(invalidParameters(body, 1), INSTANCE);

        assertEquals(List.of(
                new Problem.FieldError("code", "must be upper case"),
                new Problem.FieldError("code", "size must be between 0 and 3")),
                problem.errors());
        assertEquals("2 fields are invalid", problem.detail());
    }

    @Test
    void aMissingBodyIsNamedAfterItsParameter() {
        Problem problem = ProblemExceptionMapper.problemFor(invalidParameters(null, 1), INSTANCE);

        assertEquals(List.of(new Problem.FieldError("body", "must not be null")), problem.errors());
    }

    @Test
    void violationsOfABeanValidatedDirectlyUseTheirPropertyPath() {
        Body body = validBody();
        body.address = new Address("");
        Set<ConstraintViolation<Body>> violations = validation.getValidator().validate(body);

        Problem problem = ProblemExceptionMapper.problemFor(new ConstraintViolationException(violations), INSTANCE);

        assertEquals(List.of(new Problem.FieldError("address.city", "must not be blank")), problem.errors());
    }

    @Test
    void theRelayProbeRequestOfTheApiNamesItsField() throws Exception {
        Method send = RelayProbeResource.class.getMethod("send", RelayProbeResource.ProbeRequest.class);
        Set<ConstraintViolation<RelayProbeResource>> violations = validation.getValidator().forExecutables()
                .validateParameters(new RelayProbeResource(), send, new Object[] {new RelayProbeResource.ProbeRequest(java.math.BigDecimal.valueOf(21))});

        Problem problem = ProblemExceptionMapper.problemFor(new ConstraintViolationException(violations), INSTANCE);

        assertEquals(List.of(new Problem.FieldError("failDeliveries", "must be less than or equal to 20")),
                problem.errors(), "one error, named after the JSON property");
        assertEquals("failDeliveries: must be less than or equal to 20", problem.detail());
    }

    @Test
    void aFailDeliveriesBeyondAnIntIsRefusedNotTruncated() throws Exception {
        // the bad-input campaign: as an Integer, 1e400 and 2^63 were bound as 0 and the probe was sent
        Method send = RelayProbeResource.class.getMethod("send", RelayProbeResource.ProbeRequest.class);
        for (String number : List.of("1e400", "9223372036854775808", "-1e400", "1.5")) {
            Set<ConstraintViolation<RelayProbeResource>> violations = validation.getValidator().forExecutables().validateParameters(
                    new RelayProbeResource(), send, new Object[] {new RelayProbeResource.ProbeRequest(new java.math.BigDecimal(number))});
            assertFalse(violations.isEmpty(), number + " is refused");
        }
    }

    @Test
    void validationInsideAnEjbExceptionIsStillAValidationProblem() {
        Body body = validBody();
        body.name = null;

        Problem problem = ProblemExceptionMapper.problemFor(new EJBException(invalidParameters(body, 1)), INSTANCE);

        assertEquals(ProblemType.VALIDATION_FAILED.uri(), problem.type());
        assertEquals("name", problem.errors().get(0).field());
    }

    @Test
    void anInvalidReturnValueIsTheServersFault() throws Exception {
        Method describe = BodyResource.class.getMethod("describe");
        Set<ConstraintViolation<BodyResource>> violations =
                validation.getValidator().forExecutables().validateReturnValue(new BodyResource(), describe, null);
        assertEquals(1, violations.size());

        Problem problem = ProblemExceptionMapper.problemFor(new ConstraintViolationException(violations), INSTANCE);

        assertEquals(ProblemType.INTERNAL_ERROR.uri(), problem.type());
        assertEquals(500, problem.status());
        assertNull(problem.errors());
        UUID.fromString(reference(problem));
    }

    // -- toResponse

    @Test
    void toResponseAnswersProblemJsonWithTheStatus() {
        Response response = new ProblemExceptionMapper().toResponse(new NotFoundException());

        assertEquals(404, response.getStatus());
        assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
        Problem problem = (Problem) response.getEntity();
        assertEquals(ProblemType.NOT_FOUND.uri(), problem.type());
        assertNull(problem.instance(), "no request, no instance");
    }

    @Test
    void toResponseKeepsTheAllowHeaderOfA405() {
        NotAllowedException notAllowed = new NotAllowedException("GET", new String[] {"POST"});
        String allow = notAllowed.getResponse().getHeaderString(HttpHeaders.ALLOW);
        assertTrue(allow.contains("GET") && allow.contains("POST"), allow);

        Response response = new ProblemExceptionMapper().toResponse(notAllowed);

        assertEquals(405, response.getStatus());
        assertEquals(allow, response.getHeaderString(HttpHeaders.ALLOW));
    }

    @Test
    void toResponseAddsNoAllowHeaderOtherwise() {
        Response response = new ProblemExceptionMapper().toResponse(new IllegalArgumentException("x"));

        assertEquals(500, response.getStatus());
        assertNull(response.getHeaderString(HttpHeaders.ALLOW));
    }

    @Test
    void aTrafficRefusalIs429WithRetryAfterAndTheQuotaEvenWrappedByTheEjbContainer() {
        TrafficControl.Admission refused = TrafficControl.Admission.refused("discovery limit of 5 per minute reached", 12,
                new TrafficControl.Quota(5, 0, 60, 60));

        Response response = new ProblemExceptionMapper().toResponse(new EJBException(new TrafficRefused(refused)));

        assertEquals(429, response.getStatus());
        assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
        Problem problem = (Problem) response.getEntity();
        assertEquals(ProblemType.TOO_MANY_REQUESTS.uri(), problem.type());
        assertEquals("discovery limit of 5 per minute reached; retry after 12 s", problem.detail());
        assertEquals("12", response.getHeaderString("Retry-After"));
        assertEquals("5", response.getHeaderString("RateLimit-Limit"));
        assertEquals("0", response.getHeaderString("RateLimit-Remaining"));
        assertEquals("60", response.getHeaderString("RateLimit-Reset"));
        assertEquals("5;w=60", response.getHeaderString("RateLimit-Policy"));
    }

    @Test
    void otherProblemsCarryNoRateLimitHeaders() {
        Response response = new ProblemExceptionMapper().toResponse(new AgentnetException(ProblemType.CONFLICT, "x"));

        assertNull(response.getHeaderString("Retry-After"));
        assertNull(response.getHeaderString("RateLimit-Limit"));
    }

    // -- helpers and fixtures

    private static void assertMalformedBody(Problem problem) {
        assertEquals(ProblemType.MALFORMED_BODY.uri(), problem.type());
        assertEquals("Malformed request body", problem.title());
        assertEquals(400, problem.status());
        assertEquals(INSTANCE, problem.instance());
        assertTrue(problem.detail().startsWith("The request body is not valid JSON for this resource"),
                problem.detail());
    }

    private static String reference(Problem problem) {
        Matcher matcher = REFERENCE.matcher(problem.detail());
        assertTrue(matcher.find(), "the detail quotes a reference: " + problem.detail());
        return matcher.group(1);
    }

    private static JsonParsingException parseError(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            reader.read();
        } catch (JsonParsingException expected) {
            return expected;
        }
        throw new AssertionError("Parsson accepted " + json);
    }

    private static ConstraintViolationException invalidParameters(Body body, int count) {
        try {
            Method create = BodyResource.class.getMethod("create", Body.class, int.class);
            Set<ConstraintViolation<BodyResource>> violations = validation.getValidator().forExecutables()
                    .validateParameters(new BodyResource(), create, new Object[] {body, count});
            assertFalse(violations.isEmpty(), "the fixture is invalid");
            return new ConstraintViolationException(violations);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static Body validBody() {
        Body body = new Body();
        body.name = "relay";
        body.code = "AB";
        body.address = new Address("Zurich");
        return body;
    }

    public static class BodyResource {
        public void create(@Valid @NotNull Body body, @Min(1) int count) {
        }

        public @NotNull String describe() {
            return null;
        }
    }

    public static class Body {
        @NotNull
        String name;

        @Size(max = 3)
        @jakarta.validation.constraints.Pattern(regexp = "[A-Z]*", message = "must be upper case")
        String code;

        @Valid
        Address address;
    }

    public static class Address {
        @NotBlank
        String city;

        Address(String city) {
            this.city = city;
        }
    }
}
