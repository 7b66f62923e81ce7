package org.agentnet.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.agentnet.bench.load.KeepAliveLoad;
import org.agentnet.bench.load.ProcessCpu;
import org.agentnet.bench.report.LocalMeasurement;

/**
 * Heartbeats (AGW, draft 3.3.1) against a node whose heartbeat table holds {@code bench.agw.agents}
 * accessed agents that bench/run.sh loaded with {@link org.agentnet.bench.agw.AgwLoader}, beside the
 * platform baseline rows of the same run.
 *
 * <p>A heartbeat is accepted only from the agent itself (its certificate on the connection), so
 * each virtual user is one real agent: the set-up issues {@link BenchConfig#users()} agent
 * certificates, registers each agent at the ARS and accesses the gateway with a signed request,
 * all through the API. Each user then sends {@code PUT /api/v1/agw/agents/{its id}/heartbeat
 * {"status":"RUNNING"}} over its own keep-alive mutual-TLS connection, again as soon as the 204 is
 * in (closed model). The node checks the certificate on every request (cached chain check and the
 * in-memory revocation list) and updates the agent's entry among the loaded agents in memory; the
 * last-seen times are written behind every 5 s. The set-up checks once that a heartbeat for
 * another agent is refused (403).
 */
public class AgwHeartbeatSimulation extends BenchSimulation {

    {
        int loaded = Integer.getInteger("bench.agw.agents", 0);
        String adminPassword = System.getenv("AGENTNET_ADMIN_PASSWORD");
        if (adminPassword == null || adminPassword.isBlank()) {
            throw new IllegalArgumentException("AGENTNET_ADMIN_PASSWORD (environment) is not set: run the benchmark with bench/run.sh");
        }
        int users = config.users();
        String size = " (" + (loaded > 0 ? ArsDiscoverySimulation.label(loaded) + " agents, " : "") + users + " users)";
        long started = System.nanoTime();
        String prefix = "bench-hb-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        List<AgwAgents.Agent> agents = AgwAgents.accessed(config, adminPassword, prefix, users, config.httpsBaseUrl());
        refusesOthers(agents);
        // the stock Eureka server run.sh started (BENCH_EUREKA=1): as many instances as the node holds agents
        Integer eurekaPort = Integer.getInteger("bench.eureka.port");
        List<StockEureka.Instance> instances = List.of();
        if (eurekaPort != null) {
            long registering = System.nanoTime();
            instances = StockEureka.register(eurekaPort, Math.max(loaded, agents.size()));
            System.out.printf("[bench] %d instances registered at the stock Eureka server in %.1f s%n",
                    instances.size(), (System.nanoTime() - registering) / 1e9);
        }
        if (Boolean.parseBoolean(System.getProperty("bench.agw.keep-alive", "true"))) {
            keepAliveRows(agents, loaded, eurekaPort, instances);
        }
        System.out.printf("[bench] heartbeats: %d agents issued, registered and accessed in %.1f s; %d loaded agents in the table%n",
                users, (System.nanoTime() - started) / 1e9, loaded);
        // Gatling passes the same user ID to the key material and to the session: user u is agent u mod n
        HttpProtocolBuilder mtls = mutualTlsProtocolPerUser(user -> agents.get(index(user, users)).credential().keyManagerFactory());

        List<Row> rows = new ArrayList<>(List.of(
                row(BenchConfig.BASELINE_ROW + size, httpProtocol(),
                        name -> http(name).get("/api/v1/node").check(status().is(200))),
                row(BenchConfig.BASELINE_HTTPS_ROW + size, mtls,
                        name -> http(name).get("/api/v1/node").check(status().is(200))),
                row("PUT " + AgwAgents.AGW_AGENTS + "{id}/heartbeat" + size, mtls,
                        name -> http(name).put(session -> AgwAgents.AGW_AGENTS + agents.get(index(session.userId(), users)).id()
                                        + "/heartbeat")
                                .header("Content-Type", "application/json")
                                .body(StringBody("{\"status\":\"RUNNING\"}"))
                                .check(status().is(204)))));
        if (eurekaPort != null) {
            // the same closed model against Eureka: each user renews its own instance over its own plain HTTP connection
            List<StockEureka.Instance> renewed = instances;
            rows.add(row("PUT /eureka/apps/{app}/{id} renewal, stock Eureka, http (" + ArsDiscoverySimulation.label(instances.size())
                            + " instances, " + users + " users)", plainProtocol("http://" + config.host() + ":" + eurekaPort),
                    name -> http(name).put(session -> StockEureka.renewalPath(renewed.get(index(session.userId(), users))))
                            .check(status().is(200))));
        }
        setUpRows(rows.toArray(Row[]::new));
    }

    /** The run name that groups the keep-alive rows: the table divides them by their own baselines. */
    static final String KEEP_ALIVE_RUN = "keep-alive load";

