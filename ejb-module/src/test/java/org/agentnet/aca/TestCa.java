package org.agentnet.aca;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away EC P-256 CA for unit tests: key, self-signed certificate, signer, and leaf certificates. */
final class TestCa {

    final KeyPair keys;
    final X509Certificate certificate;

    private TestCa(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    static TestCa create(String subject) {
        return create(subject, true);
    }

    /** withSki false: a CA certificate without subjectKeyIdentifier (some external CAs). */
    static TestCa create(String subject, boolean withSki) {
        try {
            KeyPair keys = ecKeys();
            X500Name name = new X500Name(subject);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(3650, ChronoUnit.DAYS)), name, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            if (withSki) {
                builder.addExtension(Extension.subjectKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            }
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new TestCa(keys, certificate);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    ContentSigner signer() throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    }

    byte[] sign(X509v2CRLBuilder builder) {
        try {
            return builder.build(signer()).getEncoded();
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A leaf certificate of this CA with the given serial. */
    X509Certificate issue(BigInteger serial, String subject) {
        try {
            PublicKey leafKey = ecKeys().getPublic();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial,
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name(subject), leafKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer()));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CertificateAuthority that signs with this key, without a keystore or a server. */
    CertificateAuthority authority() {
        TestCa ca = this;
        return new CertificateAuthority() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public java.util.List<X509Certificate> chain() {
                return java.util.List.of(ca.certificate);
            }

            @Override
            public X509Certificate caCertificate() {
                return ca.certificate;
            }

            @Override
            public byte[] sign(X509v2CRLBuilder builder) {
                return ca.sign(builder);
            }

            @Override
            public ContentSigner signer() throws OperatorCreationException {
                return ca.signer();
            }
        };
    }
}
