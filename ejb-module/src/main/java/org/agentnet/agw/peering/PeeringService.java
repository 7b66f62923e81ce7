package org.agentnet.agw.peering;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.agentnet.aca.CertificateProfile;
import org.agentnet.ars.AgentRegistry;
import org.agentnet.ars.ChangeLog;
import org.agentnet.ars.RegisteredAgents;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.node.NodeService;
import org.agentnet.security.CertifiedIdentity;

/**
 * The neighbor list of this gateway (draft 3.4.1, 3.4.3), each change one transaction: peers added
 * by configuration or an operator, handshakes received and answered, heartbeats, the sweep that
 * marks silent peers OFFLINE, and disconnection. Calls to peers happen outside ({@link PeerLink}).
 */
@Stateless
public class PeeringService {

    private static final Logger LOG = Logger.getLogger(PeeringService.class.getName());

    @EJB
    AgwPeers peers;

    @EJB
    AgentRegistry registry;

    @EJB
    RegisteredAgents agents;

    @EJB
    ChangeLog changes;

    @EJB
    NodeService node;

    @Inject
    NodeSettings nodeSettings;

    @Inject
    PeeringSettings settings;

    @Inject
    Event<PeerChanged> changed;

    @Inject
    Clock clock;

    /** A peer went silent: its origin's agents are to be set INAPPLICABLE. */
    public record Silenced(String peerId, String nodeId, String reason) {
    }

    /** Where to tell a peer that this node disconnected it. */
    public record Farewell(String url, String remoteId) {
    }

    public List<AgwPeer> list() {
        return peers.all().stream().filter(p -> p.status() != PeerStatus.DISCONNECTED).toList();
    }

