package org.agentnet.aca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The publisher with a test CA and in-memory stand-ins for the database beans. */
class CrlPublisherTest {

    private static final TestCa CA = TestCa.create("CN=publisher.test Agent CA,O=publisher.test");
    private static final Duration VALIDITY = Duration.ofDays(1);
    private static final Duration OVERLAP = Duration.ofHours(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00.250Z"));
    private final InMemoryRevocations revocations = new InMemoryRevocations();
    private final InMemoryCrlStates states = new InMemoryCrlStates();
    private CrlPublisher publisher;

    @BeforeEach
    void setUp() {
        publisher = publisher(CA.authority());
    }

    private CrlPublisher publisher(CertificateAuthority authority) {
        CrlPublisher p = new CrlPublisher() {
            @Override
            CrlPublisher asynchronous() {
                return this; // no container: "asynchronous" calls run at once
            }
        };
        p.authority = authority;
        p.revoked = revocations;
        p.states = states;
        p.clock = clock;
        p.validity = VALIDITY;
        p.overlap = OVERLAP;
        return p;
    }

    @Test
    void atStartTheFirstCrlIsPublishedWithWholeSecondTimes() throws Exception {
        publisher.start();
        PublishedCrl crl = publisher.current().orElseThrow();
        assertEquals(1, crl.number());
        assertEquals(Instant.parse("2026-11-26T10:00:00Z"), crl.thisUpdate());
        assertEquals(Instant.parse("2026-11-27T10:00:00Z"), crl.nextUpdate());
        X509CRL parsed = parse(crl);
        parsed.verify(CA.keys.getPublic());
        assertNull(parsed.getRevokedCertificates());
        assertEquals(1, crlNumber(crl));
    }

    @Test
    void everyRegenerationTakesTheNextNumber() throws Exception {
        publisher.start();
        assertEquals(2, publisher.regenerate().number());
        PublishedCrl third = publisher.regenerate();
        assertEquals(3, third.number());
        assertEquals(3, crlNumber(third));
        assertEquals(3, states.number);
    }

    @Test
    void aCommittedRevocationIsListedAtOnce() throws Exception {
        publisher.start();
        BigInteger serial = new BigInteger("5a5a5a5a5a5a5a5a5a", 16);
        Instant at = clock.instant().minusSeconds(3);
        revocations.add(new RevokedEntry(serial, at, RevocationReason.KEY_COMPROMISE));
        publisher.revoked(new CertificateRevoked(IssuedCertificate.serialText(serial), RevocationReason.KEY_COMPROMISE, at));
        PublishedCrl crl = publisher.current().orElseThrow();
        assertEquals(2, crl.number());
        assertEquals(1, crl.entries());
        assertEquals(CRLReason.KEY_COMPROMISE, parse(crl).getRevokedCertificate(serial).getRevocationReason());
    }

    @Test
    void theRefreshWaitsUntilNowPlusOverlapReachesNextUpdate() {
        publisher.start();
        PublishedCrl first = publisher.current().orElseThrow();
        clock.set(first.nextUpdate().minus(OVERLAP).minusSeconds(1));
        assertTrue(publisher.refreshIfDue().isEmpty());
        assertSame(first, publisher.current().orElseThrow());
        clock.set(first.nextUpdate().minus(OVERLAP));
        PublishedCrl second = publisher.refreshIfDue().orElseThrow();
        assertEquals(2, second.number());
        assertEquals(first.nextUpdate().minus(OVERLAP), second.thisUpdate());
        assertTrue(publisher.refreshIfDue().isEmpty(), "the new one is not due");
    }

    @Test
    void theRefreshJobRefreshesOnlyWhenDue() {
        publisher.start();
        CrlRefreshJob job = new CrlRefreshJob();
        job.publisher = publisher;
        assertEquals("aca-crl-refresh", job.name());
        assertEquals(Duration.ofMinutes(15), job.defaultInterval());
        job.run();
        assertEquals(1, publisher.current().orElseThrow().number());
        clock.set(clock.instant().plus(VALIDITY));
        job.run();
        assertEquals(2, states.number);
    }

    @Test
    void aCrlFoundDueWhenAskedForIsRebuiltFirst() {
        publisher.start();
        clock.set(clock.instant().plus(VALIDITY).plusSeconds(5)); // the timer ran on another node, or not at all
        PublishedCrl crl = publisher.current().orElseThrow();
        assertEquals(2, crl.number());
        assertTrue(crl.nextUpdate().isAfter(clock.instant()));
    }

    @Test
    void aFailedStartIsRepairedByTheFirstRequest() {
        states.failures = 3;
        publisher.start(); // logs, does not throw
        assertEquals(0, states.number);
        PublishedCrl crl = publisher.current().orElseThrow();
        assertEquals(1, crl.number());
    }

    @Test
    void aRaceForTheNumberIsRetried() {
        states.failures = CrlPublisher.NUMBER_ATTEMPTS - 1;
        assertEquals(1, publisher.regenerate().number());
        states.failures = CrlPublisher.NUMBER_ATTEMPTS;
        IllegalStateException failure = assertThrows(IllegalStateException.class, publisher::regenerate);
        assertEquals(CrlPublisher.NUMBER_ATTEMPTS - 1, failure.getSuppressed().length);
    }

    @Test
    void aCrlKnownToMissARevocationIsNotServed() {
        publisher.start();
        states.failures = Integer.MAX_VALUE;
        publisher.revoked(new CertificateRevoked("abc", RevocationReason.KEY_COMPROMISE, clock.instant()));
        assertTrue(publisher.current().isEmpty());
        states.failures = 0;
        assertEquals(2, publisher.current().orElseThrow().number());
    }

    @Test
    void aRevocationWhoseRebuildFailsMakesTheNextRequestRebuild() {
        publisher.start();
        states.failures = CrlPublisher.NUMBER_ATTEMPTS; // the rebuild after the revocation fails once
        BigInteger serial = BigInteger.valueOf(0xfeed);
        revocations.add(new RevokedEntry(serial, clock.instant(), RevocationReason.SUPERSEDED));
        publisher.revoked(new CertificateRevoked("feed", RevocationReason.SUPERSEDED, clock.instant()));
        PublishedCrl crl = publisher.current().orElseThrow();
        assertEquals(2, crl.number(), "rebuilt by the request although it is not due");
        assertEquals(1, crl.entries());
        assertTrue(publisher.refreshIfDue().isEmpty(), "fresh again");
    }

    @Test
    void theAsynchronousRebuildIsARegeneration() throws Exception {
        publisher.start();
        assertEquals(2, publisher.regenerateAsynchronously().get().number());
    }

    @Test
    void nothingHappensWhenTheAcaIsNotEnabled() {
        CrlPublisher disabled = publisher(new CertificateAuthority());
        disabled.start();
        disabled.revoked(new CertificateRevoked("abc", RevocationReason.KEY_COMPROMISE, clock.instant()));
        assertTrue(disabled.current().isEmpty());
        assertTrue(disabled.refreshIfDue().isEmpty());
        assertThrows(IllegalStateException.class, disabled::regenerate);
        CrlRefreshJob job = new CrlRefreshJob();
        job.publisher = disabled;
        job.run();
        assertEquals(0, states.number);
        assertNull(states.lastThisUpdate);
    }

    @Test
    void settingsAreChecked() {
        CrlPublisher.checkSettings(Duration.ofDays(1), Duration.ZERO);
        CrlPublisher.checkSettings(Duration.ofDays(1), Duration.ofHours(23));
        assertThrows(IllegalStateException.class, () -> CrlPublisher.checkSettings(Duration.ofDays(1), Duration.ofDays(1)));
        assertThrows(IllegalStateException.class, () -> CrlPublisher.checkSettings(Duration.ofDays(1), Duration.ofHours(-1)));
        assertThrows(IllegalStateException.class, () -> CrlPublisher.checkSettings(Duration.ofSeconds(30), Duration.ZERO));
        assertThrows(IllegalStateException.class, () -> CrlPublisher.checkSettings(null, Duration.ZERO));
    }

    private static X509CRL parse(PublishedCrl crl) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crl.der()));
    }

    private static long crlNumber(PublishedCrl crl) throws Exception {
        X509CRLHolder holder = new X509CRLHolder(crl.der());
        return CRLNumber.getInstance(holder.getExtension(Extension.cRLNumber).getParsedValue()).getCRLNumber().longValueExact();
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Revocations as the database would return them: unexpired ones only (expiry not modelled here). */
    static final class InMemoryRevocations extends RevokedCertificates {
        final List<RevokedEntry> entries = new ArrayList<>();

        void add(RevokedEntry entry) {
            entries.add(entry);
        }

        @Override
        public List<RevokedEntry> unexpired(Instant now) {
            return List.copyOf(entries);
        }
    }

    /** The persisted number; can be told to fail the next calls (another node won the race). */
    static final class InMemoryCrlStates extends CrlStates {
        long number;
        int failures;
        Instant lastThisUpdate;

        @Override
        public long next(Instant thisUpdate, Instant nextUpdate) {
            if (failures > 0) {
                failures--;
                throw new IllegalStateException("optimistic lock failure (simulated)");
            }
            lastThisUpdate = thisUpdate;
            return ++number;
        }

        @Override
        public Optional<CrlState> current() {
            return Optional.empty();
        }
    }
}
