package org.agentnet.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI of "another domain" for integration tests: a CA with its key, client
 * certificates it issues (with a CRL distribution point), and its CRL served over plain HTTP from
 * the test JVM, as a foreign ACA would publish it.
 */
public final class TestPki implements AutoCloseable {

    public static final char[] CLIENT_PASSWORD = "it-client".toCharArray();

    public final KeyPair caKeys;
    public final X509Certificate ca;
    private final HttpServer crlServer;
    private final AtomicReference<byte[]> crl = new AtomicReference<>();

    private TestPki(String caSubject, boolean publishCrl) {
        caKeys = ecKeys();
        ca = certificate(caSubject, caKeys, null, caKeys, true, KeyUsage.keyCertSign | KeyUsage.cRLSign,
                Instant.now().minus(Duration.ofMinutes(1)), Instant.now().plus(Duration.ofDays(1)), null);
        if (publishCrl) {
            try {
                crlServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            crlServer.createContext("/crl", exchange -> {
                byte[] body = crl.get();
                exchange.getResponseHeaders().add("Content-Type", "application/pkix-crl");
                exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
                if (body != null) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
                exchange.close();
            });
            crlServer.start();
            publishCrl(List.of(), Duration.ofHours(1));
        } else {
            crlServer = null;
        }
    }

    /** A CA whose CRL this object serves at {@link #crlUrl()} (empty until {@link #publishCrl}). */
    public static TestPki withCrl(String caSubject) {
        return new TestPki(caSubject, true);
    }

    public URI crlUrl() {
        return URI.create("http://127.0.0.1:" + crlServer.getAddress().getPort() + "/crl");
    }

    /** Publishes a CRL revoking {@code serials}, valid for {@code validity}. */
    public void publishCrl(List<BigInteger> serials, Duration validity) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                    Date.from(now.minusSeconds(60)));
            builder.setNextUpdate(Date.from(now.plus(validity)));
            for (BigInteger serial : serials) {
                builder.addCRLEntry(serial, Date.from(now.minusSeconds(30)), CRLReason.keyCompromise);
            }
            crl.set(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS client certificate of this CA, with its CRL distribution point when the CRL is served. */
    public X509Certificate client(String subject, KeyPair keys) {
        return certificate(subject, keys, ca, caKeys, false, KeyUsage.digitalSignature,
                Instant.now().minus(Duration.ofMinutes(1)), Instant.now().plus(Duration.ofDays(1)),
                crlServer == null ? null : crlUrl());
    }

    /**
     * A TLS client certificate of this CA that names {@code identityUri} (URI subjectAltName, e.g. an
     * {@code agent://} or {@code agw://} identity), valid from {@code notBefore} to {@code notAfter}.
     */
    public X509Certificate client(String subject, KeyPair keys, String identityUri, Instant notBefore, Instant notAfter) {
        return certificate(subject, keys, ca, caKeys, false, KeyUsage.digitalSignature, notBefore, notAfter,
                crlServer == null ? null : crlUrl(), identityUri);
    }

    /**
     * A TLS client certificate of this CA that names an agent or gateway of another domain the way
     * an ACA does, by a URI subjectAltName ({@code agent://<domain>/<organization>/<name>}), valid for a day.
     */
    public X509Certificate identity(String subject, KeyPair keys, URI identity) {
        return client(subject, keys, identity.toString(), Instant.now().minus(Duration.ofMinutes(1)),
                Instant.now().plus(Duration.ofDays(1)));
    }

    @Override
    public void close() {
        if (crlServer != null) {
            crlServer.stop(0);
        }
    }

    public static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate for {@code subject}, signed by {@code issuer} (self-signed when null). */
    public static X509Certificate certificate(String subject, KeyPair subjectKeys, X509Certificate issuer, KeyPair issuerKeys,
                                              boolean ca, int keyUsage, Instant notBefore, Instant notAfter, URI crl) {
        return certificate(subject, subjectKeys, issuer, issuerKeys, ca, keyUsage, notBefore, notAfter, crl, null);
    }

    /** As above, naming {@code identityUri} in a URI subjectAltName when it is not null. */
    public static X509Certificate certificate(String subject, KeyPair subjectKeys, X509Certificate issuer, KeyPair issuerKeys,
                                              boolean ca, int keyUsage, Instant notBefore, Instant notAfter, URI crl,
                                              String identityUri) {
        try {
            X500Name issuerName = issuer == null ? new X500Name(subject)
                    : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    new BigInteger(64, new SecureRandom()).setBit(63), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(subject), subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            if (!ca) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
            if (identityUri != null) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, identityUri)));
            }
            if (crl != null) {
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(new GeneralNames(
                                new GeneralName(GeneralName.uniformResourceIdentifier, crl.toString()))), null, null)}));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyStore keyStore(KeyPair keys, X509Certificate... chain) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", keys.getPrivate(), CLIENT_PASSWORD, chain);
            return store;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
