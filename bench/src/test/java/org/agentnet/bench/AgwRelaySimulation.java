package org.agentnet.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.sun.net.httpserver.HttpServer;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.agentnet.agw.access.SignedRequests;
import org.agentnet.bench.report.LocalMeasurement;

/**
 * Cross-domain relay (AGW, draft 3.4.4): a sender agent of domain A (the bench node) posts signed
 * messages ({@code POST /api/v1/agw/messages}, a compact JWS, ES256, a new {@code jti} each) to a
 * target agent of domain B (a second bench node, {@code bench.relay.b.http.port} /
 * {@code bench.relay.b.https.port}); A relays each to B ({@code POST /api/v1/agw/relay}, mutual TLS
 * between the gateways), and B pushes it to the target's HTTP endpoint, a JDK HttpServer in this JVM
 * that notes the arrival time. bench/run.sh starts both nodes; the set-up makes them trust each
 * other's CA, peers A with B, and makes both agents through the API.
 *
 * <p>Rows: the baseline of A (HTTP, and HTTPS over the sender's mutual-TLS connections), and the
 * submissions (202: stored and queued at A). Measured in this JVM and written as table rows: the
 * messages <b>delivered</b> at the target per second while the submission row ran, and the
 * <b>added latency</b> of each message submitted in the measured phase, from just before its
 * request was sent to its arrival at the target (p50/p99). Duplicate arrivals are counted (there
 * must be none). Run with {@code -Dbench.rounds=1} so that the measured submissions are one block.
 */
public class AgwRelaySimulation extends BenchSimulation {

    static final String MESSAGES = "/api/v1/agw/messages";
    static final String SUBMIT_ROW = "POST " + MESSAGES + " A -> B (accepted, 202)";
    static final String DELIVERED_ROW = "relay A -> B delivered at the target (added latency)";
    static final String FLOOR_SIGNED_ROW = "floor: GET /api/v1/node A, a message signed and checked twice";
    static final String FLOOR_PUSH_ROW = "floor: POST a delivery document to the target's endpoint";
    static final String FLOOR_ROW = "relay floor: one of each floor row per message";
    static final String FLOOR_CPU_ROW = "relay floor by CPU: all cores / the floor rows' CPU per message";
    /**
     * The relay row's own warm-up ({@code bench.relay.warmup}, seconds; without it {@code bench.warmup}):
     * both nodes' JIT compilers were still busy all the time 10 minutes into the relay load
     * (bench/README.md "The JIT never rested").
     */
    static final Long RELAY_WARMUP_SECONDS = Long.getLong("bench.relay.warmup");

    private final Map<String, Long> sent = new ConcurrentHashMap<>();
    private final Map<String, Boolean> arrived = new ConcurrentHashMap<>();
    private final long[] latencies = new long[2_000_000];
    private final AtomicLong measuredArrivals = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final Window submissions = new Window();
    private final AtomicLong deliveredInWindow = new AtomicLong();
    private final Map<String, Boolean> measured = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Boolean> arrivalTimes = new ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<Long> arrivalsAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final MachineCpu machine = new MachineCpu();
    private final Window floorSigned = new Window();
    private final Window floorPushes = new Window();
    private volatile String firstDelivery;
    private HttpServer endpoint;

    /**
     * The machine's CPU, all processes together ({@code /proc/stat}), sampled every 100 ms while the
     * simulation runs: the CPU a row's work costs the machine, whatever process does it, and whether
     * the row kept the machine busy (a rate is the machine's limit only if it did).
     */
    private static final class MachineCpu {
        private record Sample(long at, long busyTicks, long allTicks) {
        }

        private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        private final Thread sampler = new Thread(this::run, "bench-machine-cpu");

        MachineCpu() {
            sampler.setDaemon(true);
        }

        void start() {
            if (read() != null) {
                sampler.start();
            }
        }

        void stop() {
            sampler.interrupt();
        }

