package org.agentnet.aca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CRL's and OCSP's database side on the real schema (Flyway migrations on in-memory Derby,
 * Hibernate validating the mapping of {@link CrlState} against {@code aca_crl_state}): the CRL
 * number, the revoked-and-unexpired query, and statuses by serial.
 */
class RevocationDataOnDerbyTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private AcaDerby db;
    private EntityManager em;

    @BeforeEach
    void open() {
        db = new AcaDerby(IssuedCertificate.class, CrlState.class);
        em = db.factory.createEntityManager();
    }

    @AfterEach
    void close() {
        if (em != null) {
            em.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        em.getTransaction().begin();
        try {
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.clear();
        }
    }

    @Test
    void theCrlNumberStartsAtOneAndGrowsByOneEveryTime() {
        CrlStates states = new CrlStates();
        states.em = em;
        assertTrue(states.current().isEmpty());
        assertEquals(1L, (long) inTransaction(e -> states.next(NOW, NOW.plus(1, ChronoUnit.DAYS))));
        assertEquals(2L, (long) inTransaction(e -> states.next(NOW.plusSeconds(60), NOW.plusSeconds(60).plus(1, ChronoUnit.DAYS))));
        assertEquals(3L, (long) inTransaction(e -> states.next(NOW.plusSeconds(120), NOW.plusSeconds(120).plus(1, ChronoUnit.DAYS))));
        CrlState state = states.current().orElseThrow();
        assertEquals(3, state.crlNumber());
        assertEquals(NOW.plusSeconds(120), state.thisUpdate());
        assertEquals(NOW.plusSeconds(120).plus(1, ChronoUnit.DAYS), state.nextUpdate());
    }

    @Test
    void aSecondFirstRowIsRefusedByThePrimaryKey() {
        inTransaction(e -> {
            e.persist(CrlState.first(NOW, NOW.plusSeconds(60)));
            return null;
        });
        assertThrows(RuntimeException.class, () -> inTransaction(e -> {
            e.persist(CrlState.first(NOW, NOW.plusSeconds(60)));
            e.flush();
            return null;
        }));
    }

    @Test
    void theCrlListsRevokedCertificatesThatHaveNotExpiredOldestRevocationFirst() {
        IssuedCertificate valid = certificate(0x10, NOW.plus(10, ChronoUnit.DAYS));
        IssuedCertificate revokedLater = certificate(0x20, NOW.plus(10, ChronoUnit.DAYS));
        IssuedCertificate revokedEarlier = certificate(0x30, NOW.plus(10, ChronoUnit.DAYS));
        IssuedCertificate revokedExpired = certificate(0x40, NOW.minusSeconds(1));
        IssuedCertificate revokedExpiringNow = certificate(0x50, NOW);
        revokedLater.revoke(RevocationReason.SUPERSEDED, NOW.minus(1, ChronoUnit.HOURS));
        revokedEarlier.revoke(RevocationReason.KEY_COMPROMISE, NOW.minus(2, ChronoUnit.HOURS));
        revokedExpired.revoke(RevocationReason.KEY_COMPROMISE, NOW.minus(3, ChronoUnit.DAYS));
        revokedExpiringNow.revoke(RevocationReason.CESSATION_OF_OPERATION, NOW.minus(3, ChronoUnit.HOURS));
        store(valid, revokedLater, revokedEarlier, revokedExpired, revokedExpiringNow);

        RevokedCertificates revoked = new RevokedCertificates();
        revoked.em = em;
        List<RevokedEntry> entries = revoked.unexpired(NOW);

        assertEquals(List.of(
                new RevokedEntry(BigInteger.valueOf(0x50), NOW.minus(3, ChronoUnit.HOURS), RevocationReason.CESSATION_OF_OPERATION),
                new RevokedEntry(BigInteger.valueOf(0x30), NOW.minus(2, ChronoUnit.HOURS), RevocationReason.KEY_COMPROMISE),
                new RevokedEntry(BigInteger.valueOf(0x20), NOW.minus(1, ChronoUnit.HOURS), RevocationReason.SUPERSEDED)),
                entries);
    }

    @Test
    void statusesAreReadBySerial() {
        IssuedCertificate valid = certificate(0xabcdef, NOW.plus(10, ChronoUnit.DAYS));
        IssuedCertificate expired = certificate(0xabcdee, NOW.minusSeconds(1));
        IssuedCertificate revoked = certificate(0xabcded, NOW.plus(10, ChronoUnit.DAYS));
        revoked.revoke(RevocationReason.KEY_COMPROMISE, NOW.minusSeconds(30));
        store(valid, expired, revoked);

        RevokedCertificates statuses = new RevokedCertificates();
        statuses.em = em;
        assertEquals(SerialStatus.GOOD, statuses.statusOf(BigInteger.valueOf(0xabcdef)));
        assertEquals(SerialStatus.GOOD, statuses.statusOf(BigInteger.valueOf(0xabcdee)), "expired, never revoked");
        assertEquals(SerialStatus.revoked(new RevokedEntry(BigInteger.valueOf(0xabcded), NOW.minusSeconds(30),
                RevocationReason.KEY_COMPROMISE)), statuses.statusOf(BigInteger.valueOf(0xabcded)));
        assertEquals(SerialStatus.UNKNOWN, statuses.statusOf(BigInteger.valueOf(0x123)));
        assertEquals(SerialStatus.UNKNOWN, statuses.statusOf(BigInteger.ZERO));
        assertEquals(SerialStatus.UNKNOWN, statuses.statusOf(BigInteger.valueOf(-0xabcdef)));
        assertEquals(SerialStatus.UNKNOWN, statuses.statusOf(BigInteger.ONE.shiftLeft(160)), "more than 20 octets");
        assertEquals(SerialStatus.UNKNOWN, statuses.statusOf(null));
    }

    private void store(IssuedCertificate... certificates) {
        inTransaction(e -> {
            for (IssuedCertificate certificate : certificates) {
                e.persist(certificate);
            }
            return null;
        });
    }

    private static IssuedCertificate certificate(long serial, Instant notAfter) {
        AgentIdentity identity = new AgentIdentity(CertificateProfile.AGENT, "agent-" + Long.toHexString(serial), "Example Org",
                "dev@example.org", "planner", List.of("discovery"), List.of());
        return new IssuedCertificate(BigInteger.valueOf(serial), CertificateProfile.AGENT, identity,
                "CN=agent,O=Example Org", "agent://local.agentnet/Example%20Org/agent", "ab".repeat(32),
                notAfter.minus(30, ChronoUnit.DAYS), notAfter, notAfter.minus(30, ChronoUnit.DAYS), null, null,
                "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    }
}
