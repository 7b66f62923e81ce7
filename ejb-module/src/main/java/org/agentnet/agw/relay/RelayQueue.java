package org.agentnet.agw.relay;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;

/**
 * Puts messages on the persistent relay queue. The send joins the caller's transaction: the
 * message is only visible to consumers if the caller's database work commits too.
 */
@Stateless
public class RelayQueue {

    static final String KIND = "agentnetKind";
    static final String ENVELOPE_ID = "agentnetId";

    @Inject
    JMSContext jms;

    @Resource(lookup = "jms/agentnet/RelayQueue")
    Queue queue;

    public void send(RelayEnvelope envelope) {
        send(envelope, java.time.Duration.ZERO);
    }

    /**
     * Sends the envelope so that it is delivered no earlier than {@code delay} from now (JMS delivery
     * delay; the message is persistent meanwhile): the relay's back-off between tries.
     */
    public void send(RelayEnvelope envelope, java.time.Duration delay) {
        TextMessage message = jms.createTextMessage(envelope.payload());
        try {
            message.setStringProperty(KIND, envelope.kind());
            message.setStringProperty(ENVELOPE_ID, envelope.id());
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException("cannot label relay message", e);
        }
        jakarta.jms.JMSProducer producer = jms.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT);
        if (delay != null && !delay.isZero() && !delay.isNegative()) {
            producer.setDeliveryDelay(delay.toMillis());
        }
        producer.send(queue, message);
    }

    static RelayEnvelope read(jakarta.jms.Message message) throws jakarta.jms.JMSException {
        String payload = message instanceof TextMessage text ? text.getText() : null;
        return new RelayEnvelope(message.getStringProperty(KIND), message.getStringProperty(ENVELOPE_ID), payload);
    }
}
