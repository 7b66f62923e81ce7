package org.agentnet.web.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.security.TrustBundle;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The node's trust bundle (docs/security.md): the CA certificates that agents' and peer nodes'
 * certificates must chain to. Changes count for the application's certificate checks at once and
 * for incoming TLS handshakes within 5 seconds (Liberty polls its truststore).
 */
@Path("/v1/admin/trust/ca-certificates")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@RolesAllowed("admin")
@Tag(name = "security")
@SecurityRequirement(name = "operator")
public class TrustBundleResource {

    public static final String PEM_FILE = "application/x-pem-file";

    /** origin: LOCAL for the node's own ACA, CONFIGURED for CAs added by operators or agentnet.trust.bundle. */
    public record TrustedCaView(String alias, String origin, String subject, String issuer, String sha256, Instant notBefore,
                                Instant notAfter) {
        static TrustedCaView of(TrustBundle.Entry entry) {
            return new TrustedCaView(entry.alias(), entry.origin().name(),
                    entry.certificate().getSubjectX500Principal().getName(),
                    entry.certificate().getIssuerX500Principal().getName(), entry.sha256(),
                    entry.certificate().getNotBefore().toInstant(), entry.certificate().getNotAfter().toInstant());
        }
    }

    public record CaCertificateRequest(@NotNull String pem) {
    }

    @EJB
    TrustBundle bundle;

    @Context
    UriInfo uri;

    @GET
    @Operation(summary = "The trusted CA certificates")
    public List<TrustedCaView> list() {
        return bundle.list().stream().map(TrustedCaView::of).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One trusted CA certificate, by alias or SHA-256 fingerprint")
    public TrustedCaView get(@PathParam("id") String id) {
        return bundle.find(id).map(TrustedCaView::of)
                .orElseThrow(() -> AgentnetException.notFound("trusted CA certificate", id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Trust a CA certificate ({\"pem\": ...}); 201 when added, 200 when it was trusted already")
    public Response add(@NotNull @jakarta.validation.Valid CaCertificateRequest request) {
        return added(bundle.add(request.pem()));
    }

    @POST
    @Consumes({PEM_FILE, "application/pem-certificate-chain", MediaType.TEXT_PLAIN})
    @Operation(summary = "Trust a CA certificate sent as PEM")
    public Response addPem(String pem) {
        return added(bundle.add(pem));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Stop trusting a CA certificate, by alias or SHA-256 fingerprint (not the node's own ACA)")
    public Response remove(@PathParam("id") String id) {
        bundle.remove(id);
        return Response.noContent().build();
    }

    private Response added(TrustBundle.Added added) {
        TrustedCaView view = TrustedCaView.of(added.entry());
        if (!added.created()) {
            return Response.ok(view).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(view.alias()).build()).entity(view).build();
    }
}
