package org.agentnet.agw.access;

import java.time.Instant;
import java.util.List;
import org.agentnet.ars.AgentAddress;
import org.agentnet.ars.Protocol;

/**
 * An agent's access record as the gateway answers it: who, reached where and how, the heartbeat
 * interval and hold time the gateway holds it to, and its heartbeat state.
 */
public record AccessView(String agentId, String agentUri, String certificateSerial, List<AgentAddress> addresses,
                         List<Protocol> protocols, int heartbeatInterval, int holdTime, HeartbeatState state,
                         String detail, Instant lastHeartbeat, Instant accessedAt, Instant updatedAt) {
}
