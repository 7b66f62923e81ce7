package org.agentnet.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.agentnet.bench.BenchConfig;
import org.agentnet.bench.report.GatlingReport.RequestStats;
import org.agentnet.bench.report.ResultsTable.Row;
import org.agentnet.bench.report.ResultsTable.ServerState;
import org.agentnet.bench.report.ResultsTable.StartTimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table from Gatling's js/stats.json: a real report of NodeApiSimulation (2 s + 5 s) and hand-made ones. */
class ResultsTableTest {

    private static final String REAL_REPORT = "gatling-results/nodeapisimulation-20261126081236184";

    @TempDir
    Path results;

    @Test
    void readsEveryRequestOfARealReport() throws Exception {
        GatlingReport report = GatlingReport.read(resource(REAL_REPORT));

        assertEquals("nodeapisimulation", report.simulation());
        assertEquals(List.of(
                new RequestStats(BenchConfig.BASELINE_ROW, 337, 0, 135, 582),
                new RequestStats(BenchConfig.BASELINE_HTTPS_ROW, 307, 0, 149, 726)), report.requests());
    }

    @Test
    void requestsPerSecondIsTheCountOverTheMeasuredPhase() throws Exception {
        List<Row> rows = ResultsTable.rows(List.of(GatlingReport.read(resource(REAL_REPORT))), Duration.ofSeconds(5));

        assertEquals(67.4, rows.get(0).perSecond(), 1e-9);
        assertEquals(61.4, rows.get(1).perSecond(), 1e-9);
    }

    @Test
    void aMeasuredPhaseLongerThanTheRunIsRefused() throws Exception {
        GatlingReport report = GatlingReport.read(resource(REAL_REPORT));
        assertEquals(21.0, report.runSeconds(), 1e-9);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ResultsTable.rows(List.of(report), Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("did not run with bench.measure=30 s"), e.getMessage());
    }

    @Test
    void printsTheTableWithTheBaselineRatios() throws Exception {
        BenchConfig config = config("2", "5");
        List<Row> rows = ResultsTable.rows(List.of(GatlingReport.read(resource(REAL_REPORT))), config.measure());

        String table = ResultsTable.render(config, rows, new StartTimes(Optional.of(14_230L), Optional.of(9_870L)),
                "Machine: 2 CPUs");

        assertTrue(table.contains("16 concurrent users (closed model), 2 s warm-up + 5 s measured in 2 round(s) per scenario"), table);
        assertTrue(table.contains("\nMachine: 2 CPUs\n"), table);
        assertTrue(table.contains("first start 14.2 s (fresh server), restart 9.9 s"), table);
        assertTrue(table.contains("| scenario               | requests | requests/s | p50 ms | p99 ms | errors | vs HTTP | vs HTTPS |"), table);
        assertTrue(table.contains("| GET /api/v1/node http  |      337 |       67.4 |    135 |    582 |      0 |    1.00 |     1.10 |"), table);
        assertTrue(table.contains("| GET /api/v1/node https |      307 |       61.4 |    149 |    726 |      0 |    0.91 |     1.00 |"), table);
        assertTrue(table.contains("HTTPS/HTTP throughput ratio: 0.91"), table);
    }

    @Test
    void rowsOfLaterFamiliesAreDividedByTheHttpBaseline() throws Exception {
        Path node = copyOf(REAL_REPORT, "nodeapisimulation-1");
        Path other = report("certificatesimulation-2", """
                {"type":"GROUP","name":"All Requests","path":"","pathFormatted":"group_missing-name","stats":%s,
                 "contents":{
                   "group_issue":{"type":"GROUP","name":"issue","path":"issue","pathFormatted":"group_issue","stats":%s,
                     "contents":{
                       "req_csr":{"type":"REQUEST","name":"POST /aca/csr","path":"issue / POST /aca/csr",
                                  "pathFormatted":"req_csr","stats":%s}}}}}
                """.formatted(stats(10, 2, 40, 90), stats(10, 2, 40, 90), stats(67, 3, 40, 90)));

        List<Row> rows = ResultsTable.rows(List.of(GatlingReport.read(node), GatlingReport.read(other)), Duration.ofSeconds(5));
        String table = ResultsTable.render(config("2", "5"), rows, new StartTimes(Optional.empty(), Optional.empty()), "");

        assertEquals(3, rows.size());
        assertTrue(table.contains("| issue / POST /aca/csr  |       67 |       13.4 |     40 |     90 |      3 |    0.20 |     0.22 |"), table);
        assertTrue(!table.contains("start-to-ready"), table);
    }

