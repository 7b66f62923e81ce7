package org.agentnet.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Fetches revocation data of other domains over http(s) with a connect and a request timeout and
 * a size limit: CRLs by GET ({@link CrlCache.Fetcher}), OCSP answers by POST of the DER request
 * ({@link OcspCache.Responder}, RFC 6960 appendix A.1). One instance per source, with that
 * source's settings.
 */
public final class HttpRevocationFetcher implements CrlCache.Fetcher, OcspCache.Responder {

    static final String OCSP_REQUEST = "application/ocsp-request";
    static final String OCSP_RESPONSE = "application/ocsp-response";

    private final HttpClient client;
    private final Duration requestTimeout;
    private final long maxBytes;

    public HttpRevocationFetcher(Duration connectTimeout, Duration requestTimeout, long maxBytes) {
        // https locations are verified against the JVM's default trust (as for any CRL or OCSP client)
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).version(HttpClient.Version.HTTP_1_1).build();
        this.requestTimeout = requestTimeout;
        this.maxBytes = maxBytes;
    }

    @Override
    public CompletableFuture<byte[]> fetch(URI url) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(requestTimeout)
                .header("Accept", "application/pkix-crl, application/x-pem-file;q=0.5").GET().build();
        return send(request, url);
    }

    @Override
    public CompletableFuture<byte[]> ask(URI responder, byte[] ocspRequest) {
        HttpRequest request = HttpRequest.newBuilder(responder).timeout(requestTimeout)
                .header("Content-Type", OCSP_REQUEST).header("Accept", OCSP_RESPONSE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(ocspRequest)).build();
        return send(request, responder);
    }

    private CompletableFuture<byte[]> send(HttpRequest request, URI url) {
        return client.sendAsync(request, BoundedBody.handler(maxBytes)).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new CompletionException(new IOException("HTTP " + response.statusCode() + " from " + url));
            }
            return response.body();
        });
    }
}
