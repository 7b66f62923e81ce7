package org.agentnet.agw.policy;

import org.agentnet.ars.Agent;
import org.agentnet.ars.AgentProfile;

/**
 * The agent acted on, as policies see it: its ARS ID, certificate URI, domain, and profile (its
 * skills are the capabilities policies name; null when not known, then no capability matches).
 */
public record Target(String id, String uri, String domain, AgentProfile profile) {

    public static Target of(Agent agent) {
        return new Target(agent.id(), agent.agentUri(), agent.domain(), agent.profile());
    }
}
