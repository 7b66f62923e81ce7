package org.agentnet.it.aca;

import static org.agentnet.it.aca.AcaTestSupport.apply;
import static org.agentnet.it.aca.AcaTestSupport.application;
import static org.agentnet.it.aca.AcaTestSupport.csr;
import static org.agentnet.it.aca.AcaTestSupport.ecKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.agentnet.it.NodeServer;
import org.agentnet.it.ProblemDetailsIT;
import org.junit.jupiter.api.Test;

/**
 * The ACA over HTTPS as agents and operators use it (draft 3.1): application with and without an
 * enrollment token, the operator's decision, certificate contents checked by the real openssl,
 * status, renewal and revocation authenticated by mutual TLS.
 */
class CertificateLifecycleIT {

    private final HttpClient client = NodeServer.client();

    @Test
    void theCaChainIsServedAsPem() {
        String chain = AcaTestSupport.caChain();
        AcaTestSupport.OpensslRun parsed = AcaTestSupport.openssl("x509", "-in", AcaTestSupport.file("ca", chain).toString(),
                "-noout", "-subject", "-ext", "basicConstraints");
        assertEquals(0, parsed.exitCode(), parsed.all());
        assertTrue(parsed.all().contains("CA:TRUE"), parsed.all());
    }

    @Test
    void anApplicationWithAnEnrollmentTokenIsIssuedAtOnceAndOpensslVerifiesIt() {
        AcaTestSupport.IssuedAgent agent = AcaTestSupport.issueAgent("travel-planner", "Acme Corp");
        assertEquals("ISSUED", agent.application().getString("state"));

        Path ca = AcaTestSupport.file("ca", AcaTestSupport.caChain());
        Path certificate = AcaTestSupport.file("agent", agent.pem());
        AcaTestSupport.OpensslRun verify = AcaTestSupport.openssl("verify", "-CAfile", ca.toString(), "-purpose", "sslclient",
                certificate.toString());
        assertEquals(0, verify.exitCode(), verify.all());
        assertTrue(verify.all().contains(": OK"), verify.all());

        AcaTestSupport.OpensslRun text = AcaTestSupport.openssl("x509", "-in", certificate.toString(), "-noout", "-text");
        assertTrue(text.all().contains("URI:agent://local.agentnet/Acme%20Corp/travel-planner"), text.all());
        assertTrue(text.all().contains("TLS Web Client Authentication"), text.all());
        assertFalse(text.all().contains("TLS Web Server Authentication"), "agents are TLS clients only");
        assertTrue(text.all().contains("OCSP - URI:") && text.all().contains("/api/v1/aca/ocsp"), text.all());
        assertTrue(text.all().contains("/api/v1/aca/crl"), text.all());
        assertTrue(text.all().contains("X509v3 Authority Key Identifier"), text.all());
        assertTrue(text.all().contains("X509v3 Subject Key Identifier"), text.all());
        assertTrue(text.all().contains("2.25.141225853835567777387999247218806266640"), "identity extension");
        assertTrue(text.all().contains("planner") && text.all().contains("flights"), text.all());

        X509Certificate x509 = agent.certificate();
        assertTrue(x509.getSerialNumber().signum() > 0);
        assertTrue(x509.getSerialNumber().bitLength() >= 64, "at least 64 random bits");
        assertEquals("CN=travel-planner,O=Acme Corp", x509.getSubjectX500Principal().getName());
    }

    @Test
    void aGatewayCertificateIsForTlsClientAndServer() {
        KeyPair keys = ecKeys("secp384r1");
        String token = AcaTestSupport.enrollmentToken("Acme Corp", "GATEWAY", List.of("gateway"), List.of("relay", "peering"));
        HttpResponse<String> response = apply(application(csr(keys, "SHA384withECDSA"), "agw-1", "Acme Corp", "gateway",
                List.of("relay", "peering"), token).add("profile", "GATEWAY"));
        assertEquals(201, response.statusCode(), response.body());
        String pem = NodeServer.json(response).asJsonObject().getJsonObject("certificate").getString("pem");
        AcaTestSupport.OpensslRun text = AcaTestSupport.openssl("x509", "-in", AcaTestSupport.file("gw", pem).toString(), "-noout", "-text");
        assertTrue(text.all().contains("TLS Web Server Authentication, TLS Web Client Authentication")
                || text.all().contains("TLS Web Client Authentication, TLS Web Server Authentication"), text.all());
        assertTrue(text.all().contains("URI:agw://local.agentnet/Acme%20Corp/agw-1"), text.all());
    }

