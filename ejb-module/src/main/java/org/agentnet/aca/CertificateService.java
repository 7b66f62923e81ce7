package org.agentnet.aca;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.X509CertificateHolder;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.security.Pem;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Certificate management (draft 3.1.2): status, revocation by the holder or an operator, and
 * renewal authenticated by the current certificate.
 */
@Stateless
public class CertificateService {

    private static final Pattern SERIAL = Pattern.compile("[0-9a-fA-F]{1,40}");

    /** Who asks: an operator (by name) or the holder of a certificate (by its TLS client certificate). */
    public record Requester(String operator, X509Certificate clientCertificate) {
        public static Requester operator(String name) {
            return new Requester(name, null);
        }

        public static Requester holder(X509Certificate certificate) {
            return new Requester(null, certificate);
        }
    }

    @EJB
    IssuedCertificates certificates;

    @EJB
    AuditTrail audit;

    @EJB
    CertificateApplications applicationRecords;

    @EJB
    KeyClaims claims;

    @Inject
    CertificateIssuer issuer;

    @Inject
    AcaSettings settings;

    @Inject
    NodeSettings node;

    @Inject
    Event<CertificateRevoked> revocations;

    @Inject
    Clock clock;

    public IssuedCertificate status(String serial) {
        requireEnabled();
        String normalized = normalize(serial);
        return certificates.find(normalized).orElseThrow(() -> AgentnetException.notFound("certificate", normalized));
    }

    /**
     * Revokes a certificate with an RFC 5280 reason, as of now or of an earlier moment (not before
     * the certificate's start, never in the future). A revoked certificate only moves on to
     * keyCompromise.
     */
    public IssuedCertificate revoke(String serial, RevocationReason reason, Instant revokedAt, Requester requester) {
        IssuedCertificate certificate = status(serial);
        String actor = authorize(certificate, requester);
        Instant now = clock.instant();
        Instant at = revokedAt == null ? now : revokedAt;
        if (at.isAfter(now)) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "the revocation time " + at + " is in the future");
        }
        if (at.isBefore(certificate.notBefore())) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED,
                    "the revocation time " + at + " is before the certificate became valid (" + certificate.notBefore() + ")");
        }
        certificate.revoke(reason, at);
        audit.record(actor, AuditEvent.Action.REVOKED, "certificate", certificate.serial(), reason.name());
        revocations.fire(new CertificateRevoked(certificate.serial(), certificate.revocationReason(), certificate.revokedAt()));
        return certificate;
    }

    /**
     * Renews the holder's certificate for the same identity: with a new CSR, or (when policy
     * allows) for the same key. The current certificate must be valid; it stays valid until it
     * expires or is revoked.
     */
    public IssuedCertificate renew(String serial, X509Certificate clientCertificate, String csrPem) {
        IssuedCertificate current = status(serial);
        authorize(current, Requester.holder(clientCertificate));
        if (current.status(clock.instant()) != IssuedCertificate.Status.VALID) {
            throw new AgentnetException(ProblemType.INVALID_STATE, "certificate " + current.serial() + " is "
                    + current.status(clock.instant()) + " and cannot be renewed: apply for a new one");
        }
        CertificateApplication application = current.applicationId() == null ? null
                : applicationRecords.find(current.applicationId()).orElse(null);
        if (application == null) {
            throw new AgentnetException(ProblemType.INVALID_STATE, "certificate " + current.serial() + " has no application to renew from");
        }
        AgentIdentity identity = application.identity();
        VerifiedCsr csr;
        if (csrPem == null || csrPem.isBlank()) {
            if (!settings.renewalWithSameKey()) {
                throw new AgentnetException(ProblemType.POLICY_VIOLATION, "renewal needs a new key: send a CSR");
            }
            SubjectPublicKeyInfo keyInfo = SubjectPublicKeyInfo.getInstance(clientCertificate.getPublicKey().getEncoded());
            csr = new VerifiedCsr(null, keyInfo, CsrVerifier.fingerprint(keyInfo), "same key");
        } else {
            csr = CsrVerifier.verify(csrPem);
            boolean sameKey = csr.keyFingerprint().equals(current.keyFingerprint());
            if (sameKey && !settings.renewalWithSameKey()) {
                throw new AgentnetException(ProblemType.POLICY_VIOLATION, "renewal needs a new key");
            }
            if (!sameKey && (certificates.keyUsed(csr.keyFingerprint()) || claims.claimed(csr.keyFingerprint()))) {
                throw new AgentnetException(ProblemType.DUPLICATE_KEY, "the new public key is already certified");
            }
            if (!sameKey) {
                claims.claimNew(csr.keyFingerprint(), clock.instant());
            }
        }
        X509CertificateHolder renewed = issuer.issue(identity, csr);
        IssuedCertificate record = certificates.record(renewed, identity, csr.keyFingerprint(),
                identity.uri(node.domainName()).toString(), application.id(), current.serial());
        audit.record("holder:" + current.serial(), AuditEvent.Action.RENEWED, "certificate", record.serial(),
                "renews " + current.serial() + " (" + csr.keyDescription() + ")");
        return record;
    }

    /** The actor's name for the audit trail, once it is established that it may act on the certificate. */
    private String authorize(IssuedCertificate certificate, Requester requester) {
        if (requester.operator() != null) {
            return requester.operator();
        }
        X509Certificate presented = requester.clientCertificate();
        if (presented == null) {
            throw new AgentnetException(ProblemType.UNAUTHORIZED,
                    "authenticate with the certificate itself (mutual TLS) or as an operator");
        }
        try {
            byte[] stored = Pem.decodeSingle(certificate.pem(), "CERTIFICATE", ProblemType.INTERNAL_ERROR);
            if (!Arrays.equals(stored, presented.getEncoded())) {
                throw new AgentnetException(ProblemType.IDENTITY_MISMATCH,
                        "the client certificate is not certificate " + certificate.serial() + ": a holder acts on its own certificate only");
            }
        } catch (CertificateEncodingException e) {
            throw new AgentnetException(ProblemType.FORBIDDEN, "the client certificate cannot be read");
        }
        return "holder:" + certificate.serial();
    }

    static String normalize(String serial) {
        if (serial == null || !SERIAL.matcher(serial).matches()) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "a serial is 1 to 40 hexadecimal digits");
        }
        String lower = serial.toLowerCase(Locale.ROOT).replaceFirst("^0+(?=.)", "");
        return lower;
    }

    private void requireEnabled() {
        if (!node.isEnabled(Component.ACA)) {
            throw new AgentnetException(ProblemType.COMPONENT_DISABLED, "the ACA is not enabled on this node");
        }
    }
}
