package org.agentnet.it.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agentnet.it.NodeEndpoints;
import org.agentnet.it.NodeServer;
import org.agentnet.it.campaign.Corpus.Case;
import org.agentnet.it.campaign.RawHttp.Request;
import org.agentnet.it.campaign.RawHttp.Response;
import org.junit.jupiter.api.Test;

/**
 * The bad-input campaign (issue 6; docs/platform.md "Bad-input campaign"): a corpus generated from
 * every operation of the node's OpenAPI document ({@link NodeEndpoints}) and sent with callers each
 * endpoint accepts (an enrolled agent's certificate, a peer gateway's, the operator's), plus a share
 * without credentials, with a revoked certificate and over plain HTTP. Every answer must be free of
 * 5xx, problem+json when 4xx, free of anything internal; the server must stay up; and the stored
 * state, as the API shows it, must be the same after the campaign as before it. Counts per endpoint
 * and per family of mutation are printed and written to {@code target/bad-input-campaign.txt}.
 *
 * <p>{@code -Dcampaign.threads=N} (default 3) sets the concurrency.
 */
class BadInputCampaignIT {

    private static final int THREADS = Integer.getInteger("campaign.threads", 3);
    private static final int MINIMUM_REQUESTS = 5_000;

    @Test
    void everyEndpointSurvivesTheCorpusAndNothingStoredChanges() throws Exception {
        CampaignFixture fixture = CampaignFixture.create();
        try {
            campaign(fixture);
        } finally {
            fixture.close(); // its peers go, whatever happened: later tests on the same node do not meet them
        }
    }

