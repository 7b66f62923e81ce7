package org.agentnet.it.aca;

import static org.agentnet.it.aca.AcaTestSupport.apply;
import static org.agentnet.it.aca.AcaTestSupport.application;
import static org.agentnet.it.aca.AcaTestSupport.csr;
import static org.agentnet.it.aca.AcaTestSupport.ecKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObjectBuilder;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.agentnet.it.NodeServer;
import org.agentnet.it.ProblemDetailsIT;
import org.junit.jupiter.api.Test;

/**
 * The bad-input checklist of CA test suites against POST /api/v1/aca/applications: every bad
 * application gets a 4xx problem and leaves nothing behind; the proof that nothing was stored is
 * that the same key is accepted right after in a good application (a stored key would be refused
 * as a duplicate).
 */
class CertificateApplicationBadInputIT {

    private static final List<String> SCOPE = List.of("discovery");

    @Test
    void truncatedPem() {
        KeyPair keys = ecKeys("secp256r1");
        String pem = csr(keys);
        refused(application(pem.substring(0, pem.length() / 2), "a1", "Acme Corp", "planner", SCOPE, null), 400, "invalid-csr");
        acceptedAfterwards(keys);
    }

    @Test
    void garbageInsteadOfDer() {
        String garbage = "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder().encodeToString("definitely not DER at all".getBytes()) + "\n-----END CERTIFICATE REQUEST-----\n";
        refused(application(garbage, "a1", "Acme Corp", "planner", SCOPE, null), 400, "invalid-csr");
        refused(application("hello", "a1", "Acme Corp", "planner", SCOPE, null), 400, "invalid-csr");
    }

    @Test
    void trailingBytesAfterTheDer() {
        KeyPair keys = ecKeys("secp256r1");
        byte[] der = der(csr(keys));
        byte[] longer = java.util.Arrays.copyOf(der, der.length + 4);
        refused(application(pem(longer), "a1", "Acme Corp", "planner", SCOPE, null), 400, "invalid-csr");
        acceptedAfterwards(keys);
    }

    @Test
    void brokenSignature() {
        KeyPair keys = ecKeys("secp256r1");
        byte[] der = der(csr(keys));
        der[der.length - 3] ^= 0x55; // inside the signature value
        refused(application(pem(der), "a1", "Acme Corp", "planner", SCOPE, null), 400, "invalid-csr");
        acceptedAfterwards(keys);
    }

    @Test
    void weakRsaKey() {
        KeyPair weak = AcaTestSupport.keys("RSA", 1024);
        refused(application(csr(weak, "SHA256withRSA"), "a1", "Acme Corp", "planner", SCOPE, null), 400, "key-not-permitted");
    }

    @Test
    void unsupportedCurve() {
        KeyPair p521 = ecKeys("secp521r1");
        refused(application(csr(p521, "SHA512withECDSA"), "a1", "Acme Corp", "planner", SCOPE, null), 400, "key-not-permitted");
    }

    @Test
    void sha1Signature() {
        KeyPair keys = ecKeys("secp256r1");
        refused(application(csr(keys, "SHA1withECDSA"), "a1", "Acme Corp", "planner", SCOPE, null), 400, "key-not-permitted");
        acceptedAfterwards(keys);
    }

    @Test
    void acceptedKeyKinds() {
        for (KeyPair keys : List.of(AcaTestSupport.keys("RSA", 2048), AcaTestSupport.keys("Ed25519", 0))) {
            String algorithm = keys.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "Ed25519";
            HttpResponse<String> response = apply(application(csr(keys, algorithm), "kind-" + algorithm.length(),
                    "Acme Corp", "planner", SCOPE, null));
            assertEquals(202, response.statusCode(), response.body());
        }
    }

    @Test
    void oversizedCsr() {
        String huge = "-----BEGIN CERTIFICATE REQUEST-----\n" + "A".repeat(20_000) + "\n-----END CERTIFICATE REQUEST-----\n";
        refused(application(huge, "a1", "Acme Corp", "planner", SCOPE, null), 400, "validation-failed");
    }

