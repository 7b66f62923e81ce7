package org.agentnet.agw.message;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;

/**
 * A message payload encrypted to the target agent's key (docs/agw.md "Encrypted payloads"): the
 * signed message's {@code contentType} is {@code application/jose} and its {@code payload} a compact
 * JWE (RFC 7516) made with the public key of the target's certificate - ECDH-ES+A256KW for an EC
 * P-256/P-384 key, RSA-OAEP-256 for an RSA key, content encrypted with A256GCM. The sender signs the
 * message around it as for any message, so every gateway verifies who sent it without being able to
 * read it, and the target verifies before it decrypts.
 *
 * <p>Gateways check only what they can see, the JWE's protected header, never holding a key: the
 * algorithms above, no compression ({@code zip}: compressing before encrypting leaks the plaintext's
 * size pattern), no critical extensions, {@code iss} = the sender's agent URI and {@code aud} = the
 * target agent ID (RFC 7519 5.3, claims replicated as header parameters). The protected header is
 * authenticated by the content encryption, so nobody who cannot decrypt can change it: a third
 * agent that re-signs a ciphertext it copied is refused because {@code iss} names the author.
 */
public final class EncryptedPayload {

    /** The content type of a message whose payload is a compact JWE. */
    public static final String MEDIA_TYPE = "application/jose";

    public static final Set<JWEAlgorithm> ALGORITHMS = Set.of(JWEAlgorithm.ECDH_ES_A256KW, JWEAlgorithm.RSA_OAEP_256);
    public static final EncryptionMethod ENCRYPTION = EncryptionMethod.A256GCM;

    private EncryptedPayload() {
    }

    /** Whether the content type says the payload is encrypted ({@code application/jose}, parameters aside). */
    public static boolean isEncrypted(String contentType) {
        int semicolon = contentType.indexOf(';');
        String base = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return base.toLowerCase(Locale.ROOT).equals(MEDIA_TYPE);
    }

    /**
     * Checks an encrypted payload as a gateway can, without decrypting it.
     *
     * @throws AgentnetException validation-failed, saying what is wrong
     */
    public static void check(JsonValue payload, String senderUri, String target) {
        Fields.require(payload instanceof JsonString, "an application/jose payload is a string: a compact JWE");
        JWEObject jwe;
        try {
            jwe = JWEObject.parse(((JsonString) payload).getString());
        } catch (ParseException | RuntimeException e) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED,
                    "an application/jose payload is a compact JWE (five base64url parts): " + e.getMessage());
        }
        JWEHeader header = jwe.getHeader();
        Fields.require(ALGORITHMS.contains(header.getAlgorithm()), "the encrypted payload's alg must be one of "
                + ALGORITHMS + ", not " + header.getAlgorithm());
        Fields.require(ENCRYPTION.equals(header.getEncryptionMethod()), "the encrypted payload's enc must be " + ENCRYPTION
                + ", not " + header.getEncryptionMethod());
        Fields.require(header.getCompressionAlgorithm() == null, "the encrypted payload must not be compressed (zip)");
        Fields.require(header.getCriticalParams() == null || header.getCriticalParams().isEmpty(),
                "the encrypted payload has critical header parameters (crit) the gateway does not know");
        Fields.require(senderUri.equals(header.getIssuer()), "the encrypted payload's protected header must name "
                + "its author: iss = the sender's agent URI " + senderUri);
        Fields.require(java.util.List.of(target).equals(header.getAudience()), "the encrypted payload's protected header must name "
                + "its reader: aud = the target agent ID " + target);
    }

    /** The key-management algorithm for a target's public key: EC -> ECDH-ES+A256KW, RSA -> RSA-OAEP-256; none for others (Ed25519). */
    public static Optional<JWEAlgorithm> algorithmFor(PublicKey key) {
        if (key instanceof ECPublicKey) {
            return Optional.of(JWEAlgorithm.ECDH_ES_A256KW);
        }
        if (key instanceof RSAPublicKey) {
            return Optional.of(JWEAlgorithm.RSA_OAEP_256);
        }
        return Optional.empty();
    }
}