    @Test
    void aRunWithItsOwnBaselineIsDividedByIt() throws Exception {
        Path node = copyOf(REAL_REPORT, "nodeapisimulation-1");
        String row = "{\"type\":\"REQUEST\",\"name\":\"%s\",\"path\":\"%s\",\"pathFormatted\":\"%s\",\"stats\":%s}";
        Path ars = report("arsdiscoverysimulation-2", """
                {"type":"GROUP","name":"All Requests","path":"","pathFormatted":"group_missing-name","stats":%s,
                 "contents":{"a":%s,"b":%s,"c":%s}}
                """.formatted(stats(1100, 0, 5, 20),
                row.formatted("GET /api/v1/node http (10k agents)", "GET /api/v1/node http (10k agents)", "a", stats(500, 0, 2, 9)),
                row.formatted("GET /api/v1/node https (10k agents)", "GET /api/v1/node https (10k agents)", "b", stats(400, 0, 3, 10)),
                row.formatted("GET /ars?x (10k agents)", "GET /ars?x (10k agents)", "c", stats(200, 0, 4, 12))));

        List<Row> rows = ResultsTable.rows(List.of(GatlingReport.read(node), GatlingReport.read(ars)), Duration.ofSeconds(5));
        String table = ResultsTable.render(config("2", "5"), rows, new StartTimes(Optional.empty(), Optional.empty()),
                List.of(new ServerState(10_000, 12_340, 300L * 1048576, 2_100)), "");

        String ars10k = table.lines().filter(line -> line.startsWith("| GET /ars?x (10k agents)")).findFirst().orElseThrow();
        assertTrue(ars10k.endsWith(" |      200 |       40.0 |      4 |     12 |      0 |    0.40 |     0.50 |"), table);
        assertTrue(table.contains("HTTPS/HTTP throughput ratio: 0.91"), table);
        assertTrue(table.contains("HTTPS/HTTP throughput ratio (10k agents): 0.80"), table);
        assertTrue(table.contains("Node with 10,000 loaded agents: start-to-ready 12.3 s (discovery index loaded in 2.1 s),"
                + " heap used after a full GC 300 MB"), table);
    }

    @Test
    void ratesMeasuredInTheBenchmarkJvmAreRowsWithoutLatencies() throws Exception {
        Path local = results.resolve("local");
        new LocalMeasurement(BenchConfig.CA_SIGNING_ROW, 40_000, 10.0).write(local);
        List<Row> rows = new java.util.ArrayList<>(
                ResultsTable.rows(List.of(GatlingReport.read(resource(REAL_REPORT))), Duration.ofSeconds(5)));
        rows.add(new Row(BenchConfig.ISSUANCE_ROW, 1000, 200.0, 60, 180, 0));
        LocalMeasurement.readSince(local, Instant.now().minusSeconds(60)).forEach(m -> rows.add(Row.of(m)));

        String table = ResultsTable.render(config("2", "5"), rows, new StartTimes(Optional.empty(), Optional.empty()), "");

        String signing = table.lines().filter(line -> line.startsWith("| " + BenchConfig.CA_SIGNING_ROW)).findFirst().orElseThrow();
        assertTrue(signing.endsWith(" |    40000 |     4000.0 |      - |      - |      0 |   59.35 |    65.15 |"), table);
        assertTrue(table.contains("Certificates issued over REST / raw CA signatures: 0.05"), table);
        assertEquals(List.of(), LocalMeasurement.readSince(local, Instant.now().plusSeconds(60)));
    }

