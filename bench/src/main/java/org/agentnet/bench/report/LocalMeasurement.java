package org.agentnet.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A rate measured inside the benchmark JVM rather than over HTTP (e.g. raw signatures with the CA
 * key), so that it can be printed in the same table as Gatling's rows and divided by the same
 * baseline. Each is one small properties file in {@code bench.local.dir}.
 *
 * @param name       the row's name in the table
 * @param operations operations done in {@code seconds}
 * @param seconds    the measured time
 * @param p50Millis  the median latency of the operations in ms, or -1 (none measured)
 * @param p99Millis  the 99th percentile in ms, or -1
 * @param run        "" or the name of the measurements it belongs with: the table divides a row of a
 *                   named run by that run's own baseline rows (e.g. the rows of one keep-alive load)
 */
public record LocalMeasurement(String name, long operations, double seconds, long p50Millis, long p99Millis, String run) {

    public LocalMeasurement {
        run = run == null ? "" : run;
    }

    /** A rate without latencies. */
    public LocalMeasurement(String name, long operations, double seconds) {
        this(name, operations, seconds, -1, -1, "");
    }

    /** A rate with latencies, on its own (divided by the platform baseline). */
    public LocalMeasurement(String name, long operations, double seconds, long p50Millis, long p99Millis) {
        this(name, operations, seconds, p50Millis, p99Millis, "");
    }

    /** Where the simulations write, and the table reads, these files. */
    public static final String DIR_PROPERTY = "bench.local.dir";

    public double perSecond() {
        return seconds > 0 ? operations / seconds : 0;
    }

    public void write(Path dir) {
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("operations", Long.toString(operations));
        p.setProperty("seconds", String.format(Locale.ROOT, "%.3f", seconds));
        p.setProperty("p50Millis", Long.toString(p50Millis));
        p.setProperty("p99Millis", Long.toString(p99Millis));
        p.setProperty("run", run);
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(dir.resolve(
                    name.replaceAll("[^A-Za-z0-9]+", "-") + "-" + System.currentTimeMillis() + ".properties"))) {
                p.store(out, "agentnet benchmark: a rate measured in the benchmark JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The measurements written at or after {@code since}, oldest first. */
    public static List<LocalMeasurement> readSince(Path dir, Instant since) throws IOException {
        return ResultFiles.writtenSince(dir, file -> file, since).stream()
                .filter(file -> file.toString().endsWith(".properties"))
                .map(LocalMeasurement::read).toList();
    }

    /** The newest measurement of each name, oldest first (when the run's start is not known). */
    public static List<LocalMeasurement> latestPerName(Path dir) throws IOException {
        return ResultFiles.newestPerKey(readSince(dir, Instant.EPOCH), LocalMeasurement::name);
    }

    static LocalMeasurement read(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LocalMeasurement(p.getProperty("name"), Long.parseLong(p.getProperty("operations")),
                Double.parseDouble(p.getProperty("seconds")), Long.parseLong(p.getProperty("p50Millis", "-1")),
                Long.parseLong(p.getProperty("p99Millis", "-1")), p.getProperty("run", ""));
    }
}
