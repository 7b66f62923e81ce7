package org.agentnet.web.security;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.agentnet.security.Certificates;

/** A certificate as the operator API shows it (never a key). */
public record CertificateView(String subject, String issuer, String serialNumber, String sha256, Instant notBefore,
                              Instant notAfter, List<String> uris, List<String> dnsNames) {

    public static CertificateView of(X509Certificate certificate) {
        return new CertificateView(certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(), certificate.getSerialNumber().toString(16),
                Certificates.sha256(certificate), certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(), Certificates.uris(certificate), Certificates.dnsNames(certificate));
    }
}
