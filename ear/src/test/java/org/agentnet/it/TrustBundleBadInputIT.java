package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever is not one currently valid CA certificate is refused with a 4xx problem, and the bundle stays as it was. */
class TrustBundleBadInputIT {

    private static List<JsonObject> before;

    @BeforeAll
    static void remember() {
        before = TrustBundleIT.list();
    }

    @AfterAll
    static void nothingChanged() {
        assertEquals(before.stream().map(e -> e.getString("alias")).sorted().toList(),
                TrustBundleIT.list().stream().map(e -> e.getString("alias")).sorted().toList());
    }

    static Stream<Arguments> notOneUsableCaCertificate() {
        KeyPair keys = TestPki.ecKeys();
        Instant now = Instant.now();
        String validCa = TestPki.pem(TestPki.certificate("CN=Bad Input CA", keys, null, keys, true, KeyUsage.keyCertSign,
                now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1)), null));
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("not PEM", "hello"),
                Arguments.of("two certificates", validCa + validCa),
                Arguments.of("text around the block", "issuer: me\n" + validCa),
                Arguments.of("bad base64", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"),
                Arguments.of("not DER", "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n"),
                Arguments.of("a private key", "-----BEGIN PRIVATE KEY-----\naGVsbG8gd29ybGQ=\n-----END PRIVATE KEY-----\n"),
                Arguments.of("an end-entity certificate", TestPki.pem(TestPki.certificate("CN=leaf", keys, null, keys, false,
                        KeyUsage.digitalSignature, now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1)), null))),
                Arguments.of("a CA without keyCertSign", TestPki.pem(TestPki.certificate("CN=No Sign CA", keys, null, keys, true,
                        KeyUsage.cRLSign, now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1)), null))),
                Arguments.of("an expired CA", TestPki.pem(TestPki.certificate("CN=Expired CA", keys, null, keys, true,
                        KeyUsage.keyCertSign, now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)), null))),
                Arguments.of("a CA not yet valid", TestPki.pem(TestPki.certificate("CN=Future CA", keys, null, keys, true,
                        KeyUsage.keyCertSign, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)), null))),
                Arguments.of("too long", "-----BEGIN CERTIFICATE-----\n" + "A".repeat(20_000) + "\n-----END CERTIFICATE-----\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notOneUsableCaCertificate")
    void isRefusedAsJson(String what, String pem) {
        assertProblem(400, TrustBundleIT.post(pem));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notOneUsableCaCertificate")
    void isRefusedAsPem(String what, String pem) {
        assertProblem(400, NodeServer.send(NodeServer.client(), TrustBundleIT.admin(TrustBundleIT.BUNDLE)
                .header("Content-Type", "application/x-pem-file").POST(HttpRequest.BodyPublishers.ofString(pem)).build()));
    }

    @Test
    void malformedOrIncompleteJsonIsRefused() {
        for (String body : List.of("{", "{}", "{\"pem\": 42}", "[]", "null")) {
            HttpResponse<String> response = NodeServer.send(NodeServer.client(), TrustBundleIT.admin(TrustBundleIT.BUNDLE)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertProblem(400, response);
        }
    }

    @Test
    void otherMediaTypesAreRefused() {
        assertProblem(415, NodeServer.send(NodeServer.client(), TrustBundleIT.admin(TrustBundleIT.BUNDLE)
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofString("<x/>")).build()));
    }

    @Test
    void onlyOperatorsMayChangeTheBundle() {
        HttpResponse<String> anonymous = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https(TrustBundleIT.BUNDLE))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"pem\":\"x\"}")).build());
        assertProblem(401, anonymous);
        HttpResponse<String> delete = NodeServer.send(NodeServer.client(), NodeServer.request(
                NodeServer.https(TrustBundleIT.BUNDLE + "/agentnet-aca")).DELETE().build());
        assertProblem(401, delete);
    }

    @Test
    void removingAnUnknownCaIsNotFound() {
        assertProblem(404, NodeServer.send(NodeServer.client(), TrustBundleIT.admin(TrustBundleIT.BUNDLE + "/ca-0000000000000000")
                .DELETE().build()));
        assertProblem(404, NodeServer.send(NodeServer.client(), TrustBundleIT.admin(TrustBundleIT.BUNDLE + "/" + "ab".repeat(32))
                .DELETE().build()));
    }

    private static void assertProblem(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                response.headers().map() + " " + response.body());
    }
}
