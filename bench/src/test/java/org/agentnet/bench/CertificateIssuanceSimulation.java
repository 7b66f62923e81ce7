package org.agentnet.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.agentnet.bench.report.LocalMeasurement;

/**
 * Certificates issued per second over REST: applications that carry a valid single-use enrollment
 * token, each answered 201 with the certificate, over plain HTTP like the baseline row. Beside it,
 * the raw signing rate of the same CA key in this JVM ({@link CaKeySigning}).
 *
 * <p>Needs the bench server's directory ({@code bench.server.dir}, run.sh sets it) for the CA
 * keystore, and the operator password in the environment ({@code AGENTNET_ADMIN_PASSWORD}, which
 * run.sh gives the server too) to make the enrollment tokens. Settings: {@code bench.aca.applications}
 * (applications prepared; the run ends early, and the table refuses it, if the node issues them all
 * before the time is up), {@code bench.aca.signing-seconds} (default 10).
 */
public class CertificateIssuanceSimulation extends BenchSimulation {

    {
        Path serverDir = Path.of(required("bench.server.dir", System.getProperty("bench.server.dir")));
        if (!Files.isDirectory(serverDir)) {
            throw new IllegalArgumentException("bench.server.dir " + serverDir + " is not a directory");
        }
        String adminPassword = required("AGENTNET_ADMIN_PASSWORD (environment)", System.getenv("AGENTNET_ADMIN_PASSWORD"));
        int threads = Runtime.getRuntime().availableProcessors();

        int applications = Integer.getInteger("bench.aca.applications", 20_000);
        EnrollmentSupply supply = EnrollmentSupply.prepare(config, applications, adminPassword, config.users());

        // right before the load, so that both see the machine alike (others may be using it)
        int seconds = Integer.getInteger("bench.aca.signing-seconds", 10);
        LocalMeasurement signing = CaKeySigning.measure(serverDir, Duration.ofSeconds(Math.max(1, seconds / 3)),
                Duration.ofSeconds(seconds), threads);
        signing.write(Path.of(System.getProperty(LocalMeasurement.DIR_PROPERTY, "target/bench/local")));
        System.out.printf("[bench] CA key: %.0f signatures/s on %d threads%n", signing.perSecond(), threads);

        setUpRows(row(BenchConfig.ISSUANCE_ROW, httpsProtocol(), supply, // the token is a secret: HTTPS only
                name -> http(name).post("/api/v1/aca/applications")
                        .header("Content-Type", "application/json")
                        .body(StringBody(session -> session.getString(EnrollmentSupply.BODY)))
                        .check(status().is(201))));
    }

    private static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set: run the benchmark with bench/run.sh (see bench/README.md)");
        }
        return value;
    }
}
