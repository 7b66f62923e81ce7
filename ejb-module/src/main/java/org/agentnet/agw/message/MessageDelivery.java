package org.agentnet.agw.message;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.agentnet.agw.relay.RelayEnvelope;
import org.agentnet.agw.relay.RelayMessageHandler;
import org.agentnet.agw.relay.RelayQueue;
import org.agentnet.agw.routing.Route;
import org.agentnet.agw.routing.RoutingTable;
import org.agentnet.agw.traffic.DeliverySlots;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.security.NodeIdentity;
import org.agentnet.security.PeerClient;

/**
 * Delivers relayed messages from the relay queue, in the queue delivery's transaction
 * (docs/agw.md "Relay", "Retries and failure"). Each queue entry carries the number of the try it
 * is for; an entry whose message is settled or already past that try is a repeat and is dropped,
 * so a message is tried once per entry however often the queue or the recovery sweep repeat it.
 * A failed try is recorded and the message is put back on the queue with a delivery delay (the
 * back-off) in the same transaction; after the last try it is FAILED with the reason.
 */
@ApplicationScoped
public class MessageDelivery implements RelayMessageHandler {

    private static final Logger LOG = Logger.getLogger(MessageDelivery.class.getName());
    /** How long a delivery waits for its row (the XA commit's phases may make the queue entry visible first). */
    static final Duration ROW_VISIBILITY_WAIT = Duration.ofSeconds(2);
    private static final List<Integer> RETRIED_STATUSES = List.of(408, 425, 429);

    @EJB
    RelayedMessages messages;

    @EJB
    RoutingTable routes;

    @EJB
    RelayQueue queue;

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

    @Override
    public String kind() {
        return MessageService.KIND;
    }

    @Override
    public Outcome deliver(RelayEnvelope envelope, int deliveryCount) {
        RelayedMessage message = awaitRow(envelope.id());
        if (message == null) {
            LOG.fine(() -> "relayed message " + envelope.id() + " not found (delivery " + deliveryCount + "); to be retried");
            return Outcome.RETRY;
        }
        if (message.state() != MessageState.ACCEPTED) {
            return Outcome.DELIVERED;
        }
        Integer attempt = attemptOf(envelope);
        if (attempt != null && attempt != message.attempts()) {
            LOG.fine(() -> "relayed message " + envelope.id() + ": entry for try " + attempt + " is stale (tries: " + message.attempts() + ")");
            return Outcome.DELIVERED;
        }
        Route route;
        try {
            route = routes.resolve(message.targetId());
        } catch (AgentnetException e) {
            fail(message, e.detail());
            return Outcome.DELIVERED;
        }
        if (route.isLocal()) {
            deliverHere(message, route);
        } else if (message.receivedFrom() != null) {
            fail(message, "agent " + message.targetId() + " is no longer an agent of this gateway");
        } else {
            forward(message, route);
        }
        return Outcome.DELIVERED;
    }

    private void deliverHere(RelayedMessage message, Route route) {
        Instant now = clock.instant();
        if (!route.applicable()) {
            retry(message, route.reason());
            return;
        }
        if (route.delivery() == Route.Delivery.PULL) {
            message.inInbox(now);
            arrivals.fire(new InboxArrival(message.targetId()));
            return;
        }
        Optional<DeliverySlots.Slot> slot = slots.tryAcquire(message.targetId(), route.agentUri());
        if (slot.isEmpty()) {
            defer(message);
            return;
        }
        PushClient.Result result;
        try {
            result = push.post(route.pushAddress(), DeliveryDocument.of(message, nodeIdentity.uri().orElse(null)), message.id());
        } finally {
            slot.get().close();
        }
        switch (result.outcome()) {
            case DELIVERED -> {
                message.delivered("LOCAL", clock.instant());
                receipts.delivered(message);
            }
            case REFUSED -> fail(message, result.detail());
            case RETRY -> retry(message, result.detail());
        }
    }

