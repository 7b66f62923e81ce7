package org.agentnet.it.aca;

import static org.agentnet.it.aca.AcaTestSupport.application;
import static org.agentnet.it.aca.AcaTestSupport.apply;
import static org.agentnet.it.aca.AcaTestSupport.csr;
import static org.agentnet.it.aca.AcaTestSupport.ecKeys;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.agentnet.it.NodeServer;
import org.agentnet.it.ProblemDetailsIT;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Auto-approved applications arriving together (they are written by group commit, several in one
 * transaction): one token in many simultaneous applications is spent exactly once, one key is
 * certified exactly once, and every 201 is a certificate the node has stored (its status is read
 * back from the database), signed by the CA, with its own key identifier and the CA's.
 */
class IssuanceConcurrencyIT {

    private static final int CONCURRENT = 16;
    private static final List<String> SCOPE = List.of("discovery");
    private static final ExecutorService POOL = Executors.newFixedThreadPool(CONCURRENT);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    /** Sends the applications all at once (they wait at a latch) and returns the answers in order. */
    private static List<HttpResponse<String>> together(int count, IntFunction<jakarta.json.JsonObjectBuilder> body) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<jakarta.json.JsonObjectBuilder> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bodies.add(body.apply(i)); // keys, CSRs and tokens made before the start
        }
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        for (jakarta.json.JsonObjectBuilder b : bodies) {
            sent.add(POOL.submit(() -> {
                start.await();
                return apply(b);
            }));
        }
        start.countDown();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Future<HttpResponse<String>> f : sent) {
            answers.add(f.get(120, TimeUnit.SECONDS));
        }
        return answers;
    }

    @Test
    void oneTokenInManySimultaneousApplicationsIssuesExactlyOnce() throws Exception {
        String token = AcaTestSupport.enrollmentToken("Acme Corp", null, List.of("planner"), SCOPE);
        List<HttpResponse<String>> answers = together(CONCURRENT,
                i -> application(csr(ecKeys("secp256r1")), "same-token-" + i, "Acme Corp", "planner", SCOPE, token));
        assertEquals(1, answers.stream().filter(a -> a.statusCode() == 201).count(), statuses(answers));
        for (HttpResponse<String> answer : answers) {
            if (answer.statusCode() != 201) {
                ProblemDetailsIT.assertProblem(answer, 403, "invalid-enrollment-token");
            }
        }
        // spent for good
        ProblemDetailsIT.assertProblem(apply(application(csr(ecKeys("secp256r1")), "same-token-late", "Acme Corp", "planner",
                SCOPE, token)), 403, "invalid-enrollment-token");
    }

    @Test
    void oneKeyInManySimultaneousApplicationsIsCertifiedExactlyOnce() throws Exception {
        String csr = csr(ecKeys("secp256r1"));
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            tokens.add(AcaTestSupport.enrollmentToken("Acme Corp", null, List.of("planner"), SCOPE));
        }
        List<HttpResponse<String>> answers = together(CONCURRENT,
                i -> application(csr, "same-key-" + i, "Acme Corp", "planner", SCOPE, tokens.get(i)));
        assertEquals(1, answers.stream().filter(a -> a.statusCode() == 201).count(), statuses(answers));
        int winner = -1;
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i).statusCode() == 201) {
                winner = i;
            } else {
                ProblemDetailsIT.assertProblem(answers.get(i), 409, "duplicate-key");
            }
        }
        // the losers' tokens were not spent: each still issues a certificate for a new key
        int loser = winner == 0 ? 1 : 0;
        HttpResponse<String> again = apply(application(csr(ecKeys("secp256r1")), "same-key-retry", "Acme Corp", "planner",
                SCOPE, tokens.get(loser)));
        assertEquals(201, again.statusCode(), again.body());
    }

    @Test
    void everySimultaneousApplicationIsIssuedStoredAndHasItsOwnSerial() throws Exception {
        int count = 2 * CONCURRENT;
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tokens.add(AcaTestSupport.enrollmentToken("Acme Corp", null, List.of("planner"), SCOPE));
        }
        List<HttpResponse<String>> answers = together(count,
                i -> application(csr(ecKeys("secp256r1")), "together-" + i, "Acme Corp", "planner", SCOPE, tokens.get(i)));
        X509Certificate ca = AcaTestSupport.parse(AcaTestSupport.caChain());
        byte[] caKeyId = SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                ca.getExtensionValue(Extension.subjectKeyIdentifier.getId()))).getKeyIdentifier();
        Set<String> serials = new HashSet<>();
        for (HttpResponse<String> answer : answers) {
            assertEquals(201, answer.statusCode(), answer.body());
            JsonObject application = AcaTestSupport.json(answer.body());
            assertEquals("ISSUED", application.getString("state"));
            serials.add(application.getJsonObject("certificate").getString("serial"));
            // made concurrently, each certificate still carries its own key identifier and the CA's
            X509Certificate certificate = AcaTestSupport.parse(application.getJsonObject("certificate").getString("pem"));
            certificate.verify(ca.getPublicKey());
            byte[] keyBits = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()).getPublicKeyData().getBytes();
            assertArrayEquals(MessageDigest.getInstance("SHA-1").digest(keyBits), SubjectKeyIdentifier.getInstance(
                    JcaX509ExtensionUtils.parseExtensionValue(certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId())))
                    .getKeyIdentifier(), "subjectKeyIdentifier");
            assertArrayEquals(caKeyId, AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                    certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId()))).getKeyIdentifier(),
                    "authorityKeyIdentifier");
        }
        assertEquals(count, serials.size(), "unique serials");
        for (String serial : serials) {
            HttpResponse<String> status = NodeServer.send(NodeServer.client(),
                    NodeServer.request(NodeServer.https("/api/v1/aca/certificates/" + serial)).GET().build());
            assertEquals(200, status.statusCode(), status.body());
            assertTrue(status.body().contains("\"VALID\""), status.body());
        }
    }

    private static String statuses(List<HttpResponse<String>> answers) {
        return answers.stream().map(a -> a.statusCode() + (a.statusCode() == 201 ? "" : " " + a.body())).toList().toString();
    }
}
