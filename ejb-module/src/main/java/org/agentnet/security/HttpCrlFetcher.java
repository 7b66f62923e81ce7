package org.agentnet.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Fetches CRLs over http(s) with a connect and a request timeout and a size limit. */
public final class HttpCrlFetcher implements CrlCache.Fetcher {

    private final HttpClient client;
    private final Duration requestTimeout;
    private final long maxBytes;

    public HttpCrlFetcher(Duration connectTimeout, Duration requestTimeout, long maxBytes) {
        // https distribution points are verified against the JVM's default trust (as for any CRL client)
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).version(HttpClient.Version.HTTP_1_1).build();
        this.requestTimeout = requestTimeout;
        this.maxBytes = maxBytes;
    }

    @Override
    public CompletableFuture<byte[]> fetch(URI url) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(requestTimeout)
                .header("Accept", "application/pkix-crl, application/x-pem-file;q=0.5").GET().build();
        return client.sendAsync(request, BoundedBody.handler(maxBytes)).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new java.util.concurrent.CompletionException(
                        new IOException("HTTP " + response.statusCode() + " from " + url));
            }
            return response.body();
        });
    }
}
