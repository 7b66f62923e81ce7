package org.agentnet.aca;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.logging.Logger;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.security.CryptoProviders;
import org.agentnet.security.EcdsaSignatures;
import org.agentnet.security.NodeTrustStore;
import org.agentnet.security.ServerFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The ACA's signing identity: its private key and certificate chain. On first start it creates
 * an EC P-256 key and a self-signed root in the CA keystore; an operator may instead place a
 * keystore there holding a key and a chain signed by an external root (docs/aca.md). The private
 * key stays in this bean and the keystore: never in the database, the logs or the API.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class CertificateAuthority {

    private static final Logger LOG = Logger.getLogger(CertificateAuthority.class.getName());

    @Inject
    AcaSettings settings;

    @Inject
    NodeSettings node;

    @Inject
    NodeTrustStore trustStore;

    @Inject
    Clock clock;

    private volatile PrivateKey key;
    /** An EC software key as BouncyCastle's own parameters: signed without the JCA (EcdsaSignatures). */
    private volatile ECPrivateKeyParameters ecKey;
    private volatile List<X509Certificate> chain = List.of();

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void open() {
        if (!node.isEnabled(Component.ACA)) {
            return;
        }
        try {
            Path path = settings.keystorePath();
            if (!Files.exists(path)) {
                createRoot(path);
            }
            load(path);
            if (trustStore.isAvailable()) {
                trustStore.trust(NodeTrustStore.LOCAL_ACA_ALIAS, caCertificate());
            }
            LOG.info(() -> "ACA signing as " + caCertificate().getSubjectX500Principal().getName()
                    + " until " + caCertificate().getNotAfter().toInstant());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the CA keystore", e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot open the CA keystore", e);
        }
    }

    public boolean isReady() {
        return key != null;
    }

    /** The CA certificate that signs, first, then its issuers up to the root. */
    public List<X509Certificate> chain() {
        requireReady();
        return chain;
    }

    public X509Certificate caCertificate() {
        return chain().get(0);
    }

    /** Signs a certificate with the CA key (as encoded: no JDK certificate object is made from it). */
    public X509CertificateHolder sign(X509v3CertificateBuilder builder) {
        try {
            return builder.build(signer());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** Signs a CRL with the CA key. */
    public byte[] sign(X509v2CRLBuilder builder) {
        try {
            return builder.build(signer()).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** A signer over the CA key, for OCSP responses and the like. */
    public ContentSigner signer() throws OperatorCreationException {
        requireReady();
        ECPrivateKeyParameters ec = ecKey;
        if (ec != null) {
            return EcdsaSignatures.signer(ec);
        }
        JcaContentSignerBuilder builder = new JcaContentSignerBuilder(signatureAlgorithm(key));
        return (CryptoProviders.canSignWith(key) ? builder.setProvider(CryptoProviders.SIGNATURES) : builder).build(key);
    }

    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalStateException("unsupported CA key algorithm " + key.getAlgorithm());
        };
    }

    private void requireReady() {
        if (key == null) {
            throw new IllegalStateException("the ACA is not enabled on this node");
        }
    }

    /**
     * The key as the signing provider's own key object, converted once: given the JDK's key (as a
     * PKCS#12 keystore returns it), BouncyCastle converts it on every initSign, which costs more than
     * the signature itself (P-256: 0.75-0.95 ms against 0.3-0.38 ms a signature, measured on this
     * machine). A hardware key stays as it is.
     */
    static PrivateKey forSigning(PrivateKey key) {
        if (!CryptoProviders.canSignWith(key)) {
            return key;
        }
        try {
            return KeyFactory.getInstance(key.getAlgorithm(), CryptoProviders.SIGNATURES)
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            LOG.warning(() -> "the CA key (" + key.getAlgorithm() + ") is used as the keystore gives it: " + e);
            return key;
        }
    }

    private void createRoot(Path path) throws GeneralSecurityException, IOException, OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair keys = generator.generateKeyPair();
        Instant now = clock.instant();
        X500Name subject = new X500Name(settings.caSubject(node.domainName()));
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(127, new SecureRandom()).setBit(126), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(settings.caValidity())), subject, keys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
        X509Certificate root = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        KeyStore store = KeyStore.getInstance(settings.keystoreType());
        store.load(null, null);
        store.setKeyEntry(settings.keystoreAlias(), keys.getPrivate(), settings.keystorePassword(), new Certificate[] {root});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        store.store(bytes, settings.keystorePassword());
        Files.createDirectories(path.getParent());
        ServerFiles.writeOwnerOnly(path, bytes.toByteArray());
        LOG.info(() -> "created the ACA root " + root.getSubjectX500Principal().getName() + " in " + path);
    }

    private void load(Path path) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(settings.keystoreType());
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, settings.keystorePassword());
        }
        String alias = settings.keystoreAlias();
        if (!store.isKeyEntry(alias)) {
            throw new IllegalStateException("the CA keystore " + path + " has no key entry '" + alias + "'");
        }
        PrivateKey privateKey = (PrivateKey) store.getKey(alias, settings.keystorePassword());
        Certificate[] certificates = store.getCertificateChain(alias);
        List<X509Certificate> loaded = Arrays.stream(certificates).map(X509Certificate.class::cast).toList();
        X509Certificate ca = loaded.get(0);
        if (ca.getBasicConstraints() < 0) {
            throw new IllegalStateException("the certificate of '" + alias + "' in " + path + " is not a CA certificate");
        }
        ca.checkValidity(Date.from(clock.instant()));
        chain = loaded;
        key = forSigning(privateKey);
        ecKey = "SHA256withECDSA".equals(signatureAlgorithm(privateKey)) ? EcdsaSignatures.privateKey(privateKey) : null;
    }
}