    /**
     * The same three rows measured by {@link KeepAliveLoad} (one plain or mutual-TLS connection per
     * agent, the request bytes made once), before Gatling's: a load generator whose own cost per
     * request is small next to the node's, as the Eureka figure was measured. Rounds alternate the
     * rows' order like Gatling's; the node's CPU time per response is read from /proc in each
     * measured window. A row with an unexpected status fails the run.
     */
    private void keepAliveRows(List<AgwAgents.Agent> agents, int loaded, Integer eurekaPort, List<StockEureka.Instance> instances) {
        String label = " (keep-alive load, " + (loaded > 0 ? ArsDiscoverySimulation.label(loaded) + " agents, " : "")
                + agents.size() + " connections)";
        String host = config.host() + ":" + config.httpsPort();
        List<KeepAliveLoad.Connection> http = new ArrayList<>();
        List<KeepAliveLoad.Connection> https = new ArrayList<>();
        List<KeepAliveLoad.Connection> heartbeats = new ArrayList<>();
        for (AgwAgents.Agent agent : agents) {
            SSLSocketFactory tls = EnrollmentSupply.trustAny(agent.credential().keyManagerFactory().getKeyManagers())
                    .getSocketFactory();
            http.add(new KeepAliveLoad.Connection(null, KeepAliveLoad.Connection.request("GET", "/api/v1/node",
                    config.host() + ":" + config.httpPort(), null, "Accept: application/json"), 200));
            https.add(new KeepAliveLoad.Connection(tls, KeepAliveLoad.Connection.request("GET", "/api/v1/node", host,
                    null, "Accept: application/json"), 200));
            heartbeats.add(new KeepAliveLoad.Connection(tls, KeepAliveLoad.Connection.request("PUT",
                    AgwAgents.AGW_AGENTS + agent.id() + "/heartbeat", host, "{\"status\":\"RUNNING\"}",
                    "Content-Type: application/json"), 204));
        }
        record KeepAliveRow(String name, int port, List<KeepAliveLoad.Connection> connections, ProcessCpu server) {
        }
        ProcessCpu node = Optional.ofNullable(System.getProperty("bench.server.dir")).map(Path::of)
                .flatMap(ProcessCpu::ofLibertyServer).orElse(null);
        String heartbeatRow = "PUT " + AgwAgents.AGW_AGENTS + "{id}/heartbeat" + label;
        List<KeepAliveRow> rows = new ArrayList<>(List.of(
                new KeepAliveRow(BenchConfig.BASELINE_ROW + label, config.httpPort(), http, node),
                new KeepAliveRow(BenchConfig.BASELINE_HTTPS_ROW + label, config.httpsPort(), https, node),
                new KeepAliveRow(heartbeatRow, config.httpsPort(), heartbeats, node)));
        String eurekaRow = null;
        if (eurekaPort != null) {
            List<KeepAliveLoad.Connection> renewals = new ArrayList<>();
            for (int i = 0; i < agents.size(); i++) {
                renewals.add(StockEureka.renewal(eurekaPort, instances.get(i)));
            }
            eurekaRow = "PUT /eureka/apps/{app}/{id} renewal, stock Eureka, http (keep-alive load, "
                    + ArsDiscoverySimulation.label(instances.size()) + " instances, " + agents.size() + " connections)";
            rows.add(new KeepAliveRow(eurekaRow, eurekaPort, renewals, Optional.ofNullable(Long.getLong("bench.eureka.pid"))
                    .flatMap(ProcessCpu::ofPid).orElse(null)));
        }
        Duration block = config.measure().dividedBy(config.rounds());
        Map<String, KeepAliveLoad.Result> results = new LinkedHashMap<>();
        try {
            for (int round = 0; round < config.rounds(); round++) {
                List<KeepAliveRow> order = new ArrayList<>(rows);
                if (round % 2 == 1) {
                    Collections.reverse(order);
                }
                for (KeepAliveRow row : order) {
                    // the first round's warm-up is the configured one; later rounds only let new connections settle
                    Duration warmup = round == 0 ? config.warmup() : Duration.ofSeconds(1);
                    KeepAliveLoad.Result result = KeepAliveLoad.run(config.host(), row.port(), row.connections(), warmup, block,
                            row.server());
                    results.merge(row.name(), result, KeepAliveLoad.Result::plus);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the keep-alive load failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Path local = Path.of(System.getProperty(LocalMeasurement.DIR_PROPERTY, "target/bench/local"));
        results.forEach((name, result) -> {
            System.out.println("[bench] keep-alive load: " + name + ": " + result);
            if (result.errors() > 0) {
                throw new IllegalStateException("the keep-alive load's row '" + name + "' had errors: " + result);
            }
            new LocalMeasurement(name, result.requests(), result.seconds(), Math.round(result.percentileMillis(50)),
                    Math.round(result.percentileMillis(99)), KEEP_ALIVE_RUN).write(local);
        });
        if (eurekaRow != null) {
            System.out.printf(java.util.Locale.ROOT, "[bench] keep-alive load: heartbeats (mutual TLS, node) / renewals (plain HTTP,"
                    + " stock Eureka), same load generator, same run: %.2f%n", results.get(heartbeatRow).perSecond()
                    / results.get(eurekaRow).perSecond());
        }
    }

    private static int index(long user, int users) {
        return (int) Math.floorMod(user, (long) users);
    }

    /** One heartbeat of agent 0 for agent 1's record must be refused (403 identity-mismatch). */
    private void refusesOthers(List<AgwAgents.Agent> agents) {
        if (agents.size() < 2) {
            return;
        }
        try {
            HttpResponse<String> response = AgwAgents.send(agents.get(0).client(), HttpRequest.newBuilder(URI.create(
                            config.httpsBaseUrl() + AgwAgents.AGW_AGENTS + agents.get(1).id() + "/heartbeat"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"status\":\"RUNNING\"}"))
                    .build());
            AgwAgents.expect(403, response, "a heartbeat for another agent");
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
