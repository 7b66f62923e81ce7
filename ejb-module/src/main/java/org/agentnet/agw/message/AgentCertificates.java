package org.agentnet.agw.message;

import com.nimbusds.jose.JWEAlgorithm;
import jakarta.ejb.EJB;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.agentnet.aca.CertificateProfile;
import org.agentnet.aca.IssuedCertificate;
import org.agentnet.aca.IssuedCertificates;
import org.agentnet.agw.access.AccessRecord;
import org.agentnet.agw.access.AccessRecords;
import org.agentnet.agw.peering.PeerGateways;
import org.agentnet.agw.routing.Route;
import org.agentnet.agw.routing.RoutingTable;
import org.agentnet.ars.ArsCaller;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.security.CertificateVerifier;
import org.agentnet.security.CertifiedIdentity;
import org.agentnet.security.NodeTrustStore;
import org.agentnet.security.PeerClient;

/**
 * The certificate of a target agent, for a sender that encrypts a payload to it (docs/agw.md
 * "Encrypted payloads"): {@code GET /api/v1/agw/agents/{id}/certificate} at the sender's own gateway.
 * An agent of this gateway: the certificate it accessed the gateway with (its serial is on the
 * access record; the certificate from this domain's ACA). An agent behind a peer gateway: asked of
 * that peer with the node's identity (the same request, answered by the peer for its own agents
 * only), and checked here - it must pass this node's full check and name the agent the ARS knows
 * under that ID. A certificate that is revoked or expired is never handed out.
 */
@Stateless
@LocalBean
public class AgentCertificates {

    /** A target's certificate chain (its own first, then its CA), this node's verdict on it, and the algorithm to encrypt to it. */
    public record TargetCertificate(String agentId, String agentUri, List<X509Certificate> chain, CertificateVerifier.Result verdict,
                                    Optional<JWEAlgorithm> algorithm) {

        public String chainPem() {
            return MessageService.chainPem(chain);
        }
    }

    @EJB
    RoutingTable routes;

    @EJB
    AccessRecords access;

    @EJB
    IssuedCertificates issued;

    @EJB
    NodeTrustStore trustStore;

    @Inject
    CertificateVerifier verifier;

    @Inject
    Instance<PeerGateways> peers;

    @Inject
    PeerClient peerClient;

    @Inject
    NodeSettings node;

    /**
     * The certificate of agent {@code agentId} for {@code caller}: an agent or an operator of this node
     * (agents of this gateway's and of peer gateways'), or a peer gateway (agents of this gateway only).
     */
    public TargetCertificate find(ArsCaller caller, String agentId) {
        node.require(Component.AGW);
        boolean peerGateway = caller.isGateway();
        if (peerGateway && (!peers.isResolvable() || peers.get().peerByGatewayUri(caller.identity().uri()).isEmpty())) {
            throw new AgentnetException(ProblemType.NOT_A_PEER, caller.identity().uri() + " is not a peer of this gateway");
        }
        Route route = routes.resolve(agentId);
        if (route.isLocal()) {
            return local(route);
        }
        if (peerGateway || (caller.isAgent() && !caller.identity().domain().equalsIgnoreCase(node.domainName()))) {
            throw new AgentnetException(ProblemType.TARGET_UNREACHABLE, "agent " + agentId + " is not an agent of this gateway"
                    + " (for other domains' agents, a gateway answers its own domain's agents and peers only)");
        }
        if (!route.applicable()) {
            throw new AgentnetException(ProblemType.TARGET_UNREACHABLE, route.reason());
        }
        return remote(route);
    }

    private TargetCertificate local(Route route) {
        AccessRecord record = access.find(route.agentId()).orElseThrow(() -> new AgentnetException(ProblemType.NOT_ACCESSED,
                "agent " + route.agentId() + " has not accessed this gateway: it has no certificate here"));
        IssuedCertificate certificate = issued.find(record.certificateSerial()).orElseThrow(() -> new AgentnetException(
                ProblemType.INVALID_STATE, "the certificate of agent " + route.agentId() + " (serial " + record.certificateSerial()
                        + ") is not held by this domain's ACA"));
        List<X509Certificate> chain = MessageService.withIssuer(List.of(MessageService.parseChain(certificate.pem()).get(0)),
                verifier);
        return checked(route, chain);
    }

    private TargetCertificate remote(Route route) {
        URI uri = URI.create(route.nextHop().toString().replaceAll("/+$", "") + "/api/v1/agw/agents/"
                + URLEncoder.encode(route.agentId(), StandardCharsets.UTF_8).replace("+", "%20") + "/certificate");
        PeerClient.PeerResponse response;
        try {
            response = peerClient.getJson(uri);
        } catch (PeerClient.PeerException e) {
            throw new AgentnetException(ProblemType.TARGET_UNREACHABLE, "peer " + route.peerDomain() + ": " + e.getMessage());
        }
        if (route.peerGatewayUri() != null && response.peerIdentity().filter(route.peerGatewayUri()::equals).isEmpty()) {
            throw new AgentnetException(ProblemType.TARGET_UNREACHABLE, "the gateway at " + route.nextHop() + " is "
                    + response.peerIdentity().orElse("unnamed") + ", not the peer " + route.peerGatewayUri());
        }
        if (response.status() != 200) {
            throw new AgentnetException(ProblemType.TARGET_UNREACHABLE, "peer " + route.peerDomain()
                    + " did not give the certificate of agent " + route.agentId() + ": HTTP " + response.status());
        }
        String pem;
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            JsonObject answer = reader.readObject();
            pem = answer.getString("certificateChain");
        } catch (JsonException | ClassCastException | NullPointerException | IllegalStateException e) {
            throw new AgentnetException(ProblemType.TARGET_UNREACHABLE, "peer " + route.peerDomain()
                    + " answered something other than a certificate");
        }
        List<X509Certificate> chain;
        try {
            chain = MessageService.parseChain(pem);
        } catch (AgentnetException e) {
            throw new AgentnetException(ProblemType.TARGET_UNREACHABLE, "peer " + route.peerDomain() + " sent no readable certificate chain");
        }
        return checked(route, chain);
    }

    /** The leaf must pass this node's full check and name the agent the ARS knows under that ID. */
    private TargetCertificate checked(Route route, List<X509Certificate> chain) {
        X509Certificate leaf = chain.get(0);
        CertifiedIdentity identity = CertifiedIdentity.of(leaf).filter(i -> i.profile() == CertificateProfile.AGENT)
                .orElseThrow(() -> new AgentnetException(ProblemType.INVALID_STATE, "the certificate of agent " + route.agentId()
                        + " names no agent"));
        if (!identity.uri().equals(route.agentUri())) {
            throw new AgentnetException(ProblemType.INVALID_STATE, "the certificate given for agent " + route.agentId() + " names "
                    + identity.uri() + ", not " + route.agentUri());
        }
        CertificateVerifier.Result verdict = verifier.check(leaf);
        if (verdict.verdict() != CertificateVerifier.Verdict.VALID) {
            throw new AgentnetException(ProblemType.INVALID_STATE, "the certificate of agent " + route.agentId() + " is "
                    + verdict.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " (" + verdict.detail()
                    + "): nothing may be encrypted to it");
        }
        return new TargetCertificate(route.agentId(), route.agentUri(), chain, verdict,
                EncryptedPayload.algorithmFor(leaf.getPublicKey()));
    }
}
