package org.agentnet.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Holds every integration test back until the node reports ready (the build starts the server
 * but does not wait for the application), and fails loudly when it never does. It asks over
 * HTTPS, verified against this build's server certificate, so that tests never run against some
 * other server that happens to hold the port. Registered for all test classes through JUnit's
 * extension auto-detection.
 */
public class AwaitNodeReady implements BeforeAllCallback {

    /** How long the build's server may take to be ready: {@code -Dit.ready.patience} (ISO-8601), 3 minutes unless given (a machine under other builds' load needs more). */
    private static final Duration PATIENCE = Duration.parse(System.getProperty("it.ready.patience", "PT3M"));
    private static volatile boolean ready;

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        if (ready || System.getProperty("it.server.dir") == null
                || !context.getRequiredTestClass().getPackageName().startsWith(NodeServer.class.getPackageName())) {
            return; // only the integration tests talk to the build's server (not the in-container tests)
        }
        synchronized (AwaitNodeReady.class) {
            if (!ready) {
                untilReady(NodeServer::client, NodeServer.https("/health/ready"), PATIENCE);
                ready = true;
            }
        }
    }

    /**
     * Waits until the node at {@code readyUri} answers 200, asking every half second with a client
     * made afresh for each try (a node that has just started may not yet present the certificate
     * its client trusts, nor have created its CA yet), and fails loudly after {@code patience}.
     */
    static void untilReady(Supplier<HttpClient> clients, URI readyUri, Duration patience) throws InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        String last = "no answer";
        while (true) {
            try {
                HttpResponse<String> response = NodeServer.send(clients.get(),
                        NodeServer.request(readyUri).GET().build());
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e.toString();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(readyUri + " did not become ready within " + patience + ": " + last);
            }
            Thread.sleep(500);
        }
    }
}
