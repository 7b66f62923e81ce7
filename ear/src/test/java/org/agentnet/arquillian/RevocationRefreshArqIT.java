package org.agentnet.arquillian;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.agentnet.aca.CrlPublisher;
import org.agentnet.aca.RevokedSerials;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A revocation made by another node sharing the database: written here with plain SQL, so that
 * no {@code CertificateRevoked} event of this node announces it. The node's periodic refresh
 * ({@code agentnet.aca.revocation-refresh}, PT2S by default) must refuse the serial and list it in
 * the CRL within that period.
 */
@ExtendWith(ArquillianExtension.class)
class RevocationRefreshArqIT {

    static final Duration REFRESH = Duration.ofSeconds(2);
    /** The period, plus room for a timer that fires late on a busy machine. */
    static final Duration WITHIN = REFRESH.plusSeconds(8);

    @Deployment
    static EnterpriseArchive deployment() {
        return AgentnetDeployment.earWith(RevocationRefreshArqIT.class);
    }

    @EJB(lookup = "java:global/agentnet/agentnet-ejb/RevokedSerials")
    RevokedSerials revoked;

    @EJB(lookup = "java:global/agentnet/agentnet-ejb/CrlPublisher")
    CrlPublisher crl;

    @Resource(lookup = "jdbc/agentnet")
    DataSource database;

    @Test
    void aRevocationCommittedElsewhereIsRefusedWithinTheRefreshPeriod() throws Exception {
        String serial = new BigInteger(127, new SecureRandom()).setBit(100).toString(16);
        assertFalse(revoked.isRevoked(serial));
        assertFalse(listedInCrl(serial));
        Instant now = Instant.now();
        try {
            insertRevokedCertificate(serial, now);
            long start = System.nanoTime();

            Await.until("serial " + serial + " refused after a revocation by another node", WITHIN,
                    () -> revoked.isRevoked(serial), Boolean::booleanValue);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(listedInCrl(serial), "the CRL served next lists the serial");
            System.out.println("revocation by another node refused after " + took.toMillis() + " ms");
        } finally {
            execute("DELETE FROM aca_certificate WHERE serial = ?", serial);
        }
    }

    private boolean listedInCrl(String serial) throws Exception {
        byte[] der = crl.current().orElseThrow().der();
        X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        return parsed.getRevokedCertificate(new BigInteger(serial, 16)) != null;
    }

    /** The row another node's ACA would have: issued an hour ago, valid for a day, revoked now. */
    private void insertRevokedCertificate(String serial, Instant now) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO aca_certificate (serial, profile,"
                     + " agent_name, organization, subject_dn, agent_uri, key_fingerprint, not_before, not_after,"
                     + " issued_at, revoked_at, revocation_reason, pem, version)"
                     + " VALUES (?, 'AGENT', 'elsewhere', 'Other Node', 'CN=elsewhere,O=Other Node',"
                     + " 'agent://local.agentnet/Other%20Node/elsewhere', ?, ?, ?, ?, ?, 'KEY_COMPROMISE', 'not used', 1)")) {
            insert.setString(1, serial);
            insert.setString(2, serial + "0".repeat(64 - serial.length()));
            insert.setTimestamp(3, Timestamp.from(now.minus(1, ChronoUnit.HOURS)));
            insert.setTimestamp(4, Timestamp.from(now.plus(1, ChronoUnit.DAYS)));
            insert.setTimestamp(5, Timestamp.from(now.minus(1, ChronoUnit.HOURS)));
            insert.setTimestamp(6, Timestamp.from(now));
            insert.executeUpdate();
        }
    }

    private void execute(String sql, String parameter) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            statement.executeUpdate();
        }
    }
}
