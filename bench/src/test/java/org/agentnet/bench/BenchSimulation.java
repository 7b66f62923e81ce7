package org.agentnet.bench;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;

/**
 * Base of every benchmark simulation (one subclass per scenario family). A family declares rows
 * with {@link #row} and passes them to {@link #setUpRows}: each row gets a warm-up phase (silent
 * requests: not in Gatling's statistics) and measured phases, all with {@link BenchConfig#users()}
 * concurrent users (closed model). The measured request's name is the row's name in the results
 * table.
 */
public abstract class BenchSimulation extends Simulation {

    protected final BenchConfig config = BenchConfig.fromSystemProperties();

    /**
     * A scenario to measure.
     *
     * @param name     the row's name in the results table (and the request's name in Gatling's report)
     * @param protocol {@link #httpProtocol()}, {@link #httpsProtocol()} or a family's own
     * @param feeder   null, or the records fed to each request (one per request, shared by the warm-up and
     *                 the measured rounds: a request that needs data used only once, such as a single-use
     *                 token, takes it from here); must be safe for concurrent use
     * @param request  builds the request under the given name; called for the warm-up and for each measured round
     * @param warmup   null, or this row's own warm-up instead of {@code bench.warmup}
     */
    protected record Row(String name, HttpProtocolBuilder protocol, Iterator<Map<String, Object>> feeder,
                         Function<String, HttpRequestActionBuilder> request, Duration warmup) {

        /** The row with a warm-up of its own (a path whose code the JIT takes minutes to compile). */
        public Row warmingUp(Duration own) {
            return new Row(name, protocol, feeder, request, own);
        }
    }

    protected static Row row(String name, HttpProtocolBuilder protocol, Function<String, HttpRequestActionBuilder> request) {
        return new Row(name, protocol, null, request, null);
    }

    protected static Row row(String name, HttpProtocolBuilder protocol, Iterator<Map<String, Object>> feeder,
                             Function<String, HttpRequestActionBuilder> request) {
        return new Row(name, protocol, feeder, request, null);
    }

    /** Plain HTTP to the node, one keep-alive connection pool shared by all virtual users. */
    protected HttpProtocolBuilder httpProtocol() {
        return baseProtocol().baseUrl(config.httpBaseUrl());
    }

    /**
     * HTTPS to the node, one keep-alive connection pool shared by all virtual users. The node's
     * certificate is self-signed: gatling.conf trusts any certificate and skips hostname checks.
     */
    protected HttpProtocolBuilder httpsProtocol() {
        return baseProtocol().baseUrl(config.httpsBaseUrl());
    }

    /**
     * HTTPS to the node presenting a client certificate (mutual TLS). Each virtual user has its own
     * keep-alive connection, opened when the user starts (16 handshakes a phase): Gatling does not
     * apply per-user key material to a shared connection pool, whose connections would go without it.
     */
    protected HttpProtocolBuilder mutualTlsProtocol(Supplier<KeyManagerFactory> keyMaterial) {
        return unsharedProtocol().baseUrl(config.httpsBaseUrl()).perUserKeyManagerFactory(user -> keyMaterial.get());
    }

    /**
     * Mutual TLS as {@link #mutualTlsProtocol(Supplier)}, each virtual user presenting the key
     * material chosen by its Gatling user ID (e.g. one agent's certificate per user).
     */
    protected HttpProtocolBuilder mutualTlsProtocolPerUser(java.util.function.Function<Long, KeyManagerFactory> keyMaterial) {
        return unsharedProtocol().baseUrl(config.httpsBaseUrl()).perUserKeyManagerFactory(keyMaterial);
    }

    /**
     * Plain HTTP to another server of the run (the stock Eureka server of the heartbeat benchmark),
     * each virtual user on its own keep-alive connection, as each agent is on the node.
     */
    protected HttpProtocolBuilder plainProtocol(String baseUrl) {
        return unsharedProtocol().baseUrl(baseUrl);
    }

    private static HttpProtocolBuilder baseProtocol() {
        // one keep-alive pool for all users and phases: each user holds one connection at a
        // time, and the next phase reuses them instead of opening (and TLS-handshaking) anew
        return unsharedProtocol().shareConnections();
    }

    private static HttpProtocolBuilder unsharedProtocol() {
        return http
                // no Gatling warm-up request to an outside site: the rows have their own warm-up
                .disableWarmUp()
                .acceptHeader("application/json")
                .userAgentHeader("agentnet-bench (Gatling)");
    }

    /**
     * Runs the rows, never two phases at once, and stops by itself when they are done: first each
     * row's warm-up, then {@link BenchConfig#rounds()} rounds that each measure every row for
     * {@code measure / rounds}, in the given order in even rounds and in reverse order in odd
     * ones (A B, B A, ...), so that the server getting faster or slower during the run (JIT, other
     * processes on the machine) does not favour the row measured first. Gatling adds up a row's
     * rounds, since they share the request name.
     */
    protected final void setUpRows(Row... rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a simulation needs at least one row");
        }
        List<PopulationBuilder> phases = new ArrayList<>();
        for (Row row : rows) {
            phases.add(phase("warm-up " + row.name(), step(row, row.request().apply("warm-up " + row.name()).silent()),
                    warmupOf(row), row.protocol()));
        }
        Duration block = config.measure().dividedBy(config.rounds());
        for (int round = 0; round < config.rounds(); round++) {
            List<Row> order = new ArrayList<>(List.of(rows));
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            for (Row row : order) {
                // scenario names must be unique in a simulation; the request name is the row's
                phases.add(phase(row.name() + " #" + (round + 1), step(row, row.request().apply(row.name())), block,
                        row.protocol()));
            }
        }
        // a.andThen(b) starts b when a is done; chain from the end so that phases run strictly in turn
        PopulationBuilder chain = phases.get(phases.size() - 1);
        for (int i = phases.size() - 2; i >= 0; i--) {
            chain = phases.get(i).andThen(chain);
        }
        Duration planned = config.measure().multipliedBy(rows.length);
        for (Row row : rows) {
            planned = planned.plus(warmupOf(row));
        }
        setUp(chain).maxDuration(planned.plus(planned.dividedBy(2)).plusSeconds(30));
    }

    /**
     * The closed model: {@link BenchConfig#users()} users start together and each sends the request
     * again as soon as the response is in, for {@code duration}.
     */
    private PopulationBuilder phase(String scenarioName, ChainBuilder step, Duration duration,
                                    HttpProtocolBuilder protocol) {
        return scenario(scenarioName)
                .during(duration).on(step)
                .injectOpen(atOnceUsers(config.users()))
                .protocols(protocol);
    }

    /** One iteration of a user: the request, after taking the next record of the row's feeder if it has one. */
    private static ChainBuilder step(Row row, HttpRequestActionBuilder request) {
        return row.feeder() == null ? exec(request) : feed(row.feeder()).exec(request);
    }

    private Duration warmupOf(Row row) {
        Duration warmup = row.warmup() == null ? config.warmup() : row.warmup();
        // Gatling refuses a zero-length injection step: -Dbench.warmup=0 still warms up for a second
        return warmup.isZero() ? Duration.ofSeconds(1) : warmup;
    }
}
