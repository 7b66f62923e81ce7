package org.agentnet.agw.routing;

import java.net.URI;
import org.agentnet.ars.AgentStatus;

/**
 * One entry of the routing table (draft 3.4.4): how this gateway reaches an agent. LOCAL: the agent
 * accessed this gateway, messages are delivered here, by PUSH (an HTTP POST to its HTTP address) or
 * PULL (its inbox). PEER: the agent is of another origin, reached through the peer gateway that
 * advertised it ({@code peerId}, {@code nextHop} its base URL). {@code applicable} says whether
 * messages are accepted for it now; {@code reason} says why not.
 */
public record Route(String agentId, String agentUri, String domain, AgentStatus agentStatus, Kind kind, Delivery delivery,
                    URI pushAddress, String peerId, String peerDomain, String peerGatewayUri, URI nextHop,
                    boolean applicable, String reason) {

    public enum Kind { LOCAL, PEER }

    /** How a LOCAL agent receives messages. */
    public enum Delivery { PUSH, PULL }

    public boolean isLocal() {
        return kind == Kind.LOCAL;
    }
}
