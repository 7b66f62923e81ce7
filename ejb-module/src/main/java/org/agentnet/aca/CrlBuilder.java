package org.agentnet.aca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * The content of an RFC 5280 version 2 CRL, ready for the CA to sign: issuer (the CA's subject,
 * byte for byte as in the certificates it issued), thisUpdate, nextUpdate, one entry per revoked
 * serial with its revocation date and, unless unspecified (5.3.1), its reasonCode, and the CRL
 * extensions authorityKeyIdentifier (5.2.1) and cRLNumber (5.2.3).
 */
public final class CrlBuilder {

    private CrlBuilder() {
    }

    public static X509v2CRLBuilder prepare(X509Certificate ca, Collection<RevokedEntry> revoked, long number,
                                           Instant thisUpdate, Instant nextUpdate) {
        if (number < 0) {
            throw new IllegalArgumentException("a CRL number is not negative: " + number);
        }
        if (!nextUpdate.isAfter(thisUpdate)) {
            throw new IllegalArgumentException("nextUpdate must be after thisUpdate");
        }
        try {
            X509CertificateHolder issuer = new JcaX509CertificateHolder(ca);
            X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer.getSubject(), Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (RevokedEntry entry : revoked) {
                builder.addCRLEntry(entry.serial(), Date.from(entry.revokedAt()), entryExtensions(entry.reason()));
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(issuer));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
            return builder;
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the CA certificate cannot be encoded", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reasonCode entry extension, left out for unspecified as RFC 5280 5.3.1 asks. */
    static Extensions entryExtensions(RevocationReason reason) throws IOException {
        if (reason == null || reason == RevocationReason.UNSPECIFIED) {
            return null;
        }
        return new Extensions(new Extension(Extension.reasonCode, false,
                new ASN1Enumerated(CRLReason.lookup(reason.code()).getValue()).getEncoded()));
    }

    /** keyIdentifier only: the CA certificate's own subjectKeyIdentifier, or the RFC 5280 method-1 hash of its key. */
    static AuthorityKeyIdentifier authorityKeyIdentifier(X509CertificateHolder ca) {
        Extension ski = ca.getExtension(Extension.subjectKeyIdentifier);
        byte[] keyId = ski != null
                ? SubjectKeyIdentifier.getInstance(ski.getParsedValue()).getKeyIdentifier()
                : new BcX509ExtensionUtils().createSubjectKeyIdentifier(ca.getSubjectPublicKeyInfo()).getKeyIdentifier();
        return new AuthorityKeyIdentifier(keyId);
    }
}
