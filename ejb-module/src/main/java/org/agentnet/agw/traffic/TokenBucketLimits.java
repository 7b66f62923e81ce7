package org.agentnet.agw.traffic;

import io.github.bucket4j.TimeMeter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The gateway's traffic control (draft 2.1; docs/agw.md "Traffic control"): token buckets
 * (Bucket4j) per kind of request and <b>authenticated identity</b> (the agent:// or agw:// URI of
 * the caller's verified certificate, never its address), with the limits of {@link LimitRules}.
 * Operators are not limited. With {@code agentnet.agw.limits.enabled=false} every request is
 * admitted. The buckets are {@link TokenBuckets} of this node, synchronized with the shared table
 * every {@code agentnet.agw.limits.sync-interval} ({@link BucketSynchronizer}).
 */
@ApplicationScoped
public class TokenBucketLimits implements TrafficControl {

    private static final Logger LOG = Logger.getLogger(TokenBucketLimits.class.getName());

    @Inject
    LimitSettings settings;

    @Inject
    TrafficMetrics metrics;

    @Inject
    Clock clock;

    @EJB
    BucketTransactions transactions;

    @Resource(lookup = "jdbc/agentnet")
    DataSource dataSource;

    private static final long WARN_EVERY_NANOS = 60_000_000_000L;

    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS - 1);
    private TokenBuckets buckets;
    private JdbcBuckets table;

    @PostConstruct
    void start() {
        TimeMeter time = new ClockTimeMeter(clock);
        table = BucketStores.table(dataSource, time);
        TokenBuckets.Store store = settings.shared() ? BucketStores.shared(table, time, transactions::run) : BucketStores.local(time);
        buckets = new TokenBuckets(store, time, settings.maxBuckets(), settings.syncPolicy());
        metrics.gauge("agentnet.traffic.buckets", "Token buckets held in this node's memory", buckets::size);
    }

    @Override
    public Admission admit(TrafficRequest request) {
        if (!settings.enabled() || !request.certified()) {
            return Admission.ADMITTED;
        }
        LimitRules.Limit limit = settings.rules().limit(request.kind(), request.domain(), request.organization());
        if (limit.unlimited()) {
            return Admission.ADMITTED;
        }
        Admission admission;
        try {
            admission = buckets.take(request.kind(), request.caller(), limit);
        } catch (RuntimeException e) {
            // the shared table cannot be read: admit (traffic control must not take the node down with it)
            long now = System.nanoTime();
            long last = lastWarning.get();
            if (now - last > WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
                LOG.log(Level.WARNING, "traffic control could not read the bucket of " + request.caller()
                        + "; admitted (such requests are admitted until the table can be read; logged once a minute)", e);
            }
            return Admission.ADMITTED;
        }
        metrics.counted(request.kind(), admission.admitted());
        return admission;
    }

    /** One synchronization round (the timer of {@link BucketSynchronizer}). */
    public void synchronize() {
        try {
            TokenBuckets.Round round = buckets.synchronize();
            if (round.synced() > 0) {
                metrics.round(true);
            }
        } catch (RuntimeException e) {
            metrics.round(false);
            LOG.log(Level.WARNING, "token buckets not synchronized with the database this round", e);
        }
    }

    /** Deletes the shared buckets that are full again (the job agw-rate-limit-cleanup); how many. */
    public int deleteExpired() {
        int[] deleted = new int[1];
        // instant(), not millis(): the node's clock ticks in microseconds, and a tick clock's millis() divides by zero then
        transactions.run(() -> deleted[0] = table.deleteExpired(clock.instant().toEpochMilli()));
        return deleted[0];
    }
}
