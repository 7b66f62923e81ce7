package org.agentnet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Production mode (docs/security.md "Operators"): a node with {@code AGENTNET_MODE=production} and
 * no operator password does not start its application (no generated password, the account is not
 * written) and says why in its log; given a strong {@code AGENTNET_ADMIN_PASSWORD} it starts and
 * operators log in with exactly that password. A further node of its own ({@link PeerNode}).
 */
class ProductionModeIT {

    private static final String STRONG = "it-Production-operator-7f3a";
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @Test
    void withoutAnOperatorPasswordTheNodeRefusesToStartAndWithAStrongOneItStarts() throws Exception {
        try (PeerNode node = PeerNode.create("prod", 1, Map.of("AGENTNET_MODE", "production",
                "AGENTNET_DOMAIN_NAME", "prod.example"))) {
            node.startOnly();
            Path log = node.serverDir().resolve("logs/messages.log");
            String refusal = awaitLine(log, "production mode");
            assertTrue(refusal.contains("AGENTNET_ADMIN_PASSWORD") && refusal.contains("does not start"), refusal);
            awaitLine(log, "CWWKZ0002E"); // Liberty: the application failed to start
            assertFalse(Files.readString(log).contains("Generated the password"), "nothing is generated");
            assertFalse(Files.readString(node.serverDir().resolve("configDropins/overrides/admin-user.xml")).contains("<user"),
                    "no operator account");
            HttpResponse<String> ready = NodeServer.send(HttpClient.newHttpClient(), NodeServer.request(node.http("/health/ready")).GET().build());
            assertNotEquals(200, ready.statusCode(), ready.body());
            node.stop();

            node.environment(Map.of("AGENTNET_ADMIN_PASSWORD", STRONG));
            node.start();
            HttpResponse<String> operator = NodeServer.send(node.client(), NodeServer.request(node.https("/api/v1/admin/jobs"))
                    .header("Authorization", NodeServer.basic("admin", STRONG)).GET().build());
            assertEquals(200, operator.statusCode(), operator.body());
            HttpResponse<String> guessed = NodeServer.send(node.client(), NodeServer.request(node.https("/api/v1/admin/jobs"))
                    .header("Authorization", NodeServer.basic("admin", "admin")).GET().build());
            assertEquals(401, guessed.statusCode(), guessed.body());
            assertFalse(Files.readString(node.serverDir().resolve("configDropins/overrides/admin-user.xml")).contains(STRONG),
                    "the password stays in the environment");
        }
    }

    private static String awaitLine(Path log, String text) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (Files.exists(log)) {
                    for (String line : Files.readAllLines(log)) {
                        if (line.contains(text)) {
                            return line;
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("'" + text + "' not in " + log + " within " + PATIENCE);
    }
}
