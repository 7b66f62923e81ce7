package org.agentnet.agw.message;

import jakarta.ejb.EJB;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import org.agentnet.agw.routing.Route;
import org.agentnet.agw.routing.RoutingTable;
import org.agentnet.agw.traffic.DeliverySlots;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.security.NodeIdentity;
import org.agentnet.security.PeerClient;

/**
 * Tries relayed messages claimed by the {@link RelayDispatcher} (docs/agw.md "Relay", "Retries and
 * failure"): a batch of claims in one transaction, each row locked, so that the outcomes of the lot
 * commit together. A message whose claim is no longer this one's (it ran out and another dispatcher
 * took it, or the message settled) is left alone, so a message is tried once per claim. Messages for
 * one peer go in one relay call ({@code POST <peer>/api/v1/agw/relay/batch}). A failed try is
 * recorded with the time of the next one (the back-off: the row is due again then); after the last
 * try the message is FAILED with the reason.
 */
@Stateless
@LocalBean
public class MessageDelivery {

    private static final Logger LOG = Logger.getLogger(MessageDelivery.class.getName());
    private static final List<Integer> RETRIED_STATUSES = List.of(408, 425, 429);
    /** Characters of messages (JWS and chain) per relay call at most; a larger batch is split. */
    static final int MAX_BATCH_CHARS = 900_000;

    private record Outgoing(RelayedMessage message, Route route) {
    }

    @EJB
    RelayedMessages messages;

    @EJB
    RoutingTable routes;

    @EJB
    NodeIdentity nodeIdentity;

    @Inject
    PushClient push;

    @Inject
    PeerClient peerClient;

    @Inject
    Receipts receipts;

    @Inject
    DeliverySlots slots;

    @Inject
    RelaySettings settings;

    @Inject
    Clock clock;

    @Inject
    Event<InboxArrival> arrivals;

    /**
     * Tries the claimed messages in one new transaction.
     *
     * @return whether a receipt to a peer became owed
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean attempt(List<RelayDispatcher.Claim> claims) {
        // every row locked first (one statement): a lock that cannot be had fails the batch before anything was sent
        Map<String, RelayedMessage> rows = messages.findAllForUpdate(claims.stream().map(RelayDispatcher.Claim::id).toList());
        List<RelayedMessage> held = new ArrayList<>(claims.size());
        for (RelayDispatcher.Claim claim : claims) {
            RelayedMessage row = rows.get(claim.id());
            if (row != null && holds(row, claim)) {
                held.add(row);
            } else {
                notHeld(claim, row);
            }
        }
        boolean owed = false;
        Map<String, List<Outgoing>> toPeers = new LinkedHashMap<>();
        Pushes pushes = new Pushes();
        Map<String, Object> routesOfBatch = new HashMap<>(); // target ID -> Route, or the refusal: one look-up per target
        for (RelayedMessage message : held) {
            try {
                Object resolved = routesOfBatch.computeIfAbsent(message.targetId(), this::resolve);
                if (resolved instanceof AgentnetException refused) {
                    owed |= fail(message, refused.detail());
                    continue;
                }
                Route route = (Route) resolved;
                if (route.isLocal()) {
                    owed |= deliverHere(message, route, pushes);
                } else if (message.receivedFrom() != null) {
                    owed |= fail(message, "agent " + message.targetId() + " is no longer an agent of this gateway");
                } else if (!route.applicable()) {
                    owed |= retry(message, route.reason());
                } else {
                    toPeers.computeIfAbsent(route.nextHop() + " " + route.peerGatewayUri(), k -> new ArrayList<>())
                            .add(new Outgoing(message, route));
                }
            } catch (RuntimeException e) {
                // recorded on this message alone: the others' outcomes (pushes made) still commit
                LOG.log(java.util.logging.Level.WARNING, "relayed message " + message.id() + ": try failed inside the gateway", e);
                owed |= retry(message, "the gateway could not process the message: " + PeerClient.describe(e));
            }
        }
        boolean pushedOwed;
        try {
            for (List<Outgoing> group : toPeers.values()) {
                for (List<Outgoing> call : calls(group)) {
                    forward(call);
                }
            }
        } finally {
            pushedOwed = settlePushes(pushes); // meanwhile on their way; each slot given back, whatever happened
        }
        return owed | pushedOwed;
    }

    /** The route to a target, or the refusal (unknown, deregistered) that fails its messages. */
    private Object resolve(String targetId) {
        try {
            return routes.resolveApart(targetId);
        } catch (AgentnetException e) {
            return e;
        }
    }

