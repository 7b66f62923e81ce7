package org.agentnet.aca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.security.CryptoProviders;
import org.agentnet.security.EcdsaSignatures;
import org.agentnet.security.Pem;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Checks a PKCS#10 request before anything is certified (RFC 2986, and the key checks CAs such as
 * Let's Encrypt apply): strict PEM and DER, a permitted key (EC P-256/P-384 with a valid point,
 * Ed25519, RSA 2048-4096 with a sane modulus and exponent), a permitted signature algorithm (no
 * MD5, no SHA-1), and a self-signature that verifies (proof of possession).
 */
public final class CsrVerifier {

    public static final int MAX_PEM_LENGTH = 16_000;
    static final String LABEL = "CERTIFICATE REQUEST";

    private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "P-256",
            SECObjectIdentifiers.secp384r1, "P-384");

    private static final Set<ASN1ObjectIdentifier> SIGNATURES = Set.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption, PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption,
            X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512,
            EdECObjectIdentifiers.id_Ed25519);

    /** Small primes up to 751: an RSA modulus divisible by one of them is broken (Boulder's check). */
    private static final int[] SMALL_PRIMES = java.util.stream.IntStream.rangeClosed(2, 751)
            .filter(n -> BigInteger.valueOf(n).isProbablePrime(30)).toArray();

    private CsrVerifier() {
    }

    public static VerifiedCsr verify(String pem) {
        if (pem != null && pem.length() > MAX_PEM_LENGTH) {
            throw invalid("the CSR is longer than " + MAX_PEM_LENGTH + " characters");
        }
        byte[] der = Pem.decodeSingle(pem, LABEL, ProblemType.INVALID_CSR);
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(der);
            if (!java.util.Arrays.equals(csr.getEncoded(), der)) {
                throw invalid("the CSR is not in DER (trailing or non-canonical bytes)");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof AgentnetException known) {
                throw known;
            }
            throw invalid("the CSR is not a PKCS#10 structure");
        }
        AlgorithmIdentifier signature = csr.getSignatureAlgorithm();
        if (!SIGNATURES.contains(signature.getAlgorithm())) {
            throw new AgentnetException(ProblemType.KEY_NOT_PERMITTED, "signature algorithm " + signature.getAlgorithm()
                    + " is not permitted: use SHA-256 or stronger with RSA or ECDSA, or Ed25519");
        }
        SubjectPublicKeyInfo keyInfo = csr.getSubjectPublicKeyInfo();
        String description = checkKey(keyInfo);
        // an EC key's proof of possession is checked on BouncyCastle's own curve arithmetic, without the JCA,
        // and needs no JCA key object (checkKey has decoded and checked its point)
        boolean ecdsa = description.startsWith("EC ") && EcdsaSignatures.ECDSA.contains(signature.getAlgorithm());
        PublicKey publicKey = null;
        if (!ecdsa) {
            try {
                // the signature provider's own key object: it would convert a JDK key on every verification
                publicKey = new JcaPEMKeyConverter().setProvider(CryptoProviders.SIGNATURES).getPublicKey(keyInfo);
            } catch (IOException e) {
                throw new AgentnetException(ProblemType.KEY_NOT_PERMITTED, "the public key cannot be decoded");
            }
            if (publicKey instanceof RSAPublicKey rsa) {
                checkRsa(rsa);
            }
        }
        try {
            ECPublicKeyParameters point = ecdsa ? EcdsaSignatures.publicKey(keyInfo) : null;
            boolean valid = point != null ? EcdsaSignatures.verify(point, signature.getAlgorithm(),
                    csr.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER), csr.getSignature())
                    : csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
                            .setProvider(CryptoProviders.SIGNATURES).build(publicKey));
            if (!valid) {
                throw invalid("the CSR's signature does not verify with its public key (no proof of possession)");
            }
        } catch (OperatorCreationException | PKCSException | IOException | RuntimeException e) {
            if (e instanceof AgentnetException known) {
                throw known;
            }
            throw invalid("the CSR's signature cannot be verified");
        }
        return new VerifiedCsr(Pem.encode(LABEL, der), keyInfo, fingerprint(keyInfo), description);
    }

    /** SHA-256 over the DER SubjectPublicKeyInfo, lower-case hex: how keys are compared. */
    public static String fingerprint(SubjectPublicKeyInfo keyInfo) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(keyInfo.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String checkKey(SubjectPublicKeyInfo keyInfo) {
        ASN1ObjectIdentifier algorithm = keyInfo.getAlgorithm().getAlgorithm();
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            if (!(keyInfo.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve) || !CURVES.containsKey(curve)) {
                throw new AgentnetException(ProblemType.KEY_NOT_PERMITTED,
                        "EC keys must be on a named curve P-256 or P-384");
            }
            X9ECParameters parameters = ECNamedCurveTable.getByOID(curve);
            try {
                ECPoint point = parameters.getCurve().decodePoint(keyInfo.getPublicKeyData().getOctets());
                // isValid: on the curve, and of order n (BouncyCastle multiplies by n when the cofactor is
                // not 1; P-256 and P-384 have cofactor 1, where every point but infinity has order n, so
                // multiplying again, as costly as a signature, would prove nothing more)
                if (point.isInfinity() || !point.isValid()) {
                    throw new IllegalArgumentException("point of wrong order");
                }
            } catch (IllegalArgumentException e) {
                throw new AgentnetException(ProblemType.KEY_NOT_PERMITTED, "the EC public key is not a valid curve point");
            }
            return "EC " + CURVES.get(curve);
        }
        if (algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
            return "Ed25519";
        }
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return "RSA";
        }
        if (algorithm.getId().startsWith("1.2.840.10040")) {
            throw new AgentnetException(ProblemType.KEY_NOT_PERMITTED, "DSA keys are not permitted");
        }
        throw new AgentnetException(ProblemType.KEY_NOT_PERMITTED, "key algorithm " + algorithm
                + " is not permitted: use EC P-256/P-384, Ed25519 or RSA 2048-4096");
    }

    private static void checkRsa(RSAPublicKey rsa) {
        BigInteger modulus = rsa.getModulus();
        int bits = modulus.bitLength();
        if (bits < 2048 || bits > 4096 || bits % 8 != 0) {
            throw new AgentnetException(ProblemType.KEY_NOT_PERMITTED,
                    "RSA keys must be 2048 to 4096 bits, a multiple of 8 (this one is " + bits + ")");
        }
        BigInteger exponent = rsa.getPublicExponent();
        if (!exponent.testBit(0) || exponent.compareTo(BigInteger.valueOf(65537)) < 0 || exponent.bitLength() > 256) {
            throw new AgentnetException(ProblemType.KEY_NOT_PERMITTED, "the RSA public exponent must be odd and at least 65537");
        }
        for (int prime : SMALL_PRIMES) {
            if (modulus.mod(BigInteger.valueOf(prime)).signum() == 0) {
                throw new AgentnetException(ProblemType.KEY_NOT_PERMITTED, "the RSA modulus has a small prime factor");
            }
        }
    }

    private static AgentnetException invalid(String detail) {
        return new AgentnetException(ProblemType.INVALID_CSR, detail);
    }
}
