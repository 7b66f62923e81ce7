package org.agentnet.bench.report;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One Gatling report directory ({@code target/gatling/<simulation>-<timestamp>}), read from the
 * {@code js/stats.json} that Gatling writes there: one entry per reported request name. Warm-up
 * requests are silent, so they are not in it.
 *
 * @param directory  the report directory
 * @param simulation the simulation's name as Gatling spells the directory (lower case)
 * @param requests   the reported requests, in Gatling's order
 * @param runSeconds how long the whole run lasted by Gatling's numbers (all requests over their mean
 *                   rate, the rate being taken over the whole run); 0 when nothing was reported
 */
public record GatlingReport(Path directory, String simulation, List<RequestStats> requests, double runSeconds) {

    static final String STATS_FILE = "js/stats.json";

    /**
     * Gatling's numbers for one request name (the "ok" percentiles: latency of successful responses).
     * Percentile keys follow {@code gatling.conf}: percentiles1 is p50 and percentiles4 is p99.
     */
    public record RequestStats(String name, long requests, long errors, long p50Millis, long p99Millis) {
    }

    /** The report directories under {@code resultsDir} written at or after {@code since}, oldest first. */
    public static List<GatlingReport> findSince(Path resultsDir, Instant since) throws IOException {
        return ResultFiles.writtenSince(resultsDir, dir -> dir.resolve(STATS_FILE), since).stream()
                .map(GatlingReport::read).toList();
    }

    /** The newest report of each simulation under {@code resultsDir}, oldest first. */
    public static List<GatlingReport> latestPerSimulation(Path resultsDir) throws IOException {
        return ResultFiles.newestPerKey(findSince(resultsDir, Instant.EPOCH), GatlingReport::simulation);
    }

    public static GatlingReport read(Path directory) {
        try (InputStream in = Files.newInputStream(directory.resolve(STATS_FILE));
             JsonReader reader = Json.createReader(in)) {
            JsonObject root = reader.readObject();
            List<RequestStats> requests = new ArrayList<>();
            collectRequests(root, requests);
            JsonObject all = root.getJsonObject("stats");
            double perSecond = all.getJsonObject("meanNumberOfRequestsPerSecond").getJsonNumber("total").doubleValue();
            double runSeconds = perSecond > 0 ? total(all, "numberOfRequests") / perSecond : 0;
            return new GatlingReport(directory, simulationName(directory), List.copyOf(requests), runSeconds);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory.resolve(STATS_FILE), e);
        }
    }

    /** Walks Gatling's tree: the root group, then requests and groups in "contents". */
    private static void collectRequests(JsonObject node, List<RequestStats> into) {
        if ("REQUEST".equals(node.getString("type", ""))) {
            JsonObject stats = node.getJsonObject("stats");
            into.add(new RequestStats(
                    node.getString("path", node.getString("name")),
                    total(stats, "numberOfRequests"),
                    number(stats, "numberOfRequests", "ko"),
                    number(stats, "percentiles1", "ok"),
                    number(stats, "percentiles4", "ok")));
        }
        JsonObject contents = node.getJsonObject("contents");
        if (contents != null) {
            for (JsonValue child : contents.values()) {
                collectRequests(child.asJsonObject(), into);
            }
        }
    }

    private static long total(JsonObject stats, String metric) {
        return number(stats, metric, "total");
    }

    /** Gatling writes "-" where a value does not exist (e.g. no failed request): read that as 0. */
    private static long number(JsonObject stats, String metric, String key) {
        JsonValue value = stats.getJsonObject(metric).get(key);
        return value != null && value.getValueType() == JsonValue.ValueType.NUMBER
                ? Math.round(((jakarta.json.JsonNumber) value).doubleValue())
                : 0;
    }

    private static String simulationName(Path directory) {
        String name = directory.getFileName().toString();
        int dash = name.lastIndexOf('-');
        return dash > 0 ? name.substring(0, dash) : name;
    }
}