    /**
     * The outcomes of the batch's pushes, which went out together: each waited for (each has its
     * request timeout), its slot given back, and recorded on its message in this transaction.
     */
    private boolean settlePushes(Pushes pushes) {
        boolean owed = false;
        try {
            for (Push pending : pushes.started) {
                PushClient.Result result;
                try {
                    result = pending.result().join();
                } catch (RuntimeException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    result = new PushClient.Result(PushClient.Outcome.RETRY, "the gateway could not process the message: "
                            + PeerClient.describe(cause));
                }
                RelayedMessage message = pending.message();
                try {
                    owed |= switch (result.outcome()) {
                        case DELIVERED -> {
                            message.delivered("LOCAL", clock.instant());
                            yield receipts.owe(message);
                        }
                        case REFUSED -> fail(message, result.detail());
                        case RETRY -> retry(message, result.detail());
                    };
                } catch (RuntimeException e) {
                    LOG.log(java.util.logging.Level.WARNING, "relayed message " + message.id() + ": try failed inside the gateway", e);
                    owed |= retry(message, "the gateway could not process the message: " + PeerClient.describe(e));
                }
            }
        } finally {
            pushes.slotsHeld.forEach(DeliverySlots.Slot::close);
        }
        return owed;
    }

    /**
     * Records a try that failed inside this gateway (an exception, not an answer), in a transaction of
     * its own: it counts as a try, so that a message that cannot be processed ends FAILED.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void internalFailure(RelayDispatcher.Claim claim, RuntimeException failure) {
        messages.findForUpdate(claim.id()).filter(m -> holds(m, claim))
                .ifPresent(m -> retry(m, "the gateway could not process the message: " + PeerClient.describe(failure)));
    }

    /**
     * A claim that does not find its message ACCEPTED under it is not tried. Once the claim has run out
     * that is expected (another dispatcher took the message, or it settled). Before, nothing else may
     * have touched the row: the hand-over from the commit to this claim is broken, and the message
     * waits for its claim to run out (a message held 140 s at B in the relay benchmark, silently: the
     * claim's time read back otherwise through Hibernate's shared Calendar on Derby, see
     * UtcTimestampContributor). That is a warning.
     */
    void notHeld(RelayDispatcher.Claim claim, RelayedMessage row) {
        String found = row == null ? "missing" : row.state() + ", next attempt " + row.nextAttempt();
        if (clock.instant().isBefore(claim.until())) {
            LOG.warning(() -> "relayed message " + claim.id() + " not tried: claimed until " + claim.until() + " but the row is "
                    + found + "; it is tried once a dispatcher claims it again");
        } else {
            LOG.fine(() -> "relayed message " + claim.id() + ": its claim until " + claim.until() + " ran out before its try ("
                    + found + ")");
        }
    }

    /** The message is ACCEPTED and this claim is still its claim. */
    static boolean holds(RelayedMessage message, RelayDispatcher.Claim claim) {
        return message.state() == MessageState.ACCEPTED && message.nextAttempt() != null
                && message.nextAttempt().toEpochMilli() == claim.until().toEpochMilli();
    }

    /** A push on its way and its result. */
    private record Push(RelayedMessage message, CompletableFuture<PushClient.Result> result) {
    }

