package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.agentnet.it.aca.AcaTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Revocation of another domain's certificates by OCSP (docs/security.md "Revocation of other
 * domains' certificates"): the build's node A trusts the CA of a peer node B; B's ACA issues agent
 * certificates that name its OCSP responder (and its CRL). A asks B's responder when such a
 * certificate is presented: good -> VALID; revoked at B's ACA -> REVOKED at A, within the OCSP
 * answer's life at A (the IT server keeps answers {@code agentnet.trust.ocsp.max-age} = PT3S,
 * ear/pom.xml); once B is gone, a certificate A has no fresh answer for is refused
 * (REVOCATION_UNKNOWN: neither OCSP nor the CRL answers, fail closed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerOcspIT {

    private static final String TRUST = "/api/v1/admin/trust/ca-certificates";
    private static final String ORGANIZATION = "Ocsp Tests";
    private static final char[] PASSWORD = "it-client".toCharArray();
    private static final Duration MAX_AGE = Duration.parse(System.getProperty("it.ocsp.max-age", "PT3S"));

    private static PeerNode b;
    private static String trustedAtA;

    @BeforeAll
    static void aTrustsB() {
        b = PeerNode.create("ocspb", 0, Map.of("AGENTNET_DOMAIN_NAME", "ocsp-b.example")).start();
        String caOfB = NodeServer.send(b.client(), NodeServer.request(b.https("/api/v1/aca/ca-certificates")).GET().build()).body();
        HttpResponse<String> trusted = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(TRUST))
                .header("Authorization", NodeServer.adminAuthorization()).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(caOfB)).build());
        assertEquals(201, trusted.statusCode(), trusted.body());
        trustedAtA = NodeServer.json(trusted).asJsonObject().getString("alias");
    }

    @AfterAll
    static void separate() {
        try {
            if (trustedAtA != null) {
                NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(TRUST + "/" + trustedAtA))
                        .header("Authorization", NodeServer.adminAuthorization()).DELETE().build());
            }
        } finally {
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    @Order(1)
    void aCertificateRevokedAtTheOtherDomainsAcaIsRefusedHereByOcsp() throws Exception {
        Issued agent = issueAtB("ocsp-agent");
        String ocspOfB = b.http("/api/v1/aca/ocsp").toString();

        // Liberty reads the updated truststore within 5 s
        JsonObject before = awaitVerdict(agent, "VALID", Duration.ofSeconds(30));
        assertTrue(before.getString("verdictDetail").contains("good according to the OCSP responder at " + ocspOfB),
                before.toString());

        HttpResponse<String> revoked = NodeServer.send(b.client(), NodeServer.request(
                        b.https("/api/v1/aca/certificates/" + agent.serial() + "/revocation"))
                .header("Authorization", b.adminAuthorization()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("reason", "keyCompromise").build().toString()))
                .build());
        assertEquals(200, revoked.statusCode(), revoked.body());
        long start = System.nanoTime();

        // refused once A's cached "good" is past its life (max-age), and the refresh asked B again
        JsonObject after = awaitVerdict(agent, "REVOKED", MAX_AGE.plusSeconds(20));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String detail = after.getString("verdictDetail");
        assertTrue(detail.contains("according to the OCSP responder at " + ocspOfB) && detail.contains("KEY_COMPROMISE"), detail);
        System.out.println("[PeerOcspIT] revocation at B refused at A by OCSP after " + took.toMillis() + " ms (max-age "
                + MAX_AGE + ")");

        // a certificate revoked before A ever saw it: refused at its first use
        Issued other = issueAtB("ocsp-other");
        HttpResponse<String> revokedFirst = NodeServer.send(b.client(), NodeServer.request(
                        b.https("/api/v1/aca/certificates/" + other.serial() + "/revocation"))
                .header("Authorization", b.adminAuthorization()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("reason", "superseded").build().toString()))
                .build());
        assertEquals(200, revokedFirst.statusCode(), revokedFirst.body());
        JsonObject first = caller(other);
        assertEquals("REVOKED", first.getString("verdict"), first.toString());
        assertTrue(first.getString("verdictDetail").contains("OCSP"), first.toString());

        // and an agent API of A refuses it (identity not verified)
        HttpResponse<String> discovery = NodeServer.send(client(other), NodeServer.request(NodeServer.https("/api/v1/ars/agents"))
                .GET().build());
        assertEquals(401, discovery.statusCode(), discovery.body());
        assertTrue(discovery.body().contains("revoked"), discovery.body());
    }

    @Test
    @Order(2)
    void whenTheOtherDomainAnswersNeitherByOcspNorByCrlTheCertificateIsRefused() throws Exception {
        Issued agent = issueAtB("ocsp-gone");
        b.stop();
        JsonObject seen = caller(agent);
        assertEquals("REVOCATION_UNKNOWN", seen.getString("verdict"), seen.toString());
        String detail = seen.getString("verdictDetail");
        assertTrue(detail.startsWith("OCSP: ") && detail.contains("; CRL: "), detail);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private record Issued(String serial, KeyPair keys, X509Certificate certificate) {

        KeyStore keyStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("agent", keys.getPrivate(), PASSWORD, new java.security.cert.Certificate[] {certificate});
                return store;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A new agent certificate from B's ACA: an enrollment token of B's operator, and the application that spends it. */
    private static Issued issueAtB(String prefix) {
        String name = prefix + "-" + System.nanoTime() % 1_000_000_000L;
        KeyPair keys = AcaTestSupport.ecKeys("secp256r1");
        JsonObject tokenRequest = Json.createObjectBuilder().add("organization", ORGANIZATION)
                .add("functionTypes", Json.createArrayBuilder().add("planner"))
                .add("permissionScope", Json.createArrayBuilder().add("discovery").add("messaging")).build();
        HttpResponse<String> token = NodeServer.send(b.client(), NodeServer.request(b.https("/api/v1/admin/aca/enrollment-tokens"))
                .header("Authorization", b.adminAuthorization()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(tokenRequest.toString())).build());
        assertEquals(201, token.statusCode(), token.body());
        JsonObject application = AcaTestSupport.application(AcaTestSupport.csr(keys), name, ORGANIZATION, "planner",
                List.of("discovery"), NodeServer.json(token).asJsonObject().getString("token")).build();
        HttpResponse<String> applied = NodeServer.send(b.client(), NodeServer.request(b.https("/api/v1/aca/applications"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(application.toString())).build());
        assertEquals(201, applied.statusCode(), applied.body());
        JsonObject certificate = NodeServer.json(applied).asJsonObject().getJsonObject("certificate");
        X509Certificate x509 = AcaTestSupport.parse(certificate.getString("pem"));
        return new Issued(certificate.getString("serial"), new KeyPair(x509.getPublicKey(), keys.getPrivate()), x509);
    }

    private static HttpClient client(Issued agent) {
        return NodeServer.client(agent.keyStore(), PASSWORD);
    }

    /** A's view of the agent's certificate ({@code GET /api/v1/caller}), over a new TLS session. */
    private static JsonObject caller(Issued agent) {
        HttpResponse<String> response = NodeServer.send(client(agent), NodeServer.request(NodeServer.https("/api/v1/caller")).GET().build());
        assertEquals(200, response.statusCode(), response.body());
        JsonObject caller = NodeServer.json(response).asJsonObject();
        assertTrue(caller.containsKey("clientCertificate"), "the client certificate reached the application: " + caller);
        return caller.getJsonObject("clientCertificate");
    }

    private static JsonObject awaitVerdict(Issued agent, String verdict, Duration patience) throws InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        JsonObject last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                last = caller(agent);
                if (verdict.equals(last.getString("verdict"))) {
                    return last;
                }
            } catch (UncheckedIOException | AssertionError handshakeNotYet) {
                // the truststore is not reloaded yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("verdict " + verdict + " not reached within " + patience + "; last: " + last);
    }
}
