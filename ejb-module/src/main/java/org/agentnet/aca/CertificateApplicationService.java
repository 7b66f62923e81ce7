package org.agentnet.aca;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * Certificate application and issuance (draft 3.1.1). An application is checked completely
 * (CSR, key, identity, policy, token) before anything is written; with a valid enrollment token
 * the certificate is issued in the same transaction, otherwise the application waits for an
 * operator. Each step is recorded in the audit trail.
 */
@Stateless
public class CertificateApplicationService {

    public static final String APPLICANT = "applicant";

    @EJB
    CertificateApplications applications;

    @EJB
    IssuedCertificates certificates;

    @EJB
    EnrollmentTokens tokens;

    @EJB
    AuditTrail audit;

    @Inject
    IssuancePolicy policy;

    @Inject
    CertificateIssuer issuer;

    @Inject
    NodeSettings node;

    @Inject
    Clock clock;

    public ApplicationOutcome submit(String csrPem, AgentIdentity identity, String enrollmentToken) {
        requireEnabled();
        VerifiedCsr csr = CsrVerifier.verify(csrPem);
        policy.check(identity);
        refuseKnownKey(csr.keyFingerprint());
        Instant now = clock.instant();
        CertificateApplication application = new CertificateApplication(identity, csr, now);
        EnrollmentToken token = null;
        if (enrollmentToken != null && !enrollmentToken.isBlank()) {
            token = tokens.findForRedemption(EnrollmentTokenService.hash(enrollmentToken))
                    .orElseThrow(() -> new AgentnetException(ProblemType.INVALID_ENROLLMENT_TOKEN, "unknown enrollment token"));
            token.redeem(identity, application.id(), now);
            application.usedToken(token.id());
        }
        // stored once the token is known good: a refused token leaves nothing to roll back, and an
        // application with a token is written once, already ISSUED
        applications.add(application);
        audit.record(APPLICANT, AuditEvent.Action.APPLIED, "application", application.id(),
                identity.organization() + "/" + identity.agentName() + " " + csr.keyDescription());
        if (token == null) {
            return new ApplicationOutcome(application, null);
        }
        return new ApplicationOutcome(application, issue(application, csr, "enrollment-token:" + token.id()));
    }

    public ApplicationOutcome approve(String id, String operator) {
        requireEnabled();
        CertificateApplication application = applications.findForDecision(id)
                .orElseThrow(() -> AgentnetException.notFound("application", id));
        if (application.state() != CertificateApplication.State.PENDING) {
            throw new AgentnetException(ProblemType.INVALID_STATE, "application " + id + " is already " + application.state());
        }
        VerifiedCsr csr = CsrVerifier.verify(application.csrPem());
        if (certificates.keyUsed(csr.keyFingerprint())) {
            throw new AgentnetException(ProblemType.DUPLICATE_KEY, "the application's public key was certified meanwhile");
        }
        policy.check(application.identity()); // the policy may have changed since the application
        audit.record(operator, AuditEvent.Action.APPROVED, "application", id, null);
        return new ApplicationOutcome(application, issue(application, csr, operator));
    }

    public CertificateApplication reject(String id, String operator, String reason) {
        requireEnabled();
        CertificateApplication application = applications.findForDecision(id)
                .orElseThrow(() -> AgentnetException.notFound("application", id));
        application.rejected(reason, clock.instant(), operator);
        audit.record(operator, AuditEvent.Action.REJECTED, "application", id, reason);
        return application;
    }

    public ApplicationOutcome get(String id) {
        requireEnabled();
        CertificateApplication application = applications.find(id)
                .orElseThrow(() -> AgentnetException.notFound("application", id));
        IssuedCertificate certificate = application.certificateSerial() == null ? null
                : certificates.find(application.certificateSerial()).orElse(null);
        return new ApplicationOutcome(application, certificate);
    }

    /** Pending applications, oldest first, after a position (submittedAt, id); EPOCH and "" for the start. */
    public java.util.List<CertificateApplication> pending(Instant afterSubmittedAt, String afterId, int limit) {
        requireEnabled();
        return applications.pending(afterSubmittedAt, afterId, limit);
    }

    private IssuedCertificate issue(CertificateApplication application, VerifiedCsr csr, String decidedBy) {
        AgentIdentity identity = application.identity();
        X509Certificate x509 = issuer.issue(identity, csr);
        IssuedCertificate certificate = certificates.record(x509, identity, csr.keyFingerprint(),
                identity.uri(node.domainName()).toString(), application.id(), null);
        application.issued(certificate.serial(), clock.instant(), decidedBy);
        audit.record(decidedBy, AuditEvent.Action.ISSUED, "certificate", certificate.serial(),
                "application " + application.id() + ", valid until " + certificate.notAfter());
        return certificate;
    }

    private void refuseKnownKey(String fingerprint) {
        if (certificates.keyUsed(fingerprint) || applications.pendingWithKey(fingerprint)) {
            throw new AgentnetException(ProblemType.DUPLICATE_KEY,
                    "this public key is already certified or awaiting approval: every application needs a new key");
        }
    }

    private void requireEnabled() {
        if (!node.isEnabled(Component.ACA)) {
            throw new AgentnetException(ProblemType.COMPONENT_DISABLED, "the ACA is not enabled on this node");
        }
    }
}
