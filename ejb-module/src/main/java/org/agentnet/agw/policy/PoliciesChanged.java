package org.agentnet.agw.policy;

/**
 * Fired (CDI event) in the transaction that changed a policy or a peering agreement;
 * {@link PolicySnapshots} reloads once it committed (other nodes notice by the change counter).
 */
public record PoliciesChanged(String what) {
}