        private void run() {
            while (!Thread.currentThread().isInterrupted()) {
                Sample sample = read();
                if (sample != null) {
                    samples.add(sample);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** The first line of /proc/stat ({@code cpu user nice system idle iowait irq softirq steal ...}, in USER_HZ ticks). */
        private static Sample read() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]) + Long.parseLong(f[8]);
                return new Sample(System.nanoTime(), busy, busy + Long.parseLong(f[4]) + Long.parseLong(f[5]));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** Busy CPU-seconds of the machine and its busy share between the samples inside [from, to]; null without two. */
        double[] between(long from, long to) {
            Sample first = null;
            Sample last = null;
            synchronized (samples) {
                for (Sample sample : samples) {
                    if (sample.at() >= from && sample.at() <= to) {
                        first = first == null ? sample : first;
                        last = sample;
                    }
                }
            }
            if (first == null || last == first || last.allTicks() == first.allTicks()) {
                return null;
            }
            long busy = last.busyTicks() - first.busyTicks();
            return new double[] {busy / 100.0 * (to - from) / (double) (last.at() - first.at()),
                    busy / (double) (last.allTicks() - first.allTicks())};
        }
    }

    /**
     * The measured requests of a row, counted where they happen (the signing function, the endpoint):
     * how many, the first and the last; their rate, and the machine's CPU meanwhile.
     */
    private static final class Window {
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

        void add(long now) {
            count.incrementAndGet();
            first.accumulateAndGet(now, Math::min);
            last.accumulateAndGet(now, Math::max);
        }

        double perSecond() {
            long n = count.get();
            return n < 2 ? 0 : (n - 1) / ((last.get() - first.get()) / 1e9);
        }

        /** The machine's CPU-seconds per request and its busy share while the row ran; null if not measured. */
        double[] cpu(MachineCpu machine) {
            double[] window = count.get() < 2 ? null : machine.between(first.get(), last.get());
            return window == null ? null : new double[] {window[0] / (count.get() - 1), window[1]};
        }
    }

