package org.agentnet.aca;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.persistence.JdbcRows;

/**
 * An agent's certificate application (draft 3.1.1): its CSR and identity materials, and the
 * decision on it. PENDING until issued (at once with an enrollment token, or on approval) or
 * rejected; decided applications never change again.
 */
@Entity
@Table(name = "aca_application")
public class CertificateApplication {

    public enum State { PENDING, ISSUED, REJECTED }

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false, length = 16)
    private State state;

    @Enumerated(EnumType.STRING)
    @Column(name = "profile", nullable = false, length = 16)
    private CertificateProfile profile;

    @Column(name = "agent_name", nullable = false, length = 128)
    private String agentName;

    @Column(name = "organization", nullable = false, length = 128)
    private String organization;

    @Column(name = "developer", nullable = false, length = 256)
    private String developer;

    @Column(name = "function_type", nullable = false, length = 64)
    private String functionType;

    @Column(name = "permission_scope", nullable = false, length = 1024)
    private String permissionScope;

    @Column(name = "skills", nullable = false, length = 4000)
    private String skills;

    @Column(name = "csr_pem", nullable = false, length = 16000)
    private String csrPem;

    @Column(name = "key_fingerprint", nullable = false, length = 64)
    private String keyFingerprint;

    @Column(name = "enrollment_token_id", length = 36)
    private String enrollmentTokenId;

    @Column(name = "submitted_at", nullable = false)
    private Instant submittedAt;

    @Column(name = "decided_at")
    private Instant decidedAt;

    @Column(name = "decided_by", length = 256)
    private String decidedBy;

    @Column(name = "rejection_reason", length = 1000)
    private String rejectionReason;

    @Column(name = "certificate_serial", length = 40)
    private String certificateSerial;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected CertificateApplication() {
        // JPA
    }

    public CertificateApplication(AgentIdentity identity, VerifiedCsr csr, Instant submittedAt) {
        this.id = UUID.randomUUID().toString();
        this.state = State.PENDING;
        this.profile = identity.profile();
        this.agentName = identity.agentName();
        this.organization = identity.organization();
        this.developer = identity.developer();
        this.functionType = identity.functionType();
        this.permissionScope = String.join(" ", identity.permissionScope());
        this.skills = String.join(" ", identity.skills());
        this.csrPem = csr.pem();
        this.keyFingerprint = csr.keyFingerprint();
        this.submittedAt = Objects.requireNonNull(submittedAt);
    }

    /** The row as Hibernate inserts a new application (version 0), for the plain JDBC batches of {@link IssuanceBatch}. */
    static final String INSERT = "INSERT INTO aca_application (id, state, profile, agent_name, organization, developer,"
            + " function_type, permission_scope, skills, csr_pem, key_fingerprint, enrollment_token_id, submitted_at,"
            + " decided_at, decided_by, rejection_reason, certificate_serial, version)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    void bindInsert(PreparedStatement insert) throws SQLException {
        JdbcRows.bind(insert, id, state, profile, agentName, organization, developer, functionType, permissionScope, skills,
                csrPem, keyFingerprint, enrollmentTokenId, JdbcRows.utc(submittedAt), JdbcRows.utc(decidedAt), decidedBy,
                rejectionReason, certificateSerial, version);
    }

    public AgentIdentity identity() {
        return new AgentIdentity(profile, agentName, organization, developer, functionType, split(permissionScope),
                split(skills));
    }

    void usedToken(String tokenId) {
        this.enrollmentTokenId = tokenId;
    }

    void issued(String serial, Instant at, String by) {
        requirePending();
        state = State.ISSUED;
        certificateSerial = serial;
        decidedAt = at;
        decidedBy = by;
    }

    void rejected(String reason, Instant at, String by) {
        requirePending();
        state = State.REJECTED;
        rejectionReason = reason;
        decidedAt = at;
        decidedBy = by;
    }

    private void requirePending() {
        if (state != State.PENDING) {
            throw new AgentnetException(ProblemType.INVALID_STATE, "application " + id + " is already " + state);
        }
    }

    private static List<String> split(String joined) {
        return joined.isBlank() ? List.of() : Arrays.asList(joined.split(" "));
    }

    public String id() {
        return id;
    }

    public State state() {
        return state;
    }

    public String csrPem() {
        return csrPem;
    }

    public String keyFingerprint() {
        return keyFingerprint;
    }

    public String enrollmentTokenId() {
        return enrollmentTokenId;
    }

    public Instant submittedAt() {
        return submittedAt;
    }

    public Instant decidedAt() {
        return decidedAt;
    }

    public String decidedBy() {
        return decidedBy;
    }

    public String rejectionReason() {
        return rejectionReason;
    }

    public String certificateSerial() {
        return certificateSerial;
    }
}
