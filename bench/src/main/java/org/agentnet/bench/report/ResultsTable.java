package org.agentnet.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.agentnet.bench.BenchConfig;
import org.agentnet.bench.report.GatlingReport.RequestStats;

/**
 * Prints the benchmark table from the Gatling reports of this run: one row per measured request
 * name of every simulation, each row's throughput also divided by the HTTP baseline row.
 *
 * <p>requests, p50, p99 and errors are Gatling's (js/stats.json). Gatling's own "mean requests per
 * second" is taken over the whole run, warm-up and the other scenarios included, so requests/s is
 * Gatling's request count divided by the measured phase ({@code bench.measure}), which every
 * simulation uses for each row.
 *
 * <p>System properties: {@code bench.results.dir} (Gatling's results directory), {@code bench.since}
 * (epoch milliseconds: the reports written since then; without it, the newest report of each
 * simulation), {@code bench.local.dir} (rates measured in the benchmark JVM, {@link LocalMeasurement}),
 * {@code bench.summary.file} (also write the
 * table there), {@code bench.start.first.ms} and {@code bench.start.restart.ms} (node
 * start-to-ready times measured by run.sh), and those of {@link BenchConfig}.
 */
public final class ResultsTable {

    /** One printed row; a rate measured in the benchmark JVM has no latencies ({@link #NONE}). */
    record Row(String scenario, long requests, double perSecond, long p50Millis, long p99Millis, long errors) {

        static final long NONE = -1;

        static Row of(RequestStats stats, Duration measure) {
            double seconds = measure.toMillis() / 1000.0;
            return new Row(stats.name(), stats.requests(), stats.requests() / seconds,
                    stats.p50Millis(), stats.p99Millis(), stats.errors());
        }

        static Row of(LocalMeasurement local) {
            return new Row(local.name(), local.operations(), local.perSecond(), NONE, NONE, 0);
        }
    }

    /** Node start-to-ready times, in milliseconds, when run.sh measured them. */
    record StartTimes(Optional<Long> firstMillis, Optional<Long> restartMillis) {

        static StartTimes fromSystemProperties() {
            return new StartTimes(millis("bench.start.first.ms"), millis("bench.start.restart.ms"));
        }

