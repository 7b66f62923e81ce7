package org.agentnet.agw.message;

import jakarta.ejb.EJB;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.agentnet.aca.CertificateProfile;
import org.agentnet.agw.access.AccessRecord;
import org.agentnet.agw.access.AccessRecords;
import org.agentnet.agw.access.ReplayGuard;
import org.agentnet.agw.access.SignedRequests;
import org.agentnet.agw.peering.PeerGateways;
import org.agentnet.agw.policy.AccessPolicies;
import org.agentnet.agw.relay.RelayEnvelope;
import org.agentnet.agw.relay.RelayQueue;
import org.agentnet.agw.routing.Route;
import org.agentnet.agw.routing.RoutingTable;
import org.agentnet.agw.traffic.TrafficControl;
import org.agentnet.agw.traffic.TrafficGate;
import org.agentnet.ars.ArsCaller;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;
import org.agentnet.security.CertificateVerifier;
import org.agentnet.security.CertifiedIdentity;
import org.agentnet.security.NodeIdentity;
import org.agentnet.security.NodeTrustStore;
import org.agentnet.security.Pem;

/**
 * Relay forwarding at this gateway (draft 3.4.4; docs/agw.md "Relay"): messages submitted by agents
 * that accessed it, messages handed over by peer gateways, their state, and the inboxes of agents
 * that pull. Every check is made before anything is written; an accepted message is stored and put
 * on the persistent relay queue in the request's transaction, so a 202 is never lost.
 */
@Stateless
@LocalBean
public class MessageService {

    /** The message kind on the relay queue. */
    public static final String KIND = "agw.message";
    public static final int MAX_CHAIN_CERTIFICATES = 5;
    public static final int MAX_INBOX_BATCH = 100;

    /** A message and whether this request created it (false: the same message was accepted before). */
    public record Accepted(MessageView message, boolean created) {
    }

    @EJB
    RelayedMessages messages;

    @EJB
    AccessRecords access;

    @EJB
    RelayQueue queue;

    @EJB
    RoutingTable routes;

    @EJB
    NodeTrustStore trustStore;

    @EJB
    NodeIdentity nodeIdentity;

    @Inject
    ReplayGuard replays;

    @Inject
    CertificateVerifier verifier;

    @Inject
    TrafficGate traffic;

    @Inject
    AccessPolicies policies;

    @Inject
    Instance<PeerGateways> peers;

    @Inject
    RelaySettings settings;

    @Inject
    NodeSettings node;

    @Inject
    Clock clock;

    /**
     * An agent that accessed this gateway submits a message: {@code chain} is its verified TLS client
     * certificate chain (leaf first), {@code compactJws} the message signed with the leaf's key.
     */
    public Accepted submit(CertifiedIdentity identity, List<X509Certificate> chain, String compactJws) {
        node.require(Component.AGW);
        if (identity.profile() != CertificateProfile.AGENT) {
            throw new AgentnetException(ProblemType.WRONG_CERTIFICATE_ROLE,
                    "an agent submits messages with its ACA agent certificate (mutual TLS)");
        }
        AccessRecord sender = access.byUri(identity.uri()).orElseThrow(() -> new AgentnetException(ProblemType.NOT_ACCESSED,
                identity.uri() + " has not accessed this gateway; access it first (POST /api/v1/agw/access)"));
        X509Certificate leaf = chain.get(0);
        MessageClaims claims = MessageClaims.read(SignedRequests.verify(compactJws, leaf.getPublicKey(), RelayedMessage.MAX_JWS),
                identity.uri());
        replays.accept(identity.uri(), claims.iat(), claims.jti());
        traffic.admit(TrafficControl.Kind.MESSAGE, identity, claims.target());
        Route route = routes.resolve(claims.target());
        policies.requireMessage(identity, route, null); // before reachability: a denied sender learns nothing more
        if (!route.applicable()) {
            throw new AgentnetException(ProblemType.TARGET_UNREACHABLE, route.reason());
        }
        Optional<RelayedMessage> existing = messages.find(claims.messageId());
        if (existing.isPresent()) {
            if (!existing.get().senderUri().equals(identity.uri())) {
                throw new AgentnetException(ProblemType.MESSAGE_ID_CONFLICT, "message ID " + claims.messageId()
                        + " is taken by another sender's message; use a new UUID");
            }
            // the sender repeats a message it submitted before (its answer was lost): the same message, sent once
            return new Accepted(MessageView.of(existing.get()), false);
        }
        String pem = chainPem(withIssuer(chain, trustStore.trusted().values()));
        SignedMessage message = SignedMessage.of(claims, sender.agentId(), identity.uri(), pem, compactJws.strip());
        return new Accepted(MessageView.of(store(message, null)), true);
    }

