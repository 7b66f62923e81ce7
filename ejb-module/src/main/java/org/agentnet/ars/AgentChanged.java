package org.agentnet.ars;

/**
 * Fired (CDI event) with the new state of an agent in the transaction that changed it; discovery's
 * index applies it once that transaction has committed ({@code AFTER_SUCCESS}), never before.
 */
public record AgentChanged(Agent agent) {
}
