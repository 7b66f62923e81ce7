package org.agentnet.aca;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.agentnet.common.config.NodeSettings;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.crypto.digests.SHA1Digest;
import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * Builds and signs agent and gateway certificates (draft 3.1.1 "certificate generation"):
 * random 127-bit serial, subject CN=agent name, O=organization, a URI subjectAltName naming the
 * agent, the agent identity extension, TLS client (and, for gateways, server) usage, AKI/SKI,
 * and where to find the CRL, the OCSP responder and the CA certificate.
 */
@ApplicationScoped
public class CertificateIssuer {

    /** Certificates start a minute in the past, so that clocks slightly behind accept them. */
    static final Duration BACKDATE = Duration.ofMinutes(1);

    private final SecureRandom random = new SecureRandom();

    @Inject
    CertificateAuthority authority;

    @Inject
    AcaSettings settings;

    @Inject
    NodeSettings node;

    @Inject
    Clock clock;

    public X509CertificateHolder issue(AgentIdentity identity, VerifiedCsr csr) {
        return issue(identity, csr, List.of());
    }

    /**
     * As {@link #issue(AgentIdentity, VerifiedCsr)}, with further subjectAltNames after the URI:
     * the DNS names and addresses at which a gateway node serves TLS (its own node identity).
     */
    public X509CertificateHolder issue(AgentIdentity identity, VerifiedCsr csr, List<GeneralName> extraNames) {
        Constants fixed = constants();
        Instant now = clock.instant();
        Instant notAfter = now.plus(settings.certificateValidity());
        if (notAfter.isAfter(fixed.caNotAfter())) {
            notAfter = fixed.caNotAfter(); // never beyond the CA's own validity
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, identity.organization())
                .addRDN(BCStyle.CN, identity.agentName())
                .build();
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(fixed.issuer(), serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, csr.publicKeyInfo());
            boolean rsa = csr.rsa();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            // an agent's key also receives payloads encrypted to it (docs/agw.md "Encrypted payloads"):
            // RSA-OAEP wraps a key (keyEncipherment), ECDH-ES agrees one (keyAgreement)
            boolean ec = csr.ec();
            int encryption = rsa ? KeyUsage.keyEncipherment
                    : ec && identity.profile() == CertificateProfile.AGENT ? KeyUsage.keyAgreement : 0;
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | encryption));
            builder.addExtension(Extension.extendedKeyUsage, false, identity.profile() == CertificateProfile.GATEWAY
                    ? new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth})
                    : new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(GeneralName.uniformResourceIdentifier, identity.uri(node.domainName()).toString()));
            names.addAll(extraNames);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.subjectKeyIdentifier, false, subjectKeyIdentifier(csr.publicKeyInfo()));
            builder.addExtension(fixed.authorityKeyIdentifier());
            builder.addExtension(fixed.crlDistributionPoints());
            builder.addExtension(fixed.authorityInfoAccess());
            builder.addExtension(AgentIdentityExtension.OID, false, AgentIdentityExtension.encode(identity));
            return authority.sign(builder);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build the certificate", e);
        }
    }

    /**
     * RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (as BouncyCastle's
     * X509ExtensionUtils computes it), with a digest of its own: an X509ExtensionUtils instance
     * keeps one digest buffer and must not be shared by concurrent issuances.
     */
    static SubjectKeyIdentifier subjectKeyIdentifier(SubjectPublicKeyInfo keyInfo) {
        byte[] key = keyInfo.getPublicKeyData().getBytes();
        SHA1Digest sha1 = new SHA1Digest();
        sha1.update(key, 0, key.length);
        byte[] identifier = new byte[sha1.getDigestSize()];
        sha1.doFinal(identifier, 0);
        return new SubjectKeyIdentifier(identifier);
    }

    /** What every certificate of this CA carries alike, made once (the CA and these settings do not change while the node runs). */
    private record Constants(X500Name issuer, Instant caNotAfter, Extension authorityKeyIdentifier,
                             Extension crlDistributionPoints, Extension authorityInfoAccess) {
    }

    private volatile Constants constants;

    private Constants constants() {
        Constants fixed = constants;
        if (fixed == null) {
            X509Certificate ca = authority.caCertificate();
            try {
                Extension aki = new Extension(Extension.authorityKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca).getEncoded(ASN1Encoding.DER));
                Extension crlDp = new Extension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(new GeneralNames(
                                new GeneralName(GeneralName.uniformResourceIdentifier, settings.crlUrl().toString()))),
                                null, null)}).getEncoded(ASN1Encoding.DER));
                Extension aia = new Extension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(new AccessDescription[] {
                        new AccessDescription(AccessDescription.id_ad_ocsp,
                                new GeneralName(GeneralName.uniformResourceIdentifier, settings.ocspUrl().toString())),
                        new AccessDescription(AccessDescription.id_ad_caIssuers,
                                new GeneralName(GeneralName.uniformResourceIdentifier, settings.caIssuersUrl().toString()))})
                        .getEncoded(ASN1Encoding.DER));
                fixed = new Constants(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                        ca.getNotAfter().toInstant(), aki, crlDp, aia);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot read the CA certificate", e);
            }
            constants = fixed;
        }
        return fixed;
    }

    /** A positive serial of 127 random bits (RFC 5280: at most 20 octets; CA/B: at least 64 random bits). */
    BigInteger serial() {
        BigInteger serial;
        do {
            serial = new BigInteger(127, random);
        } while (serial.bitLength() < 64);
        return serial;
    }
}
