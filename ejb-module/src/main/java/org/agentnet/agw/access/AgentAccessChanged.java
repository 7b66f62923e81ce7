package org.agentnet.agw.access;

import java.time.Instant;
import org.agentnet.ars.AgentStatus;

/**
 * Fired (CDI event) whenever an agent's standing at this gateway changes: it accessed (or accessed
 * again), it withdrew (deregistration from the gateway), or its status changed by a heartbeat or
 * the sweep. The one place where advertising to peer AGWs (draft 3.3.1, 3.4.2) plugs in: observe it
 * {@code AFTER_SUCCESS}. ACCESSED and WITHDRAWN are fired in the request's transaction; STATUS is
 * fired after the ARS status change committed.
 */
public record AgentAccessChanged(Kind kind, String agentId, String agentUri, AgentStatus status, String reason,
                                 Instant at, AccessView access) {

    public enum Kind { ACCESSED, WITHDRAWN, STATUS }
}