    private void forward(RelayedMessage message, Route route) {
        if (!route.applicable()) {
            retry(message, route.reason());
            return;
        }
        JsonObjectBuilder body = Json.createObjectBuilder().add("messageId", message.id());
        if (message.senderId() != null) {
            body.add("senderId", message.senderId());
        }
        body.add("senderCertificate", message.senderChain()).add("jws", message.jws());
        URI relay = URI.create(route.nextHop().toString().replaceAll("/+$", "") + "/api/v1/agw/relay");
        PeerClient.PeerResponse response;
        try {
            response = peerClient.postJson(relay, body.build().toString());
        } catch (PeerClient.PeerException e) {
            retry(message, "peer " + route.peerDomain() + ": " + e.getMessage());
            return;
        }
        int status = response.status();
        if (route.peerGatewayUri() != null && response.peerIdentity().filter(route.peerGatewayUri()::equals).isEmpty()) {
            retry(message, "the gateway at " + route.nextHop() + " is " + response.peerIdentity().orElse("unnamed")
                    + ", not the peer " + route.peerGatewayUri());
        } else if (status >= 200 && status < 300) {
            message.forwarded(route.peerId(), clock.instant());
        } else if (status >= 500 || RETRIED_STATUSES.contains(status)) {
            retry(message, "peer " + route.peerDomain() + " answered HTTP " + status + detail(response.body()));
        } else {
            fail(message, "peer " + route.peerDomain() + " refused the message: HTTP " + status + detail(response.body()));
        }
    }

    private void retry(RelayedMessage message, String reason) {
        Instant now = clock.instant();
        int tries = message.attempts() + 1;
        if (tries >= settings.maxAttempts()) {
            fail(message, "gave up after " + tries + " tries: " + reason);
            return;
        }
        Duration delay = settings.backoff(tries);
        message.retryAt(now.plus(delay), reason, now);
        queue.send(new RelayEnvelope(MessageService.KIND, message.id(), Integer.toString(message.attempts())), delay);
        LOG.fine(() -> "relayed message " + message.id() + " try " + tries + " failed (" + reason + "); next in " + delay);
    }

    /**
     * The target has its cap of deliveries in progress (traffic control): the message is put back on
     * the queue for the same try, after a short wait; it is neither a try nor a failure.
     */
    private void defer(RelayedMessage message) {
        Duration wait = slots.waitFor();
        Instant now = clock.instant();
        message.deferredTo(now.plus(wait), now);
        queue.send(new RelayEnvelope(MessageService.KIND, message.id(), Integer.toString(message.attempts())), wait);
        LOG.fine(() -> "relayed message " + message.id() + ": " + message.targetId() + " at its cap of deliveries; again in " + wait);
    }

    private void fail(RelayedMessage message, String reason) {
        message.failed(reason, true, clock.instant());
        receipts.failed(message);
        LOG.info(() -> "relayed message " + message.id() + " to " + message.targetId() + " FAILED: " + reason);
    }

    @Override
    public void deadLettered(RelayEnvelope envelope) {
        messages.findForUpdate(envelope.id()).filter(m -> m.state() == MessageState.ACCEPTED).ifPresent(message -> {
            message.failed("the gateway could not process the message (dead-lettered after repeated internal failures"
                    + (message.lastError() == null ? "" : "; last error: " + message.lastError()) + ")", false, clock.instant());
            receipts.failed(message);
        });
    }

    private RelayedMessage awaitRow(String id) {
        long deadline = System.nanoTime() + ROW_VISIBILITY_WAIT.toNanos();
        while (true) {
            Optional<RelayedMessage> row = messages.findForUpdate(id);
            if (row.isPresent() || System.nanoTime() > deadline) {
                return row.orElse(null);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private static Integer attemptOf(RelayEnvelope envelope) {
        try {
            return envelope.payload().isBlank() ? null : Integer.valueOf(envelope.payload().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body.strip();
        return ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
}
