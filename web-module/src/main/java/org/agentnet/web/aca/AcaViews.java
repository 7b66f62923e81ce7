package org.agentnet.web.aca;

import java.time.Instant;
import java.util.List;
import org.agentnet.aca.ApplicationOutcome;
import org.agentnet.aca.CertificateApplication;
import org.agentnet.aca.IssuedCertificate;

/** What the ACA API answers with. */
public final class AcaViews {

    private AcaViews() {
    }

    public record CertificateView(String serial, String status, String subject, String agentUri, Instant notBefore,
                           Instant notAfter, Instant revokedAt, String revocationReason, String pem) {
        static CertificateView of(IssuedCertificate certificate, Instant now) {
            return new CertificateView(certificate.serial(), certificate.status(now).name(), certificate.subjectDn(),
                    certificate.agentUri(), certificate.notBefore(), certificate.notAfter(), certificate.revokedAt(),
                    certificate.revocationReason() == null ? null : certificate.revocationReason().name(),
                    certificate.pem());
        }
    }

    public record ApplicationView(String id, String state, String profile, String agentName, String organization,
                           String developer, String functionType, List<String> permissionScope, List<String> skills,
                           Instant submittedAt, Instant decidedAt, String rejectionReason, CertificateView certificate) {
        static ApplicationView of(ApplicationOutcome outcome, Instant now) {
            CertificateApplication application = outcome.application();
            var identity = application.identity();
            return new ApplicationView(application.id(), application.state().name(), identity.profile().name(),
                    identity.agentName(), identity.organization(), identity.developer(), identity.functionType(),
                    identity.permissionScope(), identity.skills(), application.submittedAt(), application.decidedAt(),
                    application.rejectionReason(),
                    outcome.certificate() == null ? null : CertificateView.of(outcome.certificate(), now));
        }
    }
}
