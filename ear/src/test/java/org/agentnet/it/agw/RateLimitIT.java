package org.agentnet.it.agw;

import static org.agentnet.it.agw.RelayTestSupport.awaitState;
import static org.agentnet.it.agw.RelayTestSupport.message;
import static org.agentnet.it.agw.RelayTestSupport.sent;
import static org.agentnet.it.agw.RelayTestSupport.sign;
import static org.agentnet.it.agw.RelayTestSupport.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agentnet.it.NodeServer;
import org.agentnet.it.aca.AcaTestSupport;
import org.agentnet.it.ars.ArsTestSupport;
import org.agentnet.it.agw.RelayTestSupport.Agent;
import org.agentnet.it.agw.RelayTestSupport.Gateway;
import org.junit.jupiter.api.Test;

/**
 * Traffic control (docs/agw.md "Traffic control") over HTTPS with real certificates. The IT server
 * (ear/pom.xml) gives agents and gateways of the organization {@value #ORGANIZATION} a limit of
 * {@code it.limits.limit} discoveries and peer-sync requests and {@code it.limits.message.limit}
 * message submissions per {@code it.limits.window} (6 s), and a cap of {@code it.limits.concurrency}
 * deliveries at once to one of its agents; everybody else has the generous defaults. A token
 * bucket refills continuously (a token every window / limit), so a test that counts the requests
 * admitted before the first 429 allows for the tokens that came back while it sent them.
 */
class RateLimitIT {

    static final String ORGANIZATION = "RateLimitTests";
    private static final int LIMIT = Integer.getInteger("it.limits.limit", 5);
    private static final int MESSAGE_LIMIT = Integer.getInteger("it.limits.message.limit", 3);
    private static final Duration WINDOW = Duration.parse(System.getProperty("it.limits.window", "PT6S"));
    private static final int CAP = Integer.getInteger("it.limits.concurrency", 2);
    private static final String DISCOVERY = ArsTestSupport.AGENTS + "?capability=rate-limit-tests";

    private final Gateway gateway = Gateway.main();

