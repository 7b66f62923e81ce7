package org.agentnet.node.diagnostics;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An operator's probe of the relay path: a message put on the relay queue that the consumer
 * settles. {@code failDeliveries} makes the consumer refuse that many deliveries first, which
 * proves redelivery and, past the queue's limit, dead-lettering.
 */
@Entity
@Table(name = "relay_probe")
public class RelayProbe {

    public static final int MAX_FAIL_DELIVERIES = 20;

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Column(name = "requested_at", nullable = false)
    private Instant requestedAt;

    @Column(name = "requested_by", nullable = false, length = 128)
    private String requestedBy;

    @Column(name = "fail_deliveries", nullable = false)
    private int failDeliveries;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false, length = 16)
    private RelayProbeState state;

    @Column(name = "delivery_attempts", nullable = false)
    private int deliveryAttempts;

    @Column(name = "settled_at")
    private Instant settledAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected RelayProbe() {
        // JPA
    }

    public RelayProbe(Instant requestedAt, String requestedBy, int failDeliveries) {
        if (failDeliveries < 0 || failDeliveries > MAX_FAIL_DELIVERIES) {
            throw new IllegalArgumentException("failDeliveries must be between 0 and " + MAX_FAIL_DELIVERIES);
        }
        this.id = UUID.randomUUID().toString();
        this.requestedAt = Objects.requireNonNull(requestedAt);
        this.requestedBy = Objects.requireNonNull(requestedBy);
        this.failDeliveries = failDeliveries;
        this.state = RelayProbeState.SENT;
    }

    /** Whether the consumer should refuse this delivery (to exercise redelivery). */
    boolean refuses(int deliveryCount) {
        return deliveryCount <= failDeliveries;
    }

    /** Settles the probe on a delivery; later duplicates of the same message change nothing. */
    void consumed(Instant at, int deliveryCount) {
        if (state != RelayProbeState.SENT) {
            return;
        }
        state = RelayProbeState.CONSUMED;
        deliveryAttempts = deliveryCount;
        settledAt = at;
    }

    void deadLettered(Instant at) {
        if (state != RelayProbeState.SENT) {
            return;
        }
        state = RelayProbeState.DEAD_LETTERED;
        settledAt = at;
    }

    public String id() {
        return id;
    }

    public Instant requestedAt() {
        return requestedAt;
    }

    public String requestedBy() {
        return requestedBy;
    }

    public int failDeliveries() {
        return failDeliveries;
    }

    public RelayProbeState state() {
        return state;
    }

    public int deliveryAttempts() {
        return deliveryAttempts;
    }

    public Instant settledAt() {
        return settledAt;
    }
}
