package org.agentnet.ars.sync;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.net.URI;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.agentnet.ars.RegisteredAgents;
import org.agentnet.ars.RemoteChange;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.node.NodeService;
import org.agentnet.security.CertifiedIdentity;
import org.agentnet.security.PeerClient;
import org.agentnet.security.PeerClient.PeerException;
import org.agentnet.security.PeerClient.PeerResponse;

/**
 * Pulls other ARSs' change feeds into this node's registry (draft 3.5; docs/ars.md
 * "Synchronization"): page by page from the last applied seq, and checks now and then that what
 * is held for a peer's origin still equals the peer's own digest, resynchronizing in full when it
 * does not (anti-entropy). Runs outside transactions: each page is applied in one of its own
 * ({@link PeerFeedApplier}) after the peer answered.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ArsSynchronizer {

    private static final Logger LOG = Logger.getLogger(ArsSynchronizer.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider();
    static final String FEED_PATH = "/api/v1/ars/changes";

    /** What one pull did. */
    public record PullResult(int pages, int changes, boolean caughtUp, String error) {
    }

    @EJB
    ArsPeers peers;

    @EJB
    PeerFeedApplier applier;

    @EJB
    RegisteredAgents agents;

    @EJB
    NodeService node;

    @Inject
    PeerClient client;

    @Inject
    SyncSettings settings;

    /** Applies the peer's changes since the last pull, at most {@code max-pages-per-pull} pages. */
    public PullResult pull(String peerId) {
        return pull(peerId, settings.maxPagesPerPull(), null);
    }

    /**
     * Reads the peer's whole feed again from its first change (which, compacted, holds every agent
     * of its origin once), then forgets the records of that origin the feed no longer holds.
     */
    public PullResult resync(String peerId) {
        applier.restart(peerId);
        Set<String> seen = new HashSet<>();
        PullResult result = pull(peerId, Integer.MAX_VALUE, seen);
        if (result.error() == null && result.caughtUp()) {
            peers.find(peerId).ifPresent(peer -> {
                int forgotten = applier.forgetAllBut(peer.nodeId(), seen);
                if (forgotten > 0) {
                    LOG.info(() -> "ARS peer " + peer.url() + ": full resync forgot " + forgotten + " agents it no longer has");
                }
            });
        }
        return result;
    }

    /**
     * Anti-entropy: when this node has applied the peer's feed up to the peer's latest seq, the
     * records held for the peer's origin must be exactly the entries of its feed (same count, same
     * sum of seqs). If not, a change was missed or lost: resynchronize in full.
     *
     * @return whether a resync was needed
     */
    public boolean checkConsistency(String peerId) {
        ArsPeer peer = peers.find(peerId).orElse(null);
        if (peer == null) {
            return false;
        }
        PullResult pulled = pull(peerId);
        if (pulled.error() != null || !pulled.caughtUp()) {
            return false; // not comparable now; the next check will tell
        }
        peer = peers.find(peerId).orElse(null);
        if (peer == null || peer.nodeId() == null) {
            return false;
        }
        JsonObject digest;
        try {
            digest = JSON.createReader(new StringReader(call(peer, URI.create(peer.url() + FEED_PATH + "/digest")).body())).readObject();
        } catch (RuntimeException e) {
            applier.failed(peerId, "digest: " + describe(e));
            return false;
        }
        if (!(digest.get("node") instanceof JsonString origin) || !origin.getString().equals(peer.nodeId())
                || !(digest.get("latest") instanceof JsonNumber latest) || latest.longValue() != peer.appliedSeq()
                || !(digest.get("count") instanceof JsonNumber count) || !(digest.get("seqSum") instanceof JsonNumber seqSum)) {
            return false; // the peer moved on (or became another node) since the pull: compare next time
        }
        RegisteredAgents.OriginDigest held = agents.digestOfOrigin(peer.nodeId());
        if (held.count() == count.longValue() && held.seqSum() == seqSum.longValue()) {
            return false;
        }
        String url = peer.url();
        LOG.warning(() -> "ARS peer " + url + ": holding " + held.count() + " agents (seq sum " + held.seqSum()
                + ") of its " + count.longValue() + " (" + seqSum.longValue() + "): resynchronizing in full");
        resync(peerId);
        return true;
    }

    private PullResult pull(String peerId, int maxPages, Set<String> seen) {
        int pages = 0;
        int changes = 0;
        int pageSize = settings.pageSize();
        while (pages < maxPages) {
            Optional<ArsPeer> found = peers.find(peerId);
            if (found.isEmpty()) {
                return new PullResult(pages, changes, false, "peer removed");
            }
            ArsPeer peer = found.get();
            long since = peer.appliedSeq();
            PeerFeed feed;
            try {
                feed = fetch(peer, since, pageSize);
            } catch (PeerException e) {
                if (e.failure() == PeerClient.Failure.ANSWER_TOO_LARGE && pageSize > 1) {
                    pageSize = Math.max(1, pageSize / 4); // large profiles: ask for fewer at a time
                    continue;
                }
                return failed(peer, pages, changes, describe(e));
            } catch (RuntimeException e) {
                return failed(peer, pages, changes, describe(e));
            }
            PeerFeedApplier.Outcome outcome;
            try {
                outcome = applier.apply(peerId, since, feed);
            } catch (EJBException | AgentnetException e) {
                outcome = applyOneByOne(peer, since, feed, e);
            }
            if (outcome == PeerFeedApplier.Outcome.GONE) {
                return new PullResult(pages, changes, false, "peer removed");
            }
            if (outcome == PeerFeedApplier.Outcome.MOVED_ON) {
                if (seen != null && peers.find(peerId).map(p -> p.appliedSeq() == 0).orElse(false)) {
                    seen.clear(); // started over (the peer is another node now): only this pass counts
                }
                continue;
            }
            pages++;
            changes += feed.changes().size();
            if (seen != null) {
                feed.changes().forEach(change -> seen.add(change.agentId()));
            }
            if (feed.caughtUp()) {
                return new PullResult(pages, changes, true, null);
            }
        }
        return new PullResult(pages, changes, false, null);
    }

    /** One change the registry refuses must not stop the rest: apply them one by one and report the refused. */
    private PeerFeedApplier.Outcome applyOneByOne(ArsPeer peer, long since, PeerFeed feed, RuntimeException pageFailure) {
        LOG.log(Level.WARNING, "ARS peer " + peer.url() + ": page after seq " + since
                + " refused as a whole, applying it change by change", pageFailure);
        StringBuilder refused = new StringBuilder();
        for (RemoteChange change : feed.changes()) {
            try {
                applier.applyOne(peer.id(), feed, change);
            } catch (EJBException | AgentnetException e) {
                refused.append(refused.isEmpty() ? "refused changes: " : "; ")
                        .append("seq ").append(change.seq()).append(" (agent ").append(change.agentId()).append("): ")
                        .append(describe(e));
            }
        }
        applier.advance(peer.id(), since, feed, refused.isEmpty() ? null : refused.toString());
        return PeerFeedApplier.Outcome.APPLIED;
    }

    private PeerFeed fetch(ArsPeer peer, long since, int limit) {
        PeerResponse response = call(peer, URI.create(peer.url() + FEED_PATH + "?since=" + since + "&limit=" + limit));
        PeerFeed feed = PeerFeed.parse(response.body());
        if (feed.node().equals(node.nodeId())) {
            throw new IllegalStateException("the peer at " + peer.url() + " is this node itself");
        }
        // a peer speaks for the agents of its own domain only: its certificate must say so
        String certifiedDomain = CertifiedIdentity.of(response.peerCertificate()).map(CertifiedIdentity::domain).orElse(null);
        if (!feed.domain().equalsIgnoreCase(String.valueOf(certifiedDomain))) {
            throw new IllegalStateException("the peer at " + peer.url() + " claims domain " + feed.domain()
                    + " but its certificate is of " + certifiedDomain);
        }
        return feed;
    }

    private PeerResponse call(ArsPeer peer, URI uri) {
        PeerResponse response = client.getJson(uri);
        if (response.status() != 200) {
            String body = response.body() == null ? "" : response.body();
            throw new IllegalStateException("GET " + uri.getPath() + " answered " + response.status() + ": "
                    + body.substring(0, Math.min(body.length(), 300)));
        }
        return response;
    }

    private PullResult failed(ArsPeer peer, int pages, int changes, String error) {
        LOG.warning(() -> "ARS peer " + peer.url() + ": " + error);
        applier.failed(peer.id(), error);
        return new PullResult(pages, changes, false, error);
    }

    private static String describe(Throwable e) {
        return PeerClient.describe(e);
    }
}
