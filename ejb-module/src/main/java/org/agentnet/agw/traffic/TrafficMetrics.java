package org.agentnet.agw.traffic;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Traffic control's counters and gauges (MicroProfile Metrics, application registry; at
 * {@code /metrics?scope=application} as e.g. {@code agentnet_traffic_refused_total{kind="discovery"}}).
 * Never labelled by caller: a label per identity would grow without bound.
 */
@ApplicationScoped
public class TrafficMetrics {

    @Inject
    MetricRegistry registry;

    private final Map<TrafficControl.Kind, Counter> admitted = new EnumMap<>(TrafficControl.Kind.class);
    private final Map<TrafficControl.Kind, Counter> refused = new EnumMap<>(TrafficControl.Kind.class);
    private Counter deferred;
    private Counter rounds;
    private Counter roundFailures;

    @PostConstruct
    void register() {
        for (TrafficControl.Kind kind : TrafficControl.Kind.values()) {
            Tag tag = new Tag("kind", kind.key());
            admitted.put(kind, registry.counter(Metadata.builder().withName("agentnet.traffic.admitted")
                    .withDescription("Requests traffic control admitted under a limit").build(), tag));
            refused.put(kind, registry.counter(Metadata.builder().withName("agentnet.traffic.refused")
                    .withDescription("Requests traffic control refused (429)").build(), tag));
        }
        deferred = registry.counter(Metadata.builder().withName("agentnet.traffic.deliveries.deferred")
                .withDescription("Deliveries put back on the queue because their target agent was at its cap of concurrent deliveries").build());
        rounds = registry.counter(Metadata.builder().withName("agentnet.traffic.sync.rounds")
                .withDescription("Synchronizations of the token buckets with the shared database").build());
        roundFailures = registry.counter(Metadata.builder().withName("agentnet.traffic.sync.failures")
                .withDescription("Synchronizations of the token buckets that failed").build());
    }

    void counted(TrafficControl.Kind kind, boolean wasAdmitted) {
        (wasAdmitted ? admitted : refused).get(kind).inc();
    }

    void deferred() {
        deferred.inc();
    }

    void round(boolean succeeded) {
        (succeeded ? rounds : roundFailures).inc();
    }

    void gauge(String name, String description, Supplier<? extends Number> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(), value::get);
    }
}