    /**
     * A peer gateway hands over a message for an agent of this gateway ({@code POST /api/v1/agw/relay}):
     * the caller must be a peer; the sender's certificate must pass this node's full check and the JWS
     * must verify with it; the target must be an agent that accessed this gateway. A message ID seen
     * before with the same signed message is acknowledged again without a second delivery.
     */
    public Accepted receive(CertifiedIdentity caller, JsonObject body) {
        node.require(Component.AGW);
        if (caller.profile() != CertificateProfile.GATEWAY) {
            throw new AgentnetException(ProblemType.WRONG_CERTIFICATE_ROLE, "only peer gateways relay messages (gateway certificate, mutual TLS)");
        }
        PeerGateways.PeerHop peer = (peers.isResolvable() ? peers.get().peerByGatewayUri(caller.uri()) : Optional.<PeerGateways.PeerHop>empty())
                .orElseThrow(() -> new AgentnetException(ProblemType.NOT_A_PEER, caller.uri() + " is not a peer of this gateway"));
        RelayRequest request = RelayRequest.read(body);
        List<X509Certificate> chain = parseChain(request.senderCertificate());
        X509Certificate leaf = chain.get(0);
        CertificateVerifier.Result verdict = verifier.check(leaf);
        if (verdict.verdict() != CertificateVerifier.Verdict.VALID) {
            throw new AgentnetException(ProblemType.SENDER_NOT_VERIFIED, "the sender's certificate is "
                    + verdict.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + verdict.detail());
        }
        CertifiedIdentity sender = CertifiedIdentity.of(leaf).filter(i -> i.profile() == CertificateProfile.AGENT)
                .orElseThrow(() -> new AgentnetException(ProblemType.SENDER_NOT_VERIFIED, "the sender's certificate names no agent"));
        if (peer.domain() != null && !peer.domain().equalsIgnoreCase(sender.domain())) {
            throw new AgentnetException(ProblemType.SENDER_NOT_VERIFIED, "peer " + peer.domain()
                    + " relays the messages of its own agents, not of " + sender.domain());
        }
        MessageClaims claims = MessageClaims.read(SignedRequests.verify(request.jws(), leaf.getPublicKey(), RelayedMessage.MAX_JWS),
                sender.uri());
        if (!claims.messageId().equals(request.messageId())) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "messageId " + request.messageId()
                    + " is not the ID of the signed message (" + claims.messageId() + ")");
        }
        Optional<RelayedMessage> existing = messages.find(claims.messageId());
        if (existing.isPresent()) {
            if (!existing.get().senderUri().equals(sender.uri()) || !existing.get().jws().equals(request.jws())) {
                throw new AgentnetException(ProblemType.MESSAGE_ID_CONFLICT, "message ID " + claims.messageId()
                        + " is taken by another message");
            }
            return new Accepted(MessageView.of(existing.get()), false);
        }
        Route route = routes.resolve(claims.target());
        if (!route.isLocal()) {
            throw new AgentnetException(ProblemType.TARGET_UNREACHABLE, "agent " + claims.target()
                    + " is not an agent of this gateway (relayed messages are not forwarded further)");
        }
        policies.requireMessage(sender, route, caller.uri());
        if (!route.applicable()) {
            throw new AgentnetException(ProblemType.TARGET_UNREACHABLE, route.reason());
        }
        SignedMessage message = SignedMessage.of(claims, request.senderId(), sender.uri(), chainPem(chain), request.jws());
        return new Accepted(MessageView.of(store(message, caller.uri())), true);
    }

    private RelayedMessage store(SignedMessage message, String receivedFrom) {
        Fields.require(message.senderChain().length() <= RelayedMessage.MAX_CHAIN, "the sender's certificate chain is too long");
        RelayedMessage row = RelayedMessage.accepted(message, receivedFrom, clock.instant());
        messages.add(row);
        queue.send(new RelayEnvelope(KIND, row.id(), "0"));
        return row;
    }

    /** A message's state, for its sender or an operator. */
    public MessageView get(ArsCaller caller, String id) {
        node.require(Component.AGW);
        RelayedMessage message = known(id);
        if (!caller.isOperator() && !caller.is(message.senderUri())) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH, "only the sender of message " + id + " or an operator may see it");
        }
        return MessageView.of(message);
    }

    /**
     * Hands out up to {@code limit} messages of the inbox of {@code agentId} to that agent: each is
     * leased (not handed out again) for {@code agentnet.agw.inbox.lease} and offered again after that
     * unless acknowledged.
     */
    public List<JsonObject> takeInbox(ArsCaller caller, String agentId, int limit) {
        node.require(Component.AGW);
        ownInbox(caller, agentId);
        Fields.require(limit >= 1 && limit <= MAX_INBOX_BATCH, "limit must be 1 to " + MAX_INBOX_BATCH);
        Instant now = clock.instant();
        Instant until = now.plus(settings.inboxLease());
        String gateway = nodeIdentity.uri().orElse(null);
        List<JsonObject> taken = new ArrayList<>();
        for (String id : messages.inboxCandidates(agentId, now, limit)) {
            if (messages.lease(id, now, until)) {
                messages.find(id).ifPresent(m -> taken.add(DeliveryDocument.of(m, gateway)));
            }
        }
        return taken;
    }

    /** Whether the agent's inbox holds a message that may be handed out now (its access was checked). */
    public boolean inboxWaiting(String agentId) {
        return !messages.inboxCandidates(agentId, clock.instant(), 1).isEmpty();
    }

    /** The agent's inbox access is checked (for a long-poll before it waits). */
    public void ownInbox(ArsCaller caller, String agentId) {
        node.require(Component.AGW);
        Fields.require(agentId != null && !agentId.isBlank() && agentId.length() <= 36, "an agent ID is 1 to 36 characters");
        if (!caller.isAgent()) {
            throw new AgentnetException(ProblemType.IDENTITY_NOT_VERIFIED, "an agent reads its own inbox, with its ACA certificate");
        }
        AccessRecord record = access.find(agentId).orElseThrow(() -> new AgentnetException(ProblemType.NOT_ACCESSED,
                "agent " + agentId + " has no access record at this gateway"));
        if (!caller.is(record.agentUri())) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH, "only agent " + record.agentUri() + " reads this inbox");
        }
    }

    /**
     * The agent acknowledges a message of its inbox: DELIVERED, never handed out again. Acknowledging
     * it again is answered the same way (the first acknowledgement's answer may have been lost).
     */
    public MessageView acknowledge(ArsCaller caller, String agentId, String messageId) {
        ownInbox(caller, agentId);
        RelayedMessage message = messages.findForUpdate(checkedId(messageId))
                .filter(m -> m.targetId().equals(agentId))
                .orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_MESSAGE, "no message " + messageId + " in the inbox of " + agentId));
        if (message.state() == MessageState.INBOX) {
            message.delivered("LOCAL", clock.instant());
            receipts.delivered(message);
        } else if (message.state() != MessageState.DELIVERED) {
            throw new AgentnetException(ProblemType.INVALID_STATE, "message " + messageId + " is " + message.state() + ", not in the inbox");
        }
        return MessageView.of(message);
    }

    @Inject
    Receipts receipts;

    /**
     * Re-queues ACCEPTED messages whose try is overdue by more than the recovery grace: a message whose
     * queue entry was lost is tried again (a duplicate entry is recognised by its try number and dropped).
     *
     * @return how many were re-queued
     */
    public int requeueOverdue(int limit) {
        Instant now = clock.instant();
        List<RelayedMessage> overdue = messages.overdue(now.minus(settings.recoveryGrace()), limit);
        for (RelayedMessage message : overdue) {
            message.requeued(now);
            queue.send(new RelayEnvelope(KIND, message.id(), Integer.toString(message.attempts())));
        }
        return overdue.size();
    }

    /**
     * A peer gateway reports what became of a message this gateway forwarded to it: DELIVERED (or
     * FAILED, with its reason) here too. Only the peer the message was forwarded to may report; a
     * repeated receipt changes nothing.
     */
    public MessageView receipt(CertifiedIdentity caller, JsonObject body) {
        node.require(Component.AGW);
        PeerGateways.PeerHop peer = (caller.profile() == CertificateProfile.GATEWAY && peers.isResolvable()
                ? peers.get().peerByGatewayUri(caller.uri()) : Optional.<PeerGateways.PeerHop>empty())
                .orElseThrow(() -> new AgentnetException(ProblemType.NOT_A_PEER, caller.uri() + " is not a peer of this gateway"));
        Fields.require(body != null, "a receipt is a JSON object {messageId, state, at, reason}");
        String id = checkedId(body.getString("messageId", null));
        String stateText = body.getString("state", "");
        Fields.require(stateText.equals("DELIVERED") || stateText.equals("FAILED"), "state is DELIVERED or FAILED");
        Instant at;
        try {
            at = Instant.parse(body.getString("at", ""));
        } catch (java.time.format.DateTimeParseException e) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "at is an ISO-8601 instant");
        }
        String reason = Fields.optionalPrintable("reason", body.getString("reason", null), RelayedMessage.MAX_ERROR);
        RelayedMessage message = messages.findForUpdate(id).orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_MESSAGE, "no message " + id));
        if (!peer.peerId().equals(message.hop())) {
            throw new AgentnetException(ProblemType.INVALID_STATE, "message " + id + " was not forwarded to " + caller.uri());
        }
        if (message.state() == MessageState.FORWARDED) {
            if (stateText.equals("DELIVERED")) {
                message.deliveredBeyond(at, clock.instant());
            } else {
                message.failed("failed at " + peer.domain() + ": " + (reason == null ? "no reason given" : reason), false, clock.instant());
            }
        }
        return MessageView.of(message);
    }

    /** Forgets settled messages older than the retention, one batch (its own transaction); how many. */
    public int forgetSettled(int limit) {
        return messages.deleteSettled(clock.instant().minus(settings.retention()), limit);
    }

    private RelayedMessage known(String id) {
        return messages.find(checkedId(id)).orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_MESSAGE, "no message " + id));
    }

    private static String checkedId(String id) {
        Fields.require(id != null && !id.isBlank() && id.length() <= 36, "a message ID is 1 to 36 characters");
        return id.toLowerCase(Locale.ROOT);
    }

    /** The chain with the issuing CA from the trust bundle appended when the client sent only its own certificate. */
    static List<X509Certificate> withIssuer(List<X509Certificate> chain, java.util.Collection<X509Certificate> trusted) {
        if (chain.size() > 1) {
            return chain;
        }
        X509Certificate leaf = chain.get(0);
        List<X509Certificate> full = new ArrayList<>(chain);
        trusted.stream()
                .filter(ca -> ca.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()))
                .filter(ca -> {
                    try {
                        leaf.verify(ca.getPublicKey());
                        return true;
                    } catch (Exception e) {
                        return false;
                    }
                }).findFirst().ifPresent(full::add);
        return full;
    }

    static String chainPem(List<X509Certificate> chain) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : chain) {
            try {
                pem.append(Pem.encode("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return pem.toString();
    }

    static List<X509Certificate> parseChain(String pem) {
        Fields.require(pem != null && pem.length() <= RelayedMessage.MAX_CHAIN, "senderCertificate is required, at most "
                + RelayedMessage.MAX_CHAIN + " characters of PEM");
        List<byte[]> blocks = Pem.decodeAll(pem, "CERTIFICATE", ProblemType.VALIDATION_FAILED);
        Fields.require(!blocks.isEmpty() && blocks.size() <= MAX_CHAIN_CERTIFICATES,
                "senderCertificate holds 1 to " + MAX_CHAIN_CERTIFICATES + " certificates, the sender's first");
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException e) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "senderCertificate is not an X.509 certificate chain");
        }
        return chain;
    }
}
