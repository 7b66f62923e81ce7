package org.agentnet.agw.relay;

/**
 * Handles the relay queue's messages of one kind. Implementations are CDI beans; the consumer
 * calls them inside the delivery's transaction, so what they write commits with the message's
 * acknowledgement or not at all.
 */
public interface RelayMessageHandler {

    enum Outcome {
        /** Done: the message is acknowledged. */
        DELIVERED,
        /** Not now: roll back, the queue redelivers, and after the last try dead-letters it. */
        RETRY
    }

    String kind();

    /**
     * @param deliveryCount 1 on the first delivery, counted up by the messaging engine on each redelivery
     */
    Outcome deliver(RelayEnvelope envelope, int deliveryCount);

    /** Called once the message has exhausted its deliveries and reached the dead-letter queue. */
    void deadLettered(RelayEnvelope envelope);
}
