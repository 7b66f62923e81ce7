package org.agentnet.node.diagnostics;

public enum RelayProbeState {
    /** On the relay queue, not yet settled. */
    SENT,
    /** Consumed by the relay consumer. */
    CONSUMED,
    /** Gave up after the queue's last redelivery; reached the dead-letter queue. */
    DEAD_LETTERED
}
