package org.agentnet.agw.traffic;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.optimization.NopeOptimizationListener;
import io.github.bucket4j.distributed.proxy.optimization.manual.ManuallySyncingOptimization;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** The two {@link TokenBuckets.Store}s: this node's memory only, or shared through the database. */
public final class BucketStores {

    /** How long a bucket's row is kept after it is full again (then the cleanup job may delete it). */
    static final Duration KEEP_AFTER_FULL = Duration.ofMinutes(1);
    /** Longest wait for one statement on the bucket table. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);

    private BucketStores() {
    }

    /** The bucket table of {@code dataSource}, with the node's clock. */
    public static JdbcBuckets table(DataSource dataSource, TimeMeter clock) {
        return new JdbcBuckets(dataSource, ClientSideConfig.getDefault()
                .withClientClock(clock)
                .withRequestTimeout(STATEMENT_TIMEOUT)
                .withExpirationAfterWriteStrategy(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL)));
    }

    /** Buckets in this node's memory only: exact on one node; each node of a domain counts on its own. */
    public static TokenBuckets.Store local(TimeMeter clock) {
        return new TokenBuckets.Store() {
            @Override
            public Bucket bucket(String name, BucketConfiguration configuration) {
                return Bucket.builder().withCustomTimePrecision(clock).addLimit(configuration.getBandwidths()[0]).build();
            }

            @Override
            public void prepare(Bucket bucket) {
                // nothing to read
            }

            @Override
            public void synchronize(List<TokenBuckets.Pending> buckets) {
                // nothing to share
            }

            @Override
            public boolean shared() {
                return false;
            }
        };
    }

    /**
     * Buckets shared through {@code agw_rate_limit}: Bucket4j's distributed bucket
     * ({@link JdbcBuckets}) with its manual-synchronization optimization: decisions are taken on
     * the local copy of the state, and each synchronization adds what was consumed here since the
     * last one to the shared bucket, as of the time of the first of it, and takes its state back.
     *
     * @param transaction runs a piece of work in one new transaction (in the server: {@link BucketTransactions})
     */
    public static TokenBuckets.Store shared(JdbcBuckets buckets, TimeMeter clock, Consumer<Runnable> transaction) {
        return new TokenBuckets.Store() {
            @Override
            public Bucket bucket(String name, BucketConfiguration configuration) {
                return buckets.builder()
                        .withOptimization(new ManuallySyncingOptimization(NopeOptimizationListener.INSTANCE, clock))
                        .build(JdbcBuckets.rowKey(name), () -> configuration);
            }

            @Override
            public void prepare(Bucket bucket) {
                transaction.accept(() -> ((BucketProxy) bucket).getOptimizationController().syncImmediately());
            }

            @Override
            public void synchronize(List<TokenBuckets.Pending> due) {
                // each bucket's held-back consumption is added as of the time of its first token (JdbcBuckets.asOf)
                transaction.accept(() -> due.forEach(pending -> buckets.asOf(pending.sinceNanos(),
                        () -> ((BucketProxy) pending.bucket()).getOptimizationController().syncImmediately())));
            }

            @Override
            public boolean shared() {
                return true;
            }
        };
    }
}
