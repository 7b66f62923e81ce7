package org.agentnet.bench.eureka;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;

/**
 * A stock Eureka server: Spring Cloud Netflix's, with its defaults but for what a standalone server
 * needs (application.properties: no peers, it does not register with itself). The heartbeat
 * benchmark renews leases here and heartbeats at the node with the same load generator.
 */
@SpringBootApplication
@EnableEurekaServer
public class StockEurekaServer {

    public static void main(String[] args) {
        SpringApplication.run(StockEurekaServer.class, args);
    }
}
