package org.agentnet.ars;

/**
 * Where an agent stands (draft 3.2.2, 3.3.1, 3.4.3). Discovery offers ONLINE agents by default and
 * OFFLINE ones on request; INAPPLICABLE agents (behind a peer gateway that went silent) are never
 * offered; DEREGISTERED is terminal and leaves the discoverable pool at once.
 */
public enum AgentStatus {
    ONLINE, OFFLINE, INAPPLICABLE, DEREGISTERED;

    /** Whether discovery may return agents in this status when asked for it. */
    public boolean discoverable() {
        return this == ONLINE || this == OFFLINE;
    }
}
