package org.agentnet.agw.message;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.time.Clock;
import org.agentnet.agw.relay.RelayEnvelope;
import org.agentnet.agw.relay.RelayQueue;

/**
 * Delivery receipts (docs/agw.md "Relay"): when a message that a peer gateway handed over is
 * delivered here (or fails here), the peer is told, so that the origin shows DELIVERED (or FAILED
 * with the reason) instead of FORWARDED. The receipt goes on the relay queue in the transaction that
 * settled the message and is sent by {@link ReceiptDelivery}, with retries.
 */
@ApplicationScoped
public class Receipts {

    public static final String KIND = "agw.receipt";

    @EJB
    RelayQueue queue;

    @Inject
    Clock clock;

    void delivered(RelayedMessage message) {
        send(message, MessageState.DELIVERED, null);
    }

    void failed(RelayedMessage message) {
        send(message, MessageState.FAILED, message.lastError());
    }

    private void send(RelayedMessage message, MessageState state, String reason) {
        if (message.receivedFrom() == null) {
            return;
        }
        JsonObjectBuilder receipt = Json.createObjectBuilder()
                .add("gateway", message.receivedFrom())
                .add("state", state.name())
                .add("at", clock.instant().toString())
                .add("attempt", 0);
        if (reason != null) {
            receipt.add("reason", reason);
        }
        queue.send(new RelayEnvelope(KIND, message.id(), receipt.build().toString()));
    }
}
