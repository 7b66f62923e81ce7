package org.agentnet.it;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Holds every integration test back until the node reports ready (the build starts the server
 * but does not wait for the application), and fails loudly when it never does. It asks over
 * HTTPS, verified against this build's node CA with host name verification, so that tests never run against some
 * other server that happens to hold the port; the node is ready only once its HTTPS port serves
 * the node's own certificate, so this also waits for that. Registered for all test classes through JUnit's
 * extension auto-detection.
 */
public class AwaitNodeReady implements BeforeAllCallback {

    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static volatile boolean ready;

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        if (ready || System.getProperty("it.server.dir") == null
                || !context.getRequiredTestClass().getPackageName().startsWith(NodeServer.class.getPackageName())) {
            return; // only the integration tests talk to the build's server (not the in-container tests)
        }
        synchronized (AwaitNodeReady.class) {
            Instant deadline = Instant.now().plus(PATIENCE);
            String last = "no answer";
            while (!ready) {
                try {
                    // a new client each time: the node's CA exists only once the application has started
                    HttpClient client = NodeServer.client();
                    HttpResponse<String> response = NodeServer.send(client,
                            NodeServer.request(NodeServer.https("/health/ready")).GET().build());
                    last = response.statusCode() + " " + response.body();
                    ready = response.statusCode() == 200;
                } catch (RuntimeException e) {
                    last = e.toString();
                }
                if (!ready) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("the node did not become ready within " + PATIENCE + ": " + last);
                    }
                    Thread.sleep(500);
                }
            }
        }
    }
}
