package org.agentnet.agw.peering;

import java.net.URI;
import java.util.Collection;
import java.util.Optional;

/**
 * What routing and relay forwarding (draft 3.4.4) need to know of the peer gateways (3.4.1, 3.4.3):
 * through which peer an agent of another origin is reached, and which peer a gateway certificate
 * on an incoming relay belongs to. Implemented by the peering component (one application-scoped
 * bean); relay code injects it as {@code Instance<PeerGateways>} so it works before peering exists.
 */
public interface PeerGateways {

    /**
     * The peer gateway that advertised the agents of an ARS origin node (the origin recorded on
     * remote agents, {@code Agent.origin()}), if that node is a peer of this gateway, any status.
     */
    Optional<PeerHop> hopForOrigin(String originNode);

    /** The peer whose gateway certificate names this agw:// URI, if it is a peer, any status. */
    Optional<PeerHop> peerByGatewayUri(String gatewayUri);

    /**
     * Every established peer (identified by a handshake, not disconnected), any status: access
     * control admits the domains of these whose peering agreement allows it (org.agentnet.agw.policy).
     */
    Collection<PeerHop> hops();

    /**
     * One neighbor: its peer ID at this gateway, its domain, its node ID (the origin of the agents
     * it advertises), the base URL of its node ({@code https://host:port}, the relay endpoint is
     * {@code <baseUrl>/api/v1/agw/relay}), and whether it is up (heartbeats within its hold time).
     */
    record PeerHop(String peerId, String domain, String nodeId, String gatewayUri, URI baseUrl, boolean online) {
    }
}
