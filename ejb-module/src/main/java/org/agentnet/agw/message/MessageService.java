package org.agentnet.agw.message;

import jakarta.ejb.EJB;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.agentnet.aca.CertificateProfile;
import org.agentnet.agw.access.AccessRecord;
import org.agentnet.agw.access.AccessRecords;
import org.agentnet.agw.access.AgentHeartbeats;
import org.agentnet.agw.access.ReplayGuard;
import org.agentnet.agw.access.SignedRequests;
import org.agentnet.agw.peering.PeerGateways;
import org.agentnet.agw.policy.AccessPolicies;
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
import org.agentnet.security.PeerClient;
import org.agentnet.security.Pem;

/**
 * Relay forwarding at this gateway (draft 3.4.4; docs/agw.md "Relay"): messages submitted by agents
 * that accessed it, messages handed over by peer gateways, their state, and the inboxes of agents
 * that pull. Every check is made before anything is written; an accepted message is committed (group
 * commit, {@link MessageWriter}) before the 202, so a 202 is never lost, and then tried by this node's
 * {@link RelayDispatcher}.
 */
@Stateless
@LocalBean
public class MessageService {

    /** Messages in one relay call between gateways ({@code POST /api/v1/agw/relay/batch}), receipts in one receipt call, at most. */
    public static final int MAX_RELAY_BATCH = 100;
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
    AgentHeartbeats heartbeats;

    @EJB
    MessageWriter writer;

    @EJB
    RelayDispatcher dispatcher;