    {
        String adminPassword = System.getenv("AGENTNET_ADMIN_PASSWORD");
        if (adminPassword == null || adminPassword.isBlank()) {
            throw new IllegalArgumentException("AGENTNET_ADMIN_PASSWORD (environment) is not set: run the benchmark with bench/run.sh");
        }
        int bHttp = Integer.getInteger("bench.relay.b.http.port", 0);
        int bHttps = Integer.getInteger("bench.relay.b.https.port", 0);
        if (bHttp <= 0 || bHttps <= 0) {
            throw new IllegalArgumentException("bench.relay.b.http.port / bench.relay.b.https.port (node B) are not set: run with"
                    + " BENCH_RELAY_ONLY=1 bench/run.sh");
        }
        BenchConfig configB = new BenchConfig(config.host(), bHttp, bHttps, config.users(), config.warmup(), config.measure(),
                config.rounds());
        String baseA = "https://localhost:" + config.httpsPort();
        String baseB = "https://localhost:" + bHttps;
        String authorization = "Basic " + Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
        HttpClient operator = HttpClient.newBuilder().sslContext(EnrollmentSupply.trustAny(null)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(20)).build();
        long started = System.nanoTime();
        try {
            peer(operator, authorization, config.httpsBaseUrl(), configB.httpsBaseUrl(), baseB);
            endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            endpoint.setExecutor(Executors.newFixedThreadPool(4));
            endpoint.createContext("/deliveries", exchange -> {
                long now = System.nanoTime();
                byte[] body = exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                arrived(now, body);
            });
            // the floor's push: an agent that takes the document and answers, nothing more
            endpoint.createContext("/floor", exchange -> {
                exchange.getRequestBody().readAllBytes();
                if ("1".equals(exchange.getRequestHeaders().getFirst("X-Bench-Measured"))) {
                    floorPushes.add(System.nanoTime());
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            endpoint.start();
            machine.start();
            String prefix = "bench-relay-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
            AgwAgents.Agent sender = AgwAgents.accessed(config, adminPassword, prefix + "-sender", baseA);
            AgwAgents.Agent target = AgwAgents.accessed(configB, adminPassword, prefix + "-target", configB.httpsBaseUrl());
            AgwAgents.access(target, configB.httpsBaseUrl(), "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/deliveries");
            routable(operator, authorization, config.httpsBaseUrl(), target.id());
            // one message end to end before the load
            String first = message(sender, target.id(), "warm-up");
            HttpResponse<String> accepted = AgwAgents.send(sender.client(), HttpRequest.newBuilder(URI.create(config.httpsBaseUrl() + MESSAGES))
                    .header("Content-Type", "application/jose").POST(HttpRequest.BodyPublishers.ofString(first)).build());
            AgwAgents.expect(202, accepted, "POST " + MESSAGES);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (arrived.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the first message did not arrive at the target within 120 s: " + accepted.body());
                }
                Thread.sleep(100);
            }
            System.out.printf(Locale.ROOT, "[bench] relay: A and B peered, sender %s at A, target %s at B (endpoint :%d); first message"
                    + " delivered; set-up %.1f s%n", sender.id(), target.id(), endpoint.getAddress().getPort(),
                    (System.nanoTime() - started) / 1e9);
            arrived.clear();
            sent.clear();
            arrivalsAt.clear();

            HttpProtocolBuilder mtls = mutualTlsProtocol(sender.credential()::keyManagerFactory);
            HttpProtocolBuilder toEndpoint = plainProtocol("http://127.0.0.1:" + endpoint.getAddress().getPort());
            String targetId = target.id();
            String delivery = firstDelivery;
            setUpRows(
                    row(BenchConfig.BASELINE_ROW + " (relay)", httpProtocol(),
                            name -> http(name).get("/api/v1/node").check(status().is(200))),
                    row(BenchConfig.BASELINE_HTTPS_ROW + " (relay)", mtls,
                            name -> http(name).get("/api/v1/node").check(status().is(200))),
                    row(SUBMIT_ROW, mtls,
                            name -> http(name).post(MESSAGES).header("Content-Type", "application/jose")
                                    .body(StringBody(session -> submission(sender, targetId, !name.startsWith("warm-up"))))
                                    .check(status().is(202)))
                            .warmingUp(RELAY_WARMUP_SECONDS == null ? config.warmup() : Duration.ofSeconds(RELAY_WARMUP_SECONDS)),
                    // the least any relay of a signed message costs this machine, measured: the sender's
                    // signature, the gateways' two checks of it (A's and B's, the gateway's own code) and
                    // the submission's request, then the push of the delivery to the target
                    row(FLOOR_SIGNED_ROW, mtls,
                            name -> http(name).get("/api/v1/node")
                                    .header("X-Bench-Message", session -> floorMessage(sender, targetId, !name.startsWith("warm-up")))
                                    .check(status().is(200))),
                    row(FLOOR_PUSH_ROW, toEndpoint,
                            name -> http(name).post("/floor").header("Content-Type", "application/json")
                                    .header("X-Bench-Measured", name.startsWith("warm-up") ? "0" : "1")
                                    .body(StringBody(delivery)).check(status().is(204))));
        } catch (RuntimeException e) {
            stopEndpoint();
            throw e;
        } catch (Exception e) {
            stopEndpoint();
            throw new IllegalStateException("relay set-up failed: " + e.getMessage(), e);
        }
    }

    /** A new signed message; its send time noted (as measured or not) just before Gatling sends it. */
    private String submission(AgwAgents.Agent sender, String targetId, boolean isMeasured) {
        String jti = UUID.randomUUID().toString();
        String jws = AgwAgents.jws(sender.credential().keys.getPrivate(), claims(targetId, jti));
        long now = System.nanoTime();
        sent.put(jti, now);
        if (isMeasured) {
            measured.put(jti, Boolean.TRUE);
            submissions.add(now);
        }
        return jws;
    }

    /** A message as the submission row signs it, checked as A and then B check it (nothing sent on). */
    private String floorMessage(AgwAgents.Agent sender, String targetId, boolean isMeasured) {
        long cpu = THREAD_CPU.getCurrentThreadCpuTime();
        String jws = AgwAgents.jws(sender.credential().keys.getPrivate(), claims(targetId, UUID.randomUUID().toString()));
        for (int gateway = 0; gateway < 2; gateway++) {
            SignedRequests.verify(jws, sender.credential().keys.getPublic());
        }
        if (isMeasured) {
            floorCryptoNanos.addAndGet(THREAD_CPU.getCurrentThreadCpuTime() - cpu);
            floorSigned.add(System.nanoTime());
        }
        return jws;
    }

    private static final ThreadMXBean THREAD_CPU = ManagementFactory.getThreadMXBean();
    /** CPU time of the measured floor messages' signature and two checks, in the threads that made them. */
    private final AtomicLong floorCryptoNanos = new AtomicLong();

    private static String claims(String targetId, String jti) {
        return Json.createObjectBuilder()
                .add("target", targetId)
                .add("sessionId", "bench-session")
                .add("contentType", "application/json")
                .add("payload", Json.createObjectBuilder().add("text", "hello from A"))
                .add("iat", Instant.now().getEpochSecond())
                .add("jti", jti)
                .build().toString();
    }

    private static String message(AgwAgents.Agent sender, String targetId, String text) {
        return AgwAgents.jws(sender.credential().keys.getPrivate(), claims(targetId, UUID.randomUUID().toString()));
    }

    private void arrived(long now, byte[] body) {
        try {
            JsonObject document = Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8))).readObject();
            String jws = document.getString("jws");
            String payload = new String(Base64.getUrlDecoder().decode(jws.split("\\.")[1]), StandardCharsets.UTF_8);
            String jti = Json.createReader(new StringReader(payload)).readObject().getString("jti");
            if (firstDelivery == null) {
                firstDelivery = document.toString();
            }
            if (arrived.putIfAbsent(jti, Boolean.TRUE) != null) {
                duplicates.incrementAndGet();
                return;
            }
            arrivalsAt.add(now);
            Long at = sent.get(jti);
            if (at != null && measured.containsKey(jti)) {
                long index = measuredArrivals.getAndIncrement();
                if (index < latencies.length) {
                    latencies[(int) index] = now - at;
                }
            }
        } catch (RuntimeException e) {
            System.err.println("[bench] relay: an arrival that is no delivery document: " + e);
        }
    }

