package org.agentnet.agw.message;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Delivery receipts (docs/agw.md "Relay"): when a message that a peer gateway handed over is
 * delivered here (or fails here), the peer is told, so that the origin shows DELIVERED (or FAILED
 * with the reason) instead of FORWARDED. The receipt is owed on the message's row in the transaction
 * that settled it and sent by {@link ReceiptDelivery}, batched per peer, with retries.
 */
@ApplicationScoped
public class Receipts {

    @Inject
    Clock clock;

    /** The message settled (DELIVERED or FAILED): @return whether a receipt is owed (the message came from a peer) */
    boolean owe(RelayedMessage message) {
        message.receiptOwed(clock.instant());
        return message.receivedFrom() != null;
    }
}