    private void campaign(CampaignFixture fixture) throws Exception {
        Corpus corpus = new Corpus(fixture);
        List<NodeEndpoints.Endpoint> endpoints = NodeEndpoints.all();
        List<Case> cases = new ArrayList<>(replays(fixture));
        cases.addAll(corpus.generate(endpoints));
        cases.addAll(replays(fixture));

        List<String> messageIds = List.of(fixture.acceptedMessageId, fixture.relayedMessageId, corpus.probeMessageId, corpus.probeRelayId,
                UUID.nameUUIDFromBytes((fixture.aliceUri + "\n" + fixture.usedMessageJti).getBytes(StandardCharsets.UTF_8)).toString());
        Map<String, String> before = StateSnapshot.stable(fixture, messageIds);

        Instant start = Instant.now();
        CampaignReport report = run(cases);
        Duration took = Duration.between(start, Instant.now());

        HttpResponse<String> ready = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.http("/health/ready")).GET().build());
        Map<String, String> after = StateSnapshot.take(fixture, messageIds);
        List<String> differences = StateSnapshot.differences(before, after);

        Set<String> covered = new TreeSet<>();
        cases.forEach(c -> covered.add(c.endpoint()));
        StringBuilder summary = new StringBuilder(report.render("Bad-input campaign: " + cases.size() + " requests to "
                + endpoints.size() + " operations in " + took.toSeconds() + " s on " + THREADS + " threads"));
        summary.append("bodies not sent because they would be valid requests: ").append(corpus.skipped).append('\n');
        summary.append("server after the campaign: /health/ready ").append(ready.statusCode()).append(' ').append(ready.body()).append('\n');
        summary.append("stored state: ").append(differences.isEmpty() ? "unchanged (" + before.size() + " views compared)"
                : differences.size() + " views changed").append('\n');
        differences.forEach(d -> summary.append("  ").append(d).append('\n'));
        List<String> findings = report.findings();
        summary.append("findings: ").append(findings.size()).append('\n');
        StringBuilder all = new StringBuilder(summary);
        findings.stream().limit(100).forEach(line -> summary.append("  ").append(line).append('\n'));
        findings.forEach(line -> all.append("  ").append(line).append('\n'));
        System.out.println(summary);
        write(all.toString());

        assertEquals(endpoints.stream().map(NodeEndpoints.Endpoint::key).collect(java.util.stream.Collectors.toCollection(TreeSet::new)),
                covered, "every operation of the node is in the corpus");
        assertTrue(report.total() >= MINIMUM_REQUESTS, "at least " + MINIMUM_REQUESTS + " requests: " + report.total());
        assertEquals(200, ready.statusCode(), "the node is ready after the campaign: " + ready.body());
        assertTrue(findings.isEmpty(), findings.size() + " answers broke the rules, the first: "
                + String.join("\n", findings.stream().limit(20).toList()));
        assertTrue(differences.isEmpty(), "stored state changed:\n" + String.join("\n", differences));
    }

    /**
     * Replayed signed messages: the accepted message and access resent as they were (refused: the
     * jti is used, or the iat too old), the accepted message signed anew with the same message ID
     * (never a second message: 200 with the same one, or refused), and the relayed message handed
     * over again by the peer (200, the same message, no second delivery) or changed under the same
     * ID (conflict).
     */
    private static List<Case> replays(CampaignFixture f) {
        List<Case> cases = new ArrayList<>();
        String messages = "POST /api/v1/agw/messages";
        String relay = "POST /api/v1/agw/relay";
        for (int i = 0; i < 10; i++) {
            cases.add(new Case(messages, "replay", "the accepted message as it was", f.aliceCaller, true, false,
                    () -> jose(f.aliceCaller, "/api/v1/agw/messages", f.acceptedMessageJws)));
            cases.add(new Case("POST /api/v1/agw/access", "replay", "the accepted access as it was", f.aliceCaller, true, false,
                    () -> jose(f.aliceCaller, "/api/v1/agw/access", f.acceptedAccessJws)));
        }
        for (int i = 0; i < 5; i++) {
            cases.add(new Case(messages, "replay", "the accepted message signed anew", f.aliceCaller, true, true,
                    () -> jose(f.aliceCaller, "/api/v1/agw/messages", SecurityMutations.sign(f.alice.keys().getPrivate(),
                            Json.createObjectBuilder(f.acceptedMessageClaims).add("iat", Instant.now().getEpochSecond())
                                    .add("jti", UUID.randomUUID().toString()).build().toString().getBytes(StandardCharsets.UTF_8))),
                    sameMessage(f.acceptedMessageId)));
            cases.add(new Case(relay, "replay", "the relayed message again", f.gatewayCaller, true, true,
                    () -> json(f.gatewayCaller, "/api/v1/agw/relay", f.relayedBody), sameMessage(f.relayedMessageId)));
            cases.add(new Case(relay, "replay", "the accepted message relayed by the peer", f.gatewayCaller, true, true,
                    () -> json(f.gatewayCaller, "/api/v1/agw/relay", f.relayBody(f.acceptedMessageId, f.acceptedMessageJws).build().toString()),
                    sameMessage(f.acceptedMessageId)));
            cases.add(new Case(relay, "replay", "another message under the relayed message's ID", f.gatewayCaller, true, false,
                    () -> json(f.gatewayCaller, "/api/v1/agw/relay", f.relayBody(f.relayedMessageId, SecurityMutations.sign(
                            f.alice.keys().getPrivate(), f.messageClaims(f.bobId, f.relayedMessageId, UUID.randomUUID().toString()).build()
                                    .toString().getBytes(StandardCharsets.UTF_8))).build().toString())));
            cases.add(new Case(messages, "replay", "bob sends under the accepted message's ID", f.bobCaller, true, false,
                    () -> jose(f.bobCaller, "/api/v1/agw/messages", SecurityMutations.sign(f.bob.keys().getPrivate(),
                            f.messageClaims(f.aliceId, f.acceptedMessageId, UUID.randomUUID().toString()).build().toString()
                                    .getBytes(StandardCharsets.UTF_8)))));
        }
        return cases;
    }

    /** A repeated message is never created again: not 201/202, and a 200 names the same message. */
    private static java.util.function.Function<Response, String> sameMessage(String messageId) {
        return response -> {
            if (response.status() == 201 || response.status() == 202) {
                return "a replayed message was accepted as a new one (HTTP " + response.status() + ")";
            }
            if (response.status() == 200) {
                JsonObject view = Json.createReader(new StringReader(response.bodyText())).readObject();
                if (!messageId.equals(view.getString("messageId", null))) {
                    return "a replayed message answered with another message: " + view;
                }
            }
            return null;
        };
    }

    private static Request jose(RawHttp.Caller caller, String path, String jws) {
        return new Request(true, caller, "POST", path.getBytes(StandardCharsets.US_ASCII),
                List.<String[]>of(new String[] {"Content-Type", "application/jose"}), jws.getBytes(StandardCharsets.US_ASCII), false, true);
    }

    private static Request json(RawHttp.Caller caller, String path, String body) {
        return new Request(true, caller, "POST", path.getBytes(StandardCharsets.US_ASCII),
                List.<String[]>of(new String[] {"Content-Type", "application/json"}), body.getBytes(StandardCharsets.UTF_8), false, true);
    }

    private static CampaignReport run(List<Case> cases) throws InterruptedException {
        RawHttp http = RawHttp.forNode();
        CampaignReport report = new CampaignReport();
        AtomicLong done = new AtomicLong();
        Instant start = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        for (Case c : cases) {
            pool.submit(() -> {
                Request request = null;
                try {
                    request = c.request().get();
                    Response response = http.send(request);
                    report.record(c, request, response, Verdicts.violations(c, request, response));
                } catch (RuntimeException e) {
                    Request failed = request != null ? request : new Request(true, c.caller(), "?", new byte[0], List.of(), null, false, false);
                    report.record(c, failed, new Response(0, Map.of(), new byte[0], "test error " + e), List.of("test error: " + e));
                }
                long n = done.incrementAndGet();
                if (n % 1000 == 0) {
                    System.out.println("campaign: " + n + "/" + cases.size() + " requests, " + Duration.between(start, Instant.now()).toSeconds() + " s");
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
            pool.shutdownNow();
            throw new AssertionError("the campaign did not finish within 30 minutes");
        }
        return report;
    }

    private static void write(String summary) {
        try {
            Path file = Path.of("target", "bad-input-campaign.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
