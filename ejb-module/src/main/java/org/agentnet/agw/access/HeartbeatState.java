package org.agentnet.agw.access;

import org.agentnet.ars.AgentStatus;

/**
 * Where an accessed agent stands at the gateway (draft 3.3.1): the status its last heartbeat
 * reported ("running normally" = RUNNING, "temporarily offline" = TEMPORARILY_OFFLINE), or SILENT
 * when no heartbeat came within the hold time. Only RUNNING is ONLINE in the ARS.
 */
public enum HeartbeatState {
    RUNNING, TEMPORARILY_OFFLINE, SILENT;

    public AgentStatus arsStatus() {
        return this == RUNNING ? AgentStatus.ONLINE : AgentStatus.OFFLINE;
    }
}
