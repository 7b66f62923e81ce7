package org.agentnet.agw.traffic;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the token buckets' rounds ({@link TokenBucketLimits#synchronize()}) on every server: a
 * non-persistent timer every {@code agentnet.agw.limits.sync-interval} (each node adds its own
 * consumption), or every 10 s with buckets of this node only (only idle buckets are dropped then).
 * A round still running when the next is due makes that one skip. The last round runs at an
 * orderly shutdown.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BucketSynchronizer {

    static final Duration LOCAL_ROUNDS = Duration.ofSeconds(10);

    @Resource
    TimerService timers;

    @Inject
    LimitSettings settings;

    @Inject
    TokenBucketLimits limits;

    private final AtomicBoolean running = new AtomicBoolean();

    @PostConstruct
    void start() {
        if (!settings.enabled()) {
            return;
        }
        long millis = (settings.shared() ? settings.syncInterval() : LOCAL_ROUNDS).toMillis();
        timers.createIntervalTimer(millis, millis, new TimerConfig("agw-token-buckets", false));
    }

    @Timeout
    void round() {
        if (running.compareAndSet(false, true)) {
            try {
                limits.synchronize();
            } finally {
                running.set(false);
            }
        }
    }

    @PreDestroy
    void stop() {
        if (settings.enabled()) {
            round();
        }
    }
}
