package org.agentnet.ars;

import jakarta.json.JsonObject;
import java.time.Instant;

/**
 * One entry of another ARS's change feed, as {@code GET /api/v1/ars/changes} writes it: the
 * origin's seq, the kind, the agent, when, and the agent's full view (for a deregistration, its
 * last state).
 */
public record RemoteChange(long seq, ChangeKind kind, String agentId, Instant time, JsonObject profile) {
}
