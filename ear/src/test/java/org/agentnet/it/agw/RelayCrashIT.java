package org.agentnet.it.agw;

import static org.agentnet.it.agw.RelayTestSupport.message;
import static org.agentnet.it.agw.RelayTestSupport.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.file.Files;
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
import org.junit.jupiter.api.Test;

/**
 * Crash safety of the relay (docs/agw.md "Crash safety"): a node accepts messages for an agent whose
 * endpoint is down, is killed with SIGKILL while they wait for their next try, and is started again;
 * once the endpoint is up, every message acknowledged with 202 arrives, each exactly once.
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
                    "agentnet.agw.relay.retry.max-delay=PT3S", "agentnet.agw.relay.retry.max-attempts=1000", ""),
                    StandardOpenOption.APPEND);
            node.start();
            Gateway gateway = Gateway.of(node);
            int port = RelayTestSupport.freePort();
            Agent sender = RelayTestSupport.agent(gateway, "crashsender", null);
            Agent target = RelayTestSupport.agent(gateway, "crashtarget", Endpoint.address(port));

            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                accepted.add(sent(sender, message(target.id(), "message " + i).build()));
            }
            // the endpoint is down: the messages wait for their next try
            awaitTried(sender, accepted.get(MESSAGES - 1));
            node.kill();
            node.start();
            try (Endpoint endpoint = new Endpoint(port)) {
                for (String id : accepted) {
                    JsonObject delivered = RelayTestSupport.awaitState(sender, id, "DELIVERED", PATIENCE);
                    assertTrue(delivered.getInt("attempts") >= 2, delivered.toString());
                }
                Thread.sleep(3000); // any repeat would come within the back-off
                for (String id : accepted) {
                    assertEquals(1, endpoint.count(id), "message " + id + " delivered once");
                }
                assertEquals(MESSAGES, endpoint.received.size());
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
