package org.agentnet.agw.message;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.agentnet.security.TlsPolicy;

/**
 * Delivers a message to a LOCAL agent's HTTP address: one POST of the delivery document, with a
 * connect and a request timeout ({@code agentnet.agw.relay.delivery.*}), no redirects followed.
 * 2xx is delivered; 408, 425, 429, 5xx and network failures are tried again later; any other answer
 * is a refusal (the message fails at once). HTTPS addresses are verified with the JVM's default
 * trust (public CAs).
 */
@ApplicationScoped
public class PushClient {

    public enum Outcome { DELIVERED, RETRY, REFUSED }

    public record Result(Outcome outcome, String detail) {
    }

    @Inject
    RelaySettings settings;

    private volatile HttpClient client;

    public Result post(URI address, JsonObject document, String messageId) {
        return postAsync(address, document, messageId).join();
    }

    /**
     * As {@link #post}, without waiting: the pushes of a batch go out together (the HTTP client's
     * own threads; each with its request timeout). The result never completes exceptionally.
     */
    public CompletableFuture<Result> postAsync(URI address, JsonObject document, String messageId) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(address)
                    .timeout(settings.requestTimeout())
                    .header("Content-Type", DeliveryDocument.MEDIA_TYPE)
                    .header("X-Agentnet-Message-Id", messageId)
                    .POST(HttpRequest.BodyPublishers.ofString(document.toString(), StandardCharsets.UTF_8))
                    .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Result(Outcome.REFUSED, "the address " + address + " cannot be called: " + e.getMessage()));
        }
        CompletableFuture<HttpResponse<Void>> sent;
        try {
            sent = client().sendAsync(request, HttpResponse.BodyHandlers.discarding());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Result(Outcome.REFUSED, "the address " + address + " cannot be called: " + e.getMessage()));
        }
        return sent.handle((response, failure) -> failure == null ? answered(address, response.statusCode()) : failed(address, failure));
    }

    private static Result answered(URI address, int status) {
        if (status >= 200 && status < 300) {
            return new Result(Outcome.DELIVERED, "HTTP " + status);
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return new Result(Outcome.RETRY, address + " answered HTTP " + status);
        }
        return new Result(Outcome.REFUSED, address + " refused the message: HTTP " + status);
    }

    private Result failed(URI address, Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (e instanceof HttpConnectTimeoutException) {
            return new Result(Outcome.RETRY, "no connection to " + address + " within " + settings.connectTimeout());
        }
        if (e instanceof HttpTimeoutException) {
            return new Result(Outcome.RETRY, "no answer from " + address + " within " + settings.requestTimeout());
        }
        if (e instanceof java.net.ConnectException) {
            return new Result(Outcome.RETRY, "cannot connect to " + address);
        }
        if (e instanceof IllegalArgumentException) {
            return new Result(Outcome.REFUSED, "the address " + address + " cannot be called: " + e.getMessage());
        }
        // the sender reads this (GET /api/v1/agw/messages/{id}): what happened, no Java class name
        return new Result(Outcome.RETRY, "delivery to " + address + " failed" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    private HttpClient client() {
        HttpClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = HttpClient.newBuilder().sslParameters(TlsPolicy.parameters()).connectTimeout(settings.connectTimeout())
                            .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
                }
                current = client;
            }
        }
        return current;
    }
}
