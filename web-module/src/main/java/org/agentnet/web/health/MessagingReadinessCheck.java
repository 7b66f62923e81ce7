package org.agentnet.web.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import java.util.Enumeration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the messaging engine accepts a connection and the relay queue can be browsed. */
@Readiness
@ApplicationScoped
public class MessagingReadinessCheck implements HealthCheck {

    @Resource(lookup = "jms/agentnet/ConnectionFactory")
    ConnectionFactory connectionFactory;

    @Resource(lookup = "jms/agentnet/RelayQueue")
    Queue relayQueue;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("messaging");
        try (JMSContext context = connectionFactory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = context.createBrowser(relayQueue)) {
            Enumeration<?> pending = browser.getEnumeration();
            return response.up().withData("relayQueue", relayQueue.getQueueName())
                    .withData("relayQueueHasMessages", pending.hasMoreElements())
                    .build();
        } catch (Exception e) {
            return response.down().withData("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
