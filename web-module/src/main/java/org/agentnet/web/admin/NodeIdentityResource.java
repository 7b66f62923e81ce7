package org.agentnet.web.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.security.NodeIdentity;
import org.agentnet.web.security.CertificateView;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The node's own TLS identity (docs/security.md): what it is, and renewal now. */
@Path("/v1/admin/node/identity")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@RolesAllowed("admin")
@Tag(name = "security")
@SecurityRequirement(name = "operator")
public class NodeIdentityResource {

    public record IdentityView(String source, String uri, CertificateView certificate) {
    }

    @EJB
    NodeIdentity identity;

    @GET
    @Operation(summary = "The node's TLS identity: where it comes from and its certificate")
    public IdentityView get() {
        return view();
    }

    @POST
    @Path("renewal")
    @Operation(summary = "Renew the node certificate now (new key), or reload the operator's keystore")
    public IdentityView renew() {
        if (identity.source() == NodeIdentity.Source.NONE) {
            throw new AgentnetException(ProblemType.INVALID_STATE, "the node has no identity of its own to renew");
        }
        identity.renew();
        return view();
    }

    private IdentityView view() {
        return new IdentityView(identity.source().name(),
                identity.uri().orElse(null),
                identity.certificate().map(CertificateView::of).orElse(null));
    }
}
