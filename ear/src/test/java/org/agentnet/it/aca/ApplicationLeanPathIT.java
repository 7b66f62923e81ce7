package org.agentnet.it.aca;

import static org.agentnet.it.aca.AcaTestSupport.application;
import static org.agentnet.it.aca.AcaTestSupport.csr;
import static org.agentnet.it.aca.AcaTestSupport.ecKeys;
import static org.agentnet.it.aca.AcaTestSupport.enrollmentToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.agentnet.it.NodeServer;
import org.agentnet.it.ProblemDetailsIT;
import org.junit.jupiter.api.Test;

/**
 * The lean path of applications with an enrollment token (ApplicationFilter) answers as the JAX-RS
 * resource does: each case is sent twice, as a plain request (the lean path) and with an Accept that
 * has a weight (which the lean path leaves to the resource), each time with a token, key and name of
 * its own, and the two answers are compared: status, media type, Location, body (its ids, serial,
 * times and certificate aside, which differ by nature). Issuance, every refusal of the service
 * (unknown, spent, foreign token; broken CSR; certified key; policy; identity rules), and what the
 * lean path leaves to the resource (Bean Validation, unknown fields, malformed JSON, plain HTTP).
 */
class ApplicationLeanPathIT {

    private static final String ORGANIZATION = "Lean Path Org";
    private static final List<String> SCOPE = List.of("discovery");
    /** The resource's answer, whatever it is, for a case whose answer only has to be the same. */
    private static final int ANY = 0;
    private static final AtomicLong NAMES = new AtomicLong(System.nanoTime() % 1_000_000L);

    /** One side of a comparison: the token, key and agent name it uses. */
    private record Side(String token, KeyPair keys, String name) {
        static Side fresh() {
            return new Side(enrollmentToken(ORGANIZATION, null, List.of("planner"), SCOPE), ecKeys("secp256r1"),
                    "lean-" + NAMES.incrementAndGet());
        }

        JsonObjectBuilder good() {
            return application(csr(keys), name, ORGANIZATION, "planner", SCOPE, token);
        }
    }

    @Test
    void anIssuanceIsAnsweredAlike() {
        JsonObject lean = AcaTestSupport.json(same(side -> side.good().build().toString(), 201).body());
        assertEquals("ISSUED", lean.getString("state"));
        AcaTestSupport.parse(lean.getJsonObject("certificate").getString("pem"));
    }

    @Test
    void anExplicitProfileAndNoOrEmptySkillsAreAnsweredAlike() {
        same(side -> side.good().add("profile", "AGENT").remove("skills").build().toString(), 201);
        same(side -> side.good().add("skills", jakarta.json.Json.createArrayBuilder()).build().toString(), 201);
    }

    /** Each key kind, the lean way and the resource's: the key usage follows the key (RSA: keyEncipherment, EC: keyAgreement). */
    @Test
    void everyKeyKindIsIssuedAlikeWithItsKeyUsage() {
        for (String kind : List.of("RSA", "Ed25519", "EC")) {
            KeyPair[] keys = new KeyPair[1];
            JsonObject lean = AcaTestSupport.json(same(side -> {
                keys[0] = kind.equals("EC") ? side.keys() : AcaTestSupport.keys(kind, kind.equals("RSA") ? 2048 : 0);
                String algorithm = kind.equals("RSA") ? "SHA256withRSA" : kind.equals("EC") ? "SHA256withECDSA" : "Ed25519";
                return application(AcaTestSupport.csr(keys[0], algorithm), side.name(), ORGANIZATION, "planner", SCOPE,
                        side.token()).build().toString();
            }, 201).body());
            boolean[] usage = AcaTestSupport.parse(lean.getJsonObject("certificate").getString("pem")).getKeyUsage();
            assertTrue(usage[0], kind + ": digitalSignature");
            assertEquals(kind.equals("RSA"), usage[2], kind + ": keyEncipherment");
            assertEquals(kind.equals("EC"), usage[4], kind + ": keyAgreement");
        }
    }

