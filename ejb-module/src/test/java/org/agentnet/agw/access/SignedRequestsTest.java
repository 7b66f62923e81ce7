package org.agentnet.agw.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.junit.jupiter.api.Test;

class SignedRequestsTest {

    private static final String PAYLOAD = "{\"agentId\":\"a1\",\"iat\":1700000000,\"jti\":\"j1\"}";

    static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    static KeyPair of(String algorithm, int size) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (size > 0) {
            generator.initialize(size);
        }
        return generator.generateKeyPair();
    }

    static String signEc(KeyPair keys, JWSAlgorithm algorithm, String payload) throws JOSEException {
        JWSObject jws = new JWSObject(new JWSHeader(algorithm), new Payload(payload));
        jws.sign(new ECDSASigner((ECPrivateKey) keys.getPrivate()));
        return jws.serialize();
    }

    static String signRsa(KeyPair keys, JWSAlgorithm algorithm, String payload) throws JOSEException {
        JWSObject jws = new JWSObject(new JWSHeader(algorithm), new Payload(payload));
        jws.sign(new RSASSASigner(keys.getPrivate()));
        return jws.serialize();
    }

    /** EdDSA by hand with the JDK, as an agent without Tink would do it. */
    static String signEd25519(KeyPair keys, String payload) throws GeneralSecurityException {
        String input = Base64URL.encode("{\"alg\":\"EdDSA\"}").toString() + "." + Base64URL.encode(payload);
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(keys.getPrivate());
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64URL.encode(signature.sign());
    }

    @Test
    void verifiesEachKeyTypeWithItsAlgorithm() throws Exception {
        KeyPair p256 = ec("secp256r1");
        assertEquals("a1", SignedRequests.verify(signEc(p256, JWSAlgorithm.ES256, PAYLOAD), p256.getPublic()).getString("agentId"));
        KeyPair p384 = ec("secp384r1");
        assertEquals("a1", SignedRequests.verify(signEc(p384, JWSAlgorithm.ES384, PAYLOAD), p384.getPublic()).getString("agentId"));
        KeyPair ed = of("Ed25519", 0);
        assertEquals("a1", SignedRequests.verify(signEd25519(ed, PAYLOAD), ed.getPublic()).getString("agentId"));
        KeyPair rsa = of("RSA", 2048);
        assertEquals("j1", SignedRequests.verify(signRsa(rsa, JWSAlgorithm.PS256, PAYLOAD), rsa.getPublic()).getString("jti"));
        assertEquals("j1", SignedRequests.verify(signRsa(rsa, JWSAlgorithm.RS256, PAYLOAD), rsa.getPublic()).getString("jti"));
    }

    @Test
    void refusesAnotherKeyOfTheSameType() throws Exception {
        KeyPair signer = ec("secp256r1");
        KeyPair certified = ec("secp256r1");
        assertProblem(ProblemType.INVALID_SIGNATURE, () -> SignedRequests.verify(signEc(signer, JWSAlgorithm.ES256, PAYLOAD), certified.getPublic()));
        KeyPair ed = of("Ed25519", 0);
        assertProblem(ProblemType.INVALID_SIGNATURE, () -> SignedRequests.verify(signEd25519(ed, PAYLOAD), of("Ed25519", 0).getPublic()));
        KeyPair rsa = of("RSA", 2048);
        assertProblem(ProblemType.INVALID_SIGNATURE, () -> SignedRequests.verify(signRsa(rsa, JWSAlgorithm.PS256, PAYLOAD), of("RSA", 2048).getPublic()));
    }

    @Test
    void aKeyKeptFromAnEarlierCheckStillTellsItsOwnSignaturesFromOthers() throws Exception {
        KeyPair sender = ec("secp256r1");
        KeyPair other = ec("secp256r1");
        for (int message = 0; message < 3; message++) { // the first check decodes the key, the next ones reuse it
            assertEquals("a1", SignedRequests.verify(signEc(sender, JWSAlgorithm.ES256, PAYLOAD), sender.getPublic()).getString("agentId"));
            assertProblem(ProblemType.INVALID_SIGNATURE, () -> SignedRequests.verify(signEc(other, JWSAlgorithm.ES256, PAYLOAD), sender.getPublic()));
            assertEquals("a1", SignedRequests.verify(signEc(other, JWSAlgorithm.ES256, PAYLOAD), other.getPublic()).getString("agentId"));
        }
    }

    @Test
    void refusesATamperedPayload() throws Exception {
        KeyPair keys = ec("secp256r1");
        String[] parts = signEc(keys, JWSAlgorithm.ES256, PAYLOAD).split("\\.");
        String tampered = parts[0] + "." + Base64URL.encode(PAYLOAD.replace("a1", "a2")) + "." + parts[2];
        assertProblem(ProblemType.INVALID_SIGNATURE, () -> SignedRequests.verify(tampered, keys.getPublic()));
    }

    /** ES256/ES384 are checked with BouncyCastle's arithmetic: the refusals Nimbus made stay refusals. */
    @Test
    void refusesMalformedEcSignatures() throws Exception {
        KeyPair keys = ec("secp256r1");
        String[] parts = signEc(keys, JWSAlgorithm.ES256, PAYLOAD).split("\\.");
        byte[] signature = new Base64URL(parts[2]).decode();
        String input = parts[0] + "." + parts[1] + ".";
        // R || S of another length, a DER signature instead of R || S, r = s = 0 ("psychic signature"), r and s swapped
        assertProblem(ProblemType.INVALID_SIGNATURE, () -> SignedRequests.verify(input
                + Base64URL.encode(java.util.Arrays.copyOf(signature, 63)), keys.getPublic()));
        assertProblem(ProblemType.INVALID_SIGNATURE, () -> SignedRequests.verify(input
                + Base64URL.encode(com.nimbusds.jose.crypto.impl.ECDSA.transcodeSignatureToDER(signature)), keys.getPublic()));
        assertProblem(ProblemType.INVALID_SIGNATURE, () -> SignedRequests.verify(input + Base64URL.encode(new byte[64]), keys.getPublic()));
        byte[] swapped = new byte[64];
        System.arraycopy(signature, 32, swapped, 0, 32);
        System.arraycopy(signature, 0, swapped, 32, 32);
        assertProblem(ProblemType.INVALID_SIGNATURE, () -> SignedRequests.verify(input + Base64URL.encode(swapped), keys.getPublic()));
        // an ES384 signature (96 bytes) under an ES256 header
        KeyPair p384 = ec("secp384r1");
        String es384 = signEc(p384, JWSAlgorithm.ES384, PAYLOAD).split("\\.")[2];
        assertProblem(ProblemType.INVALID_SIGNATURE, () -> SignedRequests.verify(input + es384, keys.getPublic()));
    }

    @Test
    void refusesAnAlgorithmThatDoesNotFitTheKey() throws Exception {
        KeyPair rsa = of("RSA", 2048);
        assertProblem(ProblemType.INVALID_SIGNATURE, () -> SignedRequests.verify(signRsa(rsa, JWSAlgorithm.RS512, PAYLOAD), rsa.getPublic()));
        // an unsigned JWS ("none") and an HMAC keyed with public data are never accepted
        String none = Base64URL.encode("{\"alg\":\"none\"}") + "." + Base64URL.encode(PAYLOAD) + ".";
        assertProblem(ProblemType.MALFORMED_BODY, () -> SignedRequests.verify(none, rsa.getPublic()));
        String hs = Base64URL.encode("{\"alg\":\"HS256\"}") + "." + Base64URL.encode(PAYLOAD) + ".AAAA";
        assertProblem(ProblemType.INVALID_SIGNATURE, () -> SignedRequests.verify(hs, rsa.getPublic()));
        KeyPair p256 = ec("secp256r1");
        assertProblem(ProblemType.INVALID_SIGNATURE, () -> SignedRequests.verify(signEc(p256, JWSAlgorithm.ES256, PAYLOAD), ec("secp384r1").getPublic()));
    }

    @Test
    void refusesWhatIsNotACompactJwsOfAJsonObject() throws Exception {
        KeyPair keys = ec("secp256r1");
        assertProblem(ProblemType.MALFORMED_BODY, () -> SignedRequests.verify("", keys.getPublic()));
        assertProblem(ProblemType.MALFORMED_BODY, () -> SignedRequests.verify("not.a-jws", keys.getPublic()));
        assertProblem(ProblemType.MALFORMED_BODY, () -> SignedRequests.verify("x".repeat(SignedRequests.MAX_LENGTH + 1), keys.getPublic()));
        assertProblem(ProblemType.MALFORMED_BODY, () -> SignedRequests.verify(signEc(keys, JWSAlgorithm.ES256, "[1,2]"), keys.getPublic()));
    }

    static void assertProblem(ProblemType type, org.junit.jupiter.api.function.Executable call) {
        AgentnetException e = assertThrows(AgentnetException.class, call);
        assertEquals(type, e.type(), e.getMessage());
    }
}
