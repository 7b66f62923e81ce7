package org.agentnet.aca;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * A single-use enrollment token an operator made for one organization and scope: an application
 * that brings it is issued at once. Only the token's SHA-256 is stored.
 */
@Entity
@Table(name = "aca_enrollment_token")
public class EnrollmentToken {

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Column(name = "token_hash", nullable = false, length = 64)
    private String tokenHash;

    @Column(name = "organization", nullable = false, length = 128)
    private String organization;

    @Enumerated(EnumType.STRING)
    @Column(name = "profile", nullable = false, length = 16)
    private CertificateProfile profile;

    @Column(name = "function_types", nullable = false, length = 1024)
    private String functionTypes;

    @Column(name = "permission_scope", nullable = false, length = 1024)
    private String permissionScope;

    @Column(name = "created_by", nullable = false, length = 256)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "used_at")
    private Instant usedAt;

    @Column(name = "used_by_application", length = 36)
    private String usedByApplication;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected EnrollmentToken() {
        // JPA
    }

    public EnrollmentToken(String tokenHash, String organization, CertificateProfile profile, Set<String> functionTypes,
                           Set<String> permissionScope, String createdBy, Instant createdAt, Instant expiresAt) {
        this.id = UUID.randomUUID().toString();
        this.tokenHash = tokenHash;
        this.organization = organization;
        this.profile = profile;
        this.functionTypes = String.join(" ", new TreeSet<>(functionTypes));
        this.permissionScope = String.join(" ", new TreeSet<>(permissionScope));
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    /** A token as read for its checks ({@link #checkRedeemable}) by IssuancePreconditions, not managed. */
    static EnrollmentToken forChecks(String id, String organization, CertificateProfile profile, String functionTypes,
                                     String permissionScope, Instant expiresAt, Instant usedAt) {
        EnrollmentToken token = new EnrollmentToken();
        token.id = id;
        token.organization = organization;
        token.profile = profile;
        token.functionTypes = functionTypes;
        token.permissionScope = permissionScope;
        token.expiresAt = expiresAt;
        token.usedAt = usedAt;
        return token;
    }

    /**
     * Refuses the token unless it is unspent, unexpired and covers the application; changes nothing
     * (the group-commit path spends it by a conditional update in the transaction that issues).
     */
    void checkRedeemable(AgentIdentity identity, Instant now) {
        if (usedAt != null) {
            throw refused("the enrollment token has already been used");
        }
        if (!now.isBefore(expiresAt)) {
            throw refused("the enrollment token expired at " + expiresAt);
        }
        if (!organization.equals(identity.organization()) || profile != identity.profile()) {
            throw refused("the enrollment token was made for another organization or profile");
        }
        if (!IssuancePolicy.within(java.util.List.of(identity.functionType()), functionTypes())
                || !IssuancePolicy.within(identity.permissionScope(), permissionScope())) {
            throw refused("the application asks for more than the enrollment token allows");
        }
    }

    private static AgentnetException refused(String detail) {
        return new AgentnetException(ProblemType.INVALID_ENROLLMENT_TOKEN, detail);
    }

    public String id() {
        return id;
    }

    public String organization() {
        return organization;
    }

    public CertificateProfile profile() {
        return profile;
    }

    public Set<String> functionTypes() {
        return new TreeSet<>(Arrays.asList(functionTypes.split(" ")));
    }

    public Set<String> permissionScope() {
        return new TreeSet<>(Arrays.asList(permissionScope.split(" ")));
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Instant usedAt() {
        return usedAt;
    }

    public String usedByApplication() {
        return usedByApplication;
    }
}
