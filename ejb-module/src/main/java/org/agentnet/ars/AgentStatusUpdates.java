package org.agentnet.ars;

import jakarta.ejb.Local;

/**
 * The hook through which the gateway (heartbeats, peer hold timers; draft 3.3.1, 3.4.3) sets an
 * agent's status, with a reason; discovery reflects it once the change commits. ONLINE, OFFLINE
 * and INAPPLICABLE may be set; DEREGISTERED is reached only by deregistration and is terminal.
 * Setting the status an agent already has, with the same reason, changes nothing.
 */
@Local
public interface AgentStatusUpdates {

    /**
     * @return the agent as it now is
     * @throws org.agentnet.common.error.AgentnetException unknown-agent, agent-deregistered, or
     *         validation-failed for DEREGISTERED or a reason over 256 characters
     */
    Agent setStatus(String agentId, AgentStatus status, String reason);
}
