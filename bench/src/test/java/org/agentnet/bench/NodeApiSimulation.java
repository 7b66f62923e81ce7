package org.agentnet.bench;

import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The platform baseline: the node's description ({@code GET /api/v1/node}), the cheapest request of
 * the API, over plain HTTP and over HTTPS. Every other benchmark row is divided by the HTTP row
 * ({@link BenchConfig#BASELINE_ROW}).
 */
public class NodeApiSimulation extends BenchSimulation {

    {
        setUpRows(
                row(BenchConfig.BASELINE_ROW, httpProtocol(),
                        name -> http(name).get("/api/v1/node").check(status().is(200))),
                row(BenchConfig.BASELINE_HTTPS_ROW, httpsProtocol(),
                        name -> http(name).get("/api/v1/node").check(status().is(200))));
    }
}
