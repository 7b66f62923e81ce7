package org.agentnet.bench.traffic;

import io.github.bucket4j.TimeMeter;
import java.io.IOException;
import java.io.InputStream;
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
import org.agentnet.agw.traffic.BucketStores;
import org.agentnet.agw.traffic.LimitRules;
import org.agentnet.agw.traffic.TokenBuckets;
import org.agentnet.agw.traffic.TrafficControl;
import org.apache.derby.jdbc.EmbeddedDataSource;

/**
 * What traffic control costs a request, in this JVM (no HTTP, no server): the gateway's own
 * {@link TokenBuckets} taking one token per "request" of {@code identities} callers on
 * {@code threads} threads for a few seconds, with buckets of this node only and with buckets shared
 * through the real table ({@code V10__agw_rate_limits.sql} on an in-memory Derby database) and a
 * synchronization round every second, as the server runs them. The limit is far above the load: every
 * take is admitted, as in the benchmark's "limits on" rows. Prints nanoseconds per take, which
 * bench/README.md ("Traffic control") sets against the time a discovery request takes. Usage:
 * {@code java -cp ... org.agentnet.bench.traffic.TrafficControlMeasurement [threads=2] [seconds=5] [identities=16]}
 */
public final class TrafficControlMeasurement {

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
        System.setProperty("derby.stream.error.file", "target/derby-traffic.log");
        TimeMeter time = TimeMeter.SYSTEM_MILLISECONDS;

        TokenBuckets local = new TokenBuckets(BucketStores.local(time), time, 100_000);
        measure("buckets of this node only", local, callers, threads, 1, false);
        measure("buckets of this node only", local, callers, threads, seconds, true);

        EmbeddedDataSource derby = new EmbeddedDataSource();
        derby.setDatabaseName("memory:traffic" + System.nanoTime());
        derby.setCreateDatabase("create");
        createTable(derby);
        TokenBuckets shared = new TokenBuckets(BucketStores.shared(BucketStores.table(derby, time), time, Runnable::run), time, 100_000);
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
        measure("buckets shared through agw_rate_limit (Derby)", shared, callers, threads, 1, false);
        measure("buckets shared through agw_rate_limit (Derby)", shared, callers, threads, seconds, true);
        running.set(false);
        synchronizer.interrupt();
        System.out.printf("  synchronization rounds: %d, %.2f ms each on average (%d buckets)%n", rounds.get(),
                rounds.get() == 0 ? 0 : roundNanos.get() / 1e6 / rounds.get(), identities);
    }

    private static void measure(String name, TokenBuckets buckets, List<String> callers, int threads, int seconds, boolean print)
            throws InterruptedException {
        LongAdder takes = new LongAdder();
        LongAdder refused = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread worker = new Thread(() -> {
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
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (print) {
            double perSecond = takes.sum() / (double) seconds;
            System.out.printf("%-48s %d thread(s), %d callers: %,12.0f takes/s, %8.0f ns of a thread per take (refused: %d)%n",
                    name, threads, callers.size(), perSecond, threads * 1e9 / perSecond, refused.sum());
        }
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
