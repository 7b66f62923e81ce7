package org.agentnet.web.aca;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.agentnet.aca.OcspResponder;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The ACA's OCSP responder (RFC 6960), at the location its certificates name: POST with an
 * {@code application/ocsp-request} body, or GET with the URL-encoded base64 of the request as
 * the last path segment(s) (RFC 6960 appendix A.1). Every request, well formed or not, gets an
 * {@code application/ocsp-response}: a request that cannot be read gets malformedRequest.
 * Answers are not to be cached by HTTP intermediaries: a revocation counts at once.
 */
@Path("/v1/aca/ocsp")
@RequestScoped
@Tag(name = "aca")
public class OcspResource {

    public static final String OCSP_REQUEST = "application/ocsp-request";
    public static final String OCSP_RESPONSE = "application/ocsp-response";

    private static final byte[] NOT_A_REQUEST = new byte[0];

    @EJB
    OcspResponder responder;

    @POST
    @Consumes(OCSP_REQUEST)
    @Produces(OCSP_RESPONSE)
    @Operation(summary = "OCSP: status of certificates of this CA (DER OCSPRequest in the body)")
    public Response post(byte[] body) {
        return answer(body == null ? NOT_A_REQUEST : body);
    }

    @GET
    @Path("{request: .+}")
    @Produces(OCSP_RESPONSE)
    @Operation(summary = "OCSP by GET: the URL-encoded base64 of the DER OCSPRequest as the path")
    public Response get(@Encoded @PathParam("request") String encoded) {
        byte[] request = decodeGetRequest(encoded);
        return answer(request == null ? NOT_A_REQUEST : request);
    }

    private Response answer(byte[] request) {
        if (!responder.isEnabled()) {
            throw new AgentnetException(ProblemType.COMPONENT_DISABLED, "the ACA is not enabled on this node");
        }
        return Response.ok(responder.respond(request), OCSP_RESPONSE)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .build();
    }

    /**
     * The DER of a GET request: percent-decoding (never '+' to space: this is a path), then
     * base64 (standard alphabet, padding optional; the URL-safe alphabet is accepted too).
     * Null when it is not that.
     */
    static byte[] decodeGetRequest(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return null;
        }
        String base64 = percentDecode(encoded);
        if (base64 == null || base64.isEmpty()) {
            return null;
        }
        try {
            boolean urlSafe = base64.indexOf('-') >= 0 || base64.indexOf('_') >= 0;
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String percentDecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    return null;
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                out.write(high << 4 | low);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                return null; // base64 is ASCII
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
