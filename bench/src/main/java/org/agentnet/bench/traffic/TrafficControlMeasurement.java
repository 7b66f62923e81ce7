package org.agentnet.bench.traffic;

import io.github.bucket4j.TimeMeter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.agentnet.agw.traffic.BucketStores;
import org.agentnet.agw.traffic.LimitRules;
import org.agentnet.agw.traffic.TokenBuckets;
import org.agentnet.agw.traffic.TrafficControl;
import org.apache.derby.jdbc.EmbeddedDataSource;

/**
 * What traffic control costs a request, in this JVM (no HTTP, no server): the gateway's own
 * {@link TokenBuckets} taking one token per "request" of {@code identities} callers on
 * {@code threads} threads for a few seconds, with buckets of this node only and with buckets shared
 * through the real table ({@code V10__agw_rate_limits.sql} on an in-memory Derby database, one
 * connection, a transaction per round) and a round every second with the server's default policy;
 * then what a round costs per bucket written (CPU time of the thread), by the number of callers
 * active. The limit is far above the load: every
 * take is admitted, as in the benchmark's "limits on" rows. Prints nanoseconds per take, which
 * bench/README.md ("Traffic control") sets against the time a discovery request takes. Usage:
 * {@code java -cp ... org.agentnet.bench.traffic.TrafficControlMeasurement [threads=2] [seconds=5] [identities=16]}
 */
public final class TrafficControlMeasurement {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** The server's defaults (agentnet.agw.limits.sync-threshold, sync-max-delay). */
    private static final TokenBuckets.SyncPolicy POLICY = new TokenBuckets.SyncPolicy(0.05, Duration.ofSeconds(10));
    private static final LimitRules.Limit LIMIT = new LimitRules.Limit(1_000_000_000L, Duration.ofMinutes(1));

    private TrafficControlMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int identities = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        List<String> callers = new ArrayList<>();
        for (int i = 0; i < identities; i++) {
            callers.add("agent://bench.example/Bench%20Org/agent-" + i);
        }
        System.setProperty("derby.stream.error.file", System.getProperty("java.io.tmpdir") + "/derby-traffic.log");
        TimeMeter time = TimeMeter.SYSTEM_MILLISECONDS;

        TokenBuckets local = new TokenBuckets(BucketStores.local(time), time, 100_000, POLICY);
        measure("buckets of this node only", local, callers, threads, 1, false);
        measure("buckets of this node only", local, callers, threads, seconds, true);

        EmbeddedDataSource derby = new EmbeddedDataSource();
        derby.setDatabaseName("memory:traffic" + System.nanoTime());
        derby.setCreateDatabase("create");
        createTable(derby);
        // as in the server: a pooled connection, and a round is one transaction (here: one connection, committed per round)
        Connection connection = derby.getConnection();
        connection.setAutoCommit(false);
        DataSource pooled = oneConnection(connection);
        TokenBuckets.Store store = BucketStores.shared(BucketStores.table(pooled, time), time, work -> {
            synchronized (connection) {
                try {
                    work.run();
                    connection.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        TokenBuckets shared = new TokenBuckets(store, time, 100_000, POLICY);
        for (String caller : callers) { // each caller's first request reads its bucket (one transaction); then none
            shared.take(TrafficControl.Kind.DISCOVERY, caller, LIMIT);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong rounds = new AtomicLong();
        AtomicLong roundNanos = new AtomicLong();
        Thread synchronizer = new Thread(() -> {
            while (running.get()) {
                long started = System.nanoTime();
                TokenBuckets.Round round = shared.synchronize();
                if (round.synced() > 0) {
                    rounds.incrementAndGet();
                    roundNanos.addAndGet(System.nanoTime() - started);
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rounds");
        synchronizer.setDaemon(true);
        synchronizer.start();
        measure("buckets shared through agw_rate_limit", shared, callers, threads, 1, false);
        measure("buckets shared through agw_rate_limit", shared, callers, threads, seconds, true);
        running.set(false);
        synchronizer.join();
        System.out.printf("  synchronization rounds during the load: %d, %.2f ms elapsed each on average (%d buckets)%n", rounds.get(),
                rounds.get() == 0 ? 0 : roundNanos.get() / 1e6 / rounds.get(), identities);

        // what writing a bucket costs: a round alone, every bucket written, by the number of callers (one token each)
        TokenBuckets everyRound = new TokenBuckets(store, time, 100_000, TokenBuckets.SyncPolicy.EVERY_ROUND);
        for (int active : new int[] {16, 256, 1024}) {
            for (int repeat = 0; repeat < 3; repeat++) {
                for (int i = 0; i < active; i++) {
                    everyRound.take(TrafficControl.Kind.MESSAGE, "agent://bench.example/Bench%20Org/active-" + i, LIMIT);
                }
                long started = System.nanoTime();
                long cpu = CPU.getCurrentThreadCpuTime();
                TokenBuckets.Round round = everyRound.synchronize();
                double millis = (System.nanoTime() - started) / 1e6;
                double cpuMillis = (CPU.getCurrentThreadCpuTime() - cpu) / 1e6;
                if (repeat == 2) {
                    System.out.printf("  a round alone with %4d active callers: %8.1f ms of CPU (%.3f ms a bucket), %8.1f ms elapsed%n",
                            round.synced(), cpuMillis, cpuMillis / round.synced(), millis);
                }
            }
        }
    }

    private static void measure(String name, TokenBuckets buckets, List<String> callers, int threads, int seconds, boolean print)
            throws InterruptedException {
        LongAdder takes = new LongAdder();
        LongAdder refused = new LongAdder();
        LongAdder cpuNanos = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread worker = new Thread(() -> {
                long cpu = CPU.getCurrentThreadCpuTime();
                long count = 0;
                while (System.nanoTime() < end) {
                    TrafficControl.Admission admission = buckets.take(TrafficControl.Kind.DISCOVERY,
                            callers.get((int) ((count + offset) % callers.size())), LIMIT);
                    if (!admission.admitted()) {
                        refused.increment();
                    }
                    count++;
                }
                takes.add(count);
                cpuNanos.add(CPU.getCurrentThreadCpuTime() - cpu);
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (print) {
            double perSecond = takes.sum() / (double) seconds;
            System.out.printf("%-48s %d thread(s), %d callers: %,12.0f takes/s, %6.0f ns of CPU per take (refused: %d)%n",
                    name, threads, callers.size(), perSecond, cpuNanos.sum() / (double) takes.sum(), refused.sum());
        }
    }

    /** A data source that hands out the one connection and never closes it (a pool of one). */
    private static DataSource oneConnection(Connection connection) {
        Connection unclosable = (Connection) Proxy.newProxyInstance(TrafficControlMeasurement.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(TrafficControlMeasurement.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return unclosable;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The table as the server's migration makes it (V10 of the database module). */
    private static void createTable(EmbeddedDataSource dataSource) throws IOException, SQLException {
        String script;
        try (InputStream in = TrafficControlMeasurement.class.getResourceAsStream("/db/migration/V10__agw_rate_limits.sql")) {
            if (in == null) {
                throw new IllegalStateException("db/migration/V10__agw_rate_limits.sql is not on the class path (agentnet-database)");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String command : sql.toString().split(";")) {
                if (!command.isBlank()) {
                    statement.execute(command.strip());
                }
            }
        }
    }
}
