package org.agentnet.agw.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelaySettingsTest {

    private static RelaySettings settings(Duration initial, double factor, Duration max, int attempts) {
        RelaySettings settings = new RelaySettings();
        settings.initialDelay = initial;
        settings.factor = factor;
        settings.maxDelay = max;
        settings.maxAttempts = attempts;
        settings.connectTimeout = Duration.ofSeconds(5);
        settings.requestTimeout = Duration.ofSeconds(10);
        settings.recoveryGrace = Duration.ofMinutes(2);
        settings.retention = Duration.ofDays(7);
        settings.inboxMaxWait = Duration.ofSeconds(30);
        settings.inboxLease = Duration.ofSeconds(30);
        settings.inboxMaxWaiters = 10;
        settings.writers = 2;
        settings.writerBatchSize = 64;
        settings.dispatchers = 8;
        settings.batchSize = 32;
        settings.pollInterval = Duration.ofSeconds(1);
        settings.peerConnectTimeout = Duration.ofSeconds(5);
        settings.peerRequestTimeout = Duration.ofSeconds(15);
        settings.check();
        return settings;
    }

    @Test
    void theBackOffGrowsByTheFactorUpToTheMaximum() {
        RelaySettings settings = settings(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(30), 10);
        assertEquals(Duration.ofSeconds(2), settings.backoff(1));
        assertEquals(Duration.ofSeconds(4), settings.backoff(2));
        assertEquals(Duration.ofSeconds(8), settings.backoff(3));
        assertEquals(Duration.ofSeconds(16), settings.backoff(4));
        assertEquals(Duration.ofSeconds(30), settings.backoff(5));
        assertEquals(Duration.ofSeconds(30), settings.backoff(500));
    }

    @Test
    void aFactorOfOneIsAFixedDelay() {
        RelaySettings settings = settings(Duration.ofMillis(500), 1.0, Duration.ofSeconds(1), 3);
        assertEquals(Duration.ofMillis(500), settings.backoff(1));
        assertEquals(Duration.ofMillis(500), settings.backoff(7));
    }

    @Test
    void nonsenseIsRefusedAtStart() {
        assertThrows(IllegalStateException.class, () -> settings(Duration.ofSeconds(2), 0.5, Duration.ofSeconds(30), 10));
        assertThrows(IllegalStateException.class, () -> settings(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(1), 10));
        assertThrows(IllegalStateException.class, () -> settings(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(30), 0));
        // a retention shorter than the retries: a peer's repeat of a forgotten message would be delivered twice
        assertThrows(IllegalStateException.class, () -> settings(Duration.ofSeconds(2), 2.0, Duration.ofDays(1), 10));
    }

    @Test
    void aClaimOutlastsTheLongestCallOfATryByTheRecoveryGrace() {
        // the relay call (5 s + 15 s) is longer than the push (5 s + 10 s)
        assertEquals(Duration.ofSeconds(140), settings(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(30), 10).claimLease());
    }
}
