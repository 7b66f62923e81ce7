package org.agentnet.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

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
        System.out.printf("[bench] heartbeats: %d agents issued, registered and accessed in %.1f s; %d loaded agents in the table%n",
                users, (System.nanoTime() - started) / 1e9, loaded);
        // Gatling passes the same user ID to the key material and to the session: user u is agent u mod n
        HttpProtocolBuilder mtls = mutualTlsProtocolPerUser(user -> agents.get(index(user, users)).credential().keyManagerFactory());

        setUpRows(
                row(BenchConfig.BASELINE_ROW + size, httpProtocol(),
                        name -> http(name).get("/api/v1/node").check(status().is(200))),
                row(BenchConfig.BASELINE_HTTPS_ROW + size, mtls,
                        name -> http(name).get("/api/v1/node").check(status().is(200))),
                row("PUT " + AgwAgents.AGW_AGENTS + "{id}/heartbeat" + size, mtls,
                        name -> http(name).put(session -> AgwAgents.AGW_AGENTS + agents.get(index(session.userId(), users)).id()
                                        + "/heartbeat")
                                .header("Content-Type", "application/json")
                                .body(StringBody("{\"status\":\"RUNNING\"}"))
                                .check(status().is(204))));
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
