package org.agentnet.web.aca;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.agentnet.aca.CertificateAuthority;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.security.Pem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The ACA's certificate chain, PEM (RFC 8555 media type), signing CA first. */
@Path("/v1/aca/ca-certificates")
@RequestScoped
@Tag(name = "aca")
public class CaCertificateResource {

    public static final String PEM_CHAIN = "application/pem-certificate-chain";

    @EJB
    CertificateAuthority authority;

    @GET
    @Produces({PEM_CHAIN, "text/plain"})
    @Operation(summary = "The CA certificate chain, PEM")
    public String chain() {
        if (!authority.isReady()) {
            throw new AgentnetException(ProblemType.COMPONENT_DISABLED, "the ACA is not enabled on this node");
        }
        StringBuilder pem = new StringBuilder();
        try {
            for (X509Certificate certificate : authority.chain()) {
                pem.append(Pem.encode("CERTIFICATE", certificate.getEncoded()));
            }
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        return pem.toString();
    }
}
