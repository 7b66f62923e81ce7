package org.agentnet.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Properties;

/**
 * The settings shared by every simulation and by the results table, read from system properties
 * ({@code -Dbench.measure=5} on the Maven or {@code bench/run.sh} command line).
 *
 * @param host      the node's address; must be a loopback address (the benchmark never leaves the machine)
 * @param httpPort  the node's HTTP port ({@code bench.http.port}, default 9280)
 * @param httpsPort the node's HTTPS port ({@code bench.https.port}, default 9643)
 * @param users     concurrent virtual users of the closed model ({@code bench.users}, default 16)
 * @param warmup    warm-up before each measured scenario, not reported ({@code bench.warmup}, seconds, default 10)
 * @param measure   measured time of each scenario ({@code bench.measure}, seconds, default 30)
 * @param rounds    the measured time of each scenario is split into this many rounds, which
 *                  alternate the order of a family's scenarios ({@code bench.rounds}, default 2)
 */
public record BenchConfig(String host, int httpPort, int httpsPort, int users, Duration warmup, Duration measure,
                          int rounds) {

    /** The row every other row is divided by: plain HTTP against the cheapest API resource. */
    public static final String BASELINE_ROW = "GET /api/v1/node http";

    /** The same request over HTTPS: divided by the baseline, the cost of TLS. */
    public static final String BASELINE_HTTPS_ROW = "GET /api/v1/node https";

    /**
     * A baseline row of a later run, e.g. "GET /api/v1/node http (10k agents)": the baseline name
     * and a suffix in parentheses. The table divides the other rows of that run by it.
     */
    public static boolean isBaseline(String row, String baseline) {
        return row.equals(baseline) || row.startsWith(baseline + " (");
    }

    /** Certificates issued over REST: applications with an enrollment token, answered 201 with the certificate. */
    public static final String ISSUANCE_ROW = "POST /api/v1/aca/applications https (issued, 201)";

    /** The bench server's CA key signing in a tight loop in the benchmark JVM (no HTTP, no database). */
    public static final String CA_SIGNING_ROW = "CA key raw ECDSA signatures/s (bench JVM)";

    public BenchConfig {
        requireLoopback(host);
        requirePositive("bench.http.port", httpPort);
        requirePositive("bench.https.port", httpsPort);
        requirePositive("bench.users", users);
        requirePositive("bench.rounds", rounds);
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("bench.warmup must not be negative");
        }
        if (measure.toSeconds() < rounds) {
            throw new IllegalArgumentException("bench.measure must be at least one second per round (bench.rounds="
                    + rounds + "), not " + measure.toSeconds() + " s");
        }
    }

    public static BenchConfig fromSystemProperties() {
        return from(System.getProperties());
    }

    public static BenchConfig from(Properties p) {
        return new BenchConfig(
                p.getProperty("bench.host", "127.0.0.1"),
                intProperty(p, "bench.http.port", 9280),
                intProperty(p, "bench.https.port", 9643),
                intProperty(p, "bench.users", 16),
                Duration.ofSeconds(intProperty(p, "bench.warmup", 10)),
                Duration.ofSeconds(intProperty(p, "bench.measure", 30)),
                intProperty(p, "bench.rounds", 2));
    }

    public String httpBaseUrl() {
        return "http://" + hostForUrl() + ":" + httpPort;
    }

    public String httpsBaseUrl() {
        return "https://" + hostForUrl() + ":" + httpsPort;
    }

    private String hostForUrl() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static int intProperty(Properties p, String name, int defaultValue) {
        String value = p.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", e);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }

    private static void requireLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    throw new IllegalArgumentException("bench.host must be a loopback address, not " + host
                            + " (" + address.getHostAddress() + "): the benchmark only loads the local node");
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bench.host '" + host + "' does not resolve", e);
        }
    }
}
