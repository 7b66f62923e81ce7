package org.agentnet.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.agentnet.aca.CsrVerifier;
import org.agentnet.security.EcdsaSignatures;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The signature work of one certificate issuance, step by step, in this JVM (no server): the CSR's
 * check as the node makes it ({@code CsrVerifier.verify}), its proof of possession alone with each
 * way of verifying (JDK SunEC, BouncyCastle through the JCA, BouncyCastle's arithmetic directly as
 * {@code EcdsaSignatures} does), and the CA's signature each way. Every CSR has a key of its own, as
 * in the benchmark (a verifier that caches per key would look faster than it is). Prints the CPU
 * time of the measuring thread per operation, which the machine's load disturbs less than wall time.
 * Usage (after {@code mvn install} of the EJB module): {@code mvn -f bench/pom.xml -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.agentnet.bench.IssuanceCryptoMeasurement [-Dexec.args=2000]}
 */
public final class IssuanceCryptoMeasurement {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final Provider BC = new BouncyCastleProvider();

    private IssuanceCryptoMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        KeyPairGenerator generator = EnrollmentSupply.ecGenerator();
        List<String> pems = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pems.add(EnrollmentSupply.csr(generator.generateKeyPair(), "bench-" + i)); // as the benchmark makes them
        }
        List<PKCS10CertificationRequest> csrs = new ArrayList<>(n);
        for (String pem : pems) {
            csrs.add(new PKCS10CertificationRequest(
                    java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""))));
        }
        KeyPair ca = generator.generateKeyPair();
        PrivateKey caBc = KeyFactory.getInstance("EC", BC).generatePrivate(new PKCS8EncodedKeySpec(ca.getPrivate().getEncoded()));
        ECPrivateKeyParameters caParameters = EcdsaSignatures.privateKey(caBc);
        byte[] tbs = new byte[700]; // about an agent certificate's to-be-signed part
        new java.security.SecureRandom().nextBytes(tbs);

        for (int round = 1; round <= 2; round++) {
            System.out.printf("[bench] round %d, %d CSRs, each its own P-256 key (CPU time per operation)%n", round, n);
            time("CSR check as the node makes it (CsrVerifier.verify)", n, i -> CsrVerifier.verify(pems.get(i)));
            time("proof of possession, JDK SunEC", n, i -> verifyJca(csrs.get(i), null));
            time("proof of possession, BouncyCastle JCA", n, i -> verifyJca(csrs.get(i), BC));
            time("proof of possession, EcdsaSignatures", n, i -> {
                try {
                    PKCS10CertificationRequest csr = csrs.get(i);
                    SubjectPublicKeyInfo key = csr.getSubjectPublicKeyInfo();
                    if (!EcdsaSignatures.verify(EcdsaSignatures.publicKey(key), csr.getSignatureAlgorithm().getAlgorithm(),
                            csr.toASN1Structure().getCertificationRequestInfo().getEncoded(ASN1Encoding.DER), csr.getSignature())) {
                        throw new IllegalStateException("does not verify");
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            time("CA signature, JDK SunEC", n, i -> signJca(ca.getPrivate(), null, tbs));
            time("CA signature, BouncyCastle JCA (its own key object)", n, i -> signJca(caBc, BC, tbs));
            time("CA signature, EcdsaSignatures", n, i -> {
                try {
                    ContentSigner signer = EcdsaSignatures.signer(caParameters);
                    tbs[0]++;
                    signer.getOutputStream().write(tbs);
                    signer.getSignature();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    /**
     * As the node did before EcdsaSignatures: the CSR's key decoded into a new key object of the provider
     * (BouncyCastle keeps precomputed points on its key objects, so a key object used again verifies faster
     * than a new applicant's key does), then verified through the JCA.
     */
    private static void verifyJca(PKCS10CertificationRequest csr, Provider provider) {
        try {
            java.security.spec.X509EncodedKeySpec spki = new java.security.spec.X509EncodedKeySpec(
                    csr.getSubjectPublicKeyInfo().getEncoded());
            PublicKey key = (provider == null ? KeyFactory.getInstance("EC") : KeyFactory.getInstance("EC", provider))
                    .generatePublic(spki);
            JcaContentVerifierProviderBuilder builder = new JcaContentVerifierProviderBuilder();
            if (!csr.isSignatureValid((provider == null ? builder : builder.setProvider(provider)).build(key))) {
                throw new IllegalStateException("does not verify");
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void signJca(PrivateKey key, Provider provider, byte[] message) {
        try {
            Signature signature = provider == null ? Signature.getInstance("SHA256withECDSA")
                    : Signature.getInstance("SHA256withECDSA", provider);
            signature.initSign(key);
            message[0]++;
            signature.update(message);
            signature.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the operation n times after a warm-up of as many; prints the thread's CPU time per operation. */
    private static void time(String name, int n, IntConsumer operation) {
        for (int i = 0; i < n; i++) {
            operation.accept(i);
        }
        long start = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            operation.accept(i);
        }
        System.out.printf("[bench]   %-55s %7.1f us%n", name, (CPU.getCurrentThreadCpuTime() - start) / 1e3 / n);
    }
}