    @Test
    void theDiscoveryBeyondTheLimitIs429WithRetryAfterAnotherAgentIsUnaffectedAndAfterTheWindowItIsAllowedAgain()
            throws Exception {
        HttpClient limited = AcaTestSupport.issueAgent(ArsTestSupport.unique("limited"), ORGANIZATION).mtlsClient();
        HttpClient neighbour = AcaTestSupport.issueAgent(ArsTestSupport.unique("neighbour"), ORGANIZATION).mtlsClient();
        long refusedBefore = metric("agentnet_traffic_refused_total", "discovery");

        Burst burst = untilRefused(() -> ArsTestSupport.get(limited, DISCOVERY), LIMIT);
        assertWithinLimit(burst, LIMIT);
        HttpResponse<String> first = burst.admitted().get(0);
        assertEquals(String.valueOf(LIMIT), header(first, "RateLimit-Limit"));
        assertEquals(String.valueOf(LIMIT - 1), header(first, "RateLimit-Remaining"));
        assertEquals(LIMIT + ";w=" + WINDOW.toSeconds(), header(first, "RateLimit-Policy"));

        HttpResponse<String> refused = burst.refused();
        ArsTestSupport.assertProblem(refused, 429, "too-many-requests");
        long retryAfter = Long.parseLong(header(refused, "Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= WINDOW.toSeconds(), "Retry-After " + retryAfter);
        assertEquals(String.valueOf(LIMIT), header(refused, "RateLimit-Limit"));
        assertEquals("0", header(refused, "RateLimit-Remaining"));
        long reset = Long.parseLong(header(refused, "RateLimit-Reset"));
        assertTrue(reset >= 1 && reset <= WINDOW.toSeconds(), "RateLimit-Reset " + reset);

        // another agent of the same organization has its own bucket; an operator has none
        HttpResponse<String> other = ArsTestSupport.get(neighbour, DISCOVERY);
        assertEquals(200, other.statusCode(), other.body());
        assertEquals(String.valueOf(LIMIT - 1), header(other, "RateLimit-Remaining"));
        HttpResponse<String> operator = ArsTestSupport.asOperator(NodeServer.request(NodeServer.https(DISCOVERY)).GET());
        assertEquals(200, operator.statusCode(), operator.body());
        assertTrue(operator.headers().firstValue("RateLimit-Limit").isEmpty(), "operators are not limited");

        // after Retry-After, one more; after the window, the whole limit again
        Thread.sleep(Duration.ofSeconds(retryAfter).toMillis() + 100);
        HttpResponse<String> again = ArsTestSupport.get(limited, DISCOVERY);
        assertEquals(200, again.statusCode(), "after Retry-After " + retryAfter + " s (refused with "
                + refused.headers().map() + "): " + again.headers().map() + " " + again.body());
        Thread.sleep(WINDOW.toMillis() + 200);
        assertWithinLimit(untilRefused(() -> ArsTestSupport.get(limited, DISCOVERY), LIMIT), LIMIT);

        assertTrue(metric("agentnet_traffic_refused_total", "discovery") >= refusedBefore + 2,
                "refusals are counted in the metrics");
    }

    @Test
    void anAgentOfAnotherOrganizationHasTheDefaultLimit() {
        HttpClient client = ArsTestSupport.agent("default-limit").mtlsClient();
        HttpResponse<String> answer = ArsTestSupport.get(client, DISCOVERY);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("600", header(answer, "RateLimit-Limit"));
        assertEquals("600;w=60", header(answer, "RateLimit-Policy"));
    }

    @Test
    void aSubmissionBeyondTheMessageLimitIs429AndNothingOfItIsStored() throws Exception {
        Agent sender = RelayTestSupport.agent(gateway, "limited-sender", null, ORGANIZATION);
        Agent target = RelayTestSupport.agent(gateway, "inbox", null);
        List<String> ids = new ArrayList<>();
        Burst burst = untilRefused(() -> {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            return submit(sender, sign(sender, message(target.id(), "hello").add("messageId", id).build()));
        }, MESSAGE_LIMIT);
        assertWithinLimit(burst, MESSAGE_LIMIT);
        burst.admitted().forEach(accepted -> assertEquals(202, accepted.statusCode(), accepted.body()));
        assertEquals(String.valueOf(MESSAGE_LIMIT), header(burst.admitted().get(0), "RateLimit-Limit"));

        ArsTestSupport.assertProblem(burst.refused(), 429, "too-many-requests");
        long retryAfter = Long.parseLong(header(burst.refused(), "Retry-After"));
        String refusedId = ids.get(ids.size() - 1);
        ArsTestSupport.assertProblem(sender.send(gateway.request(RelayTestSupport.MESSAGES + "/" + refusedId).GET()), 404,
                "unknown-message");

        Thread.sleep(Duration.ofSeconds(retryAfter).toMillis() + 100);
        sent(sender, message(target.id(), "later").add("messageId", refusedId).build());
    }

    @Test
    void aPeerGatewaysSynchronizationRequestsBeyondItsLimitAre429() {
        HttpClient peer = ArsTestSupport.gateway("limited-peer", ORGANIZATION).mtlsClient();
        Burst burst = untilRefused(() -> ArsTestSupport.get(peer, "/api/v1/ars/changes?since=0&limit=1"), LIMIT);
        assertWithinLimit(burst, LIMIT);
        ArsTestSupport.assertProblem(burst.refused(), 429, "too-many-requests");
        assertTrue(burst.refused().headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void concurrentDeliveriesToOneAgentStayWithinItsCapAndAllArrive() throws Exception {
        int messages = 8; // the relay queue's consumers (server.xml): without the cap all of them could push at once
        long deferredBefore = metric("agentnet_traffic_deliveries_deferred_total", null);
        try (SlowEndpoint endpoint = new SlowEndpoint(Duration.ofMillis(800))) {
            Agent sender = RelayTestSupport.agent(gateway, "busy-sender", null);
            Agent target = RelayTestSupport.agent(gateway, "popular", endpoint.address(), ORGANIZATION);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                ids.add(sent(sender, message(target.id(), "message " + i).build()));
            }
            for (String id : ids) {
                JsonObject delivered = awaitState(sender, id, "DELIVERED", Duration.ofSeconds(60));
                assertEquals(1, delivered.getInt("attempts"), "waiting for a slot is not a try: " + delivered);
            }
            assertEquals(messages, endpoint.received.size(), "each message arrived once: " + endpoint.received);
            ids.forEach(id -> assertEquals(1, endpoint.received.getOrDefault(id, 0), id));
            assertTrue(endpoint.most.get() <= CAP, "at most " + CAP + " deliveries at once, saw " + endpoint.most.get());
            assertTrue(endpoint.most.get() >= 1);
        }
        assertTrue(metric("agentnet_traffic_deliveries_deferred_total", null) > deferredBefore,
                "with " + messages + " messages of 0.8 s and a cap of " + CAP + ", deliveries waited for a slot");
    }

    // -- support

    /** The requests sent until the first 429 (or until far more than the limit were admitted). */
    record Burst(List<HttpResponse<String>> admitted, HttpResponse<String> refused, Duration took) {
    }

    private static Burst untilRefused(Supplier<HttpResponse<String>> request, int limit) {
        List<HttpResponse<String>> admitted = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < limit * 10; i++) {
            HttpResponse<String> answer = request.get();
            if (answer.statusCode() == 429) {
                return new Burst(admitted, answer, Duration.ofNanos(System.nanoTime() - started));
            }
            assertTrue(answer.statusCode() < 300, answer.statusCode() + " " + answer.body());
            admitted.add(answer);
        }
        throw new AssertionError(admitted.size() + " requests admitted, none refused (limit " + limit + ")");
    }

    /** At least the limit was admitted, and at most the limit plus the tokens that came back during the burst. */
    private static void assertWithinLimit(Burst burst, int limit) {
        long refilled = burst.took().toNanos() * limit / WINDOW.toNanos();
        int admitted = burst.admitted().size();
        assertTrue(admitted >= limit && admitted <= limit + refilled + 1,
                admitted + " admitted before the first 429; limit " + limit + ", " + refilled + " tokens back in " + burst.took());
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " header: "
                + response.headers().map()));
    }

