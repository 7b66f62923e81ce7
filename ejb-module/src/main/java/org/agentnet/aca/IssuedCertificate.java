package org.agentnet.aca;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigInteger;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.X509CertificateHolder;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.security.Pem;
import org.agentnet.common.persistence.JdbcRows;

/** A certificate the ACA issued, and what happened to it since. */
@Entity
@Table(name = "aca_certificate")
public class IssuedCertificate {

    public enum Status { VALID, EXPIRED, REVOKED }

    @Id
    @Column(name = "serial", length = 40)
    private String serial;

    @Enumerated(EnumType.STRING)
    @Column(name = "profile", nullable = false, length = 16)
    private CertificateProfile profile;

    @Column(name = "agent_name", nullable = false, length = 128)
    private String agentName;

    @Column(name = "organization", nullable = false, length = 128)
    private String organization;

    @Column(name = "subject_dn", nullable = false, length = 512)
    private String subjectDn;

    @Column(name = "agent_uri", nullable = false, length = 512)
    private String agentUri;

    @Column(name = "key_fingerprint", nullable = false, length = 64)
    private String keyFingerprint;

    @Column(name = "not_before", nullable = false)
    private Instant notBefore;

    @Column(name = "not_after", nullable = false)
    private Instant notAfter;

    @Column(name = "issued_at", nullable = false)
    private Instant issuedAt;

    @Column(name = "application_id", length = 36)
    private String applicationId;

    @Column(name = "renewed_from", length = 40)
    private String renewedFrom;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "revocation_reason", length = 32)
    private RevocationReason revocationReason;

    @Column(name = "pem", nullable = false, length = 8000)
    private String pem;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected IssuedCertificate() {
        // JPA
    }

    public IssuedCertificate(BigInteger serial, CertificateProfile profile, AgentIdentity identity, String subjectDn,
                             String agentUri, String keyFingerprint, Instant notBefore, Instant notAfter,
                             Instant issuedAt, String applicationId, String renewedFrom, String pem) {
        this.serial = serialText(serial);
        this.profile = Objects.requireNonNull(profile);
        this.agentName = identity.agentName();
        this.organization = identity.organization();
        this.subjectDn = subjectDn;
        this.agentUri = agentUri;
        this.keyFingerprint = keyFingerprint;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.issuedAt = issuedAt;
        this.applicationId = applicationId;
        this.renewedFrom = renewedFrom;
        this.pem = pem;
    }

    /** The row as Hibernate inserts a new record (version 0), for the plain JDBC batches of {@link IssuanceBatch}. */
    static final String INSERT = "INSERT INTO aca_certificate (serial, profile, agent_name, organization, subject_dn,"
            + " agent_uri, key_fingerprint, not_before, not_after, issued_at, application_id, renewed_from, revoked_at,"
            + " revocation_reason, pem, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    void bindInsert(PreparedStatement insert) throws SQLException {
        JdbcRows.bind(insert, serial, profile, agentName, organization, subjectDn, agentUri, keyFingerprint,
                JdbcRows.utc(notBefore), JdbcRows.utc(notAfter), JdbcRows.utc(issuedAt), applicationId, renewedFrom,
                JdbcRows.utc(revokedAt), revocationReason, pem, version);
    }

    /** The record of a certificate just signed (not yet stored). */
    public static IssuedCertificate of(X509CertificateHolder x509, AgentIdentity identity, String keyFingerprint, String agentUri,
                                       String applicationId, String renewedFrom, Instant issuedAt) {
        try {
            // the subject as X509Certificate.getSubjectX500Principal().getName() writes it (RFC 2253)
            return new IssuedCertificate(x509.getSerialNumber(), identity.profile(), identity,
                    new X500Principal(x509.getSubject().getEncoded(ASN1Encoding.DER)).getName(), agentUri, keyFingerprint,
                    x509.getNotBefore().toInstant(), x509.getNotAfter().toInstant(), issuedAt,
                    applicationId, renewedFrom, Pem.encode("CERTIFICATE", x509.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How serials are written everywhere: lower-case hex without leading zeros. */
    public static String serialText(BigInteger serial) {
        return serial.toString(16);
    }

    public Status status(Instant now) {
        if (revokedAt != null) {
            return Status.REVOKED;
        }
        return now.isAfter(notAfter) ? Status.EXPIRED : Status.VALID;
    }

    /** Revokes once; a revoked certificate only moves on to keyCompromise (RFC 5280 practice, EJBCA). */
    public void revoke(RevocationReason reason, Instant at) {
        if (!reason.requestable()) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "revocation reason " + reason + " cannot be requested");
        }
        if (revokedAt != null) {
            if (reason == RevocationReason.KEY_COMPROMISE && revocationReason != RevocationReason.KEY_COMPROMISE) {
                revocationReason = reason;
                return;
            }
            throw new AgentnetException(ProblemType.INVALID_STATE, "certificate " + serial + " is already revoked ("
                    + revocationReason + " at " + revokedAt + ")");
        }
        revokedAt = Objects.requireNonNull(at);
        revocationReason = reason;
    }

    public String serial() {
        return serial;
    }

    public BigInteger serialNumber() {
        return new BigInteger(serial, 16);
    }

    public CertificateProfile profile() {
        return profile;
    }

    public String agentName() {
        return agentName;
    }

    public String organization() {
        return organization;
    }

    public String subjectDn() {
        return subjectDn;
    }

    public String agentUri() {
        return agentUri;
    }

    public String keyFingerprint() {
        return keyFingerprint;
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public String applicationId() {
        return applicationId;
    }

    public String renewedFrom() {
        return renewedFrom;
    }

    public Instant revokedAt() {
        return revokedAt;
    }

    public RevocationReason revocationReason() {
        return revocationReason;
    }

    public String pem() {
        return pem;
    }
}
