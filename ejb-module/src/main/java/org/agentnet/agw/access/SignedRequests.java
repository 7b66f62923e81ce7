package org.agentnet.agw.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.impl.ECDSA;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.security.EcdsaSignatures;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * Verifies a request an agent signed with its own key (compact JWS, RFC 7515) against the public
 * key of the client certificate it presents: a request signed by any other key is refused. The
 * algorithm follows the key: ES256 (EC P-256), ES384 (P-384), EdDSA (Ed25519), PS256 or RS256
 * (RSA); nothing the header says about keys ({@code jwk}, {@code x5c}, {@code kid}) is used.
 */
public final class SignedRequests {

    /** Longest compact JWS read (the request body limit is larger; a signed request is small). */
    public static final int MAX_LENGTH = 16_384;

    private static final JsonProvider JSON = JsonProvider.provider();
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32-byte key. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private SignedRequests() {
    }

    /** The algorithms a key may sign with. */
    static Set<JWSAlgorithm> algorithmsFor(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            return switch (ec.getParams().getCurve().getField().getFieldSize()) {
                case 256 -> Set.of(JWSAlgorithm.ES256);
                case 384 -> Set.of(JWSAlgorithm.ES384);
                default -> Set.of();
            };
        }
        if (key instanceof RSAPublicKey) {
            return Set.of(JWSAlgorithm.PS256, JWSAlgorithm.RS256);
        }
        return isEd25519(key) ? Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519) : Set.of();
    }

    /**
     * The JSON object the JWS carries, once its signature is verified with {@code key}.
     *
     * @throws AgentnetException malformed-body (not a compact JWS or not a JSON object) or
     *         invalid-signature (wrong algorithm for the key, critical headers, bad signature)
     */
    public static JsonObject verify(String compact, PublicKey key) {
        return verify(compact, key, MAX_LENGTH);
    }

    /** As {@link #verify(String, PublicKey)}, for a JWS of at most {@code maxLength} characters (relayed messages). */
    public static JsonObject verify(String compact, PublicKey key, int maxLength) {
        if (compact == null || compact.isBlank()) {
            throw new AgentnetException(ProblemType.MALFORMED_BODY, "the request is a compact JWS signed by the agent's key");
        }
        if (compact.length() > maxLength) {
            throw new AgentnetException(ProblemType.MALFORMED_BODY, "a signed request is at most " + maxLength + " characters");
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(compact.strip());
        } catch (ParseException e) {
            throw new AgentnetException(ProblemType.MALFORMED_BODY, "not a compact JWS: " + e.getMessage());
        }
        JWSAlgorithm algorithm = jws.getHeader().getAlgorithm();
        Set<JWSAlgorithm> allowed = algorithmsFor(key);
        if (!allowed.contains(algorithm)) {
            throw invalid("algorithm " + algorithm + " does not fit the certificate's key (expected one of " + allowed + ")");
        }
        if (jws.getHeader().getCriticalParams() != null && !jws.getHeader().getCriticalParams().isEmpty()) {
            throw invalid("critical header parameters are not supported: " + jws.getHeader().getCriticalParams());
        }
        if (!jws.getHeader().isBase64URLEncodePayload()) {
            throw invalid("an unencoded payload (b64=false) is not supported");
        }
        if (!verified(jws, algorithm, key)) {
            throw invalid("the signature does not verify with the key of the presented certificate");
        }
        try (var reader = JSON.createReader(new StringReader(jws.getPayload().toString()))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException | NumberFormatException e) {
            throw new AgentnetException(ProblemType.MALFORMED_BODY, "the JWS payload is not a JSON object");
        } catch (RuntimeException e) {
            // the parser's own refusals that are no JsonException (nesting beyond its depth limit)
            throw new AgentnetException(ProblemType.MALFORMED_BODY, "the JWS payload is not a JSON object this gateway reads");
        }
    }

    private static boolean verified(JWSObject jws, JWSAlgorithm algorithm, PublicKey key) {
        try {
            if (key instanceof ECPublicKey ec) {
                return verifiedEc(jws, algorithm, ec);
            }
            if (key instanceof RSAPublicKey rsa) {
                JWSVerifier verifier = new RSASSAVerifier(rsa);
                return jws.verify(verifier);
            }
            // Ed25519 with the JDK's provider: Nimbus would need Google Tink for it
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(key.getEncoded())));
            signature.update(jws.getSigningInput());
            return signature.verify(jws.getSignature().decode());
        } catch (JOSEException | GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * ES256/ES384 with BouncyCastle's own arithmetic ({@link EcdsaSignatures}, as the ACA's CSR checks):
     * every message is verified at each gateway on its way, and the JDK 17's SunEC, which Nimbus's
     * verifier uses, is several times slower. The JWS signature is R || S of the curve's size (a
     * signature of another length is refused, as by Nimbus), checked as a strict DER {r, s} with
     * 0 < r, s < n. A key on a curve without BouncyCastle's named parameters goes to Nimbus.
     */
    private static boolean verifiedEc(JWSObject jws, JWSAlgorithm algorithm, ECPublicKey key) throws JOSEException {
        ECPublicKeyParameters parameters;
        try {
            parameters = EcdsaSignatures.publicKey(key.getEncoded());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (parameters == null) {
            return jws.verify(new ECDSAVerifier(key));
        }
        byte[] signature = jws.getSignature().decode();
        if (signature.length != ECDSA.getSignatureByteArrayLength(algorithm)) {
            return false;
        }
        ASN1ObjectIdentifier digest = JWSAlgorithm.ES384.equals(algorithm) ? X9ObjectIdentifiers.ecdsa_with_SHA384
                : X9ObjectIdentifiers.ecdsa_with_SHA256;
        return EcdsaSignatures.verify(parameters, digest, jws.getSigningInput(), ECDSA.transcodeSignatureToDER(signature));
    }

    static boolean isEd25519(PublicKey key) {
        byte[] encoded = key.getEncoded();
        return encoded != null && encoded.length == ED25519_SPKI_PREFIX.length + 32
                && Arrays.equals(encoded, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0, ED25519_SPKI_PREFIX.length);
    }

    private static AgentnetException invalid(String detail) {
        return new AgentnetException(ProblemType.INVALID_SIGNATURE, detail);
    }
}
