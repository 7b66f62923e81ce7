package org.agentnet.agw.message;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
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
        HttpRequest request = HttpRequest.newBuilder(address)
                .timeout(settings.requestTimeout())
                .header("Content-Type", DeliveryDocument.MEDIA_TYPE)
                .header("X-Agentnet-Message-Id", messageId)
                .POST(HttpRequest.BodyPublishers.ofString(document.toString(), StandardCharsets.UTF_8))
                .build();
        try {
            int status = client().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return new Result(Outcome.DELIVERED, "HTTP " + status);
            }
            if (status == 408 || status == 425 || status == 429 || status >= 500) {
                return new Result(Outcome.RETRY, address + " answered HTTP " + status);
            }
            return new Result(Outcome.REFUSED, address + " refused the message: HTTP " + status);
        } catch (HttpConnectTimeoutException e) {
            return new Result(Outcome.RETRY, "no connection to " + address + " within " + settings.connectTimeout());
        } catch (HttpTimeoutException e) {
            return new Result(Outcome.RETRY, "no answer from " + address + " within " + settings.requestTimeout());
        } catch (java.net.ConnectException e) {
            return new Result(Outcome.RETRY, "cannot connect to " + address);
        } catch (IOException e) {
            // the sender reads this (GET /api/v1/agw/messages/{id}): what happened, no Java class name
            return new Result(Outcome.RETRY, "delivery to " + address + " failed" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Outcome.RETRY, "interrupted while delivering to " + address);
        } catch (IllegalArgumentException e) {
            return new Result(Outcome.REFUSED, "the address " + address + " cannot be called: " + e.getMessage());
        }
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