    @EJB
    RoutingTable routes;

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
     * certificate chain (leaf first), {@code compactJws} the message signed with the leaf's key. Not in a
     * transaction: the checks read, the message is stored by group commit ({@link MessageWriter}).
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Accepted submit(CertifiedIdentity identity, List<X509Certificate> chain, String compactJws) {
        node.require(Component.AGW);
        if (identity.profile() != CertificateProfile.AGENT) {
            throw new AgentnetException(ProblemType.WRONG_CERTIFICATE_ROLE,
                    "an agent submits messages with its ACA agent certificate (mutual TLS)");
        }
        // the heartbeat table mirrors the access records; the database answers for an agent it does not hold
        String senderId = heartbeats.accessedAgentId(identity.uri())
                .or(() -> access.byUri(identity.uri()).map(AccessRecord::agentId))
                .orElseThrow(() -> new AgentnetException(ProblemType.NOT_ACCESSED,
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
        // a message ID taken before (the sender repeats a message whose answer was lost, or another sender's)
        // is found by the group commit's read of the batch's IDs, and judged by stored()
        String pem = chainPem(withIssuer(chain, verifier));
        SignedMessage message = SignedMessage.of(claims, senderId, identity.uri(), pem, compactJws.strip());
        return store(message, null);
    }

    /**
     * A peer gateway hands over a message for an agent of this gateway ({@code POST /api/v1/agw/relay}):
     * the caller must be a peer; the sender's certificate must pass this node's full check and the JWS
     * must verify with it; the target must be an agent that accessed this gateway. A message ID seen
     * before with the same signed message is acknowledged again without a second delivery.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Accepted receive(CertifiedIdentity caller, JsonObject body) {
        PeerGateways.PeerHop peer = relayingPeer(caller);
        Object checked = check(caller, peer, body, new BatchReads(null));
        return checked instanceof Accepted again ? again : store((RelayedMessage) checked);
    }

    /**
     * A peer gateway hands over several messages in one call ({@code POST /api/v1/agw/relay/batch},
     * {@code {"messages": [relay bodies]}}): each is checked as by {@link #receive}, the new ones are
     * stored together (group commit), and each has its own result {@code {messageId, status, state |
     * type, detail}} with the status a single call would have answered (202, 200, or the problem's).
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<JsonObject> receiveAll(CertifiedIdentity caller, JsonObject body) {
        PeerGateways.PeerHop peer = relayingPeer(caller);
        Fields.require(body != null && body.get("messages") instanceof JsonArray,
                "a relay batch is {\"messages\": [{messageId, senderId, senderCertificate, jws}, ...]}");
        JsonArray items = body.getJsonArray("messages");
        Fields.require(!items.isEmpty() && items.size() <= MAX_RELAY_BATCH, "a relay batch holds 1 to " + MAX_RELAY_BATCH + " messages");
        JsonObject[] results = new JsonObject[items.size()];
        List<RelayedMessage> rows = new ArrayList<>();
        List<Integer> rowIndexes = new ArrayList<>();
        BatchReads reads = new BatchReads(messageIds(items));
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = items.get(i) instanceof JsonObject object ? object : null;
            String id = item == null ? "" : item.getString("messageId", "");
            try {
                if (item == null) {
                    throw new AgentnetException(ProblemType.VALIDATION_FAILED, "each message of a relay batch is a JSON object");
                }
                Object checked = check(caller, peer, item, reads);
                if (checked instanceof Accepted again) {
                    results[i] = result(id, again);
                } else {
                    rows.add((RelayedMessage) checked);
                    rowIndexes.add(i);
                }
            } catch (AgentnetException e) {
                results[i] = problem(id, e);
            }
        }
        List<RuntimeException> outcomes = rows.isEmpty() ? List.of() : writer.write(rows);
        for (int k = 0; k < rows.size(); k++) {
            try {
                results[rowIndexes.get(k)] = result(rows.get(k).id(), stored(rows.get(k), outcomes.get(k)));
            } catch (AgentnetException e) {
                results[rowIndexes.get(k)] = problem(rows.get(k).id(), e);
            }
        }
        return List.of(results);
    }

    /** The message IDs a batch's items name (those that can be IDs at all), as stored: lower case, each once. */
    private static List<String> messageIds(JsonArray items) {
        return items.stream().filter(JsonObject.class::isInstance)
                .map(item -> ((JsonObject) item).get("messageId")).filter(jakarta.json.JsonString.class::isInstance)
                .map(id -> ((jakarta.json.JsonString) id).getString().toLowerCase(Locale.ROOT)).filter(id -> id.length() <= 36)
                .distinct().toList();
    }

    private static JsonObject result(String id, Accepted accepted) {
        return Json.createObjectBuilder().add("messageId", id).add("status", accepted.created() ? 202 : 200)
                .add("state", accepted.message().state().name()).build();
    }

    private static JsonObject problem(String id, AgentnetException e) {
        return Json.createObjectBuilder().add("messageId", id).add("status", e.type().status())
                .add("type", e.type().uri()).add("detail", e.detail() == null ? "" : e.detail()).build();
    }

    private PeerGateways.PeerHop relayingPeer(CertifiedIdentity caller) {
        node.require(Component.AGW);
        if (caller.profile() != CertificateProfile.GATEWAY) {
            throw new AgentnetException(ProblemType.WRONG_CERTIFICATE_ROLE, "only peer gateways relay messages (gateway certificate, mutual TLS)");
        }
        return (peers.isResolvable() ? peers.get().peerByGatewayUri(caller.uri()) : Optional.<PeerGateways.PeerHop>empty())
                .orElseThrow(() -> new AgentnetException(ProblemType.NOT_A_PEER, caller.uri() + " is not a peer of this gateway"));
    }

    /** A sender's certificate chain as a relay call carries it, parsed and checked once per call. */
    private record Sender(List<X509Certificate> chain, CertificateVerifier.Result verdict, String pem) {
    }

    /**
     * What the messages of one relay call share, read once for the call rather than once per message
     * (the checks and their order stay each message's): which of the call's message IDs are held (one
     * query), the route to each target, each sender chain parsed and checked. A
     * message stored meanwhile by a concurrent call is caught by the store (primary key) as before.
     */
    private final class BatchReads {
        private final Set<String> taken;
        private final Map<String, Object> routesByTarget = new HashMap<>();
        private final Map<String, Sender> senders = new HashMap<>();

        /**
         * {@code ids}: the call's message IDs, of which those taken are read now (only the IDs: a repeat
         * is rare, and its row is read when its message is checked); null: each looked up when asked (a
         * single relay).
         */
        BatchReads(List<String> ids) {
            taken = ids == null ? null : messages.takenIds(ids);
        }

        Optional<RelayedMessage> existing(String id) {
            return taken == null || taken.contains(id) ? messages.find(id) : Optional.empty();
        }

        Route route(String target) {
            Object route = routesByTarget.computeIfAbsent(target, t -> {
                try {
                    return routes.resolve(t);
                } catch (AgentnetException refused) {
                    return refused;
                }
            });
            if (route instanceof AgentnetException refused) {
                throw refused;
            }
            return (Route) route;
        }

        Sender sender(String pem) {
            Sender known = senders.get(pem);
            if (known == null) {
                List<X509Certificate> chain = parseChain(pem);
                known = new Sender(chain, verifier.check(chain.get(0)), chainPem(chain));
                senders.put(pem, known);
            }
            return known;
        }
    }

    /** One relayed message checked: the {@link Accepted} of the same message received before, or the new row to store. */
    private Object check(CertifiedIdentity caller, PeerGateways.PeerHop peer, JsonObject body, BatchReads reads) {
        RelayRequest request = RelayRequest.read(body);
        Sender checkedSender = reads.sender(request.senderCertificate());
        X509Certificate leaf = checkedSender.chain().get(0);
        CertificateVerifier.Result verdict = checkedSender.verdict();
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
        Optional<RelayedMessage> existing = reads.existing(claims.messageId());
        if (existing.isPresent()) {
            return again(existing.get(), sender.uri(), request.jws());
        }
        Route route = reads.route(claims.target());
        if (!route.isLocal()) {
            throw new AgentnetException(ProblemType.TARGET_UNREACHABLE, "agent " + claims.target()
                    + " is not an agent of this gateway (relayed messages are not forwarded further)");
        }
        policies.requireMessage(sender, route, caller.uri());
        if (!route.applicable()) {
            throw new AgentnetException(ProblemType.TARGET_UNREACHABLE, route.reason());
        }
        SignedMessage message = SignedMessage.of(claims, request.senderId(), sender.uri(), checkedSender.pem(), request.jws());
        return row(message, caller.uri());
    }

    /** The same relayed message received before (200, no second delivery), or a conflict. */
    private static Accepted again(RelayedMessage existing, String senderUri, String jws) {
        if (!existing.senderUri().equals(senderUri) || !existing.jws().equals(jws)) {
            throw new AgentnetException(ProblemType.MESSAGE_ID_CONFLICT, "message ID " + existing.id() + " is taken by another message");
        }
        return new Accepted(MessageView.of(existing), false);
    }

    private RelayedMessage row(SignedMessage message, String receivedFrom) {
        Fields.require(message.senderChain().length() <= RelayedMessage.MAX_CHAIN, "the sender's certificate chain is too long");
        return RelayedMessage.accepted(message, receivedFrom, clock.instant(), dispatcher.newClaim());
    }

    private Accepted store(SignedMessage message, String receivedFrom) {
        return store(row(message, receivedFrom));
    }

    private Accepted store(RelayedMessage row) {
        return stored(row, writer.write(List.of(row)).get(0));
    }

    /**
     * The outcome of storing a new row: accepted, or (its ID was taken, before or meanwhile by a
     * concurrent request) the message that has it, judged as a repeat: the same sender's message is
     * answered again (200, sent once), another sender's is a conflict.
     */
    private Accepted stored(RelayedMessage row, RuntimeException refused) {
        if (refused == null) {
            return new Accepted(MessageView.of(row), true);
        }
        if (refused instanceof AgentnetException known) {
            throw known;
        }
        RelayedMessage existing = messages.find(row.id()).orElseThrow(() -> new AgentnetException(ProblemType.SERVICE_UNAVAILABLE,
                "message " + row.id() + " could not be stored now (" + PeerClient.describe(refused) + "); try again"));
        if (row.receivedFrom() == null) {
            if (!existing.senderUri().equals(row.senderUri())) {
                throw new AgentnetException(ProblemType.MESSAGE_ID_CONFLICT, "message ID " + row.id()
                        + " is taken by another sender's message; use a new UUID");
            }
            return new Accepted(MessageView.of(existing), false);
        }
        return again(existing, row.senderUri(), row.jws());
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
            receipts.owe(message);
        } else if (message.state() != MessageState.DELIVERED) {
            throw new AgentnetException(ProblemType.INVALID_STATE, "message " + messageId + " is " + message.state() + ", not in the inbox");
        }
        return MessageView.of(message);
    }

    @Inject
    Receipts receipts;

    /**
     * A peer gateway reports what became of a message this gateway forwarded to it: DELIVERED (or
     * FAILED, with its reason) here too. Only the peer the message was forwarded to may report; a
     * repeated receipt changes nothing.
     */
    public MessageView receipt(CertifiedIdentity caller, JsonObject body) {
        return receipt(caller, reportingPeer(caller), body);
    }

    /**
     * Several receipts from one peer in one call ({@code POST /api/v1/agw/relay/receipts/batch},
     * {@code {"receipts": [receipts]}}), in one transaction; each has its own result {@code {messageId,
     * status, state | type, detail}} (200 or the problem a single call would have answered).
     */
    public List<JsonObject> receiptAll(CertifiedIdentity caller, JsonObject body) {
        PeerGateways.PeerHop peer = reportingPeer(caller);
        Fields.require(body != null && body.get("receipts") instanceof JsonArray, "a receipt batch is {\"receipts\": [{messageId, state, at, reason}, ...]}");
        JsonArray items = body.getJsonArray("receipts");
        Fields.require(!items.isEmpty() && items.size() <= MAX_RELAY_BATCH, "a receipt batch holds 1 to " + MAX_RELAY_BATCH + " receipts");
        // the batch's rows locked in one statement; each receipt's own look-up below then reads nothing more
        messages.findAllForUpdate(messageIds(items));
        List<JsonObject> results = new ArrayList<>(items.size());
        for (jakarta.json.JsonValue value : items) {
            JsonObject item = value instanceof JsonObject object ? object : null;
            String id = item == null ? "" : item.getString("messageId", "");
            try {
                MessageView view = receipt(caller, peer, item);
                results.add(Json.createObjectBuilder().add("messageId", id).add("status", 200).add("state", view.state().name()).build());
            } catch (AgentnetException e) {
                results.add(problem(id, e));
            }
        }
        return results;
    }

    private PeerGateways.PeerHop reportingPeer(CertifiedIdentity caller) {
        node.require(Component.AGW);
        return (caller.profile() == CertificateProfile.GATEWAY && peers.isResolvable()
                ? peers.get().peerByGatewayUri(caller.uri()) : Optional.<PeerGateways.PeerHop>empty())
                .orElseThrow(() -> new AgentnetException(ProblemType.NOT_A_PEER, caller.uri() + " is not a peer of this gateway"));
    }

    /** One receipt; refusals come from this class's own checks, so that a batch's transaction is not marked for rollback. */
    private MessageView receipt(CertifiedIdentity caller, PeerGateways.PeerHop peer, JsonObject body) {
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

    /**
     * The chain with the issuing CA from the trust bundle appended when the client sent only its own
     * certificate (the verifier remembers which CA signed a certificate: one signature check per
     * certificate, not per message).
     */
    static List<X509Certificate> withIssuer(List<X509Certificate> chain, CertificateVerifier verifier) {
        if (chain.size() > 1) {
            return chain;
        }
        List<X509Certificate> full = new ArrayList<>(chain);
        verifier.trustedIssuerOf(chain.get(0)).ifPresent(full::add);
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
