package org.agentnet.agw.peering;

/**
 * Fired (CDI event) in the transaction that changed a peer: its routing view after the change
 * ({@code hop} null when it is not routable: not identified yet, disconnected or removed).
 * {@link PeerDirectory} applies it once the transaction committed.
 */
record PeerChanged(String peerId, PeerGateways.PeerHop hop) {
}
