package org.agentnet.web.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.security.PeerClient;
import org.agentnet.web.security.CertificateView;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Operator diagnostic of node-to-node mutual TLS: calls a peer's {@code GET /api/v1/caller} with
 * the node identity and reports the peer's verified server certificate and how the peer saw this
 * node. A failed probe is an answer too (outcome FAILED with the reason), not an error.
 */
@Path("/v1/admin/peers/probe")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@RolesAllowed("admin")
@Tag(name = "security")
@SecurityRequirement(name = "operator")
public class PeerProbeResource {

    public record ProbeRequest(@NotBlank @Size(max = 2048) String url) {
    }

    @Inject
    PeerClient peers;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Call a peer node's /api/v1/caller over mutual TLS and report both sides' view")
    public JsonObject probe(@NotNull @Valid ProbeRequest request) {
        URI base = peerBase(request.url());
        URI target = base.resolve("/api/v1/caller");
        JsonObjectBuilder result = Json.createObjectBuilder().add("url", target.toString());
        try {
            PeerClient.PeerResponse response = peers.getJson(target);
            CertificateView peer = CertificateView.of(response.peerCertificate());
            result.add("outcome", response.status() == 200 ? "OK" : "FAILED")
                    .add("status", response.status())
                    .add("peer", Json.createObjectBuilder()
                            .add("identity", response.peerIdentity().map(Json::createValue).map(JsonValue.class::cast).orElse(JsonValue.NULL))
                            .add("subject", peer.subject()).add("issuer", peer.issuer())
                            .add("serialNumber", peer.serialNumber()).add("sha256", peer.sha256())
                            .add("notAfter", peer.notAfter().toString())
                            .add("verdict", response.verification().verdict().name())
                            .add("verdictDetail", response.verification().detail()));
            result.add("seenByPeer", parsed(response.body()));
        } catch (PeerClient.PeerException e) {
            result.add("outcome", "FAILED").add("failure", e.failure().name()).add("detail", e.getMessage());
        }
        return result.build();
    }

    /** The peer's base URL: https, a host, nothing but a port and an optional "/" after it. */
    static URI peerBase(String url) {
        try {
            URI uri = new URI(url.strip());
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getUserInfo() != null
                    || !bare || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new AgentnetException(ProblemType.VALIDATION_FAILED,
                        "url must be a peer node's base URL such as https://peer.example.net:9443");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "url is not a URL: " + e.getReason());
        }
    }

    private static JsonValue parsed(String body) {
        try {
            return Json.createReader(new StringReader(body)).readValue();
        } catch (JsonException e) {
            return Json.createValue(body.length() > 500 ? body.substring(0, 500) : body);
        }
    }
}
