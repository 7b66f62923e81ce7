package org.agentnet.bench;

import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.agentnet.bench.ars.ArsCorpus;

/**
 * Discovery (ARS, draft 3.2.3) against a node holding {@code bench.ars.agents} agents that
 * bench/run.sh loaded with {@link org.agentnet.bench.ars.ArsLoader}, with the platform baseline
 * rows in the same run so that the ratios compare requests measured alike. Every HTTPS request
 * presents an agent certificate that the node's ACA issued in the set-up (mutual TLS, as agents
 * call the ARS), the HTTPS baseline's too, over the same kind of connections
 * ({@link #mutualTlsProtocol}: one per user). Discovery checks the certificate on every request
 * (chain, validity, revocation); the baseline does not look at it.
 *
 * <p>Rows (the query terms come from {@link ArsCorpus}, each row cycles over ten of them):
 * a common skill ({@code capability}, a page of 20), the second page of the same queries
 * ({@code cursor}), a rare tag AND protocol AND language, and a ranked two-word text query ({@code q}).
 */
public class ArsDiscoverySimulation extends BenchSimulation {

    static final String AGENTS = "/api/v1/ars/agents";

    {
        int agents = Integer.getInteger("bench.ars.agents", 0);
        if (agents <= 0) {
            throw new IllegalArgumentException("bench.ars.agents (the number of agents loaded) is not set:"
                    + " run the benchmark with bench/run.sh (see bench/README.md)");
        }
        String adminPassword = System.getenv("AGENTNET_ADMIN_PASSWORD");
        if (adminPassword == null || adminPassword.isBlank()) {
            throw new IllegalArgumentException("AGENTNET_ADMIN_PASSWORD (environment) is not set: run the benchmark with bench/run.sh");
        }
        // bench.ars.label names the run in the rows (e.g. "limits on"); bench.ars.identities > 1: that
        // many agent certificates, user u presenting number u mod n (each its own rate-limit bucket)
        String label = System.getProperty("bench.ars.label", "").strip();
        int identities = Math.max(1, Integer.getInteger("bench.ars.identities", 1));
        String size = " (" + label(agents) + " agents, " + config.users() + (config.users() == 1 ? " user" : " users")
                + (identities > 1 ? ", " + identities + " agents asking" : "") + (label.isEmpty() ? "" : ", " + label) + ")";
        ArsCorpus corpus = new ArsCorpus(Long.getLong("bench.ars.seed", ArsCorpus.DEFAULT_SEED));
        admitLoadedDomains(adminPassword);
        List<AgentCredential> credentials = new ArrayList<>();
        for (int i = 0; i < identities; i++) {
            credentials.add(AgentCredential.issue(config, adminPassword));
        }
        AgentCredential agent = credentials.get(0);
        HttpProtocolBuilder mtls = identities == 1 ? mutualTlsProtocol(agent::keyManagerFactory)
                : mutualTlsProtocolPerUser(user -> credentials.get((int) Math.floorMod(user, (long) identities)).keyManagerFactory());

        List<String> common = corpus.commonSkills();
        List<String> rare = corpus.rareTags();
        List<String> text = corpus.textQueries();
        List<String> secondPages = secondPages(agent, common);
        System.out.printf("[bench] discovery of %d agents as %s; capability %s..., tag %s..., q '%s'...%n",
                agents, agent.agentName, common.get(0), rare.get(0), text.get(0));

        setUpRows(
                row(BenchConfig.BASELINE_ROW + size, httpProtocol(),
                        name -> http(name).get("/api/v1/node").check(status().is(200))),
                row(BenchConfig.BASELINE_HTTPS_ROW + size, mtls,
                        name -> http(name).get("/api/v1/node").check(status().is(200))),
                row("GET " + AGENTS + "?capability=<common skill>" + size, mtls, cycle("query", common, v -> "capability=" + v),
                        name -> http(name).get(AGENTS + "?#{query}").check(status().is(200))),
                row("GET " + AGENTS + "?capability=<common skill>&cursor=<page 2>" + size, mtls, cycle("query", secondPages, v -> v),
                        name -> http(name).get(AGENTS + "?#{query}").check(status().is(200))),
                row("GET " + AGENTS + "?capability=<rare tag>&protocol=HTTP&language=en" + size, mtls,
                        cycle("query", rare, v -> "capability=" + v + "&protocol=HTTP&language=en"),
                        name -> http(name).get(AGENTS + "?#{query}").check(status().is(200))),
                row("GET " + AGENTS + "?q=<two words>" + size, mtls, cycle("query", text, v -> "q=" + encode(v)),
                        name -> http(name).get(AGENTS + "?#{query}").check(status().is(200))));
    }

    static String label(int agents) {
        return agents % 1000 == 0 ? agents / 1000 + "k" : Integer.toString(agents);
    }

    /**
     * The loaded agents are of other domains (ArsCorpus.DOMAINS) that are no peers of the bench node:
     * the AGW's access policies hide them unless a policy admits them (docs/agw.md "Access
     * policies"). This ALLOW policy does, so that discovery answers hold them and every agent of an
     * answer is decided by a policy (the per-agent path; a node with agentnet.agw.policy.enabled=false
     * answers the same without it). Made once; a second run finds it (409).
     */
    private void admitLoadedDomains(String adminPassword) {
        String policy = "{\"name\":\"bench-discovery\",\"description\":\"bench: the loaded agents' domains\","
                + "\"effect\":\"ALLOW\",\"actions\":[\"DISCOVER\"],\"subjects\":[{\"domain\":\"*\"}],"
                + "\"objects\":[{\"domain\":\"*.bench.example\"}]}";
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(EnrollmentSupply.trustAny(null))
                    .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(20)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(config.httpsBaseUrl()
                            + "/api/v1/admin/agw/policies")).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            ("admin:" + adminPassword).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(policy)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201 && response.statusCode() != 409) {
                throw new IllegalStateException("the policy API answered " + response.statusCode() + ": " + response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not admit the loaded agents' domains: " + e.getMessage(), e);
        }
    }

    /**
     * The query strings of the second pages of {@code capability=<skill>} (limit 20): the first page
     * asked once each, here, for its {@code nextCursor}.
     */
    private List<String> secondPages(AgentCredential agent, List<String> skills) {
        try {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(EnrollmentSupply.trustAny(agent.keyManagerFactory().getKeyManagers())).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(20)).build();
            List<String> queries = new ArrayList<>();
            for (String skill : skills) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(config.httpsBaseUrl() + AGENTS
                        + "?capability=" + skill)).timeout(Duration.ofSeconds(60)).header("Accept", "application/json").build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("discovery answered " + response.statusCode() + ": " + response.body());
                }
                JsonObject page = Json.createReader(new StringReader(response.body())).readObject();
                if (!page.containsKey("nextCursor")) {
                    throw new IllegalStateException("capability=" + skill + " has a single page: were the agents loaded?");
                }
                queries.add("capability=" + skill + "&cursor=" + encode(page.getString("nextCursor")));
            }
            return queries;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not fetch the first pages: " + e.getMessage(), e);
        }
    }

    /** A feeder that gives the values in turn, for ever (thread-safe). */
    private static Iterator<Map<String, Object>> cycle(String key, List<String> values,
                                                       java.util.function.UnaryOperator<String> query) {
        List<String> queries = values.stream().map(query).toList();
        AtomicLong next = new AtomicLong();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                return Map.of(key, queries.get((int) (next.getAndIncrement() % queries.size())));
            }
        };
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
