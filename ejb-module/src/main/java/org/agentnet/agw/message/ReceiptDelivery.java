package org.agentnet.agw.message;

import jakarta.ejb.EJB;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.agentnet.agw.peering.PeerGateways;
import org.agentnet.security.PeerClient;

/**
 * Sends the delivery receipts owed to peer gateways ({@link Receipts}), claimed by the
 * {@link RelayDispatcher}: those for one peer in one call, {@code POST <peer>/api/v1/agw/relay/receipts/batch}
 * (one by one to a peer without it, 404). Tried with the relay's back-off up to its max-attempts; a
 * receipt the peer refuses (4xx) or that runs out of tries is dropped with a warning (the message
 * itself was delivered: only the origin's view stays FORWARDED). Not in a transaction while it calls
 * the peer; the outcomes are written in one transaction afterwards, each only while the claim holds.
 */
@Stateless
@LocalBean
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ReceiptDelivery {

    private static final Logger LOG = Logger.getLogger(ReceiptDelivery.class.getName());

    @EJB
    RelayedMessages messages;

    @Inject
    Instance<PeerGateways> peers;

    @Inject
    PeerClient peerClient;

    @Inject
    RelaySettings settings;

    @Inject
    Clock clock;

    /** Sends the receipts of the messages claimed until {@code claim}, and records what became of each. */
    public void send(List<String> ids, Instant claim) {
        Map<String, List<RelayedMessage>> byPeer = new LinkedHashMap<>();
        Map<String, RelayedMessage> rows = messages.findAll(ids);
        for (String id : ids) {
            Optional.ofNullable(rows.get(id)).filter(m -> m.receivedFrom() != null && m.receiptDue() != null
                            && m.receiptDue().toEpochMilli() == claim.toEpochMilli())
                    .ifPresent(m -> byPeer.computeIfAbsent(m.receivedFrom(), k -> new ArrayList<>()).add(m));
        }
        Map<String, Instant> outcomes = new LinkedHashMap<>(); // message ID -> next try, or null: settled
        for (Map.Entry<String, List<RelayedMessage>> entry : byPeer.entrySet()) {
            List<RelayedMessage> owed = entry.getValue();
            for (int from = 0; from < owed.size(); from += MessageService.MAX_RELAY_BATCH) {
                sendTo(entry.getKey(), owed.subList(from, Math.min(owed.size(), from + MessageService.MAX_RELAY_BATCH)), outcomes);
            }
        }
        if (!outcomes.isEmpty()) {
            messages.receiptOutcomes(outcomes, claim);
        }
    }

    private void sendTo(String gateway, List<RelayedMessage> owed, Map<String, Instant> outcomes) {
        Optional<PeerGateways.PeerHop> peer = peers.isResolvable() ? peers.get().peerByGatewayUri(gateway) : Optional.empty();
        if (peer.isEmpty()) {
            LOG.warning(() -> owed.size() + " receipts dropped: " + gateway + " is no longer a peer");
            owed.forEach(m -> outcomes.put(m.id(), null));
            return;
        }
        String base = peer.get().baseUrl().toString().replaceAll("/+$", "") + "/api/v1/agw/relay/receipts";
        if (owed.size() > 1) {
            JsonArrayBuilder items = Json.createArrayBuilder();
            owed.forEach(m -> items.add(receipt(m)));
            String problem;
            try {
                PeerClient.PeerResponse response = peerClient.postJson(URI.create(base + "/batch"),
                        Json.createObjectBuilder().add("receipts", items).build().toString());
                if (response.status() == 200) {
                    Map<String, Integer> statuses = new HashMap<>();
                    try (var reader = Json.createReader(new StringReader(response.body()))) {
                        for (JsonValue value : reader.readObject().getJsonArray("results")) {
                            JsonObject result = value.asJsonObject();
                            statuses.put(result.getString("messageId", ""), result.getInt("status", 500));
                        }
                    }
                    owed.forEach(m -> outcome(gateway, m, statuses.getOrDefault(m.id(), 500), "HTTP " + statuses.get(m.id()), outcomes));
                    return;
                }
                if (response.status() != 404 && response.status() != 405) {
                    owed.forEach(m -> outcome(gateway, m, response.status(), "HTTP " + response.status() + " " + response.body(), outcomes));
                    return;
                }
                problem = null; // a peer without receipt batches: one by one
            } catch (RuntimeException e) {
                problem = PeerClient.describe(e);
            }
            if (problem != null) {
                String why = problem;
                owed.forEach(m -> outcome(gateway, m, 503, why, outcomes));
                return;
            }
        }
        for (RelayedMessage message : owed) {
            try {
                PeerClient.PeerResponse response = peerClient.postJson(URI.create(base), receipt(message).toString());
                outcome(gateway, message, response.status(), "HTTP " + response.status() + " " + response.body(), outcomes);
            } catch (PeerClient.PeerException e) {
                outcome(gateway, message, 503, e.getMessage(), outcomes);
            }
        }
    }

    private void outcome(String gateway, RelayedMessage message, int status, String problem, Map<String, Instant> outcomes) {
        if (status >= 200 && status < 300) {
            outcomes.put(message.id(), null);
        } else if (status >= 400 && status < 500 && status != 408 && status != 429) {
            LOG.warning(() -> "receipt for message " + message.id() + " refused by " + gateway + ": " + problem);
            outcomes.put(message.id(), null);
        } else if (message.receiptAttempts() + 1 >= settings.maxAttempts()) {
            LOG.warning(() -> "receipt for message " + message.id() + " to " + gateway + " given up after "
                    + (message.receiptAttempts() + 1) + " tries: " + problem);
            outcomes.put(message.id(), null);
        } else {
            outcomes.put(message.id(), clock.instant().plus(settings.backoff(message.receiptAttempts() + 1)));
        }
    }

    private static JsonObject receipt(RelayedMessage message) {
        boolean delivered = message.state() == MessageState.DELIVERED;
        Instant at = delivered && message.deliveredAt() != null ? message.deliveredAt() : message.updatedAt();
        JsonObjectBuilder receipt = Json.createObjectBuilder().add("messageId", message.id())
                .add("state", delivered ? "DELIVERED" : "FAILED").add("at", at.toString());
        if (!delivered && message.lastError() != null) {
            receipt.add("reason", message.lastError());
        }
        return receipt.build();
    }
}
