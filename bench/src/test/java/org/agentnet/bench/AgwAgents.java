package org.agentnet.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.agentnet.security.EcdsaSignatures;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.operator.ContentSigner;

/**
 * Agents of the AGW benchmarks, made through the API as real agents are: an ACA certificate
 * ({@link AgentCredential}), registration at the ARS ({@code POST /api/v1/ars/agents}, mutual TLS)
 * and access to the gateway ({@code POST /api/v1/agw/access}, a compact JWS signed by the
 * certificate's key, ES256). Also signs JWS for the relay benchmark.
 */
final class AgwAgents {

    static final String ARS_AGENTS = "/api/v1/ars/agents";
    static final String ACCESS = "/api/v1/agw/access";
    static final String AGW_AGENTS = "/api/v1/agw/agents/";

    /** An agent with its certificate, ARS ID and a client presenting its certificate. */
    record Agent(AgentCredential credential, String id, HttpClient client) {
    }

    private AgwAgents() {
    }

    /** {@code count} agents, certified, registered and accessed, made on a few threads. */
    static List<Agent> accessed(BenchConfig config, String adminPassword, String prefix, int count, String baseUrl) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, count));
        try {
            List<Future<Agent>> made = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = prefix + "-" + i;
                made.add(pool.submit(() -> accessed(config, adminPassword, name, baseUrl)));
            }
            List<Agent> agents = new ArrayList<>();
            for (Future<Agent> agent : made) {
                agents.add(agent.get());
            }
            return agents;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not make the benchmark's agents: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static Agent accessed(BenchConfig config, String adminPassword, String name, String baseUrl) throws Exception {
        AgentCredential credential = AgentCredential.issue(config, adminPassword, name);
        HttpClient client = HttpClient.newBuilder()
                .sslContext(EnrollmentSupply.trustAny(credential.keyManagerFactory().getKeyManagers()))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(20)).build();
        String profile = Json.createObjectBuilder()
                .add("name", name)
                .add("organization", EnrollmentSupply.ORGANIZATION)
                .add("description", "AGW benchmark agent " + name)
                .add("version", "1.0.0")
                .add("skills", Json.createArrayBuilder().add(Json.createObjectBuilder().add("id", "bench").add("name", "Bench")
                        .add("description", "Takes load").add("tags", Json.createArrayBuilder().add("bench"))))
                .add("protocols", Json.createArrayBuilder().add("HTTP"))
                .add("dataFormats", Json.createArrayBuilder().add("application/json"))
                .add("languages", Json.createArrayBuilder().add("en"))
                .add("addresses", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("url", "https://" + name + ".agents.example/a2a").add("protocol", "HTTP")))
                .build().toString();
        HttpResponse<String> registered = send(client, HttpRequest.newBuilder(URI.create(baseUrl + ARS_AGENTS))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(profile)).build());
        expect(201, registered, "POST " + ARS_AGENTS);
        String id = Json.createReader(new StringReader(registered.body())).readObject().getString("id");
        Agent agent = new Agent(credential, id, client);
        access(agent, baseUrl, "http://127.0.0.1:1/" + name);
        return agent;
    }

    /** Accesses the gateway with the given address (protocol HTTP). */
    static void access(Agent agent, String baseUrl, String address) throws Exception {
        JsonObject claims = Json.createObjectBuilder()
                .add("agentId", agent.id())
                .add("addresses", Json.createArrayBuilder().add(Json.createObjectBuilder().add("url", address).add("protocol", "HTTP")))
                .add("protocols", Json.createArrayBuilder().add("HTTP"))
                .add("heartbeatInterval", 30)
                .add("iat", Instant.now().getEpochSecond())
                .add("jti", UUID.randomUUID().toString())
                .build();
        HttpResponse<String> accessed = send(agent.client(), HttpRequest.newBuilder(URI.create(baseUrl + ACCESS))
                .header("Content-Type", "application/jose")
                .POST(HttpRequest.BodyPublishers.ofString(jws(agent.credential().keys.getPrivate(), claims.toString()))).build());
        if (accessed.statusCode() != 201 && accessed.statusCode() != 200) {
            throw new IllegalStateException("POST " + ACCESS + " answered " + accessed.statusCode() + ": " + accessed.body());
        }
    }

    /**
     * A compact JWS (ES256: the JOSE form of the ECDSA signature, R || S), signed by the gateway's own
     * BouncyCastle signer ({@link EcdsaSignatures#signer}, DER {r, s} turned into R || S): the load
     * generator shares the machine with the nodes it measures, and the JDK 17's SunEC took 0.7-0.8 ms
     * of CPU a signature here against 0.1-0.2 ms (bench/README.md "AGW relay").
     */
    static String jws(PrivateKey key, String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        ECPrivateKeyParameters ec = EC_KEYS.computeIfAbsent(key, EcdsaSignatures::privateKey);
        if (ec == null || !ec.getParameters().getN().equals(P256_ORDER)) {
            throw new IllegalArgumentException("ES256 needs a P-256 key, not " + key.getAlgorithm());
        }
        ContentSigner signer = EcdsaSignatures.signer(ec);
        try {
            signer.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
            BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(P256_ORDER, signer.getSignature());
            return input + "." + b64.encodeToString(PlainDSAEncoding.INSTANCE.encode(P256_ORDER, rs[0], rs[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Map<PrivateKey, ECPrivateKeyParameters> EC_KEYS = new ConcurrentHashMap<>();
    private static final BigInteger P256_ORDER = ECNamedCurveTable.getByName("P-256").getN();

    static HttpResponse<String> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static void expect(int status, HttpResponse<String> response, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + " (expected " + status + "): "
                    + response.body());
        }
    }
}
