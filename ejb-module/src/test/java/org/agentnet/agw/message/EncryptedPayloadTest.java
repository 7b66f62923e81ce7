package org.agentnet.agw.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.CompressionAlgorithm;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.junit.jupiter.api.Test;

/** Encrypted payloads as a sender makes them with nimbus-jose-jwt, checked as a gateway does, decrypted as the target does. */
class EncryptedPayloadTest {

    private static final String SENDER = "agent://a.example/Acme/sender";
    private static final String TARGET = "6f1c0a5e-1f7e-4c55-9d58-0f0f5d2b6a11";
    private static final String SECRET = "{\"card\":\"4111 1111 1111 1111\"}";

    private final KeyPair ec = keys("EC");
    private final KeyPair rsa = keys("RSA");

    @Test
    void aPayloadEncryptedToTheTargetsEcOrRsaKeyPassesTheGatewayAndOnlyTheTargetReadsIt() throws Exception {
        String toEc = encrypt(header(JWEAlgorithm.ECDH_ES_A256KW).build(), ec);
        String toRsa = encrypt(header(JWEAlgorithm.RSA_OAEP_256).build(), rsa);
        for (String jwe : new String[] {toEc, toRsa}) {
            JsonObject claims = message(jwe).build();
            MessageClaims read = MessageClaims.read(claims, SENDER);
            assertEquals(EncryptedPayload.MEDIA_TYPE, read.contentType());
            assertFalse(claims.toString().contains("4111"), "the gateway sees no plaintext");
        }
        JWEObject atTarget = JWEObject.parse(toEc);
        atTarget.decrypt(new ECDHDecrypter((ECPrivateKey) ec.getPrivate()));
        assertEquals(SECRET, atTarget.getPayload().toString());
        assertEquals(SENDER, atTarget.getHeader().getIssuer());
        JWEObject rsaAtTarget = JWEObject.parse(toRsa);
        rsaAtTarget.decrypt(new RSADecrypter(rsa.getPrivate()));
        assertEquals(SECRET, rsaAtTarget.getPayload().toString());

        assertEquals(JWEAlgorithm.ECDH_ES_A256KW, EncryptedPayload.algorithmFor(ec.getPublic()).orElseThrow());
        assertEquals(JWEAlgorithm.RSA_OAEP_256, EncryptedPayload.algorithmFor(rsa.getPublic()).orElseThrow());
        assertTrue(EncryptedPayload.algorithmFor(keys("Ed25519").getPublic()).isEmpty());
    }

    @Test
    void whatAGatewayCanSeeWrongIsRefused() throws Exception {
        refused(message(encrypt(header(JWEAlgorithm.ECDH_ES_A256KW).issuer("agent://a.example/Acme/other").build(), ec)),
                "iss");
        refused(message(encrypt(header(JWEAlgorithm.ECDH_ES_A256KW).audience(java.util.List.of("another-agent")).build(), ec)), "aud");
        refused(message(encrypt(new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM).build(), ec)), "iss");
        refused(message(encrypt(header(JWEAlgorithm.ECDH_ES).build(), ec)), "alg");
        refused(message(encrypt(header(JWEAlgorithm.RSA_OAEP_256).build(), rsa).replaceFirst("^[^.]+",
                com.nimbusds.jose.util.Base64URL.encode(header(JWEAlgorithm.RSA1_5).build().toString()).toString())), "alg");
        refused(message(encrypt(new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A128CBC_HS256)
                .issuer(SENDER).audience(java.util.List.of(TARGET)).build(), ec)), "enc");
        refused(message(encrypt(header(JWEAlgorithm.ECDH_ES_A256KW).compressionAlgorithm(CompressionAlgorithm.DEF).build(), ec)), "zip");
        refused(message("eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ.c2ln"), "compact JWE"); // a JWS is not an encrypted payload
        refused(message("the plaintext, labelled as encrypted"), "compact JWE");
        refused(message(SECRET).add("payload", Json.createObjectBuilder().add("card", "4111")), "string");
    }

    @Test
    void otherContentTypesAreNotEncryptedPayloads() {
        assertTrue(EncryptedPayload.isEncrypted("application/jose"));
        assertTrue(EncryptedPayload.isEncrypted("Application/JOSE; charset=us-ascii"));
        assertFalse(EncryptedPayload.isEncrypted("application/jose+json"));
        assertFalse(EncryptedPayload.isEncrypted("application/json"));
        MessageClaims.read(message("not encrypted").add("contentType", "text/plain").build(), SENDER);
    }

    private static JWEHeader.Builder header(JWEAlgorithm algorithm) {
        return new JWEHeader.Builder(algorithm, EncryptionMethod.A256GCM).contentType("application/json")
                .issuer(SENDER).audience(java.util.List.of(TARGET));
    }

    private static String encrypt(JWEHeader header, KeyPair target) throws Exception {
        JWEObject jwe = new JWEObject(header, new Payload(SECRET));
        if (target.getPublic() instanceof ECPublicKey key) {
            jwe.encrypt(new ECDHEncrypter(key));
        } else {
            jwe.encrypt(new RSAEncrypter((RSAPublicKey) target.getPublic()));
        }
        return jwe.serialize();
    }

    private static JsonObjectBuilder message(String payload) {
        return Json.createObjectBuilder().add("target", TARGET).add("contentType", EncryptedPayload.MEDIA_TYPE)
                .add("payload", payload).add("iat", 1_796_035_200L).add("jti", "j-1");
    }

    private static void refused(JsonObjectBuilder claims, String why) {
        AgentnetException e = assertThrows(AgentnetException.class, () -> MessageClaims.read(claims.build(), SENDER));
        assertEquals(ProblemType.VALIDATION_FAILED, e.type());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    private static KeyPair keys(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else if (algorithm.equals("RSA")) {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