    /** A counter of the application's metrics (its sum over the lines with the tag kind, when given). */
    private static long metric(String name, String kind) {
        HttpResponse<String> answer = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https("/metrics?scope=application"))
                .header("Authorization", NodeServer.adminAuthorization()).GET().build());
        assertEquals(200, answer.statusCode(), answer.body());
        Matcher line = Pattern.compile("(?m)^" + name + "(?:\\{([^}]*)\\})? ([0-9.eE+]+)$").matcher(answer.body());
        double total = 0;
        boolean found = false;
        while (line.find()) {
            if (kind == null || (line.group(1) != null && line.group(1).contains("kind=\"" + kind + "\""))) {
                total += Double.parseDouble(line.group(2));
                found = true;
            }
        }
        assertTrue(found, name + " not among the application metrics:\n" + answer.body());
        return (long) total;
    }

    /** An agent's HTTP endpoint that takes its time over each delivery and notes how many were in progress at once. */
    static final class SlowEndpoint implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(16);
        final Map<String, Integer> received = new ConcurrentHashMap<>();
        final AtomicInteger inProgress = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        SlowEndpoint(Duration each) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(threads); // many at once, if the gateway sends many at once
            server.createContext("/deliveries", exchange -> {
                most.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
                try {
                    JsonObject document = RelayTestSupport.json(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    Thread.sleep(each.toMillis());
                    received.merge(document.getString("messageId"), 1, Integer::sum);
                    exchange.sendResponseHeaders(204, -1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(503, -1);
                } finally {
                    inProgress.decrementAndGet();
                    exchange.close();
                }
            });
            server.start();
        }

        URI address() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/deliveries");
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
