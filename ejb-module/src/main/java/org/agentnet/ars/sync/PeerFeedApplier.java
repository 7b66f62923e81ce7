package org.agentnet.ars.sync;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Set;
import java.util.logging.Logger;
import org.agentnet.ars.AgentRegistry;
import org.agentnet.ars.RemoteChange;

/**
 * The database side of synchronization, each step its own transaction: a fetched page of a peer's
 * feed is applied together with the peer's new position (all or nothing), and only if no other
 * pull of that peer got there first. Network calls happen outside these transactions
 * ({@link ArsSynchronizer}), so no lock is held while a peer answers.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class PeerFeedApplier {

    private static final Logger LOG = Logger.getLogger(PeerFeedApplier.class.getName());

    /** What became of a page. */
    public enum Outcome { APPLIED, MOVED_ON, GONE }

    @EJB
    ArsPeers peers;

    @EJB
    AgentRegistry registry;

    @Inject
    Clock clock;

    /**
     * Applies a page fetched from {@code since}. A peer that now answers as another node (it lost
     * its database, or the URL now points elsewhere) loses the records of its former origin and
     * starts over from seq 0 (MOVED_ON: fetch again).
     */
    public Outcome apply(String peerId, long since, PeerFeed feed) {
        ArsPeer peer = peers.findForUpdate(peerId).orElse(null);
        if (peer == null) {
            return Outcome.GONE;
        }
        if (peer.appliedSeq() != since) {
            return Outcome.MOVED_ON; // another pull of this peer applied it meanwhile
        }
        if (peer.nodeId() != null && !peer.nodeId().equals(feed.node())) {
            int forgotten = registry.forgetRemote(peer.nodeId(), Set.of());
            LOG.warning(() -> "ARS peer " + peer.url() + " is now node " + feed.node() + ", was " + peer.nodeId()
                    + ": forgot its " + forgotten + " agents and resynchronizes in full");
            peer.identify(feed.node(), feed.domain(), gatewayOf(peer, feed));
            peer.restartFromScratch();
            return Outcome.MOVED_ON;
        }
        peer.identify(feed.node(), feed.domain(), gatewayOf(peer, feed));
        for (RemoteChange change : feed.changes()) {
            registry.applyRemote(feed.node(), feed.domain(), peer.gatewayAddress(), change);
        }
        peer.applied(feed.next(), feed.latest(), clock.instant());
        return Outcome.APPLIED;
    }

    /** Applies one change alone: the way past a page that holds a change this node refuses. */
    public void applyOne(String peerId, PeerFeed feed, RemoteChange change) {
        ArsPeer peer = peers.find(peerId).orElseThrow();
        registry.applyRemote(feed.node(), feed.domain(), gatewayOf(peer, feed), change);
    }

    /** Moves the peer's position past a page whose changes were applied one by one. */
    public void advance(String peerId, long since, PeerFeed feed, String skipped) {
        peers.findForUpdate(peerId).filter(p -> p.appliedSeq() == since).ifPresent(peer -> {
            peer.identify(feed.node(), feed.domain(), gatewayOf(peer, feed));
            peer.applied(feed.next(), feed.latest(), clock.instant());
            if (skipped != null) {
                peer.failed(skipped, clock.instant());
            }
        });
    }

    public void failed(String peerId, String error) {
        peers.findForUpdate(peerId).ifPresent(peer -> peer.failed(error, clock.instant()));
    }

    /** Starts a full resynchronization: the peer's feed is read again from its first change. */
    public void restart(String peerId) {
        peers.findForUpdate(peerId).ifPresent(ArsPeer::restartFromScratch);
    }

    /** Forgets the records of the peer's origin that its full feed no longer holds. */
    public int forgetAllBut(String originNode, Set<String> keep) {
        return registry.forgetRemote(originNode, keep);
    }

    private static String gatewayOf(ArsPeer peer, PeerFeed feed) {
        // the origin names its domain's gateway; a node that does not is the gateway of its domain itself
        return feed.gateway() != null ? feed.gateway() : peer.url();
    }
}
