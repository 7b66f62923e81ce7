package org.agentnet.web.aca;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.stream.JsonParser;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agentnet.aca.AgentIdentity;
import org.agentnet.aca.ApplicationOutcome;
import org.agentnet.aca.CertificateApplicationService;
import org.agentnet.aca.CertificateProfile;
import org.agentnet.aca.CsrVerifier;
import org.agentnet.web.LeanRequests;
import org.agentnet.web.problem.ErrorProblemServlet;

/**
 * The lean path of {@code POST /api/v1/aca/applications} with an enrollment token (auto-approved
 * issuance, the ACA's most frequent request; docs/aca.md "Issuance throughput"), answered without the
 * JAX-RS runtime, JSON-B binding, Bean Validation and the request-scoped resource, with the same
 * contract as {@link ApplicationResource#apply}: the same {@link CertificateApplicationService#submit}
 * (every check of the CSR, policy, token and key, group commit), the same answer (201, Location, the
 * application view in JSON-B's bytes) and the same problem answers. It takes only the plain case,
 * where the resource's binding and Bean Validation would pass: a POST over HTTPS without credentials
 * or content coding, a declared Content-Length within {@link #LEAN_BODY_BYTES}, Content-Type
 * {@code application/json} (at most {@code charset=utf-8}), an Accept that plainly admits JSON (or
 * none), and a body in well-formed UTF-8 that is a JSON object of the request's fields only, each once,
 * strings and arrays of strings within the resource's limits, with a non-blank enrollment token.
 * Anything else (applications without a token, which wait for an operator, included) goes on to the
 * resource unchanged, with the body bytes already read, so that its answers stay the resource's own.
 */
