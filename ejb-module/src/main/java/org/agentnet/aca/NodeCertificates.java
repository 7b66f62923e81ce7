package org.agentnet.aca;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.agentnet.common.config.NodeSettings;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Issues the node's own gateway certificate (its TLS identity, {@code org.agentnet.security.NodeIdentity})
 * through the same issuing code as every other certificate, and records and audits it like any
 * issuance: it has a serial in the ACA's records, shows up in status, CRL and OCSP, and can be
 * revoked. The node made the key itself, so there is no CSR and no application.
 */
@Stateless
public class NodeCertificates {

    /** The actor of the audit entries: the node acting for itself. */
    public static final String ACTOR = "node";

    @EJB
    IssuedCertificates certificates;

    @EJB
    AuditTrail audit;

    @EJB
    KeyClaims claims;

    @Inject
    CertificateIssuer issuer;

    @Inject
    NodeSettings node;

    @Inject
    java.time.Clock clock;

    public X509Certificate issue(AgentIdentity identity, PublicKey key, List<GeneralName> extraNames, String renewedFrom) {
        SubjectPublicKeyInfo keyInfo = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        VerifiedCsr csr = new VerifiedCsr(null, keyInfo, CsrVerifier.fingerprint(keyInfo), "node key");
        claims.claimIfAbsent(csr.keyFingerprint(), clock.instant());
        org.bouncycastle.cert.X509CertificateHolder signed = issuer.issue(identity, csr, extraNames);
        X509Certificate certificate;
        try {
            certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(signed);
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
        }
        IssuedCertificate record = certificates.record(signed, identity, csr.keyFingerprint(),
                identity.uri(node.domainName()).toString(), null, renewedFrom);
        audit.record(ACTOR, renewedFrom == null ? AuditEvent.Action.ISSUED : AuditEvent.Action.RENEWED, "certificate",
                record.serial(), "node identity " + identity.uri(node.domainName())
                        + (renewedFrom == null ? "" : ", renews " + renewedFrom) + ", valid until " + record.notAfter());
        return certificate;
    }
}
