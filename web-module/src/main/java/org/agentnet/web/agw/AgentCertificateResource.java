package org.agentnet.web.agw;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.security.cert.X509Certificate;
import org.agentnet.aca.IssuedCertificate;
import org.agentnet.agw.message.AgentCertificates;
import org.agentnet.agw.message.EncryptedPayload;
import org.agentnet.web.security.Callers;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The certificate of a target agent, to encrypt a payload to its key (docs/agw.md "Encrypted
 * payloads"): asked of the sender's own gateway, which answers for its agents and fetches those of
 * peer gateways' agents from the peer.
 */
@Path("/v1/agw/agents/{id}/certificate")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@Tag(name = "agw", description = "Agent Gateway: routing and relay")
public class AgentCertificateResource {

    @EJB
    AgentCertificates certificates;

    @Inject
    Callers callers;

    @Context
    HttpServletRequest request;

    @GET
    @Operation(summary = "The certificate of an agent reachable through this gateway, checked by this node (VALID only), "
            + "and the JWE algorithms to encrypt a payload to it; agents, operators, and peer gateways (for their agents)")
    public JsonObject get(@PathParam("id") String id) {
        AgentCertificates.TargetCertificate target = certificates.find(callers.holderOrOperator(request), id);
        X509Certificate leaf = target.chain().get(0);
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("agentId", target.agentId())
                .add("agentUri", target.agentUri())
                .add("serial", IssuedCertificate.serialText(leaf.getSerialNumber()))
                .add("notAfter", leaf.getNotAfter().toInstant().toString())
                .add("certificateChain", target.chainPem())
                .add("verdict", target.verdict().verdict().name())
                .add("verdictDetail", target.verdict().detail());
        target.algorithm().ifPresent(alg -> json.add("encryption", Json.createObjectBuilder()
                .add("alg", alg.getName()).add("enc", EncryptedPayload.ENCRYPTION.getName())));
        return json.build();
    }
}