@WebFilter(filterName = "ApplicationFilter", urlPatterns = "/api/v1/aca/applications", asyncSupported = true)
public class ApplicationFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final String PATH = "/api/v1/aca/applications";
    /** Larger bodies are left to the resource: a CSR of the longest accepted PEM with its identity fits. */
    static final int LEAN_BODY_BYTES = 24 * 1024;
    /** As the JAX-RS runtime writes the view: JSON-B with its default configuration (see ErrorProblemServlet). */
    private static final Jsonb JSONB = JsonbBuilder.create();

    @EJB
    transient CertificateApplicationService applications;

    @Inject
    transient Clock clock;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!plain(request)) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(LEAN_BODY_BYTES + 1);
        ApplicationResource.ApplicationRequest application = body.length <= LEAN_BODY_BYTES ? plainApplication(body) : null;
        if (application == null) {
            chain.doFilter(LeanRequests.withBody(request, body), response);
            return;
        }
        byte[] answer;
        ApplicationOutcome outcome;
        try {
            outcome = applications.submit(application.csr(), application.identity(), application.enrollmentToken());
            answer = JSONB.toJson(AcaViews.ApplicationView.of(outcome, clock.instant())).getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            ErrorProblemServlet.write(response, e, request.getRequestURI());
            return;
        }
        // as the resource's getAbsolutePathBuilder().path(id): the request's own URL and the application's id
        response.setStatus(outcome.certificate() != null ? HttpServletResponse.SC_CREATED : HttpServletResponse.SC_ACCEPTED);
        response.setHeader("Location", request.getRequestURL().append('/').append(outcome.application().id()).toString());
        response.setContentType("application/json");
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
    }

    /**
     * A POST of exactly the applications path over HTTPS, without credentials or content coding, of a
     * JSON body with a declared length the lean path reads, from a caller that accepts JSON.
     */
    static boolean plain(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || !request.isSecure()
                || !PATH.equals(request.getRequestURI().substring(request.getContextPath().length()))) {
            return false;
        }
        String length = request.getHeader("Content-Length");
        if (length == null || length.isEmpty() || length.length() > 5 || !length.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(length) > LEAN_BODY_BYTES || request.getHeader("Transfer-Encoding") != null
                || request.getHeader("Content-Encoding") != null || !LeanRequests.isJson(request.getContentType())) {
            return false;
        }
        if (request.getHeader("Authorization") != null || request.getUserPrincipal() != null) {
            return false;
        }
        var contentTypes = request.getHeaders("Content-Type");
        int count = 0;
        while (contentTypes != null && contentTypes.hasMoreElements()) {
            contentTypes.nextElement();
            count++;
        }
        if (count != 1) {
            return false;
        }
        var accepts = request.getHeaders("Accept");
        while (accepts != null && accepts.hasMoreElements()) {
            if (!LeanRequests.acceptsJson(accepts.nextElement())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The application in the body, as JSON-B would bind it, when that binding and the resource's Bean
     * Validation would pass and it carries an enrollment token; null otherwise (the resource answers).
     */
    static ApplicationResource.ApplicationRequest plainApplication(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser parser = LeanRequests.JSON.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                return null;
            }
            while (true) {
                JsonParser.Event event = parser.next();
                if (event == JsonParser.Event.END_OBJECT) {
                    break;
                }
                if (event != JsonParser.Event.KEY_NAME) {
                    return null;
                }
                String name = parser.getString();
                boolean list = name.equals("permissionScope") || name.equals("skills");
                Object value = list ? strings(parser) : parser.next() == JsonParser.Event.VALUE_STRING ? parser.getString() : null;
                if (value == null || fields.put(name, value) != null) {
                    return null; // another type, null, or a field given twice
                }
            }
            if (parser.hasNext()) {
                return null;
            }
        } catch (RuntimeException e) {
            return null; // not JSON: the resource answers it
        }
        for (String name : fields.keySet()) {
            if (!FIELDS.contains(name)) {
                return null;
            }
        }
        CertificateProfile profile = null;
        if (fields.get("profile") instanceof String name) {
            if (!name.equals(CertificateProfile.AGENT.name()) && !name.equals(CertificateProfile.GATEWAY.name())) {
                return null;
            }
            profile = CertificateProfile.valueOf(name);
        }
        String csr = text(fields, "csr", CsrVerifier.MAX_PEM_LENGTH);
        String agentName = text(fields, "agentName", 64);
        String organization = text(fields, "organization", AgentIdentity.MAX_ORGANIZATION);
        String developer = text(fields, "developer", AgentIdentity.MAX_DEVELOPER);
        String functionType = text(fields, "functionType", 64);
        String token = text(fields, "enrollmentToken", 128);
        @SuppressWarnings("unchecked")
        List<String> scopes = (List<String>) fields.get("permissionScope");
        @SuppressWarnings("unchecked")
        List<String> skills = (List<String>) fields.get("skills");
        if (csr == null || agentName == null || organization == null || developer == null || functionType == null
                || token == null || scopes == null || !items(scopes, 1, AgentIdentity.MAX_SCOPES)
                || skills != null && !items(skills, 0, AgentIdentity.MAX_SKILLS)) {
            return null;
        }
        return new ApplicationResource.ApplicationRequest(csr, profile, agentName, organization, developer, functionType,
                scopes, skills, token);
    }

    private static final List<String> FIELDS = List.of("csr", "profile", "agentName", "organization", "developer",
            "functionType", "permissionScope", "skills", "enrollmentToken");

    /** An array of strings (the parser just past its key); null for anything else. */
    private static List<String> strings(JsonParser parser) {
        if (parser.next() != JsonParser.Event.START_ARRAY) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (JsonParser.Event event = parser.next(); event != JsonParser.Event.END_ARRAY; event = parser.next()) {
            if (event != JsonParser.Event.VALUE_STRING) {
                return null;
            }
            values.add(parser.getString());
        }
        return values;
    }

    /** The field as {@code @NotBlank @Size(max)} passes it, else null. */
    private static String text(Map<String, Object> fields, String name, int max) {
        return fields.get(name) instanceof String value && notBlank(value) && value.length() <= max ? value : null;
    }

    /** {@code @Size(min, max) List<@NotBlank @Size(max = 64) String>}. */
    private static boolean items(List<String> values, int min, int max) {
        if (values.size() < min || values.size() > max) {
            return false;
        }
        for (String value : values) {
            if (!notBlank(value) || value.length() > 64) {
                return false;
            }
        }
        return true;
    }

    /** Not blank as Bean Validation's {@code @NotBlank} (trim) and as {@link String#isBlank} both see it. */
    private static boolean notBlank(String value) {
        return !value.isBlank() && !value.trim().isEmpty();
    }
}