    /**
     * The pushes of one batch: they go out together, each target's at most as many at once as the
     * slots its cap gave this batch (traffic control); a target's further pushes in the batch follow
     * one of its earlier ones on that slot. The slots are given back once every push has ended.
     */
    private final class Pushes {
        private final List<Push> started = new ArrayList<>();
        private final List<DeliverySlots.Slot> slotsHeld = new ArrayList<>();
        /** target ID -> the last push of each of its lanes (one per slot held) */
        private final Map<String, List<CompletableFuture<PushClient.Result>>> lanes = new HashMap<>();
        private int turn;

        /** Starts the push, or false when its target has no slot free (none for this batch either). */
        boolean start(RelayedMessage message, Route route) {
            List<CompletableFuture<PushClient.Result>> targetLanes = lanes.computeIfAbsent(message.targetId(), k -> new ArrayList<>());
            URI address = route.pushAddress();
            JsonObject document = DeliveryDocument.of(message, nodeIdentity.uri().orElse(null));
            Optional<DeliverySlots.Slot> slot = slots.tryAcquire(message.targetId(), route.agentUri());
            CompletableFuture<PushClient.Result> result;
            if (slot.isPresent()) {
                slotsHeld.add(slot.get()); // given back by settlePushes, whatever happens from here on
                result = push.postAsync(address, document, message.id());
                targetLanes.add(result);
            } else if (!targetLanes.isEmpty()) {
                int lane = Math.floorMod(turn++, targetLanes.size());
                result = targetLanes.get(lane).thenCompose(before -> push.postAsync(address, document, message.id()));
                targetLanes.set(lane, result);
            } else {
                return false;
            }
            started.add(new Push(message, result));
            return true;
        }
    }

    /** Puts the message in its target's inbox, or starts its push (settled by {@link #settlePushes}). */
    private boolean deliverHere(RelayedMessage message, Route route, Pushes pushes) {
        Instant now = clock.instant();
        if (!route.applicable()) {
            return retry(message, route.reason());
        }
        if (route.delivery() == Route.Delivery.PULL) {
            message.inInbox(now);
            arrivals.fire(new InboxArrival(message.targetId()));
            return false;
        }
        if (!pushes.start(message, route)) {
            defer(message);
        }
        return false;
    }

    /** The messages for one peer, cut into relay calls of at most {@link #MAX_BATCH_CHARS} and the batch size. */
    private List<List<Outgoing>> calls(List<Outgoing> group) {
        List<List<Outgoing>> calls = new ArrayList<>();
        List<Outgoing> call = new ArrayList<>();
        int chars = 0;
        for (Outgoing outgoing : group) {
            int size = outgoing.message().jws().length() + outgoing.message().senderChain().length();
            if (!call.isEmpty() && (chars + size > MAX_BATCH_CHARS || call.size() >= MessageService.MAX_RELAY_BATCH)) {
                calls.add(call);
                call = new ArrayList<>();
                chars = 0;
            }
            call.add(outgoing);
            chars += size;
        }
        if (!call.isEmpty()) {
            calls.add(call);
        }
        return calls;
    }