    @Test
    void theServicesRefusalsAreAnsweredAlike() {
        same(side -> side.good().add("enrollmentToken", "no-such-token").build().toString(), 403);
        // a spent token: spent by a first application of its own side
        same(side -> {
            HttpResponse<String> first = AcaTestSupport.apply(side.good());
            assertEquals(201, first.statusCode(), first.body());
            return application(csr(ecKeys("secp256r1")), side.name() + "-2", ORGANIZATION, "planner", SCOPE, side.token())
                    .build().toString();
        }, 403);
        same(side -> application(csr(side.keys()), side.name(), ORGANIZATION, "planner", SCOPE,
                enrollmentToken("Some Other Org", null, List.of("planner"), SCOPE)).build().toString(), 403);
        // a certified key
        same(side -> {
            HttpResponse<String> first = AcaTestSupport.apply(side.good());
            assertEquals(201, first.statusCode(), first.body());
            return application(csr(side.keys()), side.name() + "-2", ORGANIZATION, "planner", SCOPE,
                    enrollmentToken(ORGANIZATION, null, List.of("planner"), SCOPE)).build().toString();
        }, 409);
        same(side -> side.good().add("csr", brokenSignature(csr(side.keys()))).build().toString(), 400);
        same(side -> side.good().add("csr", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")
                .build().toString(), 400);
        same(side -> side.good().add("functionType", "superuser").build().toString(), 403);
        same(side -> side.good().add("agentName", "bad name").build().toString(), 400);
        same(side -> side.good().add("organization", "Acme\nCorp").build().toString(), 400);
        same(side -> side.good().add("permissionScope", jakarta.json.Json.createArrayBuilder().add("discovery").add("discovery"))
                .build().toString(), 400);
    }

    @Test
    void whatTheLeanPathLeavesToTheResourceIsAnsweredAlike() {
        same(side -> side.good().add("agentName", "x".repeat(65)).build().toString(), 400);
        same(side -> side.good().add("permissionScope", jakarta.json.Json.createArrayBuilder()).build().toString(), 400);
        same(side -> side.good().add("agentName", " ").build().toString(), 400);
        same(side -> side.good().add("profile", "agent").build().toString(), ANY);
        same(side -> side.good().add("enrollmentToken", "t".repeat(129)).build().toString(), 400);
        same(side -> side.good().addNull("skills").build().toString(), ANY);
        same(side -> side.good().add("unknown", "field").build().toString(), ANY);
        same(side -> "{\"csr\": ", 400);
        same(side -> "[]", ANY);
        // the same field twice: the resource's binding decides
        same(side -> side.good().build().toString().replaceFirst("\\{", "{\"agentName\":\"first-" + side.name() + "\","), ANY);
        // plain HTTP: refused before anything is read
        for (String accept : List.of("application/json", "application/json;q=0.9")) {
            HttpResponse<String> plain = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.http(AcaTestSupport.APPLICATIONS))
                    .header("Content-Type", "application/json").header("Accept", accept)
                    .POST(HttpRequest.BodyPublishers.ofString(Side.fresh().good().build().toString())).build());
            ProblemDetailsIT.assertProblem(plain, 403, "https-required");
        }
    }

    /**
     * Sends the body of each side, the lean way and the resource's way, and asserts that both answers
     * have the status ({@link #ANY}: whatever the resource answers), the same media type and Location
     * form, and the same body once what differs by nature is masked; returns the lean answer.
     */
    private static HttpResponse<String> same(Function<Side, String> body, int status) {
        Side leanSide = Side.fresh();
        Side resourceSide = Side.fresh();
        HttpResponse<String> lean = post(body.apply(leanSide), null);
        HttpResponse<String> resource = post(body.apply(resourceSide), "application/json;q=0.9");
        if (status != ANY) {
            assertEquals(status, lean.statusCode(), lean.body());
        }
        assertEquals(resource.statusCode(), lean.statusCode(), resource.body());
        boolean issued = lean.statusCode() == 201;
        assertEquals(resource.headers().firstValue("Content-Type"), lean.headers().firstValue("Content-Type"));
        if (issued) {
            for (HttpResponse<String> answer : List.of(lean, resource)) {
                String id = AcaTestSupport.json(answer.body()).getString("id");
                assertEquals(NodeServer.https(AcaTestSupport.APPLICATIONS + "/" + id),
                        URI.create(answer.headers().firstValue("Location").orElseThrow()), answer.body());
            }
        } else {
            assertEquals(resource.headers().firstValue("Location"), lean.headers().firstValue("Location"));
            ProblemDetailsIT.assertProblem(lean, lean.statusCode(), AcaTestSupport.json(resource.body()).getString("type")
                    .substring("https://agentnet.org/problems/".length()));
        }
        assertEquals(masked(resource.body(), resourceSide), masked(lean.body(), leanSide));
        return lean;
    }

    private static HttpResponse<String> post(String body, String accept) {
        HttpRequest.Builder request = NodeServer.request(NodeServer.https(AcaTestSupport.APPLICATIONS))
                .header("Content-Type", "application/json");
        if (accept != null) {
            request.header("Accept", accept);
        }
        return NodeServer.send(NodeServer.client(), request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The answer with what differs between two applications by nature masked: ids, serial, times, certificate, name. */
    private static String masked(String body, Side side) {
        return body.replaceAll("\"(id|serial|pem|submittedAt|decidedAt|notBefore|notAfter)\":\"[^\"]*\"", "\"$1\":\"x\"")
                .replaceAll("application [0-9a-f-]{36}", "application x")
                .replace(side.name(), "NAME");
    }

    private static String brokenSignature(String pem) {
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").trim());
        der[der.length - 5] ^= 0x01;
        assertTrue(der.length > 5);
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }
}
