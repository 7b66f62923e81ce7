package org.agentnet.bench;

import jakarta.json.Json;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Certificate applications ready to send, made before the load so that the measured phase is the
 * node's work only: each one a new EC P-256 key and its CSR (the ACA refuses a key it has seen), a
 * single-use enrollment token from the operator API, and a unique agent name, serialized as the
 * JSON body of {@code POST /api/v1/aca/applications}. A Gatling feeder: each request takes one
 * ({@code body}); it is empty once all are taken, which ends the run (raise {@code bench.aca.applications}).
 */
final class EnrollmentSupply implements Iterator<Map<String, Object>> {

    static final String BODY = "body";
    static final String ORGANIZATION = "Bench Corp";
    private static final String TOKENS = "/api/v1/admin/aca/enrollment-tokens";

    private final Queue<String> bodies = new ConcurrentLinkedQueue<>();

    private EnrollmentSupply() {
    }

    /**
     * Makes {@code count} applications with {@code threads} threads: keys and CSRs here, tokens from
     * the node (HTTPS, basic auth as the operator {@code admin}).
     */
    static EnrollmentSupply prepare(BenchConfig config, int count, String adminPassword, int threads) {
        EnrollmentSupply supply = new EnrollmentSupply();
        HttpClient client = HttpClient.newBuilder().sslContext(trustAny(null)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(20)).build();
        String authorization = "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
        URI tokens = URI.create(config.httpsBaseUrl() + TOKENS);
        String run = UUID.randomUUID().toString().substring(0, 8);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Future<?>[] workers = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                workers[t] = pool.submit(() -> {
                    KeyPairGenerator generator = ecGenerator();
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        String agentName = "bench-" + run + "-" + i;
                        String csr = csr(generator.generateKeyPair(), agentName);
                        supply.bodies.add(application(csr, agentName, token(client, tokens, authorization)));
                        if ((i + 1) % Math.max(1, count / 10) == 0) {
                            System.out.printf("[bench] %d of %d applications ready%n", i + 1, count);
                        }
                    }
                    return null;
                });
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not prepare the applications: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("[bench] %d applications (key, CSR, enrollment token) ready in %.1f s%n",
                count, (System.nanoTime() - start) / 1e9);
        return supply;
    }

    @Override
    public boolean hasNext() {
        return !bodies.isEmpty();
    }

    @Override
    public Map<String, Object> next() {
        String body = bodies.poll();
        if (body == null) {
            throw new NoSuchElementException("no application left: raise bench.aca.applications");
        }
        return Map.of(BODY, body);
    }


    static String token(HttpClient client, URI tokens, String authorization) throws IOException, InterruptedException {
        String request = Json.createObjectBuilder()
                .add("organization", ORGANIZATION)
                .add("functionTypes", Json.createArrayBuilder().add("planner"))
                .add("permissionScope", Json.createArrayBuilder().add("discovery"))
                .add("validity", "P1D")
                .build().toString();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(tokens).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST " + TOKENS + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.createReader(new StringReader(response.body())).readObject().getString("token");
    }

    static String application(String csr, String agentName, String token) {
        return Json.createObjectBuilder()
                .add("csr", csr)
                .add("agentName", agentName)
                .add("organization", ORGANIZATION)
                .add("developer", "bench@agentnet.example")
                .add("functionType", "planner")
                .add("permissionScope", Json.createArrayBuilder().add("discovery"))
                .add("skills", Json.createArrayBuilder().add("load"))
                .add("enrollmentToken", token)
                .build().toString();
    }

    static KeyPairGenerator ecGenerator() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator;
    }

    static String csr(KeyPair keys, String agentName) {
        try {
            var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("O=" + ORGANIZATION + ",CN=" + agentName),
                    keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(request);
            }
            return pem.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Trusts the node's self-signed certificate whatever its name, as gatling.conf does for the load:
     * BenchConfig only lets the benchmark talk to a loopback address. {@code keyManagers}: null, or
     * the client's key material for mutual TLS.
     */
    static SSLContext trustAny(KeyManager[] keyManagers) {
        TrustManager any = new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keyManagers, new TrustManager[] {any}, null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