    @Test
    void identityFieldsTooLongOrWithControlCharacters() {
        KeyPair keys = ecKeys("secp256r1");
        String pem = csr(keys);
        refused(application(pem, "x".repeat(65), "Acme Corp", "planner", SCOPE, null), 400, "validation-failed");
        refused(application(pem, "bad name", "Acme Corp", "planner", SCOPE, null), 400, "validation-failed");
        refused(application(pem, "a1", "Acme\u0000Corp", "planner", SCOPE, null), 400, "validation-failed");
        refused(application(pem, "a1", "Acme\nCorp", "planner", SCOPE, null), 400, "validation-failed");
        refused(application(pem, "a1", "O".repeat(129), "planner", SCOPE, null), 400, "validation-failed");
        refused(application(pem, "a1", "Acme Corp", "Planner!", SCOPE, null), 400, "validation-failed");
        refused(application(pem, "a1", "Acme Corp", "planner", List.of(), null), 400, "validation-failed");
        refused(application(pem, "a1", "Acme Corp", "planner", List.of("discovery", "discovery"), null), 400, "validation-failed");
        acceptedAfterwards(keys);
    }

    @Test
    void functionTypeOrScopeOutsidePolicy() {
        KeyPair keys = ecKeys("secp256r1");
        refused(application(csr(keys), "a1", "Acme Corp", "superuser", SCOPE, null), 403, "policy-violation");
        refused(application(csr(keys), "a1", "Acme Corp", "planner", List.of("root-access"), null), 403, "policy-violation");
        acceptedAfterwards(keys);
    }

    @Test
    void enrollmentTokenReusedForeignOrUnknown() {
        String token = AcaTestSupport.enrollmentToken("Acme Corp", null, List.of("planner"), List.of("discovery"));
        HttpResponse<String> first = apply(application(csr(ecKeys("secp256r1")), "t1", "Acme Corp", "planner", SCOPE, token));
        assertEquals(201, first.statusCode(), first.body());

        KeyPair keys = ecKeys("secp256r1");
        refused(application(csr(keys), "t2", "Acme Corp", "planner", SCOPE, token), 403, "invalid-enrollment-token");
        String other = AcaTestSupport.enrollmentToken("Other Org", null, List.of("planner"), List.of("discovery"));
        refused(application(csr(keys), "t2", "Acme Corp", "planner", SCOPE, other), 403, "invalid-enrollment-token");
        String narrow = AcaTestSupport.enrollmentToken("Acme Corp", null, List.of("planner"), List.of("discovery"));
        refused(application(csr(keys), "t2", "Acme Corp", "planner", List.of("discovery", "messaging"), narrow),
                403, "invalid-enrollment-token");
        refused(application(csr(keys), "t2", "Acme Corp", "planner", SCOPE, "no-such-token"), 403, "invalid-enrollment-token");
        // the narrow token was not spent by the refused application
        HttpResponse<String> good = apply(application(csr(keys), "t2", "Acme Corp", "planner", SCOPE, narrow));
        assertEquals(201, good.statusCode(), good.body());
    }

    @Test
    void reusedPublicKey() {
        KeyPair keys = ecKeys("secp256r1");
        acceptedAfterwards(keys);
        refused(application(csr(keys), "again", "Acme Corp", "planner", SCOPE, null), 409, "duplicate-key");
    }

    @Test
    void malformedJsonAndMissingFields() {
        ProblemDetailsIT.assertProblem(NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(AcaTestSupport.APPLICATIONS))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"csr\": ")).build()), 400, "malformed-body");
        ProblemDetailsIT.assertProblem(NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(AcaTestSupport.APPLICATIONS))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"agentName\": \"a\"}")).build()), 400, "validation-failed");
    }

    private static void refused(JsonObjectBuilder body, int status, String type) {
        ProblemDetailsIT.assertProblem(apply(body), status, type);
    }

    /** The key was not stored by the refused attempts: a good application with it is accepted. */
    private static void acceptedAfterwards(KeyPair keys) {
        HttpResponse<String> response = apply(application(csr(keys), "good-agent", "Acme Corp", "planner", SCOPE, null));
        assertEquals(202, response.statusCode(), response.body());
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").trim());
    }

    private static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }
}
