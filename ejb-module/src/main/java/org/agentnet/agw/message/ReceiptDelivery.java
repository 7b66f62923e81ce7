package org.agentnet.agw.message;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import org.agentnet.agw.peering.PeerGateways;
import org.agentnet.agw.relay.RelayEnvelope;
import org.agentnet.agw.relay.RelayMessageHandler;
import org.agentnet.agw.relay.RelayQueue;
import org.agentnet.security.PeerClient;

/**
 * Sends delivery receipts ({@link Receipts}) to the peer gateway a message came from:
 * {@code POST <peer>/api/v1/agw/relay/receipts}. Tried with the relay's back-off up to its
 * max-attempts; a receipt the peer refuses (4xx) or that runs out of tries is dropped with a
 * warning (the message itself was delivered: only the origin's view stays FORWARDED).
 */
@ApplicationScoped
public class ReceiptDelivery implements RelayMessageHandler {

    private static final Logger LOG = Logger.getLogger(ReceiptDelivery.class.getName());

    @EJB
    RelayQueue queue;

    @Inject
    Instance<PeerGateways> peers;

    @Inject
    PeerClient peerClient;

    @Inject
    RelaySettings settings;

    @Override
    public String kind() {
        return Receipts.KIND;
    }

    @Override
    public Outcome deliver(RelayEnvelope envelope, int deliveryCount) {
        JsonObject receipt;
        try (var reader = Json.createReader(new StringReader(envelope.payload()))) {
            receipt = reader.readObject();
        } catch (RuntimeException e) {
            LOG.warning(() -> "unreadable receipt for message " + envelope.id() + " dropped");
            return Outcome.DELIVERED;
        }
        String gateway = receipt.getString("gateway", "");
        int attempt = receipt.getInt("attempt", 0) + 1;
        Optional<PeerGateways.PeerHop> peer = peers.isResolvable() ? peers.get().peerByGatewayUri(gateway) : Optional.empty();
        if (peer.isEmpty()) {
            LOG.warning(() -> "receipt for message " + envelope.id() + " dropped: " + gateway + " is no longer a peer");
            return Outcome.DELIVERED;
        }
        JsonObjectBuilder body = Json.createObjectBuilder().add("messageId", envelope.id())
                .add("state", receipt.getString("state")).add("at", receipt.getString("at"));
        if (receipt.containsKey("reason")) {
            body.add("reason", receipt.getString("reason"));
        }
        URI uri = URI.create(peer.get().baseUrl().toString().replaceAll("/+$", "") + "/api/v1/agw/relay/receipts");
        String problem;
        try {
            PeerClient.PeerResponse response = peerClient.postJson(uri, body.build().toString());
            if (response.status() >= 200 && response.status() < 300) {
                return Outcome.DELIVERED;
            }
            if (response.status() >= 400 && response.status() < 500 && response.status() != 408 && response.status() != 429) {
                LOG.warning(() -> "receipt for message " + envelope.id() + " refused by " + gateway + ": HTTP " + response.status()
                        + " " + response.body());
                return Outcome.DELIVERED;
            }
            problem = "HTTP " + response.status();
        } catch (PeerClient.PeerException e) {
            problem = e.getMessage();
        }
        if (attempt >= settings.maxAttempts()) {
            String last = problem;
            LOG.warning(() -> "receipt for message " + envelope.id() + " to " + gateway + " given up after " + attempt + " tries: " + last);
            return Outcome.DELIVERED;
        }
        Duration delay = settings.backoff(attempt);
        JsonObjectBuilder next = Json.createObjectBuilder(receipt).add("attempt", attempt);
        queue.send(new RelayEnvelope(Receipts.KIND, envelope.id(), next.build().toString()), delay);
        return Outcome.DELIVERED;
    }

    @Override
    public void deadLettered(RelayEnvelope envelope) {
        LOG.warning(() -> "receipt for message " + envelope.id() + " dead-lettered");
    }
}