    @Override
    public void after() {
        try {
            // let the messages still on their way arrive (at most 60 s)
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (arrivedMeasured() < measured.size() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            long from = submissions.first.get();
            long to = submissions.last.get();
            long inWindow = arrivalsAt.stream().filter(t -> t >= from && t <= to).count();
            double seconds = (to - from) / 1e9;
            int n = (int) Math.min(measuredArrivals.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            long p50 = n == 0 ? -1 : Math.round(sorted[(int) Math.min(n - 1, Math.floor(n * 0.50))] / 1e6);
            long p99 = n == 0 ? -1 : Math.round(sorted[(int) Math.min(n - 1, Math.floor(n * 0.99))] / 1e6);
            long lost = measured.size() - arrivedMeasured();
            System.out.printf(Locale.ROOT, "[bench] relay: %d measured messages accepted, %d delivered (%d not within 60 s after the"
                    + " load), %d duplicate arrivals; %d arrivals during the %.1f s of measured submissions; added latency p50 %d ms,"
                    + " p99 %d ms, max %d ms%n", measured.size(), arrivedMeasured(), lost, duplicates.get(), inWindow, seconds, p50, p99,
                    n == 0 ? -1 : Math.round(sorted[n - 1] / 1e6));
            Path dir = Path.of(System.getProperty(LocalMeasurement.DIR_PROPERTY, "target/bench/local"));
            writeFloor(dir);
            new LocalMeasurement(DELIVERED_ROW + (lost > 0 ? " (" + lost + " undelivered after 60 s)" : "")
                    + (duplicates.get() > 0 ? " (" + duplicates.get() + " duplicates)" : ""), inWindow, seconds, p50, p99).write(dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopEndpoint();
        }
    }

    /**
     * The floor per message: a message needs one request of each floor row, so its cost is the sum of
     * theirs (each row ran alone with the machine to itself): 1 / (1 / signed + 1 / pushes).
     */
    private void writeFloor(Path dir) {
        double signed = floorSigned.perSecond();
        double pushes = floorPushes.perSecond();
        if (signed <= 0 || pushes <= 0) {
            System.err.println("[bench] relay: a floor row measured nothing; no floor row written");
            return;
        }
        double floor = 1 / (1 / signed + 1 / pushes);
        long messages = Math.min(floorSigned.count.get(), floorPushes.count.get());
        System.out.printf(Locale.ROOT, "[bench] relay floor: %.1f signed and checked requests/s, %.1f pushes/s: %.1f messages/s%n",
                signed, pushes, floor);
        new LocalMeasurement(FLOOR_ROW, messages, messages / floor).write(dir);
        // the same by CPU: what the floor's work costs the machine per message, and what all its cores would relay at that cost
        double[] signedCpu = floorSigned.cpu(machine);
        double[] pushCpu = floorPushes.cpu(machine);
        if (signedCpu == null || pushCpu == null) {
            System.err.println("[bench] relay: the machine's CPU was not sampled (no /proc/stat?); no floor by CPU");
            return;
        }
        System.out.printf(Locale.ROOT, "[bench] relay floor: the signature and two checks took %.3f ms of CPU a message in the threads"
                + " that made them%n", floorCryptoNanos.get() / 1e6 / Math.max(1, floorSigned.count.get()));
        int cores = Runtime.getRuntime().availableProcessors();
        double perMessage = signedCpu[0] + pushCpu[0];
        double floorByCpu = cores / perMessage;
        System.out.printf(Locale.ROOT, "[bench] relay floor by CPU: %.3f ms of the machine's CPU per signed and checked request (machine"
                + " %.0f %% busy), %.3f ms per push (%.0f %% busy): %.3f ms a message, %d cores: %.1f messages/s%n",
                signedCpu[0] * 1e3, signedCpu[1] * 100, pushCpu[0] * 1e3, pushCpu[1] * 100, perMessage * 1e3, cores, floorByCpu);
        new LocalMeasurement(FLOOR_CPU_ROW, messages, messages / floorByCpu).write(dir);
        double[] relay = measured.size() < 2 ? null : machine.between(submissions.first.get(), submissions.last.get());
        if (relay != null) {
            double relayPerMessage = relay[0] / (measured.size() - 1);
            System.out.printf(Locale.ROOT, "[bench] relay: %.3f ms of the machine's CPU per message accepted while the measured submissions"
                    + " ran (machine %.0f %% busy), %.1f times the floor's %.3f ms%n", relayPerMessage * 1e3, relay[1] * 100,
                    relayPerMessage / perMessage, perMessage * 1e3);
        }
    }

    private long arrivedMeasured() {
        return measured.keySet().stream().filter(arrived::containsKey).count();
    }

    private void stopEndpoint() {
        machine.stop();
        if (endpoint != null) {
            endpoint.stop(0);
        }
    }

    /** A and B trust each other's CA; A adds B as a peer; both see the other ONLINE. */
    private static void peer(HttpClient operator, String authorization, String urlA, String urlB, String baseB) throws Exception {
        String caA = AgwAgents.send(operator, HttpRequest.newBuilder(URI.create(urlA + "/api/v1/aca/ca-certificates")).build()).body();
        String caB = AgwAgents.send(operator, HttpRequest.newBuilder(URI.create(urlB + "/api/v1/aca/ca-certificates")).build()).body();
        trust(operator, authorization, urlA, caB);
        trust(operator, authorization, urlB, caA);
        HttpResponse<String> added = AgwAgents.send(operator, HttpRequest.newBuilder(URI.create(urlA + "/api/v1/admin/agw/peers"))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + baseB + "\"}")).build());
        AgwAgents.expect(201, added, "POST /api/v1/admin/agw/peers at A");
        eventually("B ONLINE at A and A ONLINE at B", () -> online(operator, authorization, urlA) && online(operator, authorization, urlB));
    }

    private static void trust(HttpClient operator, String authorization, String url, String pem) throws Exception {
        HttpResponse<String> trusted = AgwAgents.send(operator, HttpRequest.newBuilder(URI.create(url + "/api/v1/admin/trust/ca-certificates"))
                .header("Authorization", authorization).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(pem)).build());
        AgwAgents.expect(201, trusted, "POST /api/v1/admin/trust/ca-certificates");
    }