        private static Optional<Long> millis(String name) {
            String value = System.getProperty(name, "").trim();
            return value.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(value));
        }
    }

    private ResultsTable() {
    }

    public static void main(String[] args) throws IOException {
        BenchConfig config = BenchConfig.fromSystemProperties();
        Path resultsDir = Path.of(System.getProperty("bench.results.dir", "target/gatling"));
        String since = System.getProperty("bench.since", "").trim();

        List<GatlingReport> reports = since.isEmpty()
                ? GatlingReport.latestPerSimulation(resultsDir)
                : GatlingReport.findSince(resultsDir, Instant.ofEpochMilli(Long.parseLong(since)));
        Path localDir = Path.of(System.getProperty(LocalMeasurement.DIR_PROPERTY, "target/bench/local"));
        List<LocalMeasurement> local = since.isEmpty() ? LocalMeasurement.latestPerName(localDir)
                : LocalMeasurement.readSince(localDir, Instant.ofEpochMilli(Long.parseLong(since)));
        List<Row> rows = new ArrayList<>(rows(reports, config.measure()));
        local.forEach(measurement -> rows.add(Row.of(measurement)));
        if (rows.isEmpty()) {
            throw new IllegalStateException("no Gatling report (js/stats.json) in " + resultsDir.toAbsolutePath()
                    + (since.isEmpty() ? "" : " written since " + Instant.ofEpochMilli(Long.parseLong(since)))
                    + ": did the simulations run?");
        }
        String table = render(config, rows, StartTimes.fromSystemProperties(), machine());
        System.out.println();
        System.out.print(table);
        for (GatlingReport report : reports) {
            System.out.println("Gatling report: " + report.directory().resolve("index.html").toAbsolutePath());
        }
        String summary = System.getProperty("bench.summary.file", "");
        if (!summary.isBlank()) {
            Path file = Path.of(summary);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, table, StandardCharsets.UTF_8);
        }

        long errors = rows.stream().mapToLong(Row::errors).sum();
        if (errors > 0) {
            throw new IllegalStateException(errors + " request(s) failed during the measured phases:"
                    + " these numbers are not a valid baseline (see the Gatling reports)");
        }
    }

    /**
     * The rows of the reports, requests/s being each row's count over {@code measure}. Refuses a
     * {@code measure} longer than the runs could have measured: the table must be given the
     * {@code bench.measure} the simulations ran with.
     */
    static List<Row> rows(List<GatlingReport> reports, Duration measure) {
        List<Row> rows = new ArrayList<>();
        for (GatlingReport report : reports) {
            double measured = report.requests().size() * measure.toMillis() / 1000.0;
            if (report.runSeconds() > 0 && report.runSeconds() < measured * 0.95) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s lasted %.0f s for %d measured rows: it did not run with bench.measure=%d s;"
                                + " print the table with the -Dbench.measure the simulations ran with",
                        report.directory(), report.runSeconds(), report.requests().size(), measure.toSeconds()));
            }
            for (RequestStats stats : report.requests()) {
                rows.add(Row.of(stats, measure));
            }
        }
        return rows;
    }

    /**
     * The CPUs and the load average before (run.sh passes {@code bench.load.before}) and after the
     * run: other processes on the machine take CPU from the node and from Gatling alike.
     */
    static String machine() {
        String after;
        try {
            after = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            after = "?";
        }
        String before = System.getProperty("bench.load.before", "").trim();
        return String.format(Locale.ROOT, "Machine: %d CPUs, load average %s%s after the run",
                Runtime.getRuntime().availableProcessors(), before.isEmpty() ? "" : before + " before, ", after);
    }

    static String render(BenchConfig config, List<Row> rows, StartTimes start, String machine) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "agentnet benchmark: %d concurrent users (closed model), %d s warm-up + %d s measured"
                        + " in %d round(s) per scenario%n",
                config.users(), config.warmup().toSeconds(), config.measure().toSeconds(), config.rounds()));
        if (!machine.isBlank()) {
            out.append(machine).append(System.lineSeparator());
        }
        if (start.firstMillis().isPresent() || start.restartMillis().isPresent()) {
            out.append("Node start-to-ready (server start until GET /health/ready is 200 UP):");
            start.firstMillis().ifPresent(ms -> out.append(String.format(Locale.ROOT,
                    " first start %.1f s (fresh server)", ms / 1000.0)));
            start.restartMillis().ifPresent(ms -> out.append(String.format(Locale.ROOT,
                    "%s restart %.1f s", start.firstMillis().isPresent() ? "," : "", ms / 1000.0)));
            out.append(System.lineSeparator());
        }
        out.append(System.lineSeparator());

        Optional<Row> baseline = find(rows, BenchConfig.BASELINE_ROW);
        String[] header = {"scenario", "requests", "requests/s", "p50 ms", "p99 ms", "errors", "vs HTTP"};
        List<String[]> cells = new ArrayList<>();
        for (Row row : rows) {
            cells.add(new String[] {
                row.scenario(),
                Long.toString(row.requests()),
                String.format(Locale.ROOT, "%.1f", row.perSecond()),
                millis(row.p50Millis()),
                millis(row.p99Millis()),
                Long.toString(row.errors()),
                baseline.map(b -> ratio(row, b)).orElse("-")});
        }
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] line : cells) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        appendLine(out, header, width);
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < width.length; i++) {
            // Markdown alignment: the scenario left, the numbers right
            rule.append(i == 0 ? "-".repeat(width[i] + 2) : "-".repeat(width[i] + 1) + ":").append('|');
        }
        out.append(rule).append(System.lineSeparator());
        for (String[] line : cells) {
            appendLine(out, line, width);
        }
        out.append(System.lineSeparator());

        Optional<Row> https = find(rows, BenchConfig.BASELINE_HTTPS_ROW);
        if (baseline.isPresent() && https.isPresent()) {
            out.append("HTTPS/HTTP throughput ratio: ").append(ratio(https.get(), baseline.get()))
                    .append(System.lineSeparator());
        }
        Optional<Row> issued = find(rows, BenchConfig.ISSUANCE_ROW);
        Optional<Row> signatures = find(rows, BenchConfig.CA_SIGNING_ROW);
        if (issued.isPresent() && signatures.isPresent()) {
            out.append("Certificates issued over REST / raw CA signatures: ").append(ratio(issued.get(), signatures.get()))
                    .append(System.lineSeparator());
        }
        if (baseline.isEmpty()) {
            out.append("(no baseline row '").append(BenchConfig.BASELINE_ROW)
                    .append("' in this run: ratios not computed)").append(System.lineSeparator());
        }
        return out.toString();
    }

    private static String millis(long value) {
        return value == Row.NONE ? "-" : Long.toString(value);
    }

    private static String ratio(Row row, Row baseline) {
        return baseline.perSecond() > 0 ? String.format(Locale.ROOT, "%.2f", row.perSecond() / baseline.perSecond()) : "-";
    }

    private static Optional<Row> find(List<Row> rows, String scenario) {
        return rows.stream().filter(row -> row.scenario().equals(scenario)).reduce((first, later) -> later);
    }

    private static void appendLine(StringBuilder out, String[] cells, int[] width) {
        out.append('|');
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            String padded = i == 0
                    ? cell + " ".repeat(width[i] - cell.length())
                    : " ".repeat(width[i] - cell.length()) + cell;
            out.append(' ').append(padded).append(" |");
        }
        out.append(System.lineSeparator());
    }
}
