package org.agentnet.web.aca;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.agentnet.aca.CrlPublisher;
import org.agentnet.aca.PublishedCrl;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The ACA's CRL (RFC 5280 v2), as the CRL distribution point of its certificates names it: DER
 * ({@code application/pkix-crl}, RFC 2585) by default, PEM ("X509 CRL", RFC 7468) when asked for
 * with {@code Accept: application/x-pem-file} or {@code ?format=pem}. Last-Modified is the CRL's
 * thisUpdate and Expires its nextUpdate; conditional requests get 304.
 */
@Path("/v1/aca/crl")
@RequestScoped
@Tag(name = "aca")
public class CrlResource {

    public static final String PKIX_CRL = "application/pkix-crl";
    public static final String PEM_FILE = "application/x-pem-file";

    static final MediaType PKIX_CRL_TYPE = MediaType.valueOf(PKIX_CRL);
    static final MediaType PEM_FILE_TYPE = MediaType.valueOf(PEM_FILE);

    @EJB
    CrlPublisher publisher;

    @Context
    HttpHeaders headers;

    @Context
    Request request;

    @GET
    @Produces({PKIX_CRL, PEM_FILE})
    @Operation(summary = "The current CRL: DER, or PEM with Accept: application/x-pem-file or ?format=pem")
    public Response crl(@QueryParam("format") String format) {
        boolean pem = wantsPem(format, headers.getAcceptableMediaTypes());
        if (!publisher.isEnabled()) {
            throw new AgentnetException(ProblemType.COMPONENT_DISABLED, "the ACA is not enabled on this node");
        }
        PublishedCrl crl = publisher.current().orElseThrow(() -> new AgentnetException(ProblemType.SERVICE_UNAVAILABLE,
                "the CRL is not available at the moment; try again shortly"));
        Date lastModified = Date.from(crl.thisUpdate());
        EntityTag tag = new EntityTag("crl-" + crl.number() + (pem ? "-pem" : "-der"));
        Response.ResponseBuilder notModified = request.evaluatePreconditions(lastModified, tag);
        Response.ResponseBuilder answer = notModified != null ? notModified
                : pem ? Response.ok(crl.pem(), PEM_FILE_TYPE) : Response.ok(crl.der(), PKIX_CRL_TYPE);
        return answer.lastModified(lastModified)
                .expires(Date.from(crl.nextUpdate()))
                .tag(tag)
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT)
                .build();
    }

    /**
     * PEM or DER: {@code format} (pem, der) decides when given; otherwise the most preferred
     * acceptable type that is one of the two (the JAX-RS runtime lists them by preference).
     */
    static boolean wantsPem(String format, List<MediaType> acceptable) {
        if (format != null) {
            return switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "pem" -> true;
                case "der" -> false;
                default -> throw new AgentnetException(ProblemType.VALIDATION_FAILED,
                        "format must be pem or der, was '" + format + "'");
            };
        }
        for (MediaType type : acceptable == null ? List.<MediaType>of() : acceptable) {
            if (type.isCompatible(PKIX_CRL_TYPE)) {
                return false;
            }
            if (type.isCompatible(PEM_FILE_TYPE)) {
                return true;
            }
        }
        return false;
    }
}