    @Test
    void onlyReportsOfThisRunCount() throws Exception {
        Path old = copyOf(REAL_REPORT, "nodeapisimulation-1");
        Path recent = copyOf(REAL_REPORT, "nodeapisimulation-2");
        Instant since = Instant.now().minusSeconds(60);
        Files.setLastModifiedTime(old.resolve(GatlingReport.STATS_FILE), FileTime.from(since.minusSeconds(3600)));
        Files.createDirectories(results.resolve("not-a-report"));

        List<GatlingReport> reports = GatlingReport.findSince(results, since);

        assertEquals(List.of(recent), reports.stream().map(GatlingReport::directory).toList());
        assertEquals(List.of(), GatlingReport.findSince(results.resolve("missing"), since));
    }

    @Test
    void withoutAStartTimeTheNewestReportOfEachSimulationCounts() throws Exception {
        Path older = copyOf(REAL_REPORT, "nodeapisimulation-1");
        Path newer = copyOf(REAL_REPORT, "nodeapisimulation-2");
        Path other = copyOf(REAL_REPORT, "othersimulation-3");
        Instant now = Instant.now();
        Files.setLastModifiedTime(older.resolve(GatlingReport.STATS_FILE), FileTime.from(now.minusSeconds(300)));
        Files.setLastModifiedTime(other.resolve(GatlingReport.STATS_FILE), FileTime.from(now.minusSeconds(200)));
        Files.setLastModifiedTime(newer.resolve(GatlingReport.STATS_FILE), FileTime.from(now.minusSeconds(100)));

        List<GatlingReport> reports = GatlingReport.latestPerSimulation(results);

        assertEquals(List.of(other, newer), reports.stream().map(GatlingReport::directory).toList());
    }

    @Test
    void withoutABaselineThereIsNoRatio() {
        List<Row> rows = List.of(new Row("something else", 10, 2.0, 1, 2, 0));

        String table = ResultsTable.render(config("10", "30"), rows, new StartTimes(Optional.empty(), Optional.empty()), "");

        assertTrue(table.contains("| something else |       10 |        2.0 |      1 |      2 |      0 |       - |        - |"), table);
        assertTrue(table.contains("no baseline row"), table);
    }

    @Test
    void theBenchmarkOnlyTargetsThisMachine() {
        Properties remote = new Properties();
        remote.setProperty("bench.host", "192.0.2.10");
        assertThrows(IllegalArgumentException.class, () -> BenchConfig.from(remote));

        Properties zero = new Properties();
        zero.setProperty("bench.measure", "0");
        assertThrows(IllegalArgumentException.class, () -> BenchConfig.from(zero));

        Properties shortRounds = new Properties();
        shortRounds.setProperty("bench.measure", "3");
        shortRounds.setProperty("bench.rounds", "4");
        assertThrows(IllegalArgumentException.class, () -> BenchConfig.from(shortRounds));

        BenchConfig defaults = BenchConfig.from(new Properties());
        assertEquals("http://127.0.0.1:9280", defaults.httpBaseUrl());
        assertEquals("https://127.0.0.1:9643", defaults.httpsBaseUrl());
        assertEquals(16, defaults.users());
    }

    private static BenchConfig config(String warmup, String measure) {
        Properties p = new Properties();
        p.setProperty("bench.warmup", warmup);
        p.setProperty("bench.measure", measure);
        return BenchConfig.from(p);
    }

    private static String stats(int total, int ko, int p50, int p99) {
        String pair = "{\"total\":%d,\"ok\":%d,\"ko\":%d}";
        return "{\"name\":\"x\",\"numberOfRequests\":" + pair.formatted(total, total - ko, ko)
                + ",\"meanNumberOfRequestsPerSecond\":{\"total\":" + total / 20.0 + "}"
                + ",\"percentiles1\":" + pair.formatted(p50, p50, 0)
                + ",\"percentiles4\":" + pair.formatted(p99, p99, 0) + "}";
    }

    private Path report(String name, String statsJson) throws IOException {
        Path dir = results.resolve(name);
        Files.createDirectories(dir.resolve("js"));
        Files.writeString(dir.resolve(GatlingReport.STATS_FILE), statsJson);
        return dir;
    }

    private Path copyOf(String resource, String name) throws Exception {
        return report(name, Files.readString(resource(resource).resolve(GatlingReport.STATS_FILE)));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ResultsTableTest.class.getClassLoader().getResource(name).toURI());
    }
}
