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
 * name of every simulation, each row's throughput also divided by the HTTP and HTTPS baseline rows.
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
 * start-to-ready times measured by run.sh), {@code bench.ars.servers} ({@link ServerState}), and
 * those of {@link BenchConfig}.
 *
 * <p>Ratios ("vs HTTP", "vs HTTPS"): a row is divided by the baseline rows of its own Gatling run
 * when that run has them (the discovery runs do, {@link BenchConfig#isBaseline}), otherwise by
 * those of the platform run.
 */
public final class ResultsTable {

    /**
     * One printed row; a rate measured in the benchmark JVM has no latencies ({@link #NONE}).
     * {@code run}: the Gatling report it comes from ("" for a rate measured in the benchmark JVM):
     * a run that has baseline rows of its own is divided by them.
     */
    record Row(String scenario, long requests, double perSecond, long p50Millis, long p99Millis, long errors, String run) {

        static final long NONE = -1;

        Row(String scenario, long requests, double perSecond, long p50Millis, long p99Millis, long errors) {
            this(scenario, requests, perSecond, p50Millis, p99Millis, errors, "");
        }

        static Row of(RequestStats stats, Duration measure, String run) {
            double seconds = measure.toMillis() / 1000.0;
            return new Row(stats.name(), stats.requests(), stats.requests() / seconds,
                    stats.p50Millis(), stats.p99Millis(), stats.errors(), run);
        }

        static Row of(LocalMeasurement local) {
            return new Row(local.name(), local.operations(), local.perSecond(), local.p50Millis() < 0 ? NONE : local.p50Millis(),
                    local.p99Millis() < 0 ? NONE : local.p99Millis(), 0, local.run());
        }
    }

    /**
     * The node as the discovery benchmark found it after loading agents and restarting (run.sh
     * measures it): {@code agents:readyMillis:heapUsedBytes:indexLoadMillis}, several separated by
     * commas, in {@code bench.ars.servers}; -1 where unknown.
     */
    record ServerState(long agents, long readyMillis, long heapBytes, long indexMillis) {

        static List<ServerState> fromSystemProperties() {
            List<ServerState> states = new ArrayList<>();
            for (String entry : System.getProperty("bench.ars.servers", "").split(",")) {
                if (!entry.isBlank()) {
                    String[] v = entry.trim().split(":");
                    states.add(new ServerState(Long.parseLong(v[0]), Long.parseLong(v[1]), Long.parseLong(v[2]),
                            v.length > 3 ? Long.parseLong(v[3]) : -1));
                }
            }
            return states;
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
        String table = render(config, rows, StartTimes.fromSystemProperties(), ServerState.fromSystemProperties(), machine());
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
                rows.add(Row.of(stats, measure, report.directory().getFileName().toString()));
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
        return render(config, rows, start, List.of(), machine);
    }

    static String render(BenchConfig config, List<Row> rows, StartTimes start, List<ServerState> servers, String machine) {
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
        for (ServerState server : servers) {
            out.append(String.format(Locale.ROOT, "Node with %,d loaded agents: start-to-ready %s%s, heap used after a full GC %s%n",
                    server.agents(), server.readyMillis() < 0 ? "?" : String.format(Locale.ROOT, "%.1f s", server.readyMillis() / 1000.0),
                    server.indexMillis() < 0 ? "" : String.format(Locale.ROOT, " (discovery index loaded in %.1f s)", server.indexMillis() / 1000.0),
                    server.heapBytes() < 0 ? "?" : String.format(Locale.ROOT, "%.0f MB", server.heapBytes() / 1048576.0)));
        }
        out.append(System.lineSeparator());

        Optional<Row> baseline = find(rows, BenchConfig.BASELINE_ROW);
        Optional<Row> httpsBaseline = find(rows, BenchConfig.BASELINE_HTTPS_ROW);
        String[] header = {"scenario", "requests", "requests/s", "p50 ms", "p99 ms", "errors", "vs HTTP", "vs HTTPS"};
        List<String[]> cells = new ArrayList<>();
        for (Row row : rows) {
            cells.add(new String[] {
                row.scenario(),
                Long.toString(row.requests()),
                String.format(Locale.ROOT, "%.1f", row.perSecond()),
                millis(row.p50Millis()),
                millis(row.p99Millis()),
                Long.toString(row.errors()),
                baselineOf(rows, row, BenchConfig.BASELINE_ROW).or(() -> baseline).map(b -> ratio(row, b)).orElse("-"),
                baselineOf(rows, row, BenchConfig.BASELINE_HTTPS_ROW).or(() -> httpsBaseline).map(b -> ratio(row, b)).orElse("-")});
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

        for (Row https : rows) {
            // each run's own: "HTTPS/HTTP throughput ratio (10k agents): ..."
            if (BenchConfig.isBaseline(https.scenario(), BenchConfig.BASELINE_HTTPS_ROW)) {
                baselineOf(rows, https, BenchConfig.BASELINE_ROW).or(() -> baseline).ifPresent(http -> out
                        .append("HTTPS/HTTP throughput ratio").append(https.scenario().substring(BenchConfig.BASELINE_HTTPS_ROW.length()))
                        .append(": ").append(ratio(https, http)).append(System.lineSeparator()));
            }
        }
        Optional<Row> issued = find(rows, BenchConfig.ISSUANCE_ROW);
        Optional<Row> signatures = find(rows, BenchConfig.CA_SIGNING_ROW);
        if (issued.isPresent() && signatures.isPresent()) {
            out.append("Certificates issued over REST / raw CA signatures: ").append(ratio(issued.get(), signatures.get()))
                    .append(System.lineSeparator());
        }
        if (rows.stream().noneMatch(row -> BenchConfig.isBaseline(row.scenario(), BenchConfig.BASELINE_ROW))) {
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

    /** The baseline row of the row's own run, if that run has one. */
    private static Optional<Row> baselineOf(List<Row> rows, Row row, String baseline) {
        if (row.run().isEmpty()) {
            return Optional.empty();
        }
        return rows.stream().filter(r -> r.run().equals(row.run()) && BenchConfig.isBaseline(r.scenario(), baseline)).findFirst();
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