    private static boolean online(HttpClient operator, String authorization, String url) {
        try {
            HttpResponse<String> response = AgwAgents.send(operator, HttpRequest.newBuilder(URI.create(url + "/api/v1/agw/peers"))
                    .header("Authorization", authorization).header("Accept", "application/json").build());
            if (response.statusCode() != 200) {
                return false;
            }
            JsonValue value = Json.createReader(new StringReader(response.body())).readValue();
            var items = value.getValueType() == JsonValue.ValueType.ARRAY ? value.asJsonArray() : value.asJsonObject().getJsonArray("items");
            return items.stream().map(JsonValue::asJsonObject).anyMatch(p -> "ONLINE".equals(p.getString("status", null)));
        } catch (Exception e) {
            return false;
        }
    }

    private static void routable(HttpClient operator, String authorization, String urlA, String agentId) {
        eventually("a route to the target at A", () -> {
            try {
                HttpResponse<String> response = AgwAgents.send(operator, HttpRequest.newBuilder(URI.create(urlA
                        + "/api/v1/agw/routes?agent=" + agentId)).header("Authorization", authorization).header("Accept", "application/json").build());
                if (response.statusCode() != 200) {
                    return false;
                }
                var items = Json.createReader(new StringReader(response.body())).readObject().getJsonArray("items");
                return !items.isEmpty() && items.getJsonObject(0).getBoolean("applicable", false);
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static void eventually(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within 180 s: " + what);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
