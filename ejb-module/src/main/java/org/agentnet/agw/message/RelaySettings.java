package org.agentnet.agw.message;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The relay's settings (docs/agw.md "Retries and failure", "Inbox"), checked once at start. */
@ApplicationScoped
public class RelaySettings {

    @Inject
    @ConfigProperty(name = "agentnet.agw.relay.retry.initial-delay")
    Duration initialDelay;

    @Inject
    @ConfigProperty(name = "agentnet.agw.relay.retry.factor")
    double factor;

    @Inject
    @ConfigProperty(name = "agentnet.agw.relay.retry.max-delay")
    Duration maxDelay;

    @Inject
    @ConfigProperty(name = "agentnet.agw.relay.retry.max-attempts")
    int maxAttempts;

    @Inject
    @ConfigProperty(name = "agentnet.agw.relay.delivery.connect-timeout")
    Duration connectTimeout;

    @Inject
    @ConfigProperty(name = "agentnet.agw.relay.delivery.request-timeout")
    Duration requestTimeout;

    @Inject
    @ConfigProperty(name = "agentnet.agw.relay.recovery-grace")
    Duration recoveryGrace;

    @Inject
    @ConfigProperty(name = "agentnet.agw.relay.retention")
    Duration retention;

    @Inject
    @ConfigProperty(name = "agentnet.agw.inbox.max-wait")
    Duration inboxMaxWait;

    @Inject
    @ConfigProperty(name = "agentnet.agw.inbox.lease")
    Duration inboxLease;

    @Inject
    @ConfigProperty(name = "agentnet.agw.inbox.max-waiters")
    int inboxMaxWaiters;

    @Inject
    @ConfigProperty(name = "agentnet.agw.relay.writers")
    int writers;

    @Inject
    @ConfigProperty(name = "agentnet.agw.relay.writer.batch-size")
    int writerBatchSize;

    @Inject
    @ConfigProperty(name = "agentnet.agw.relay.dispatchers")
    int dispatchers;

    @Inject
    @ConfigProperty(name = "agentnet.agw.relay.batch-size")
    int batchSize;

    @Inject
    @ConfigProperty(name = "agentnet.agw.relay.poll-interval")
    Duration pollInterval;

    @Inject
    @ConfigProperty(name = "agentnet.peer.connect-timeout")
    Duration peerConnectTimeout;

    @Inject
    @ConfigProperty(name = "agentnet.peer.request-timeout")
    Duration peerRequestTimeout;

    @PostConstruct
    void check() {
        require(writers >= 1 && writers <= 16, "agentnet.agw.relay.writers must be 1 to 16");
        require(writerBatchSize >= 1 && writerBatchSize <= 1000, "agentnet.agw.relay.writer.batch-size must be 1 to 1000");
        require(dispatchers >= 1 && dispatchers <= 64, "agentnet.agw.relay.dispatchers must be 1 to 64");
        require(batchSize >= 1 && batchSize <= 100, "agentnet.agw.relay.batch-size must be 1 to 100");
        require(pollInterval.toMillis() >= 10 && pollInterval.toSeconds() <= 60, "agentnet.agw.relay.poll-interval must be 10 ms to 60 s");
        require(!initialDelay.isNegative() && initialDelay.toMillis() >= 10, "agentnet.agw.relay.retry.initial-delay must be at least 10 ms");
        require(factor >= 1.0 && factor <= 10.0, "agentnet.agw.relay.retry.factor must be 1 to 10");
        require(maxDelay.compareTo(initialDelay) >= 0, "agentnet.agw.relay.retry.max-delay must be at least the initial delay");
        require(maxAttempts >= 1 && maxAttempts <= 1000, "agentnet.agw.relay.retry.max-attempts must be 1 to 1000");
        require(connectTimeout.toMillis() >= 100 && requestTimeout.toMillis() >= 100,
                "agentnet.agw.relay.delivery timeouts must be at least 100 ms");
        require(requestTimeout.toSeconds() <= 60, "agentnet.agw.relay.delivery.request-timeout must be at most 60 s (it runs in the delivery's transaction)");
        require(recoveryGrace.toSeconds() >= 1, "agentnet.agw.relay.recovery-grace must be at least one second");
        require(retention.compareTo(maxDelay.multipliedBy(maxAttempts)) > 0,
                "agentnet.agw.relay.retention must be longer than the retries of a message (max-delay x max-attempts): "
                        + "a peer repeating a forgotten message would have it delivered twice");
        require(inboxMaxWait.toSeconds() >= 0 && inboxMaxWait.toSeconds() <= 300, "agentnet.agw.inbox.max-wait must be 0 to 300 s");
        require(inboxLease.toSeconds() >= 1, "agentnet.agw.inbox.lease must be at least one second");
        require(inboxMaxWaiters >= 1, "agentnet.agw.inbox.max-waiters must be positive");
    }

    /** The wait before try number {@code attempt + 1}, after {@code attempt} (1, 2, ...) failed tries. */
    public Duration backoff(int attempt) {
        double millis = initialDelay.toMillis() * Math.pow(factor, Math.max(0, attempt - 1));
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
    }

    public int writers() {
        return writers;
    }

    public int writerBatchSize() {
        return writerBatchSize;
    }

    public int dispatchers() {
        return dispatchers;
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    /**
     * How long a dispatcher's claim on a message lasts: longer than a try (the longest call it makes,
     * a push or a relay call, with its connect timeout) by the recovery grace. A claim whose node died
     * is taken by another dispatcher after it.
     */
    public Duration claimLease() {
        Duration push = connectTimeout.plus(requestTimeout);
        Duration relay = peerConnectTimeout.plus(peerRequestTimeout);
        return (push.compareTo(relay) >= 0 ? push : relay).plus(recoveryGrace);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration recoveryGrace() {
        return recoveryGrace;
    }

    public Duration retention() {
        return retention;
    }

    public Duration inboxMaxWait() {
        return inboxMaxWait;
    }

    public Duration inboxLease() {
        return inboxLease;
    }

    public int inboxMaxWaiters() {
        return inboxMaxWaiters;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
