package org.agentnet.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.operator.ContentSigner;

/**
 * ECDSA on named curves with BouncyCastle's own arithmetic, without the JCA: the hot path of
 * issuance (one CSR verification and one certificate signature per certificate). Measured on this
 * project's machine (P-256, CPU time, one thread): a CSR's proof of possession 211 us against 385 us
 * through BouncyCastle's JCA provider (which, for a key it has not seen, does the same arithmetic
 * with more around it), and 1,100 us with the JDK 17's SunEC. Signatures and encodings are the
 * standard ones (X9.62 DER {r, s}, strictly decoded), the nonce random as the JCA provider's.
 */
public final class EcdsaSignatures {

    /** The ECDSA signature algorithms this class verifies. */
    public static final Set<ASN1ObjectIdentifier> ECDSA = Set.of(X9ObjectIdentifiers.ecdsa_with_SHA256,
            X9ObjectIdentifiers.ecdsa_with_SHA384, X9ObjectIdentifiers.ecdsa_with_SHA512);

    private static final AlgorithmIdentifier SHA256_WITH_ECDSA = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    private static final Map<ASN1ObjectIdentifier, ECDomainParameters> CURVES = new ConcurrentHashMap<>();
    static final int KEPT_KEYS = 10_000;
    private static final Map<ByteBuffer, ECPublicKeyParameters> KEPT = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private EcdsaSignatures() {
    }

    /**
     * The EC public key of a SubjectPublicKeyInfo on a named curve, on BouncyCastle's optimized curve
     * (the point is checked: on the curve, not infinity); null when it is not such a key.
     *
     * @throws IllegalArgumentException when the point is not valid
     */
    public static ECPublicKeyParameters publicKey(SubjectPublicKeyInfo keyInfo) {
        ECDomainParameters domain = domain(keyInfo.getAlgorithm());
        if (domain == null) {
            return null;
        }
        return new ECPublicKeyParameters(domain.getCurve().decodePoint(keyInfo.getPublicKeyData().getOctets()), domain);
    }

    /**
     * As {@link #publicKey(SubjectPublicKeyInfo)} for a DER-encoded SubjectPublicKeyInfo, the decoded
     * key kept for the next time (at most {@value #KEPT_KEYS} keys; when full, it starts again): for keys
     * that sign again and again, an agent's messages checked at every gateway on their way.
     * BouncyCastle keeps the multiples of a point it precomputes with the point object, and a
     * verification with a key object used before took 100 us of CPU here against 240 us with a new one.
     */
    public static ECPublicKeyParameters publicKey(byte[] subjectPublicKeyInfo) {
        ByteBuffer encoded = ByteBuffer.wrap(subjectPublicKeyInfo.clone());
        ECPublicKeyParameters key = KEPT.get(encoded);
        if (key == null) {
            key = publicKey(SubjectPublicKeyInfo.getInstance(subjectPublicKeyInfo));
            if (key != null) {
                if (KEPT.size() >= KEPT_KEYS) {
                    KEPT.clear();
                }
                KEPT.put(encoded, key);
            }
        }
        return key;
    }

    /** Whether {@code signature} (DER {r, s}) is the ECDSA signature of {@code signed} with the algorithm. */
    public static boolean verify(ECPublicKeyParameters key, ASN1ObjectIdentifier algorithm, byte[] signed, byte[] signature) {
        Digest digest = digest(algorithm);
        if (digest == null) {
            return false;
        }
        BigInteger[] rs;
        try {
            rs = StandardDSAEncoding.INSTANCE.decode(key.getParameters().getN(), signature);
        } catch (IOException | IllegalArgumentException e) {
            return false; // not a strict DER {r, s}
        }
        byte[] hash = new byte[digest.getDigestSize()];
        digest.update(signed, 0, signed.length);
        digest.doFinal(hash, 0);
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, key);
        return verifier.verifySignature(hash, rs[0], rs[1]);
    }

    /** The private key of an EC software key on a named curve, for {@link #signer}; null for any other key. */
    public static ECPrivateKeyParameters privateKey(PrivateKey key) {
        byte[] encoded = key.getEncoded();
        if (!"EC".equals(key.getAlgorithm()) || encoded == null) {
            return null;
        }
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(encoded);
            ECDomainParameters domain = domain(info.getPrivateKeyAlgorithm());
            return domain == null ? null : new ECPrivateKeyParameters(
                    org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey()).getKey(), domain);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A SHA256withECDSA signer over the key (one signature; cheap to make). */
    public static ContentSigner signer(ECPrivateKeyParameters key) {
        ByteArrayOutputStream signed = new ByteArrayOutputStream(1024);
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return SHA256_WITH_ECDSA;
            }

            @Override
            public OutputStream getOutputStream() {
                return signed;
            }

            @Override
            public byte[] getSignature() {
                byte[] bytes = signed.toByteArray();
                SHA256Digest digest = new SHA256Digest();
                digest.update(bytes, 0, bytes.length);
                byte[] hash = new byte[digest.getDigestSize()];
                digest.doFinal(hash, 0);
                ECDSASigner signer = new ECDSASigner();
                signer.init(true, new ParametersWithRandom(key, RANDOM));
                BigInteger[] rs = signer.generateSignature(hash);
                try {
                    return StandardDSAEncoding.INSTANCE.encode(key.getParameters().getN(), rs[0], rs[1]);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static Digest digest(ASN1ObjectIdentifier algorithm) {
        if (algorithm.equals(X9ObjectIdentifiers.ecdsa_with_SHA256)) {
            return new SHA256Digest();
        }
        if (algorithm.equals(X9ObjectIdentifiers.ecdsa_with_SHA384)) {
            return new SHA384Digest();
        }
        if (algorithm.equals(X9ObjectIdentifiers.ecdsa_with_SHA512)) {
            return new SHA512Digest();
        }
        return null;
    }

    /** The optimized domain of an id-ecPublicKey algorithm with a named curve, or null. */
    private static ECDomainParameters domain(AlgorithmIdentifier algorithm) {
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
                || !(algorithm.getParameters() instanceof ASN1ObjectIdentifier curve)) {
            return null;
        }
        return CURVES.computeIfAbsent(curve, oid -> {
            X9ECParameters x9 = CustomNamedCurves.getByOID(oid);
            return x9 == null ? null : new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
        });
    }
}
