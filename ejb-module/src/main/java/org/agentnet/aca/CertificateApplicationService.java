package org.agentnet.aca;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.PersistenceException;
import jakarta.inject.Inject;
import org.bouncycastle.cert.X509CertificateHolder;
import java.time.Clock;
import java.time.Instant;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * Certificate application and issuance (draft 3.1.1). An application is checked completely
 * (CSR, key, identity, policy, token) before anything is written; with a valid enrollment token
 * the certificate is issued and committed by group commit ({@link IssuanceWriter}) with the token's
 * spending and one audit entry, otherwise the application waits for an operator. Each step is
 * recorded in the audit trail.
 */
@Stateless
public class CertificateApplicationService {

    public static final String APPLICANT = "applicant";

    @EJB
    CertificateApplications applications;

    @EJB
    IssuedCertificates certificates;

    @EJB
    AuditTrail audit;

    @EJB
    KeyClaims claims;

    @EJB
    IssuanceWriter writer;

    @EJB
    IssuanceBatch batch;

    @Inject
    IssuancePreconditions preconditions;

    @Inject
    IssuancePolicy policy;

    @Inject
    CertificateIssuer issuer;

    @Inject
    NodeSettings node;

    @Inject
    Clock clock;

    /**
     * Applies. Everything is checked first, outside any transaction (CSR, key, policy, token, known
     * key); with an enrollment token the certificate is signed and handed to the group-commit writer
     * with the token's spending and its audit entry, and the call returns once they are committed;
     * without one, the pending application is stored in a transaction of its own.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public ApplicationOutcome submit(String csrPem, AgentIdentity identity, String enrollmentToken) {
        requireEnabled();
        VerifiedCsr csr = CsrVerifier.verify(csrPem);
        policy.check(identity);
        if (enrollmentToken == null || enrollmentToken.isBlank()) {
            return applyPending(identity, csr);
        }
        String tokenHash = EnrollmentTokenService.hash(enrollmentToken);
        // a concurrent application with the same token or key is refused here, before any work
        Runnable release = writer.claim(tokenHash, csr.keyFingerprint());
        try {
            Instant now = clock.instant();
            EnrollmentToken token = preconditions.tokenForNewKey(tokenHash, csr.keyFingerprint());
            token.checkRedeemable(identity, now);
            CertificateApplication application = new CertificateApplication(identity, csr, now);
            application.usedToken(token.id());
            X509CertificateHolder x509 = issuer.issue(identity, csr);
            IssuedCertificate certificate = IssuedCertificate.of(x509, identity, csr.keyFingerprint(),
                    identity.uri(node.domainName()).toString(), application.id(), null, now);
            String decidedBy = "enrollment-token:" + token.id();
            application.issued(certificate.serial(), now, decidedBy);
            // one audit entry for the whole issuance: application, applicant's claim, key, token, validity
            AuditEvent entry = new AuditEvent(now, decidedBy, AuditEvent.Action.ISSUED, "certificate", certificate.serial(),
                    "application " + application.id() + " by " + APPLICANT + ": " + identity.organization() + "/"
                            + identity.agentName() + " " + csr.keyDescription() + ", valid until " + certificate.notAfter());
            writer.write(new PreparedIssuance(application, certificate, token.id(), entry, now));
            return new ApplicationOutcome(application, certificate);
        } finally {
            release.run();
        }
    }

    private ApplicationOutcome applyPending(AgentIdentity identity, VerifiedCsr csr) {
        preconditions.requireNewKey(csr.keyFingerprint());
        Instant now = clock.instant();
        CertificateApplication application = new CertificateApplication(identity, csr, now);
        AuditEvent entry = new AuditEvent(now, APPLICANT, AuditEvent.Action.APPLIED, "application", application.id(),
                identity.organization() + "/" + identity.agentName() + " " + csr.keyDescription());
        try {
            batch.writePending(application, entry);
        } catch (EJBException | PersistenceException e) {
            preconditions.requireNewKey(csr.keyFingerprint()); // the key's claim (primary key) was written meanwhile
            throw e;
        }
        return new ApplicationOutcome(application, null);
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
        claims.release(application.keyFingerprint()); // the key may apply again
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
        X509CertificateHolder x509 = issuer.issue(identity, csr);
        IssuedCertificate certificate = certificates.record(x509, identity, csr.keyFingerprint(),
                identity.uri(node.domainName()).toString(), application.id(), null);
        application.issued(certificate.serial(), clock.instant(), decidedBy);
        audit.record(decidedBy, AuditEvent.Action.ISSUED, "certificate", certificate.serial(),
                "application " + application.id() + ", valid until " + certificate.notAfter());
        return certificate;
    }

    private void requireEnabled() {
        if (!node.isEnabled(Component.ACA)) {
            throw new AgentnetException(ProblemType.COMPONENT_DISABLED, "the ACA is not enabled on this node");
        }
    }
}
