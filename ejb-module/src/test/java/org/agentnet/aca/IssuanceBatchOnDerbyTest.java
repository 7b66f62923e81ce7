package org.agentnet.aca;

import org.agentnet.common.concurrent.GroupCommitter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IssuanceBatch} on the real schema (Flyway on in-memory Derby), driven by a
 * {@link GroupCommitter} as {@link IssuanceWriter} drives it: what the database itself refuses
 * (a spent token, by the conditional update; a claimed key, by aca_key_claim's primary key) is
 * refused for that item only, and nothing of a refused item is left behind.
 */
class IssuanceBatchOnDerbyTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final AtomicLong SERIALS = new AtomicLong(0x1000);

    private AcaDerby db;
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private GroupCommitter<PreparedIssuance> committer;
    private volatile CountDownLatch holdFirstBatch = new CountDownLatch(0);
    private volatile CountDownLatch firstBatchEntered = new CountDownLatch(1);

    @BeforeEach
    void open() {
        db = new AcaDerby(EnrollmentToken.class, CertificateApplication.class, IssuedCertificate.class, AuditEvent.class,
                KeyClaim.class);
        committer = new GroupCommitter<>("test-issuance-writer", this::store, 100, 64, 1, Thread::new);
    }

    @AfterEach
    void close() {
        committer.close(Duration.ofSeconds(5));
        callers.shutdownNow();
        db.close();
    }

    /** The store as IssuanceWriter has it: one IssuanceBatch.write, one transaction. */
    private List<RuntimeException> store(List<PreparedIssuance> items) {
        firstBatchEntered.countDown();
        try {
            holdFirstBatch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return db.inTransaction(em -> {
            IssuanceBatch batch = new IssuanceBatch();
            batch.em = em;
            return batch.write(items);
        });
    }

    @Test
    void anIssuanceIsWrittenWithItsTokenSpentItsKeyClaimedAndOneAuditEntry() {
        EnrollmentToken token = token();
        PreparedIssuance issuance = issuance(token, "k1");
        committer.write(issuance, Duration.ofSeconds(20));
        assertEquals(1L, count("select count(c) from IssuedCertificate c"));
        assertEquals(1L, count("select count(a) from CertificateApplication a where a.state = org.agentnet.aca.CertificateApplication.State.ISSUED"));
        assertEquals(1L, count("select count(e) from AuditEvent e"), "one audit entry per issuance");
        assertEquals(1L, count("select count(k) from KeyClaim k"));
        EnrollmentToken stored = db.inTransaction(em -> em.find(EnrollmentToken.class, token.id()));
        assertEquals(issuance.application().id(), stored.usedByApplication());
        assertNotNull(stored.usedAt());
    }

    @Test
    void theRowsWrittenInPlainJdbcReadBackThroughTheMappingAsWritten() {
        EnrollmentToken token = token();
        PreparedIssuance issuance = issuance(token, "rows");
        committer.write(issuance, Duration.ofSeconds(20));
        CertificateApplication application = issuance.application();
        IssuedCertificate certificate = issuance.certificate();
        AuditEvent audit = issuance.audit();
        db.inTransaction(em -> {
            CertificateApplication a = em.find(CertificateApplication.class, application.id());
            assertEquals(application.identity(), a.identity());
            assertEquals(CertificateApplication.State.ISSUED, a.state());
            assertEquals(application.csrPem(), a.csrPem());
            assertEquals(application.keyFingerprint(), a.keyFingerprint());
            assertEquals(token.id(), a.enrollmentTokenId());
            assertEquals(application.submittedAt(), a.submittedAt());
            assertEquals(application.decidedAt(), a.decidedAt());
            assertEquals(application.decidedBy(), a.decidedBy());
            assertNull(a.rejectionReason());
            assertEquals(certificate.serial(), a.certificateSerial());
            IssuedCertificate c = em.find(IssuedCertificate.class, certificate.serial());
            assertEquals(List.of(certificate.profile(), certificate.agentName(), certificate.organization(),
                    certificate.subjectDn(), certificate.agentUri(), certificate.keyFingerprint(), certificate.notBefore(),
                    certificate.notAfter(), certificate.issuedAt(), certificate.applicationId(), certificate.pem()),
                    List.of(c.profile(), c.agentName(), c.organization(), c.subjectDn(), c.agentUri(), c.keyFingerprint(),
                            c.notBefore(), c.notAfter(), c.issuedAt(), c.applicationId(), c.pem()));
            assertNull(c.renewedFrom());
            assertNull(c.revokedAt());
            assertEquals(IssuedCertificate.Status.VALID, c.status(NOW));
            AuditEvent e = em.find(AuditEvent.class, audit.id());
            assertEquals(List.of(audit.occurredAt(), audit.actor(), audit.action(), audit.targetType(), audit.targetId(),
                    audit.detail()), List.of(e.occurredAt(), e.actor(), e.action(), e.targetType(), e.targetId(), e.detail()));
            assertEquals(issuance.at(), em.find(KeyClaim.class, application.keyFingerprint()).claimedAt());
            // a new row's version as Hibernate seeds it, so that the first update through the mapping finds it
            assertEquals(List.of(0L, 0L), List.of(
                    ((Number) em.createNativeQuery("SELECT version FROM aca_application WHERE id = ?1")
                            .setParameter(1, application.id()).getSingleResult()).longValue(),
                    ((Number) em.createNativeQuery("SELECT version FROM aca_certificate WHERE serial = ?1")
                            .setParameter(1, certificate.serial()).getSingleResult()).longValue()));
            return null;
        });
        // and the mapping updates them (revocation)
        db.inTransaction(em -> {
            em.find(IssuedCertificate.class, certificate.serial()).revoke(RevocationReason.KEY_COMPROMISE, NOW.plusSeconds(1));
            return null;
        });
        assertEquals(IssuedCertificate.Status.REVOKED,
                db.inTransaction(em -> em.find(IssuedCertificate.class, certificate.serial())).status(NOW.plusSeconds(2)));
    }

    @Test
    void aSpentTokenIsRefusedAndLeavesNothing() {
        EnrollmentToken token = token();
        committer.write(issuance(token, "k1"), Duration.ofSeconds(20));
        AgentnetException refused = assertThrows(AgentnetException.class,
                () -> committer.write(issuance(token, "k2"), Duration.ofSeconds(20)));
        assertEquals(ProblemType.INVALID_ENROLLMENT_TOKEN, refused.type());
        assertEquals(1L, count("select count(c) from IssuedCertificate c"));
        assertEquals(1L, count("select count(a) from CertificateApplication a"));
        assertEquals(1L, count("select count(e) from AuditEvent e"));
        assertEquals(0L, count("select count(k) from KeyClaim k where k.keyFingerprint = '" + fingerprint("k2") + "'"));
    }

    @Test
    void aKeyClaimedMeanwhileFailsItsItemOnlyAndItsTokenStaysUnspent() throws Exception {
        db.inTransaction(em -> {
            em.persist(new KeyClaim(fingerprint("taken"), NOW));
            return null;
        });
        EnrollmentToken t1 = token();
        EnrollmentToken t2 = token();
        EnrollmentToken t3 = token();
        EnrollmentToken t0 = token();
        // a first batch holds the writer so that the next three share one transaction
        holdFirstBatch = new CountDownLatch(1);
        Future<Throwable> first = write(issuance(t0, "k0"));
        assertTrue(firstBatchEntered.await(20, TimeUnit.SECONDS));
        Future<Throwable> a = write(issuance(t1, "k1"));
        Future<Throwable> duplicate = write(issuance(t2, "taken"));
        Future<Throwable> c = write(issuance(t3, "k3"));
        Thread.sleep(300);
        holdFirstBatch.countDown();
        assertNull(first.get(20, TimeUnit.SECONDS));
        assertNull(a.get(20, TimeUnit.SECONDS));
        assertNull(c.get(20, TimeUnit.SECONDS));
        assertNotNull(duplicate.get(20, TimeUnit.SECONDS), "aca_key_claim's primary key refuses it");
        assertEquals(1, committer.statistics()[2], "the batch failed as a whole and was written item by item");
        assertEquals(3L, count("select count(c) from IssuedCertificate c"));
        assertEquals(0L, count("select count(c) from IssuedCertificate c where c.keyFingerprint = '" + fingerprint("taken") + "'"));
        assertNull(db.inTransaction(em -> em.find(EnrollmentToken.class, t2.id())).usedAt(), "a refused application spends no token");
        assertEquals(3L, count("select count(e) from AuditEvent e"));
    }

    @Test
    void oneTokenInManyConcurrentIssuancesIsSpentExactlyOnce() throws Exception {
        EnrollmentToken token = token();
        List<Future<Throwable>> all = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            all.add(write(issuance(token, "concurrent-" + i)));
        }
        int won = 0;
        for (Future<Throwable> f : all) {
            Throwable outcome = f.get(20, TimeUnit.SECONDS);
            if (outcome == null) {
                won++;
            } else if (outcome instanceof AgentnetException refused) {
                assertEquals(ProblemType.INVALID_ENROLLMENT_TOKEN, refused.type());
            } else {
                assertInstanceOf(GroupCommitter.Conflict.class, outcome, "refused in its batch");
            }
        }
        assertEquals(1, won);
        assertEquals(1L, count("select count(c) from IssuedCertificate c"));
    }

    private Future<Throwable> write(PreparedIssuance issuance) {
        return callers.submit(() -> {
            try {
                committer.write(issuance, Duration.ofSeconds(20));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
    }

    private long count(String jpql) {
        return db.inTransaction(em -> em.createQuery(jpql, Long.class).getSingleResult());
    }

    private EnrollmentToken token() {
        EnrollmentToken token = new EnrollmentToken(EnrollmentTokenService.hash(java.util.UUID.randomUUID().toString()),
                "Example Org", CertificateProfile.AGENT, Set.of("planner"), Set.of("discovery"), "admin", NOW,
                NOW.plus(1, ChronoUnit.DAYS));
        db.inTransaction(em -> {
            em.persist(token);
            return null;
        });
        return token;
    }

    private static String fingerprint(String key) {
        return EnrollmentTokenService.hash(key);
    }

    /** A prepared issuance as CertificateApplicationService makes it (the certificate's PEM is a stand-in). */
    private static PreparedIssuance issuance(EnrollmentToken token, String key) {
        AgentIdentity identity = new AgentIdentity(CertificateProfile.AGENT, "agent-" + key, "Example Org",
                "dev@example.org", "planner", List.of("discovery"), List.of());
        VerifiedCsr csr = new VerifiedCsr("-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n",
                null, fingerprint(key), "EC P-256");
        CertificateApplication application = new CertificateApplication(identity, csr, NOW);
        application.usedToken(token.id());
        IssuedCertificate certificate = new IssuedCertificate(BigInteger.valueOf(SERIALS.incrementAndGet()),
                CertificateProfile.AGENT, identity, "CN=agent-" + key + ",O=Example Org",
                "agent://local.agentnet/Example%20Org/agent-" + key, csr.keyFingerprint(), NOW.minusSeconds(60),
                NOW.plus(30, ChronoUnit.DAYS), NOW, application.id(), null,
                "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        application.issued(certificate.serial(), NOW, "enrollment-token:" + token.id());
        AuditEvent audit = new AuditEvent(NOW, "enrollment-token:" + token.id(), AuditEvent.Action.ISSUED, "certificate",
                certificate.serial(), "application " + application.id());
        return new PreparedIssuance(application, certificate, token.id(), audit, NOW);
    }
}
