package org.agentnet.it.agw;

import static org.agentnet.it.agw.RelayTestSupport.awaitState;
import static org.agentnet.it.agw.RelayTestSupport.json;
import static org.agentnet.it.agw.RelayTestSupport.message;
import static org.agentnet.it.agw.RelayTestSupport.sent;
import static org.agentnet.it.agw.RelayTestSupport.sign;
import static org.agentnet.it.agw.RelayTestSupport.submit;
import static org.agentnet.it.agw.RelayTestSupport.verifiedClaims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.agentnet.it.ars.ArsTestSupport;
import org.agentnet.it.agw.RelayTestSupport.Agent;
import org.agentnet.it.agw.RelayTestSupport.Endpoint;
import org.agentnet.it.agw.RelayTestSupport.Gateway;
import org.junit.jupiter.api.Test;

/**
 * Relay forwarding within one gateway (draft 3.4.4) over HTTPS with real agent certificates: push
 * delivery to an agent's HTTP endpoint, the inbox of an agent that pulls, retries with back-off and
 * failure, refusals before anything is stored, the routing table. The IT server's relay settings
 * (ear/pom.xml): tries 0.5 s, 1 s, 2 s apart, FAILED after the 4th; inbox lease 2 s.
 */
class RelayIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int MAX_ATTEMPTS = Integer.parseInt(System.getProperty("it.relay.max-attempts", "4"));
    private static final Duration INITIAL = Duration.parse(System.getProperty("it.relay.initial-delay", "PT0.5S"));
    private static final Duration LEASE = Duration.parse(System.getProperty("it.inbox.lease", "PT2S"));

    private final Gateway gateway = Gateway.main();

    @Test
    void aMessageIsPushedOnceSignedByTheSender() throws Exception {
        try (Endpoint endpoint = Endpoint.start()) {
            Agent sender = RelayTestSupport.agent(gateway, "sender", null);
            Agent target = RelayTestSupport.agent(gateway, "pushed", endpoint.address());
            JsonObject claims = message(target.id(), "hello").add("messageId", UUID.randomUUID().toString()).build();
            String id = sent(sender, claims);
            assertEquals(claims.getString("messageId"), id);

            JsonObject delivered = awaitState(sender, id, "DELIVERED", PATIENCE);
            assertEquals(1, delivered.getInt("attempts"));
            assertEquals(target.id(), delivered.getString("target"));
            assertEquals(sender.id(), delivered.getJsonObject("sender").getString("agentId"));
            assertEquals("LOCAL", delivered.getString("hop"));
            assertTrue(delivered.containsKey("deliveredAt"));

            assertEquals(1, endpoint.count(id));
            JsonObject document = endpoint.received.get(0);
            assertEquals(sender.uri(), document.getJsonObject("sender").getString("agentUri"));
            assertEquals(sender.id(), document.getJsonObject("sender").getString("agentId"));
            assertEquals(claims.getString("sessionId"), document.getString("sessionId"));
            assertEquals("application/json", document.getString("contentType"));
            JsonObject signed = verifiedClaims(document, sender.issued().certificate());
            assertEquals("hello", signed.getJsonObject("payload").getString("text"));
            assertEquals(target.id(), signed.getString("target"));

            // the sender repeats the message (its answer was lost): the same message, not a second delivery
            JsonObject again = message(target.id(), "hello").add("messageId", id).build();
            HttpResponse<String> repeated = submit(sender, sign(sender, again));
            assertEquals(200, repeated.statusCode(), repeated.body());
            assertEquals("DELIVERED", json(repeated.body()).getString("state"));
            Thread.sleep(1000);
            assertEquals(1, endpoint.received.size());

            // the state is the sender's and the operators' business only
            ArsTestSupport.assertProblem(target.send(gateway.request(RelayTestSupport.MESSAGES + "/" + id).GET()), 403, "identity-mismatch");
            HttpResponse<String> operator = gateway.asOperator(gateway.request(RelayTestSupport.MESSAGES + "/" + id).GET());
            assertEquals(200, operator.statusCode(), operator.body());
        }
    }

    @Test
    void aPullingAgentTakesItsMessageFromTheInboxByLongPollAndAcknowledgesIt() throws Exception {
        Agent sender = RelayTestSupport.agent(gateway, "sender", null);
        Agent target = RelayTestSupport.agent(gateway, "puller", null);
        String inbox = AgwTestSupport.AGENTS + target.id() + "/inbox";

        // the poll waits; the message sent meanwhile ends it
        CompletableFuture<HttpResponse<String>> poll = CompletableFuture.supplyAsync(() ->
                target.send(gateway.request(inbox + "?wait=20")));
        Thread.sleep(1000);
        assertFalse(poll.isDone(), "the long-poll waits for a message");
        String id = sent(sender, message(target.id(), "pull me").build());
        HttpResponse<String> polled = poll.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, polled.statusCode(), polled.body());
        JsonArray items = json(polled.body()).getJsonArray("items");
        assertEquals(1, items.size(), polled.body());
        JsonObject document = items.getJsonObject(0);
        assertEquals(id, document.getString("messageId"));
        assertEquals("pull me", verifiedClaims(document, sender.issued().certificate()).getJsonObject("payload").getString("text"));
        assertEquals("INBOX", RelayTestSupport.state(sender, id).getString("state"));

        // not acknowledged: not handed out again during the lease, again after it (the answer may have been lost)
        assertEquals(0, json(target.send(gateway.request(inbox)).body()).getJsonArray("items").size());
        Thread.sleep(LEASE.toMillis() + 500);
        JsonArray again = json(target.send(gateway.request(inbox)).body()).getJsonArray("items");
        assertEquals(1, again.size());
        assertEquals(id, again.getJsonObject(0).getString("messageId"));

        // acknowledged: DELIVERED, never handed out again; a repeated acknowledgement is answered the same
        HttpResponse<String> ack = target.send(gateway.request(inbox + "/" + id).DELETE());
        assertEquals(204, ack.statusCode(), ack.body());
        assertEquals(204, target.send(gateway.request(inbox + "/" + id).DELETE()).statusCode());
        assertEquals("DELIVERED", RelayTestSupport.state(sender, id).getString("state"));
        Thread.sleep(LEASE.toMillis() + 500);
        assertEquals(0, json(target.send(gateway.request(inbox)).body()).getJsonArray("items").size());

        // an empty long-poll ends after its wait with no messages
        Instant start = Instant.now();
        HttpResponse<String> empty = target.send(gateway.request(inbox + "?wait=1"));
        assertEquals(200, empty.statusCode(), empty.body());
        assertEquals(0, json(empty.body()).getJsonArray("items").size());
        assertTrue(Duration.between(start, Instant.now()).toMillis() >= 900, "waited for the message");

        // only the agent itself reads its inbox
        ArsTestSupport.assertProblem(sender.send(gateway.request(inbox)), 403, "identity-mismatch");
        ArsTestSupport.assertProblem(sender.send(gateway.request(inbox + "/" + id).DELETE()), 403, "identity-mismatch");
    }

    @Test
    void anEndpointThatStaysDownIsTriedWithBackOffAndTheMessageFails() throws Exception {
        try (Endpoint endpoint = Endpoint.start()) {
            endpoint.status.set(503);
            Agent sender = RelayTestSupport.agent(gateway, "sender", null);
            Agent target = RelayTestSupport.agent(gateway, "down", endpoint.address());
            String id = sent(sender, message(target.id(), "anyone?").build());
            JsonObject failed = awaitState(sender, id, "FAILED", PATIENCE);
            assertEquals(MAX_ATTEMPTS, failed.getInt("attempts"));
            assertTrue(failed.getString("reason").startsWith("gave up after " + MAX_ATTEMPTS + " tries: "), failed.toString());
            assertTrue(failed.getString("reason").contains("HTTP 503"), failed.toString());
            assertEquals(MAX_ATTEMPTS, endpoint.arrivals.size());
            // the back-off: each wait at least the initial delay times factor^(n-1) (2), up to the IT's max of 2 s
            for (int i = 1; i < endpoint.arrivals.size(); i++) {
                long expected = Math.min(INITIAL.toMillis() << (i - 1), 2000);
                long waited = Duration.between(endpoint.arrivals.get(i - 1), endpoint.arrivals.get(i)).toMillis();
                assertTrue(waited >= expected - 50, "try " + (i + 1) + " came " + waited + " ms after the previous one, expected at least " + expected);
            }
        }
    }

    @Test
    void anEndpointThatComesBackGetsTheMessageOnce() throws Exception {
        try (Endpoint endpoint = Endpoint.start()) {
            endpoint.status.set(500);
            Agent sender = RelayTestSupport.agent(gateway, "sender", null);
            Agent target = RelayTestSupport.agent(gateway, "flaky", endpoint.address());
            String id = sent(sender, message(target.id(), "eventually").build());
            // the first try failed: recorded once its transaction committed
            Instant deadline = Instant.now().plus(PATIENCE);
            JsonObject retrying = RelayTestSupport.state(sender, id);
            while (retrying.getInt("attempts") == 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
                retrying = RelayTestSupport.state(sender, id);
            }
            assertEquals("ACCEPTED", retrying.getString("state"), retrying.toString());
            assertTrue(retrying.getString("lastError").contains("HTTP 500"), retrying.toString());
            endpoint.status.set(200);
            JsonObject delivered = awaitState(sender, id, "DELIVERED", PATIENCE);
            assertTrue(delivered.getInt("attempts") >= 2, delivered.toString());
            assertEquals(1, endpoint.count(id));
        }
    }

    @Test
    void anEndpointThatRefusesFailsTheMessageAtOnce() throws Exception {
        try (Endpoint endpoint = Endpoint.start()) {
            endpoint.status.set(400);
            Agent sender = RelayTestSupport.agent(gateway, "sender", null);
            Agent target = RelayTestSupport.agent(gateway, "refuser", endpoint.address());
            String id = sent(sender, message(target.id(), "no thanks").build());
            JsonObject failed = awaitState(sender, id, "FAILED", PATIENCE);
            assertEquals(1, failed.getInt("attempts"));
            assertTrue(failed.getString("reason").contains("refused the message: HTTP 400"), failed.toString());
        }
    }

    @Test
    void theRoutingTableShowsLocalAgentsForOperators() {
        try (Endpoint endpoint = Endpoint.start()) {
            Agent pushed = RelayTestSupport.agent(gateway, "routed", endpoint.address());
            Agent pulling = RelayTestSupport.agent(gateway, "routed", null);
            JsonObject route = onlyRoute(pushed.id());
            assertEquals("LOCAL", route.getString("kind"));
            assertEquals("PUSH", route.getString("delivery"));
            assertEquals(endpoint.address().toString(), route.getString("pushAddress"));
            assertTrue(route.getBoolean("applicable"));
            assertEquals(pushed.uri(), route.getString("agentUri"));
            assertEquals("PULL", onlyRoute(pulling.id()).getString("delivery"));

            // paged: every route once, with limit and cursor
            java.util.Set<String> seen = new java.util.HashSet<>();
            String cursor = null;
            int pages = 0;
            do {
                HttpResponse<String> page = gateway.asOperator(gateway.request("/api/v1/agw/routes?limit=3"
                        + (cursor == null ? "" : "&cursor=" + cursor)).GET());
                assertEquals(200, page.statusCode(), page.body());
                JsonObject answer = json(page.body());
                assertTrue(answer.getJsonArray("items").size() <= 3);
                answer.getJsonArray("items").forEach(item -> assertTrue(seen.add(item.asJsonObject().getString("agentId")), "once"));
                cursor = answer.getString("nextCursor", null);
            } while (cursor != null && ++pages < 1000);
            assertTrue(seen.contains(pushed.id()) && seen.contains(pulling.id()), seen.toString());

            // operators only
            ArsTestSupport.assertProblem(pushed.send(gateway.request("/api/v1/agw/routes").GET()), 401, "unauthorized");
            HttpResponse<String> unknown = gateway.asOperator(gateway.request("/api/v1/agw/routes?agent=" + UUID.randomUUID()).GET());
            ArsTestSupport.assertProblem(unknown, 404, "unknown-agent");
        }
    }

    private JsonObject onlyRoute(String agentId) {
        HttpResponse<String> response = gateway.asOperator(gateway.request("/api/v1/agw/routes?agent=" + agentId).GET());
        assertEquals(200, response.statusCode(), response.body());
        JsonArray items = json(response.body()).getJsonArray("items");
        assertEquals(1, items.size());
        return items.getJsonObject(0);
    }

    static HttpRequest.Builder get(Gateway gateway, String path) {
        return gateway.request(path).GET();
    }
}
