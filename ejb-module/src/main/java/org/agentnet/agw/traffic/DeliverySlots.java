package org.agentnet.agw.traffic;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/**
 * The cap on concurrent deliveries per target agent (docs/agw.md "Traffic control"), so that a
 * popular agent is not crushed by the relay's consumers all pushing to it at once: a delivery
 * takes a slot of its target before it pushes and gives it back after; when the target has
 * {@code agentnet.agw.limits.delivery.concurrency} deliveries in progress, the delivery waits
 * ({@link #waitFor()}) and is tried again, not counted as a try, never failed for it.
 * The cap holds per node.
 */
@ApplicationScoped
public class DeliverySlots {

    @Inject
    LimitSettings settings;

    @Inject
    TrafficMetrics metrics;

    private final DeliveryCaps caps = new DeliveryCaps();

    /** A slot taken (target null: no cap applies); closing it gives it back. */
    public final class Slot implements AutoCloseable {
        private final String target;
        private boolean released;

        private Slot(String target) {
            this.target = target;
        }

        @Override
        public void close() {
            if (!released && target != null) {
                caps.release(target);
            }
            released = true;
        }
    }

    @PostConstruct
    void register() {
        metrics.gauge("agentnet.traffic.deliveries.active", "Deliveries to agents in progress on this node", caps::total);
    }

    /**
     * A slot for a delivery to the agent {@code targetId} (its agent URI names its domain and
     * organization, whose caps apply); empty when the agent has its cap of deliveries in progress.
     */
    public Optional<Slot> tryAcquire(String targetId, String targetUri) {
        if (!settings.enabled()) {
            return Optional.of(new Slot(null));
        }
        String[] scope = LimitRules.domainAndOrganization(targetUri);
        int cap = settings.rules().deliveryConcurrency(scope[0], scope[1]);
        if (caps.tryAcquire(targetId, cap)) {
            return Optional.of(new Slot(targetId));
        }
        metrics.deferred();
        return Optional.empty();
    }

    /** How long a delivery that found no slot waits before it is tried again. */
    public Duration waitFor() {
        return settings.deliveryWait();
    }
}
