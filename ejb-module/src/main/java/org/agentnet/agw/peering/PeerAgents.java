package org.agentnet.agw.peering;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.agentnet.ars.Agent;
import org.agentnet.ars.AgentRegistry;
import org.agentnet.ars.AgentStatus;
import org.agentnet.ars.ChangeKind;
import org.agentnet.ars.RemoteChange;
import org.agentnet.ars.RemoteRecord;
import org.agentnet.common.error.AgentnetException;

/**
 * What peering does to the agents of a peer's origin in the ARS, each step its own transaction:
 * apply a page of its summaries (with the peer's new position, all or nothing), apply one change
 * alone (the way past a change the registry refuses), and set them INAPPLICABLE when the peer went
 * silent (3.4.3), a page at a time.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class PeerAgents {

    private static final Logger LOG = Logger.getLogger(PeerAgents.class.getName());
    static final int INAPPLICABLE_PAGE = 500;

    @EJB
    AgwPeers peers;

    @EJB
    AgentRegistry registry;

    @EJB
    org.agentnet.ars.ChangeLog changes;

    @EJB
    org.agentnet.node.NodeService node;

    @Inject
    ResyncTracker tracker;

    /**
     * Applies a page of the peer's summaries and moves its position, when the page follows on what
     * is applied (otherwise the answer asks for the changes from the applied seq, nothing applied).
     */
    public PeeringProtocol.Ack apply(String peerId, PeeringProtocol.Resources page) {
        AgwPeer peer = peers.findForUpdate(peerId).orElse(null);
        if (peer == null || peer.nodeId() == null || peer.status() == PeerStatus.DISCONNECTED) {
            throw new AgentnetException(org.agentnet.common.error.ProblemType.UNKNOWN_PEER, "no peer gateway " + peerId);
        }
        if (page.since() > peer.appliedSeq()) {
            return new PeeringProtocol.Ack(node.nodeId(), peer.appliedSeq(), changes.latest(), true);
        }
        int restored = 0;
        for (RemoteChange change : page.changes()) {
            restored += applyChange(peer, change) ? 1 : 0;
        }
        if (restored > 0) {
            int count = restored;
            LOG.info(() -> "peer gateway " + peer.url() + ": restored the status of " + count + " INAPPLICABLE agents");
        }
        return advance(peer, page);
    }

    /** Applies one change alone (its own transaction). */
    public void applyOne(String peerId, RemoteChange change) {
        AgwPeer peer = peers.find(peerId).orElseThrow();
        applyChange(peer, change);
    }

    /** Moves the peer's position past a page whose changes were applied one by one. */
    public PeeringProtocol.Ack advance(String peerId, PeeringProtocol.Resources page, String refused) {
        AgwPeer peer = peers.findForUpdate(peerId).orElseThrow();
        if (page.since() > peer.appliedSeq()) {
            return new PeeringProtocol.Ack(node.nodeId(), peer.appliedSeq(), changes.latest(), true);
        }
        if (refused != null) {
            peer.failed(refused);
        }
        return advance(peer, page);
    }

    /**
     * Sets a page of the origin's agents INAPPLICABLE (those ONLINE or OFFLINE), by ID after
     * {@code afterId}, while the peer is still OFFLINE; null when there are no more (or it is back).
     */
    public String markInapplicable(String peerId, String originNode, String afterId, String reason) {
        // the peer's row is locked: a recovery (and the resynchronization that restores the agents) waits, or came first
        boolean offline = peers.findForUpdate(peerId).map(p -> p.status() == PeerStatus.OFFLINE && originNode.equals(p.nodeId()))
                .orElse(false);
        if (!offline) {
            return null;
        }
        List<RemoteRecord> page = registry.remoteRecords(originNode, afterId, INAPPLICABLE_PAGE);
        for (RemoteRecord record : page) {
            if (record.status() == AgentStatus.ONLINE || record.status() == AgentStatus.OFFLINE) {
                registry.setStatus(record.agentId(), AgentStatus.INAPPLICABLE, reason);
            }
        }
        return page.size() < INAPPLICABLE_PAGE ? null : page.get(page.size() - 1).agentId();
    }

    private PeeringProtocol.Ack advance(AgwPeer peer, PeeringProtocol.Resources page) {
        peer.applied(Math.max(peer.appliedSeq(), page.next()), page.latest());
        Set<String> fullPass = tracker.page(peer.id(), page.since(), page.complete(),
                page.changes().stream().map(RemoteChange::agentId).toList());
        if (fullPass != null) {
            int forgotten = registry.forgetRemote(peer.nodeId(), fullPass);
            if (forgotten > 0) {
                LOG.info(() -> "peer gateway " + peer.url() + ": full resync forgot " + forgotten + " agents it no longer has");
            }
        }
        return new PeeringProtocol.Ack(node.nodeId(), peer.appliedSeq(), changes.latest(), false);
    }

    /**
     * One summary into the ARS, as the origin's own change ({@code originSeq} is the peer's seq,
     * the same whether it came by ARS or AGW synchronization). A summary the record already holds
     * (STALE) still restores the real status of an agent made INAPPLICABLE while its peer was silent.
     */
    private boolean applyChange(AgwPeer peer, RemoteChange change) {
        RemoteChange summary = new RemoteChange(change.seq(), change.kind(), change.agentId(), change.time(),
                PeeringProtocol.summary(change.profile()));
        AgentRegistry.RemoteOutcome outcome = registry.applyRemote(peer.nodeId(), peer.domain(), peer.url(), summary);
        if (outcome == AgentRegistry.RemoteOutcome.STALE && change.kind() != ChangeKind.DEREGISTERED) {
            Agent held = registry.get(change.agentId());
            AgentStatus real = status(summary);
            if (held.status() == AgentStatus.INAPPLICABLE && real != null && real != AgentStatus.INAPPLICABLE
                    && real != AgentStatus.DEREGISTERED && peer.status() == PeerStatus.ONLINE) {
                registry.setStatus(change.agentId(), real, summary.profile().getString("statusReason", null));
                return true;
            }
            LOG.fine(() -> "peer gateway " + peer.url() + ": agent " + change.agentId() + " already held at seq " + change.seq()
                    + " (" + held.status() + ", summary " + real + ")");
        }
        return false;
    }

    private static AgentStatus status(RemoteChange change) {
        try {
            String status = change.profile().getString("status", null);
            return status == null ? null : AgentStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
