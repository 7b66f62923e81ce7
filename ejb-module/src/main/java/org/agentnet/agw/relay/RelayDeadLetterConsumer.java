package org.agentnet.agw.relay;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.logging.Logger;

/**
 * Consumes the relay dead-letter queue: tells the message's handler that delivery has been given
 * up, so the failure becomes a visible state instead of a silent loss. Activation spec
 * {@code agentnet/agentnet-ejb/RelayDeadLetterConsumer}.
 */
@MessageDriven(name = "RelayDeadLetterConsumer", activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue")
})
public class RelayDeadLetterConsumer implements MessageListener {

    private static final Logger LOG = Logger.getLogger(RelayDeadLetterConsumer.class.getName());

    @Inject
    RelayHandlers handlers;

    @Override
    public void onMessage(Message message) {
        RelayEnvelope envelope;
        try {
            envelope = RelayQueue.read(message);
        } catch (JMSException | NullPointerException e) {
            LOG.severe(() -> "unreadable dead-lettered relay message " + RelayQueueConsumer.describe(message) + " dropped: " + e);
            return;
        }
        LOG.warning(() -> "relay message " + envelope.id() + " of kind " + envelope.kind() + " dead-lettered");
        handlers.forKind(envelope.kind()).ifPresent(handler -> handler.deadLettered(envelope));
    }
}
