package org.agentnet.it.agw;

import static org.agentnet.it.agw.RelayTestSupport.message;
import static org.agentnet.it.agw.RelayTestSupport.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agentnet.it.PeerNode;
import org.agentnet.it.agw.RelayTestSupport.Agent;
import org.agentnet.it.agw.RelayTestSupport.Endpoint;
import org.agentnet.it.agw.RelayTestSupport.Gateway;
import org.agentnet.it.agw.RelayTestSupport.ReservedPort;
import org.junit.jupiter.api.Test;

/**
 * Crash safety of the relay (docs/agw.md "Crash safety"): a node accepts messages for an agent whose
 * endpoint is down, is killed with SIGKILL while they wait for their next try, and is started again;
 * once the endpoint is up, every message acknowledged with 202 arrives, each exactly once (the
 * dispatcher takes them from the outbox rows: due retries, and claims of the killed node once they
 * ran out). Then the messaging store is discarded while the node is down: it holds nothing of the
 * relay, and the messages accepted before are delivered once each.
 */
class RelayCrashIT {

    private static final int MESSAGES = 12;
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Test
    void everyAcceptedMessageIsDeliveredOnceAfterAKill() throws Exception {
        try (PeerNode node = PeerNode.create("crash", 0, Map.of("AGENTNET_DOMAIN_NAME", "crash.example"))) {
            // tries every 1-3 s, never given up within the test
            Files.writeString(node.serverDir().resolve("bootstrap.properties"), String.join("\n",
                    "", "agentnet.agw.relay.retry.initial-delay=PT1S", "agentnet.agw.relay.retry.factor=1.5",
                    "agentnet.agw.relay.retry.max-delay=PT3S", "agentnet.agw.relay.retry.max-attempts=1000",
                    // claims of the killed node run out 1 s after its longest call could have ended
                    "agentnet.agw.relay.recovery-grace=PT1S", "agentnet.jobs.agw-relay-recovery.interval=PT12H", ""),
                    StandardOpenOption.APPEND);
            node.start();
            Gateway gateway = Gateway.of(node);
            try (ReservedPort reserved = new ReservedPort()) {
                Agent sender = RelayTestSupport.agent(gateway, "crashsender", null);
                Agent target = RelayTestSupport.agent(gateway, "crashtarget", Endpoint.address(reserved.port()));

                List<String> accepted = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) {
                    accepted.add(sent(sender, message(target.id(), "message " + i).build()));
                }
                // the endpoint is down (connections refused): the messages wait for their next try
                awaitTried(sender, accepted.get(MESSAGES - 1));
                node.kill();
                node.start();
                try (Endpoint endpoint = reserved.open()) {
                    for (String id : accepted) {
                        JsonObject delivered = RelayTestSupport.awaitState(sender, id, "DELIVERED", PATIENCE);
                        assertTrue(delivered.getInt("attempts") >= 2, delivered.toString());
                    }
                    Thread.sleep(3000); // any repeat would come within the back-off
                    for (String id : accepted) {
                        assertEquals(1, endpoint.count(id), "message " + id + " delivered once");
                    }
                    assertEquals(MESSAGES, endpoint.received.size());

                    // the messaging store plays no part in relaying (the rows are the outbox): discarded while
                    // the node was down, every message accepted before is still delivered, once. The endpoint
                    // stays open (its port kept) but fails each try meanwhile.
                    endpoint.status.set(503);
                    List<String> stranded = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        stranded.add(sent(sender, message(target.id(), "stranded " + i).build()));
                    }
                    awaitTried(sender, stranded.get(2));
                    node.stop();
                    deleteRecursively(node.serverDir().resolve("messaging"));
                    node.start();
                    endpoint.status.set(200);
                    // the recovery job only makes the dispatcher look at once
                    HttpResponse<String> run = gateway.asOperator(gateway.request("/api/v1/admin/jobs/agw-relay-recovery/runs")
                            .POST(HttpRequest.BodyPublishers.noBody()));
                    assertTrue(run.statusCode() == 200 || run.statusCode() == 202, run.body());
                    for (String id : stranded) {
                        RelayTestSupport.awaitState(sender, id, "DELIVERED", PATIENCE);
                    }
                    Thread.sleep(3000); // any repeat would come within the back-off
                    for (String id : stranded) {
                        assertEquals(1, endpoint.count(id), "message " + id + " delivered once");
                    }
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void awaitTried(Agent sender, String id) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            JsonObject view = RelayTestSupport.state(sender, id);
            if (view.getInt("attempts") >= 1) {
                assertEquals("ACCEPTED", view.getString("state"), view.toString());
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not tried within " + PATIENCE + ": " + view);
            }
            Thread.sleep(100);
        }
    }

}