    /**
     * One relay call for messages to one peer: the batch form, or the single form for one message (and
     * for a peer that has no batch endpoint, 404). Each message's outcome is its own result's.
     */
    private void forward(List<Outgoing> call) {
        Route route = call.get(0).route();
        String base = route.nextHop().toString().replaceAll("/+$", "") + "/api/v1/agw/relay";
        if (call.size() == 1) {
            Outgoing only = call.get(0);
            PeerClient.PeerResponse response = post(call, URI.create(base), relayBody(only.message()));
            if (response != null) {
                settle(only, response.status(), response.body());
            }
            return;
        }
        JsonArrayBuilder items = Json.createArrayBuilder();
        call.forEach(o -> items.add(relayBody(o.message())));
        PeerClient.PeerResponse response = post(call, URI.create(base + "/batch"),
                Json.createObjectBuilder().add("messages", items).build());
        if (response == null) {
            return;
        }
        if (response.status() == 404 || response.status() == 405) {
            call.forEach(o -> forward(List.of(o))); // a peer without relay batches
            return;
        }
        if (response.status() != 200) {
            call.forEach(o -> settle(o, response.status(), response.body()));
            return;
        }
        Map<String, JsonObject> results = new HashMap<>();
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            for (JsonValue value : reader.readObject().getJsonArray("results")) {
                JsonObject result = value.asJsonObject();
                results.put(result.getString("messageId", ""), result);
            }
        } catch (RuntimeException e) {
            call.forEach(o -> retry(o.message(), "peer " + route.peerDomain() + " answered the relay batch with no readable results"));
            return;
        }
        for (Outgoing outgoing : call) {
            JsonObject result = results.get(outgoing.message().id());
            if (result == null) {
                retry(outgoing.message(), "peer " + route.peerDomain() + " gave no result for the message");
            } else {
                settle(outgoing, result.getInt("status", 500), result.getString("detail", ""));
            }
        }
    }

    /** The call, or null when it failed or the peer is not who it should be (each message's try recorded). */
    private PeerClient.PeerResponse post(List<Outgoing> call, URI uri, JsonObject body) {
        Route route = call.get(0).route();
        PeerClient.PeerResponse response;
        try {
            response = peerClient.postJson(uri, body.toString());
        } catch (PeerClient.PeerException e) {
            call.forEach(o -> retry(o.message(), "peer " + route.peerDomain() + ": " + e.getMessage()));
            return null;
        }
        if (route.peerGatewayUri() != null && response.peerIdentity().filter(route.peerGatewayUri()::equals).isEmpty()) {
            call.forEach(o -> retry(o.message(), "the gateway at " + route.nextHop() + " is "
                    + response.peerIdentity().orElse("unnamed") + ", not the peer " + route.peerGatewayUri()));
            return null;
        }
        return response;
    }

    private void settle(Outgoing outgoing, int status, String body) {
        RelayedMessage message = outgoing.message();
        Route route = outgoing.route();
        if (status >= 200 && status < 300) {
            message.forwarded(route.peerId(), clock.instant());
        } else if (status >= 500 || RETRIED_STATUSES.contains(status)) {
            retry(message, "peer " + route.peerDomain() + " answered HTTP " + status + detail(body));
        } else {
            fail(message, "peer " + route.peerDomain() + " refused the message: HTTP " + status + detail(body));
        }
    }

    static JsonObject relayBody(RelayedMessage message) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("messageId", message.id());
        if (message.senderId() != null) {
            body.add("senderId", message.senderId());
        }
        return body.add("senderCertificate", message.senderChain()).add("jws", message.jws()).build();
    }

    /** @return whether a receipt became owed (the message failed for good) */
    private boolean retry(RelayedMessage message, String reason) {
        Instant now = clock.instant();
        int tries = message.attempts() + 1;
        if (tries >= settings.maxAttempts()) {
            return fail(message, "gave up after " + tries + " tries: " + reason);
        }
        Duration delay = settings.backoff(tries);
        message.retryAt(now.plus(delay), reason, now);
        LOG.fine(() -> "relayed message " + message.id() + " try " + tries + " failed (" + reason + "); next in " + delay);
        return false;
    }

    /**
     * The target has its cap of deliveries in progress (traffic control): the message is due again
     * after a short wait, for the same try; it is neither a try nor a failure.
     */
    private void defer(RelayedMessage message) {
        Duration wait = slots.waitFor();
        Instant now = clock.instant();
        message.deferredTo(now.plus(wait), now);
        LOG.fine(() -> "relayed message " + message.id() + ": " + message.targetId() + " at its cap of deliveries; again in " + wait);
    }

    /** @return whether a receipt became owed */
    private boolean fail(RelayedMessage message, String reason) {
        message.failed(reason, true, clock.instant());
        LOG.info(() -> "relayed message " + message.id() + " to " + message.targetId() + " FAILED: " + reason);
        return receipts.owe(message);
    }

    private static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body.strip();
        return ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
}
