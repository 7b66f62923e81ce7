package org.agentnet.ars;

/** A record held for another origin, for anti-entropy: its ID, the origin seq applied last, and its status. */
public record RemoteRecord(String agentId, long originSeq, AgentStatus status) {
}
