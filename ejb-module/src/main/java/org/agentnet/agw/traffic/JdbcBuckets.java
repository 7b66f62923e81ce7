package org.agentnet.agw.traffic;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Bucket4j's distributed buckets over the table {@code agw_rate_limit} (V10), on Derby and
 * PostgreSQL alike: a compare-and-swap proxy manager whose swap is an {@code UPDATE ... WHERE
 * revision = <the revision read>} (or an {@code INSERT} for a new bucket, which loses to a concurrent
 * one), so that nodes sharing the database never lose each other's consumption. The state is
 * Bucket4j's serialized bucket, Base64 in a VARCHAR (portable; a few hundred characters).
 *
 * <p>Each operation takes a connection from the data source and gives it back: in the server that
 * is the JTA data source, so the operations join the transaction of the caller
 * ({@link BucketTransactions}: one transaction for a whole synchronization round).
 */
public class JdbcBuckets extends AbstractCompareAndSwapBasedProxyManager<String> {

    static final String TABLE = "agw_rate_limit";
    private static final String SELECT = "SELECT state, revision FROM " + TABLE + " WHERE bucket_key = ?";
    private static final String UPDATE = "UPDATE " + TABLE + " SET state = ?, revision = revision + 1, expires_at = ?"
            + " WHERE bucket_key = ? AND revision = ?";
    private static final String INSERT = "INSERT INTO " + TABLE + " (bucket_key, state, revision, expires_at) VALUES (?, ?, 1, ?)";
    private static final String DUPLICATE_KEY = "23505";

    /** The time the commands of this thread are executed at, when not now ({@link #asOf}). */
    private static final ThreadLocal<Long> AS_OF = new ThreadLocal<>();

    private final DataSource dataSource;
    private volatile Boolean postgresql;

    public JdbcBuckets(DataSource dataSource, ClientSideConfig config) {
        super(config);
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code work} with the bucket commands of this thread executed as of {@code nanos} (the
     * clock's time) instead of now. A node adds the consumption it held back as of the time of the
     * first of it: added later, at once, the refill the shared bucket would have earned meanwhile
     * (it was full when the first token was taken, so its refill was capped) would be lost, and every
     * node would see the caller with fewer tokens than it has. A time before the bucket's last refill
     * refills nothing (Bucket4j never refills backwards).
     */
    public void asOf(long nanos, Runnable work) {
        Long before = AS_OF.get();
        AS_OF.set(nanos);
        try {
            work.run();
        } finally {
            if (before == null) {
                AS_OF.remove();
            } else {
                AS_OF.set(before);
            }
        }
    }

    @Override
    protected Long getClientSideTime() {
        Long at = AS_OF.get();
        return at != null ? at : super.getClientSideTime();
    }

    /** The row key of a bucket: SHA-256 (hex) of its full name, which may be long. */
    public static String rowKey(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        return new CompareAndSwapOperation() {
            private long revision;

            @Override
            public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                try (Connection connection = dataSource.getConnection();
                     PreparedStatement select = prepare(connection, SELECT, timeoutNanos)) {
                    select.setString(1, key);
                    try (ResultSet row = select.executeQuery()) {
                        if (!row.next()) {
                            return Optional.empty();
                        }
                        byte[] state = Base64.getDecoder().decode(row.getString(1));
                        revision = row.getLong(2);
                        return Optional.of(state);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot read rate-limit bucket " + key + ": " + e.getMessage(), e);
                }
            }

            @Override
            public boolean compareAndSwap(byte[] originalData, byte[] newData, RemoteBucketState newState, Optional<Long> timeoutNanos) {
                String state = Base64.getEncoder().encodeToString(newData);
                long expiresAt = expiresAt(newState);
                try (Connection connection = dataSource.getConnection()) {
                    if (originalData == null) {
                        return insert(connection, key, state, expiresAt, timeoutNanos);
                    }
                    try (PreparedStatement update = prepare(connection, UPDATE, timeoutNanos)) {
                        update.setString(1, state);
                        update.setLong(2, expiresAt);
                        update.setString(3, key);
                        update.setLong(4, revision);
                        return update.executeUpdate() == 1;
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot write rate-limit bucket " + key + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /** A new bucket's row; false when another node inserted it first (Bucket4j then reads it and tries again). */
    private boolean insert(Connection connection, String key, String state, long expiresAt, Optional<Long> timeoutNanos)
            throws SQLException {
        // PostgreSQL aborts the whole transaction on a duplicate key: never let it happen there
        String sql = isPostgresql(connection) ? INSERT + " ON CONFLICT (bucket_key) DO NOTHING" : INSERT;
        try (PreparedStatement insert = prepare(connection, sql, timeoutNanos)) {
            insert.setString(1, key);
            insert.setString(2, state);
            insert.setLong(3, expiresAt);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            if (DUPLICATE_KEY.equals(e.getSQLState())) {
                return false; // Derby: the statement is undone, the transaction goes on
            }
            throw e;
        }
    }

    private long expiresAt(RemoteBucketState state) {
        long now = currentTimeNanos();
        long ttl = getClientSideConfig().getExpirationAfterWriteStrategy()
                .orElse(ExpirationAfterWriteStrategy.none()).calculateTimeToLiveMillis(state, now);
        long nowMillis = TimeUnit.NANOSECONDS.toMillis(now);
        return ttl <= 0 || ttl == Long.MAX_VALUE ? Long.MAX_VALUE : nowMillis + ttl;
    }

    private boolean isPostgresql(Connection connection) throws SQLException {
        Boolean known = postgresql;
        if (known == null) {
            known = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
            postgresql = known;
        }
        return known;
    }

    private static PreparedStatement prepare(Connection connection, String sql, Optional<Long> timeoutNanos) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        if (timeoutNanos.isPresent()) {
            statement.setQueryTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(timeoutNanos.get())));
        }
        return statement;
    }

    /** Deletes the buckets full again before {@code nowMillis} (nothing is lost: a new bucket starts full). */
    public int deleteExpired(long nowMillis) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE expires_at < ?")) {
            delete.setLong(1, nowMillis);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete expired rate-limit buckets: " + e.getMessage(), e);
        }
    }

    @Override
    public void removeProxy(String key) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE bucket_key = ?")) {
            delete.setString(1, key);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete rate-limit bucket " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        throw new UnsupportedOperationException("JDBC buckets are synchronous");
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("JDBC buckets are synchronous"));
    }

    @Override
    public boolean isAsyncModeSupported() {
        return false;
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
        return true;
    }
}
