package org.agentnet.aca;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.agentnet.common.persistence.UtcTimestamps;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * The database reads before an application is prepared (the application itself is prepared
 * outside any transaction, see CertificateApplicationService): the key must not be claimed, and
 * the enrollment token must exist. Plain JDBC on one pooled connection in auto-commit, without a
 * JTA transaction, an EJB or Hibernate: those cost more than the two reads by key (issuance
 * profile, bench/README.md); nothing is written here, and the writer's transaction stays the
 * authority (conditional update of the token, primary key of the claim). (An entity manager must
 * not be used outside a transaction here: on Liberty it logs DSRA9400E each time it lets its
 * connection go.)
 */
@ApplicationScoped
public class IssuancePreconditions {

    @Resource(lookup = "jdbc/agentnet")
    DataSource dataSource;

    /** Refuses a claimed key (409). */
    public void requireNewKey(String keyFingerprint) {
        try (Connection connection = dataSource.getConnection()) {
            requireNewKey(connection, keyFingerprint);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the key claims", e);
        }
    }

    /** Refuses a claimed key (409) or an unknown token (403); the token, detached, for its checks. */
    public EnrollmentToken tokenForNewKey(String tokenHash, String keyFingerprint) {
        try (Connection connection = dataSource.getConnection()) {
            requireNewKey(connection, keyFingerprint);
            try (PreparedStatement token = connection.prepareStatement("SELECT id, organization, profile, function_types,"
                    + " permission_scope, expires_at, used_at FROM aca_enrollment_token WHERE token_hash = ?")) {
                token.setString(1, tokenHash);
                try (ResultSet row = token.executeQuery()) {
                    if (!row.next()) {
                        throw new AgentnetException(ProblemType.INVALID_ENROLLMENT_TOKEN, "unknown enrollment token");
                    }
                    return EnrollmentToken.forChecks(row.getString(1), row.getString(2),
                            CertificateProfile.valueOf(row.getString(3)), row.getString(4), row.getString(5),
                            UtcTimestamps.get(row, 6), UtcTimestamps.get(row, 7));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the enrollment token", e);
        }
    }

    private static void requireNewKey(Connection connection, String keyFingerprint) throws SQLException {
        try (PreparedStatement claim = connection.prepareStatement(
                "SELECT 1 FROM aca_key_claim WHERE key_fingerprint = ?")) {
            claim.setString(1, keyFingerprint);
            try (ResultSet row = claim.executeQuery()) {
                if (row.next()) {
                    throw new AgentnetException(ProblemType.DUPLICATE_KEY, KeyClaims.DUPLICATE);
                }
            }
        }
    }
}