    @Test
    void withoutATokenTheApplicationWaitsForTheOperator() {
        KeyPair keys = ecKeys("secp256r1");
        HttpResponse<String> submitted = apply(application(csr(keys), "pending-agent", "Beta Ltd", "assistant",
                List.of("discovery"), null));
        assertEquals(202, submitted.statusCode(), submitted.body());
        String location = submitted.headers().firstValue("Location").orElseThrow();
        JsonObject pending = NodeServer.json(submitted).asJsonObject();
        assertEquals("PENDING", pending.getString("state"));
        assertFalse(pending.containsKey("certificate"));
        String id = pending.getString("id");
        assertTrue(location.endsWith("/api/v1/aca/applications/" + id));

        // the applicant polls; the operator sees it in the queue
        assertEquals("PENDING", get(id).getString("state"));
        assertTrue(queue().contains(id), "pending queue lists the application");

        // approval needs an operator
        HttpResponse<String> anonymous = NodeServer.send(client, NodeServer.request(NodeServer.https(
                "/api/v1/aca/applications/" + id + "/approval")).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertTrue(anonymous.statusCode() == 401 || anonymous.statusCode() == 403, anonymous.body());

        HttpResponse<String> approved = operatorPost("/api/v1/aca/applications/" + id + "/approval", null);
        assertEquals(200, approved.statusCode(), approved.body());
        JsonObject issued = NodeServer.json(approved).asJsonObject();
        assertEquals("ISSUED", issued.getString("state"));
        assertEquals("VALID", issued.getJsonObject("certificate").getString("status"));
        assertEquals("ISSUED", get(id).getString("state"));
        assertFalse(queue().contains(id));

        ProblemDetailsIT.assertProblem(operatorPost("/api/v1/aca/applications/" + id + "/approval", null), 409, "invalid-state");
        ProblemDetailsIT.assertProblem(operatorPost("/api/v1/aca/applications/" + id + "/rejection",
                "{\"reason\":\"too late\"}"), 409, "invalid-state");
    }

    @Test
    void anOperatorCanRejectAnApplication() {
        HttpResponse<String> submitted = apply(application(csr(ecKeys("secp256r1")), "unwanted", "Beta Ltd", "assistant",
                List.of("discovery"), null));
        String id = NodeServer.json(submitted).asJsonObject().getString("id");
        HttpResponse<String> rejected = operatorPost("/api/v1/aca/applications/" + id + "/rejection",
                "{\"reason\":\"unknown developer\"}");
        assertEquals(200, rejected.statusCode(), rejected.body());
        JsonObject application = get(id);
        assertEquals("REJECTED", application.getString("state"));
        assertEquals("unknown developer", application.getString("rejectionReason"));
        ProblemDetailsIT.assertProblem(operatorPost("/api/v1/aca/applications/" + id + "/approval", null), 409, "invalid-state");
    }

    @Test
    void statusRenewalAndRevocationByTheHolder() {
        AcaTestSupport.IssuedAgent agent = AcaTestSupport.issueAgent("renewing-agent", "Acme Corp");
        assertEquals("VALID", status(agent.serial()).getString("status"));

        // renewal with a new key, authenticated by the current certificate
        KeyPair next = ecKeys("secp256r1");
        HttpResponse<String> renewal = holderPost(agent, "/api/v1/aca/certificates/" + agent.serial() + "/renewal",
                Json.createObjectBuilder().add("csr", csr(next)).build().toString());
        assertEquals(201, renewal.statusCode(), renewal.body());
        JsonObject renewed = NodeServer.json(renewal).asJsonObject();
        assertNotEquals(agent.serial(), renewed.getString("serial"));
        assertEquals(agent.application().getJsonObject("certificate").getString("agentUri"), renewed.getString("agentUri"));
        X509Certificate renewedX509 = AcaTestSupport.parse(renewed.getString("pem"));
        assertEquals(next.getPublic(), renewedX509.getPublicKey());
        assertEquals("VALID", status(agent.serial()).getString("status"), "the old certificate stays valid");

        // renewal needs the certificate itself
        HttpResponse<String> withoutCertificate = NodeServer.send(client, NodeServer.request(NodeServer.https(
                        "/api/v1/aca/certificates/" + agent.serial() + "/renewal"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        ProblemDetailsIT.assertProblem(withoutCertificate, 401, "identity-not-verified");

        // the holder revokes
        HttpResponse<String> revoked = holderPost(agent, "/api/v1/aca/certificates/" + agent.serial() + "/revocation",
                "{\"reason\":\"superseded\"}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        JsonObject state = status(agent.serial());
        assertEquals("REVOKED", state.getString("status"));
        assertEquals("SUPERSEDED", state.getString("revocationReason"));
        assertFalse(Instant.parse(state.getString("revokedAt")).isAfter(Instant.now()));

        // re-revocation is refused, except a move to keyCompromise by an operator
        ProblemDetailsIT.assertProblem(operatorPost("/api/v1/aca/certificates/" + agent.serial() + "/revocation",
                "{\"reason\":\"cessationOfOperation\"}"), 409, "invalid-state");
        HttpResponse<String> compromised = operatorPost("/api/v1/aca/certificates/" + agent.serial() + "/revocation",
                "{\"reason\":\"keyCompromise\"}");
        assertEquals(200, compromised.statusCode(), compromised.body());
        assertEquals("KEY_COMPROMISE", status(agent.serial()).getString("revocationReason"));

        // a revoked certificate authenticates nobody: it cannot be renewed, nor revoked again by its holder
        ProblemDetailsIT.assertProblem(NodeServer.send(agent.mtlsClient(), NodeServer.request(NodeServer.https(
                        "/api/v1/aca/certificates/" + agent.serial() + "/renewal")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()), 401, "identity-not-verified");
        ProblemDetailsIT.assertProblem(NodeServer.send(agent.mtlsClient(), NodeServer.request(NodeServer.https(
                        "/api/v1/aca/certificates/" + agent.serial() + "/revocation")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"keyCompromise\"}")).build()), 401, "identity-not-verified");
    }

    @Test
    void aRevocationCountsFromTheVeryNextRequest() {
        AcaTestSupport.IssuedAgent agent = AcaTestSupport.issueAgent("checked-agent", "Acme Corp");
        assertEquals("VALID", verdict(agent));
        HttpResponse<String> revoked = operatorPost("/api/v1/aca/certificates/" + agent.serial() + "/revocation",
                "{\"reason\":\"privilegeWithdrawn\"}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals("REVOKED", verdict(agent), "no CRL cycle, no delay");
    }

    @Test
    void everyStepIsInTheAuditTrail() {
        AcaTestSupport.IssuedAgent agent = AcaTestSupport.issueAgent("audited-agent", "Acme Corp");
        assertEquals(200, operatorPost("/api/v1/aca/certificates/" + agent.serial() + "/revocation",
                "{\"reason\":\"superseded\"}").statusCode());
        String applicationId = agent.application().getString("id");
        java.util.List<String> seen = new java.util.ArrayList<>();
        String issuedDetail = null;
        String cursor = null;
        do {
            HttpResponse<String> page = NodeServer.send(client, NodeServer.request(NodeServer.https(
                            "/api/v1/admin/aca/audit?limit=200" + (cursor == null ? "" : "&cursor=" + cursor)))
                    .header("Authorization", NodeServer.adminAuthorization()).GET().build());
            assertEquals(200, page.statusCode(), page.body());
            JsonObject body = NodeServer.json(page).asJsonObject();
            for (var event : body.getJsonArray("items")) {
                JsonObject e = event.asJsonObject();
                if (e.getString("targetId").equals(agent.serial()) || e.getString("targetId").equals(applicationId)) {
                    seen.add(e.getString("action") + " by " + e.getString("actor").replaceAll(":.*", ""));
                    if (e.getString("action").equals("ISSUED")) {
                        issuedDetail = e.getString("detail");
                    }
                }
            }
            cursor = body.containsKey("nextCursor") ? body.getString("nextCursor") : null;
        } while (cursor != null);
        // an auto-approved issuance is one audit entry naming the application, the applicant's claim and the key
        assertEquals(java.util.List.of("ISSUED by enrollment-token", "REVOKED by admin"), seen);
        assertTrue(issuedDetail.contains("application " + applicationId) && issuedDetail.contains("Acme Corp/audited-agent")
                && issuedDetail.contains("EC P-256"), issuedDetail);
        ProblemDetailsIT.assertProblem(NodeServer.send(client, NodeServer.request(NodeServer.https(
                "/api/v1/admin/aca/audit?cursor=not-a-cursor")).header("Authorization", NodeServer.adminAuthorization())
                .GET().build()), 400, "validation-failed");
    }

    /** The node's verdict on the agent's certificate, as the caller endpoint reports it. */
    private static String verdict(AcaTestSupport.IssuedAgent agent) {
        Instant deadline = Instant.now().plusSeconds(15);
        while (true) {
            HttpResponse<String> response = NodeServer.send(agent.mtlsClient(),
                    NodeServer.request(NodeServer.https("/api/v1/caller")).GET().build());
            JsonObject caller = NodeServer.json(response).asJsonObject();
            if (caller.containsKey("clientCertificate")) {
                return caller.getJsonObject("clientCertificate").getString("verdict");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the client certificate was never seen: " + response.body());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aHolderActsOnItsOwnCertificateOnly() {
        AcaTestSupport.IssuedAgent one = AcaTestSupport.issueAgent("agent-one", "Acme Corp");
        AcaTestSupport.IssuedAgent two = AcaTestSupport.issueAgent("agent-two", "Acme Corp");
        ProblemDetailsIT.assertProblem(holderPost(one, "/api/v1/aca/certificates/" + two.serial() + "/revocation",
                "{\"reason\":\"superseded\"}"), 403, "identity-mismatch");
        assertEquals("VALID", status(two.serial()).getString("status"));
    }

    @Test
    void revocationRefusesBadRequests() {
        AcaTestSupport.IssuedAgent agent = AcaTestSupport.issueAgent("careful-agent", "Acme Corp");
        String path = "/api/v1/aca/certificates/" + agent.serial() + "/revocation";
        ProblemDetailsIT.assertProblem(operatorPost(path, "{\"reason\":\"bored\"}"), 400, "validation-failed");
        ProblemDetailsIT.assertProblem(operatorPost(path, "{\"reason\":\"certificateHold\"}"), 400, "validation-failed");
        ProblemDetailsIT.assertProblem(operatorPost(path, "{\"reason\":\"keyCompromise\",\"revokedAt\":\"2999-01-01T00:00:00Z\"}"),
                400, "validation-failed");
        ProblemDetailsIT.assertProblem(operatorPost(path, "{\"reason\":\"keyCompromise\",\"revokedAt\":\"2001-01-01T00:00:00Z\"}"),
                400, "validation-failed");
        ProblemDetailsIT.assertProblem(NodeServer.send(client, NodeServer.request(NodeServer.https(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"superseded\"}")).build()), 401, "identity-not-verified");
        ProblemDetailsIT.assertProblem(operatorPost("/api/v1/aca/certificates/0abc0def/revocation", "{\"reason\":\"superseded\"}"),
                404, "not-found");
        ProblemDetailsIT.assertProblem(operatorPost("/api/v1/aca/certificates/not-hex/revocation", "{\"reason\":\"superseded\"}"),
                400, "validation-failed");
        assertEquals("VALID", status(agent.serial()).getString("status"), "nothing of that changed the certificate");
    }

    @Test
    void operatorsListCertificatesAboutToExpire() {
        AcaTestSupport.IssuedAgent agent = AcaTestSupport.issueAgent("expiring-agent", "Acme Corp");
        HttpResponse<String> response = NodeServer.send(client, NodeServer.request(NodeServer.https(
                        "/api/v1/aca/certificates?expiringWithin=P400D&limit=1000"))
                .header("Authorization", NodeServer.adminAuthorization()).GET().build());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains(agent.serial()));
        HttpResponse<String> soon = NodeServer.send(client, NodeServer.request(NodeServer.https(
                        "/api/v1/aca/certificates?expiringWithin=PT1M"))
                .header("Authorization", NodeServer.adminAuthorization()).GET().build());
        assertEquals(200, soon.statusCode(), soon.body());
        assertFalse(soon.body().contains(agent.serial()));
        ProblemDetailsIT.assertProblem(NodeServer.send(client, NodeServer.request(NodeServer.https(
                "/api/v1/aca/certificates?expiringWithin=P7D")).GET().build()), 401, "unauthorized");
    }

    private JsonObject get(String id) {
        HttpResponse<String> response = NodeServer.send(client,
                NodeServer.request(NodeServer.https("/api/v1/aca/applications/" + id)).GET().build());
        assertEquals(200, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonObject();
    }

    private String queue() {
        HttpResponse<String> response = NodeServer.send(client, NodeServer.request(NodeServer.https(
                        "/api/v1/aca/applications?limit=500"))
                .header("Authorization", NodeServer.adminAuthorization()).GET().build());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private JsonObject status(String serial) {
        HttpResponse<String> response = NodeServer.send(client,
                NodeServer.request(NodeServer.https("/api/v1/aca/certificates/" + serial)).GET().build());
        assertEquals(200, response.statusCode(), response.body());
        return NodeServer.json(response).asJsonObject();
    }

    private HttpResponse<String> operatorPost(String path, String json) {
        HttpRequest.Builder request = NodeServer.request(NodeServer.https(path))
                .header("Authorization", NodeServer.adminAuthorization());
        if (json == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return NodeServer.send(client, request.build());
    }

    /**
     * A request authenticated by the agent's certificate. Liberty reloads the truststore (where
     * the ACA's certificate goes at start) every 5 s: a 401 right after start is retried briefly.
     */
    private static HttpResponse<String> holderPost(AcaTestSupport.IssuedAgent agent, String path, String json) {
        Instant deadline = Instant.now().plusSeconds(15);
        while (true) {
            HttpResponse<String> response = NodeServer.send(agent.mtlsClient(), NodeServer.request(NodeServer.https(path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
            if (response.statusCode() != 401 || Instant.now().isAfter(deadline)) {
                return response;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return response;
            }
        }
    }
}
