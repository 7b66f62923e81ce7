package org.agentnet.agw.peering;

/**
 * Where a neighbor gateway stands (draft 3.4.1, 3.4.3): PENDING until a handshake succeeded,
 * ONLINE while it is heard from within its hold time, OFFLINE when it went silent (its agents are
 * INAPPLICABLE), DISCONNECTED once this node's operator removed it (kept only to refuse its
 * handshakes until an operator adds it again; not listed, not routed to).
 */
public enum PeerStatus {
    PENDING, ONLINE, OFFLINE, DISCONNECTED
}
