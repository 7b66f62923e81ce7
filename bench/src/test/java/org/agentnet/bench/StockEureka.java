package org.agentnet.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.agentnet.bench.load.KeepAliveLoad;

/**
 * The stock Eureka server that bench/run.sh starts beside the node for the heartbeat benchmark
 * (bench/eureka): its registry filled with as many instances as the node holds accessed agents,
 * and the renewal an instance's Eureka client sends every 30 s
 * ({@code PUT /eureka/apps/{app}/{instance}?status=UP&lastDirtyTimestamp=...}, answered 200).
 */
final class StockEureka {

    /** Instances per application: 100,000 instances are 1,000 applications. */
    static final int INSTANCES_PER_APP = 100;

    record Instance(String app, String id, long lastDirtyTimestamp) {
    }

    private StockEureka() {
    }

    static Instance instance(int n, long lastDirtyTimestamp) {
        return new Instance("BENCH-APP-" + n / INSTANCES_PER_APP, "bench-instance-" + n, lastDirtyTimestamp);
    }

    /** Registers instances 0 to count - 1 as Eureka's client does ({@code POST /eureka/apps/{app}}, 204), on a few threads. */
    static List<Instance> register(int port, int count) {
        long dirty = System.currentTimeMillis();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                work.add(pool.submit(() -> {
                    for (int n = first; n < count; n += threads) {
                        Instance instance = instance(n, dirty);
                        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/eureka/apps/" + instance.app()))
                                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body(instance))).build();
                        HttpResponse<String> response;
                        try {
                            response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        } catch (java.io.IOException e) {
                            // Tomcat ends a keep-alive connection after 100 requests; the JDK client may have sent
                            // on it just then. A registration may be repeated (the same instance again).
                            response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        }
                        if (response.statusCode() != 204) {
                            throw new IllegalStateException("Eureka refused the registration of " + instance.id() + ": "
                                    + response.statusCode() + " " + response.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not fill the Eureka registry: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<Instance> instances = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            instances.add(instance(n, dirty));
        }
        return instances;
    }

    /** A Eureka client's registration document (JSON) of the instance, with Eureka's default lease (30 s, 90 s). */
    static String body(Instance instance) {
        return "{\"instance\":{\"instanceId\":\"" + instance.id() + "\",\"hostName\":\"localhost\",\"app\":\"" + instance.app()
                + "\",\"ipAddr\":\"127.0.0.1\",\"status\":\"UP\",\"overriddenStatus\":\"UNKNOWN\","
                + "\"port\":{\"$\":8080,\"@enabled\":\"true\"},\"securePort\":{\"$\":443,\"@enabled\":\"false\"},"
                + "\"countryId\":1,\"dataCenterInfo\":{\"@class\":\"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo\",\"name\":\"MyOwn\"},"
                + "\"leaseInfo\":{\"renewalIntervalInSecs\":30,\"durationInSecs\":90},"
                + "\"vipAddress\":\"" + instance.app().toLowerCase(java.util.Locale.ROOT) + "\","
                + "\"lastDirtyTimestamp\":\"" + instance.lastDirtyTimestamp() + "\"}}";
    }

    /** The renewal of the instance as Eureka's client sends it, over plain HTTP (Eureka's renewals carry no credentials). */
    static KeepAliveLoad.Connection renewal(int port, Instance instance) {
        return new KeepAliveLoad.Connection(null, KeepAliveLoad.Connection.request("PUT", renewalPath(instance), "127.0.0.1:" + port,
                null, "Accept: application/json", "Content-Length: 0"), 200);
    }

    /** The path and query of the instance's renewal ({@code PUT}, no body). */
    static String renewalPath(Instance instance) {
        return "/eureka/apps/" + instance.app() + "/" + instance.id() + "?status=UP&lastDirtyTimestamp=" + instance.lastDirtyTimestamp();
    }
}
