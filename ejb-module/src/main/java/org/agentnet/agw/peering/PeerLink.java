package org.agentnet.agw.peering;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.spi.JsonProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.agentnet.ars.ChangeEntry;
import org.agentnet.ars.ChangeLog;
import org.agentnet.ars.ProfileJson;
import org.agentnet.node.NodeService;
import org.agentnet.security.CertifiedIdentity;
import org.agentnet.security.PeerClient;
import org.agentnet.security.PeerClient.PeerResponse;

/**
 * This gateway's calls to its peers (draft 3.4.1-3.4.3), over mutual TLS with the node's gateway
 * certificate ({@link PeerClient}): the handshake, heartbeats, pushing its agent summaries, and
 * telling a peer it was disconnected. No transaction is open while a peer answers; what the
 * answer means is recorded by {@link PeeringService}, each step its own transaction.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class PeerLink {

    private static final Logger LOG = Logger.getLogger(PeerLink.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider();
    /** Largest request body of a page of summaries: well within a peer's request limit (1 MB by default). */
    static final int MAX_PAGE_CHARS = 400_000;
    /** Pages sent in one push before the next peer gets its turn; the rest follows at the next trigger or heartbeat. */
    static final int MAX_PAGES_PER_PUSH = 200;

    @EJB
    PeeringService service;

    @EJB
    ChangeLog changes;

    @EJB
    NodeService node;

    @Inject
    PeerClient client;

    @Inject
    PeeringSettings settings;

    @Inject
    PeerDirectory directory;

    /** A handshake received: recorded under the identification lock (both sides may start at once). */
    public PeeringProtocol.Hello accept(CertifiedIdentity caller, PeeringProtocol.Hello hello) {
        directory.identification().lock();
        try {
            return service.accept(caller, hello);
        } finally {
            directory.identification().unlock();
        }
    }

    /** Sends this gateway's handshake to the peer and records its answer; whether the peering is established. */
    public boolean handshake(String peerId) {
        AgwPeer peer = service.find(peerId).orElse(null);
        if (peer == null || peer.status() == PeerStatus.DISCONNECTED) {
            return false;
        }
        PeeringProtocol.Hello hello = service.ownHello(peer.id(), peer.appliedSeq(), null);
        try {
            PeerResponse response = client.postJson(URI.create(peer.url() + PeeringProtocol.PEERS_PATH), hello.toJson().toString());
            if (response.status() != 200 && response.status() != 201) {
                return failed(peerId, "handshake refused: " + answer(response));
            }
            PeeringProtocol.Hello answer = PeeringProtocol.Hello.parse(response.body());
            CertifiedIdentity server = CertifiedIdentity.of(response.peerCertificate()).orElse(null);
            boolean recorded;
            directory.identification().lock();
            try {
                recorded = service.answered(peerId, answer, server);
            } finally {
                directory.identification().unlock();
            }
            if (recorded) {
                LOG.info(() -> "peered with gateway " + answer.agwId() + " of " + answer.domain() + " at " + peer.url()
                        + " (" + answer.protocol() + ")");
            }
            return recorded;
        } catch (RuntimeException e) {
            return failed(peerId, "handshake: " + describe(e));
        }
    }

    /** Handshakes with a peer not established yet; whether it is established now. */
    public boolean handshakeIfNeeded(String peerId) {
        AgwPeer peer = service.find(peerId).orElse(null);
        if (peer == null || peer.status() == PeerStatus.DISCONNECTED) {
            return false;
        }
        return established(peer) || handshake(peerId);
    }

    /**
     * One heartbeat to the peer (3.4.3), or the handshake when the peering is not established.
     * Whether the peer misses summaries: they are sent by {@link PeerTasks}, one push at a time per peer.
     */
    public boolean beat(String peerId) {
        AgwPeer peer = service.find(peerId).orElse(null);
        if (peer == null || peer.status() == PeerStatus.DISCONNECTED) {
            return false;
        }
        if (!established(peer)) {
            return handshake(peerId);
        }
        ChangeLog.Digest digest = changes.digest();
        PeeringProtocol.Beat beat = new PeeringProtocol.Beat(node.nodeId(), (int) settings.heartbeatInterval().toSeconds(),
                digest.latest(), peer.appliedSeq(), digest.count(), digest.seqSum());
        try {
            PeerResponse response = client.putJson(peerUri(peer, "/heartbeat"), beat.toJson().toString());
            if (response.status() == 404) {
                service.forgotten(peerId, "heartbeat: " + answer(response));
                return handshake(peerId);
            }
            if (response.status() != 200) {
                return failed(peerId, "heartbeat refused: " + answer(response));
            }
            PeeringProtocol.Ack ack = PeeringProtocol.Ack.parse(response.body());
            service.acked(peerId, ack);
            return ack.appliedSeq() < digest.latest();
        } catch (RuntimeException e) {
            return failed(peerId, "heartbeat: " + describe(e));
        }
    }

    /**
     * Sends the peer this node's summaries after what it acknowledged, page by page, until it has
     * all of them (3.4.2). Nothing is lost: the position moves only by the peer's acknowledgement,
     * so a failed page is sent again by the next push (a trigger, or the next heartbeat).
     */
    public void push(String peerId) {
        for (int pages = 0; pages < MAX_PAGES_PER_PUSH; pages++) {
            AgwPeer peer = service.find(peerId).orElse(null);
            if (peer == null || peer.status() == PeerStatus.DISCONNECTED || !established(peer)) {
                return;
            }
            long since = peer.sentSeq();
            ChangeLog.Page page = changes.page(since, settings.pageSize());
            if (page.changes().isEmpty() && since >= page.latest()) {
                return; // the peer has everything
            }
            String body = pageBody(since, page);
            try {
                PeerResponse response = client.postJson(peerUri(peer, "/resources"), body);
                if (response.status() == 404) {
                    service.forgotten(peerId, "resources: " + answer(response));
                    return; // the next heartbeat handshakes
                }
                if (response.status() != 200) {
                    failed(peerId, "resources refused: " + answer(response));
                    return;
                }
                PeeringProtocol.Ack ack = PeeringProtocol.Ack.parse(response.body());
                service.acked(peerId, ack);
                if (!ack.resync() && ack.appliedSeq() >= page.latest()) {
                    return;
                }
                if (!ack.resync() && ack.appliedSeq() <= since) {
                    failed(peerId, "resources: the peer applied nothing after seq " + since);
                    return;
                }
            } catch (RuntimeException e) {
                failed(peerId, "resources: " + describe(e));
                return;
            }
        }
    }

    /** Tells a peer that this node's operator disconnected it (best effort: it also learns by a 404). */
    public void farewell(PeeringService.Farewell farewell) {
        if (farewell == null) {
            return;
        }
        try {
            PeerResponse response = client.delete(URI.create(farewell.url() + PeeringProtocol.PEERS_PATH + "/"
                    + URLEncoder.encode(farewell.remoteId(), StandardCharsets.UTF_8)));
            if (response.status() != 204 && response.status() != 404) {
                LOG.info(() -> "peer gateway " + farewell.url() + " answered " + answer(response) + " to its disconnection");
            }
        } catch (RuntimeException e) {
            LOG.info(() -> "peer gateway " + farewell.url() + " not told of its disconnection: " + describe(e));
        }
    }

    /** The body of a page: the feed's entries after {@code since}, as summaries, bounded in size. */
    String pageBody(long since, ChangeLog.Page page) {
        JsonArrayBuilder items = JSON.createArrayBuilder();
        int chars = 0;
        long next = since;
        List<ChangeEntry> entries = page.changes();
        for (ChangeEntry entry : entries) {
            var item = JSON.createObjectBuilder().add("seq", entry.seq()).add("kind", entry.kind().name())
                    .add("agentId", entry.agentId()).add("time", entry.changedAt().toString())
                    .add("profile", PeeringProtocol.summary(ProfileJson.parse(entry.snapshot()))).build();
            int size = item.toString().length();
            if (next > since && chars + size > MAX_PAGE_CHARS) {
                break;
            }
            items.add(item);
            chars += size;
            next = entry.seq();
        }
        return JSON.createObjectBuilder().add("agwId", node.nodeId()).add("since", since).add("changes", items)
                .add("next", next).add("latest", Math.max(page.latest(), next)).build().toString();
    }

    private static boolean established(AgwPeer peer) {
        return peer.nodeId() != null && peer.remoteId() != null && peer.status() != PeerStatus.PENDING;
    }

    private static URI peerUri(AgwPeer peer, String suffix) {
        return URI.create(peer.url() + PeeringProtocol.PEERS_PATH + "/" + URLEncoder.encode(peer.remoteId(), StandardCharsets.UTF_8)
                + suffix);
    }

    private boolean failed(String peerId, String error) {
        LOG.log(Level.FINE, "peer gateway {0}: {1}", new Object[] {peerId, error});
        try {
            service.failed(peerId, error);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "peer gateway " + peerId + ": could not record a failure", e);
        }
        return false;
    }

    private static String answer(PeerResponse response) {
        String body = response.body() == null ? "" : response.body();
        return "HTTP " + response.status() + " " + body.substring(0, Math.min(body.length(), 300));
    }

    static String describe(Throwable e) {
        return PeerClient.describe(e);
    }
}
