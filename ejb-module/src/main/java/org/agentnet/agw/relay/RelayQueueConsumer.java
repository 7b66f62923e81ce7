package org.agentnet.agw.relay;

import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.MessageDrivenContext;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Consumes the relay queue. Each delivery runs in one transaction with the handler's work; a
 * handler that asks to retry, or fails, rolls it back and the messaging engine redelivers, up to
 * the queue's maxRedeliveryCount, after which the message moves to the dead-letter queue
 * ({@link RelayDeadLetterConsumer}). Its activation spec in server.xml is
 * {@code agentnet/agentnet-ejb/RelayQueueConsumer}.
 */
@MessageDriven(name = "RelayQueueConsumer", activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue")
})
public class RelayQueueConsumer implements MessageListener {

    private static final Logger LOG = Logger.getLogger(RelayQueueConsumer.class.getName());

    @Resource
    MessageDrivenContext context;

    @Inject
    RelayHandlers handlers;

    @Override
    public void onMessage(Message message) {
        RelayEnvelope envelope;
        int deliveryCount;
        try {
            envelope = RelayQueue.read(message);
            deliveryCount = message.propertyExists("JMSXDeliveryCount") ? message.getIntProperty("JMSXDeliveryCount") : 1;
        } catch (JMSException | NullPointerException e) {
            LOG.warning(() -> "unreadable relay message " + describe(message) + " retried: " + e);
            context.setRollbackOnly();
            return;
        }
        Optional<RelayMessageHandler> handler = handlers.forKind(envelope.kind());
        if (handler.isEmpty()) {
            LOG.warning(() -> "no handler for relay message kind " + envelope.kind() + " (" + envelope.id() + ")");
            context.setRollbackOnly();
            return;
        }
        if (handler.get().deliver(envelope, deliveryCount) == RelayMessageHandler.Outcome.RETRY) {
            LOG.fine(() -> "relay message " + envelope.id() + " delivery " + deliveryCount + " to be retried");
            context.setRollbackOnly();
        }
    }

    static String describe(Message message) {
        try {
            return message.getJMSMessageID();
        } catch (JMSException e) {
            return "(no id)";
        }
    }
}