    public AgwPeer get(String id) {
        return peers.find(id).filter(p -> p.status() != PeerStatus.DISCONNECTED)
                .orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_PEER, "no peer gateway " + id));
    }

    public Optional<AgwPeer> find(String id) {
        return peers.find(id);
    }

    /**
     * Adds a peer by its base URL (configuration or an operator); the handshake follows. A peer this
     * node's operator had disconnected is taken up again; another known URL is a conflict.
     */
    public AgwPeer add(String url, boolean configured) {
        requireEnabled();
        String normalized = PeeringProtocol.baseUrl("url", url);
        if (normalized.equals(settings.baseUrl())) {
            throw new AgentnetException(ProblemType.CONFLICT, normalized + " is this gateway itself");
        }
        Optional<AgwPeer> known = peers.byUrl(normalized);
        if (known.isPresent()) {
            AgwPeer peer = known.get();
            if (peer.status() != PeerStatus.DISCONNECTED) {
                throw new AgentnetException(ProblemType.CONFLICT, "peer gateway " + normalized + " is already known as " + peer.id());
            }
            peer.reactivate(configured);
            peer.succeeded();
            announce(peer);
            return peer;
        }
        requireRoom();
        AgwPeer peer = new AgwPeer(normalized, configured, clock.instant());
        peer.identify(null, null, null, null, null, (int) settings.heartbeatInterval().toSeconds());
        peers.add(peer);
        return peer;
    }

    /**
     * A gateway's handshake (draft 3.4.1), after its certificate passed the node's check: it must be
     * a gateway certificate of the domain it claims, not this node, speak a relay protocol this node
     * speaks, not be a peer this node's operator disconnected, and not claim the node ID or address
     * of a peer known under another gateway certificate. It joins (or stays in) the
     * neighbor list; the answer is this gateway's own handshake.
     */
    public PeeringProtocol.Hello accept(CertifiedIdentity caller, PeeringProtocol.Hello hello) {
        requireEnabled();
        requireGateway(caller);
        if (!hello.domain().equalsIgnoreCase(caller.domain())) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH, "the handshake claims domain " + hello.domain()
                    + " but the certificate " + caller.uri() + " is of domain " + caller.domain());
        }
        if (hello.agwId().equals(node.nodeId())) {
            throw new AgentnetException(ProblemType.CONFLICT, "agwId " + hello.agwId() + " is this gateway itself");
        }
        String protocol = PeeringProtocol.common(hello.protocols()).orElseThrow(() -> new AgentnetException(
                ProblemType.INCOMPATIBLE_PROTOCOL, "this gateway speaks " + PeeringProtocol.PROTOCOLS + ", the peer offers "
                + hello.protocols()));
        AgwPeer peer = peers.byNodeId(hello.agwId())
                .or(() -> peers.byGatewayUri(caller.uri()))
                .or(() -> peers.byUrl(hello.baseUrl()))
                .orElse(null);
        if (peer != null && peer.status() == PeerStatus.DISCONNECTED) {
            throw new AgentnetException(ProblemType.FORBIDDEN, "this gateway's operator disconnected " + caller.uri()
                    + "; it peers again once an operator adds it (POST /api/v1/admin/agw/peers)");
        }
        if (peer != null && peer.gatewayUri() != null && !peer.gatewayUri().equals(caller.uri())) {
            // another gateway claiming a known peer's node ID or address must not take over its entry and routes
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH, "peer " + peer.id() + " is " + peer.gatewayUri()
                    + ", not " + caller.uri());
        }
        if (peer == null) {
            requireRoom();
            peer = new AgwPeer(hello.baseUrl(), false, clock.instant());
            peer.identify(null, null, null, null, null, hello.heartbeatInterval());
            peers.add(peer);
            LOG.info(() -> "peer gateway " + caller.uri() + " at " + hello.baseUrl() + " asked to peer: accepted");
        } else {
            peers.lock(peer);
        }
        identified(peer, hello, caller.uri(), protocol);
        return ownHello(peer.id(), peer.appliedSeq(), protocol);
    }

    /**
     * The answer to this node's handshake: the peer, as its server certificate names it, is
     * recorded. False when the peer is gone or was disconnected meanwhile.
     */
    public boolean answered(String peerId, PeeringProtocol.Hello answer, CertifiedIdentity server) {
        AgwPeer peer = peers.findForUpdate(peerId).orElse(null);
        if (peer == null || peer.status() == PeerStatus.DISCONNECTED) {
            return false;
        }
        if (server == null || server.profile() != CertificateProfile.GATEWAY) {
            throw new IllegalStateException("the peer's server certificate is no gateway certificate");
        }
        if (!answer.domain().equalsIgnoreCase(server.domain())) {
            throw new IllegalStateException("the peer answers as domain " + answer.domain() + " but its certificate "
                    + server.uri() + " is of domain " + server.domain());
        }
        if (answer.agwId().equals(node.nodeId())) {
            throw new IllegalStateException("the peer at " + peer.url() + " is this gateway itself");
        }
        if (answer.protocol() == null || !PeeringProtocol.PROTOCOLS.contains(answer.protocol())) {
            throw new IllegalStateException("the peer chose relay protocol " + answer.protocol() + "; this gateway speaks "
                    + PeeringProtocol.PROTOCOLS);
        }
        if (answer.peerId() == null) {
            throw new IllegalStateException("the peer's answer names no peerId");
        }
        Optional<AgwPeer> twin = peers.byNodeId(answer.agwId()).filter(other -> !other.id().equals(peer.id()));
        if (twin.isPresent()) {
            // the peer asked first and announced another URL: one row per peer, the one at the URL this node was given
            AgwPeer other = twin.get();
            peers.lock(other);
            peer.takeOver(other);
            peers.remove(other);
            changed.fire(new PeerChanged(other.id(), null));
            LOG.info(() -> "peer gateway " + peer.url() + " had also asked as " + other.url() + ": one peer now");
        }
        identified(peer, answer, server.uri(), answer.protocol());
        return true;
    }

    /** A peer's heartbeat (3.4.3), only from that peer; the answer tells how far its feed is applied here. */
    public PeeringProtocol.Ack heartbeat(CertifiedIdentity caller, String peerId, PeeringProtocol.Beat beat) {
        requireEnabled();
        AgwPeer peer = authorized(caller, peerId, beat.agwId());
        PeerStatus before = peer.status();
        peer.identify(peer.nodeId(), peer.domain(), peer.gatewayUri(), null, peer.protocol(), beat.heartbeatInterval());
        contact(peer);
        peer.sent(beat.appliedSeq());
        peer.peerLatest(beat.latestSeq());
        if (beat.hasDigest() && peer.appliedSeq() == beat.latestSeq() && peer.appliedSeq() > 0) {
            RegisteredAgents.OriginDigest held = agents.digestOfOrigin(peer.nodeId());
            if (held.count() != beat.count() || held.seqSum() != beat.seqSum()) {
                LOG.warning(() -> "peer gateway " + peer.url() + ": holding " + held.count() + " agents (seq sum " + held.seqSum()
                        + ") of its " + beat.count() + " (" + beat.seqSum() + "): full resynchronization");
                peer.restartFromScratch();
            }
        }
        if (before != peer.status()) {
            announce(peer);
        }
        return new PeeringProtocol.Ack(node.nodeId(), peer.appliedSeq(), changes.latest(), peer.appliedSeq() < beat.latestSeq());
    }

    /**
     * The first step of receiving resources: the sender is that peer (heard from now). Null when
     * the page can be applied; otherwise the answer that asks for the changes from an earlier seq.
     */
    public PeeringProtocol.Ack admit(CertifiedIdentity caller, String peerId, PeeringProtocol.Resources page) {
        requireEnabled();
        AgwPeer peer = authorized(caller, peerId, page.agwId());
        PeerStatus before = peer.status();
        contact(peer);
        peer.peerLatest(page.latest());
        if (before != peer.status()) {
            announce(peer);
        }
        return page.since() > peer.appliedSeq()
                ? new PeeringProtocol.Ack(node.nodeId(), peer.appliedSeq(), changes.latest(), true) : null;
    }

    /** A peer answered this node (heartbeat or resources): how far it applied this node's feed. */
    public void acked(String peerId, PeeringProtocol.Ack ack) {
        peers.findForUpdate(peerId).filter(p -> p.status() != PeerStatus.DISCONNECTED).ifPresent(peer -> {
            if (peer.nodeId() != null && !peer.nodeId().equals(ack.agwId())) {
                peer.failed("the peer answers as node " + ack.agwId() + ", not " + peer.nodeId() + ": handshake again");
                peer.identify(peer.nodeId(), peer.domain(), peer.gatewayUri(), null, peer.protocol(), peer.heartbeatSeconds());
                return;
            }
            PeerStatus before = peer.status();
            contact(peer);
            peer.sent(ack.appliedSeq());
            peer.peerLatest(ack.latestSeq());
            peer.succeeded();
            if (before != peer.status()) {
                announce(peer);
            }
        });
    }

    public void failed(String peerId, String error) {
        peers.findForUpdate(peerId).ifPresent(peer -> peer.failed(error));
    }

    /** The peer no longer knows this node (it lost its state or removed it): the next contact is a handshake. */
    public void forgotten(String peerId, String error) {
        peers.findForUpdate(peerId).filter(p -> p.status() != PeerStatus.DISCONNECTED).ifPresent(peer -> {
            peer.failed(error);
            peer.forgetRemoteId();
        });
    }

    /**
     * Marks peers that were not heard from within their hold time OFFLINE (3.4.3): they leave the
     * routing table at once; their agents are set INAPPLICABLE next ({@link PeerAgents}).
     */
    public List<Silenced> sweep() {
        if (!nodeSettings.isEnabled(Component.AGW)) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Silenced> silenced = new ArrayList<>();
        for (AgwPeer candidate : peers.all()) {
            if (candidate.status() != PeerStatus.ONLINE || !silent(candidate, now)) {
                continue;
            }
            AgwPeer peer = peers.findForUpdate(candidate.id()).orElse(null);
            if (peer == null || peer.status() != PeerStatus.ONLINE || !silent(peer, now)) {
                continue;
            }
            String reason = "peer gateway " + peer.domain() + " silent since " + peer.lastContactAt() + " (hold time "
                    + peer.holdTime(settings.holdIntervals()) + ")";
            peer.offline(reason);
            announce(peer);
            LOG.warning(() -> "peer gateway " + peer.url() + " is OFFLINE: " + reason);
            silenced.add(new Silenced(peer.id(), peer.nodeId(), reason));
        }
        return silenced;
    }

    /**
     * Disconnection by this node's operator: the peer leaves the neighbor list (kept as
     * DISCONNECTED, so that its handshakes are refused until an operator adds it again) and its
     * agents are forgotten. The answer says where to tell the peer.
     */
    public Farewell disconnectByOperator(String peerId, String operator) {
        requireEnabled();
        AgwPeer peer = peers.findForUpdate(peerId).filter(p -> p.status() != PeerStatus.DISCONNECTED)
                .orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_PEER, "no peer gateway " + peerId));
        Farewell farewell = peer.remoteId() == null ? null : new Farewell(peer.url(), peer.remoteId());
        forgetAgents(peer);
        peer.disconnected("disconnected by operator " + operator);
        announce(peer);
        LOG.info(() -> "peer gateway " + peer.url() + " disconnected by operator " + operator);
        return farewell;
    }

    /** Disconnection by the peer itself (mutual TLS): it is removed, with its agents. */
    public void disconnectByPeer(CertifiedIdentity caller, String peerId) {
        requireEnabled();
        requireGateway(caller);
        AgwPeer peer = peers.findForUpdate(peerId).filter(p -> p.status() != PeerStatus.DISCONNECTED)
                .orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_PEER, "no peer gateway " + peerId));
        if (!caller.uri().equals(peer.gatewayUri())) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH, "only peer " + peer.gatewayUri()
                    + " itself or an operator may disconnect it");
        }
        forgetAgents(peer);
        peers.remove(peer);
        changed.fire(new PeerChanged(peer.id(), null));
        LOG.info(() -> "peer gateway " + peer.url() + " disconnected itself");
    }

    /**
     * Makes the configured peers those of {@code agentnet.agw.peers}: new ones are added, ones no
     * longer configured are removed with their agents; peers an operator added stay.
     */
    public void reconcile(List<String> configuredUrls) {
        if (!nodeSettings.isEnabled(Component.AGW)) {
            return;
        }
        Set<String> wanted = new java.util.LinkedHashSet<>();
        for (String url : configuredUrls) {
            wanted.add(PeeringProtocol.baseUrl("agentnet.agw.peers", url));
        }
        for (AgwPeer peer : peers.all()) {
            if (peer.configured() && !wanted.contains(peer.url()) && peer.status() != PeerStatus.DISCONNECTED) {
                LOG.info(() -> "peer gateway " + peer.url() + " is no longer configured: removing it and its agents");
                forgetAgents(peer);
                peers.remove(peer);
            }
        }
        for (String url : wanted) {
            Optional<AgwPeer> known = peers.byUrl(url);
            if (known.isEmpty()) {
                add(url, true);
                LOG.info(() -> "peer gateway " + url + " configured");
            } else if (!known.get().configured()) {
                known.get().relocate(url, true);
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    /**
     * Not heard from within its hold time. A node that was down heard nothing meanwhile: its peers
     * get one hold time from its start to be heard again before they are judged.
     */
    private boolean silent(AgwPeer peer, Instant now) {
        Instant last = peer.lastContactAt() == null || peer.lastContactAt().isBefore(node.startedAt())
                ? node.startedAt() : peer.lastContactAt();
        return now.isAfter(last.plus(peer.holdTime(settings.holdIntervals())));
    }

    /** Records what a handshake (received or answered) said; a peer that became another node loses its former agents. */
    private void identified(AgwPeer peer, PeeringProtocol.Hello hello, String gatewayUri, String protocol) {
        if (peer.nodeId() != null && !peer.nodeId().equals(hello.agwId())) {
            String former = peer.nodeId();
            int forgotten = registry.forgetRemote(former, Set.of());
            LOG.warning(() -> "peer gateway " + peer.url() + " is now node " + hello.agwId() + ", was " + former
                    + ": forgot its " + forgotten + " agents; full resynchronization");
            peer.forgetIdentity();
        }
        peer.identify(hello.agwId(), hello.domain(), gatewayUri, hello.peerId(), protocol, hello.heartbeatInterval());
        contact(peer);
        peer.sent(hello.appliedSeq());
        peer.peerLatest(hello.latestSeq());
        peer.succeeded();
        announce(peer);
    }

    /** Heard from the peer; one that was OFFLINE is back and reads its feed again, which restores its agents' status. */
    private void contact(AgwPeer peer) {
        boolean recovering = peer.status() == PeerStatus.OFFLINE;
        peer.contact(clock.instant());
        if (recovering) {
            LOG.info(() -> "peer gateway " + peer.url() + " is back ONLINE: full resynchronization");
            peer.restartFromScratch();
        }
    }

    private AgwPeer authorized(CertifiedIdentity caller, String peerId, String agwId) {
        requireGateway(caller);
        AgwPeer peer = peers.findForUpdate(peerId).filter(p -> p.status() != PeerStatus.DISCONNECTED && p.nodeId() != null)
                .orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_PEER, "no peer gateway " + peerId
                        + " here: handshake first (POST " + PeeringProtocol.PEERS_PATH + ")"));
        if (!caller.uri().equals(peer.gatewayUri())) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH, "peer " + peerId + " is " + peer.gatewayUri()
                    + ", not " + caller.uri());
        }
        if (!peer.nodeId().equals(agwId)) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH, "peer " + peerId + " is node " + peer.nodeId()
                    + ", not " + agwId + ": handshake again");
        }
        return peer;
    }

    private void forgetAgents(AgwPeer peer) {
        if (peer.nodeId() != null && nodeSettings.isEnabled(Component.ARS)) {
            int forgotten = registry.forgetRemote(peer.nodeId(), Set.of());
            LOG.info(() -> "peer gateway " + peer.url() + ": forgot its " + forgotten + " agents");
        }
    }

    private void announce(AgwPeer peer) {
        changed.fire(new PeerChanged(peer.id(), peer.hop()));
    }

    public PeeringProtocol.Hello ownHello(String peerId, long appliedSeq, String protocol) {
        return new PeeringProtocol.Hello(node.nodeId(), nodeSettings.domainName(), PeeringProtocol.PROTOCOLS, PeeringProtocol.ONLINE,
                settings.baseUrl(), (int) settings.heartbeatInterval().toSeconds(), peerId, appliedSeq, changes.latest(), protocol);
    }

    private static void requireGateway(CertifiedIdentity caller) {
        if (caller.profile() != CertificateProfile.GATEWAY) {
            throw new AgentnetException(ProblemType.WRONG_CERTIFICATE_ROLE, "peering is between gateways: " + caller.uri()
                    + " holds an agent certificate, not a gateway (agw://) certificate");
        }
    }

    private void requireRoom() {
        if (peers.all().size() >= settings.maxPeers()) {
            throw new AgentnetException(ProblemType.CONFLICT, "this gateway has its maximum of " + settings.maxPeers()
                    + " peers (agentnet.agw.peer.max-peers)");
        }
    }

    private void requireEnabled() {
        nodeSettings.require(Component.AGW);
    }
}
