package org.agentnet.ars;

import java.time.Instant;

/**
 * A registered agent as discovery, the API and the change feed see it: an immutable snapshot of
 * one record. {@code origin} is the node ID of the ARS where it registered; {@code local} when that
 * is this node. Agents of another origin carry their domain's gateway address and no private
 * addresses. {@code revision} grows with every change (the ETag of the profile).
 */
public record Agent(String id, String origin, boolean local, String domain, String agentUri, AgentStatus status,
                    String statusReason, AgentProfile profile, String gatewayAddress, Instant registeredAt,
                    Instant updatedAt, long revision) {
}
