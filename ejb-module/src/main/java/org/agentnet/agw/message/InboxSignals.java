package org.agentnet.agw.message;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * The long-polls waiting for an agent's inbox: a waiter registers a wake-up call, and a message put
 * in that inbox wakes every waiter of the agent once the message committed. Bounded
 * ({@code agentnet.agw.inbox.max-waiters}); the waiter takes its messages itself, so a wake-up that
 * finds nothing (another poll was faster) only ends that poll early.
 */
@ApplicationScoped
public class InboxSignals {

    /** A registration; {@link #cancel} it when the poll ends any other way. */
    public interface Waiter {
        void cancel();
    }

    @Inject
    RelaySettings settings;

    private final Map<String, List<Runnable>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    public Waiter await(String agentId, Runnable wake) {
        if (count.incrementAndGet() > settings.inboxMaxWaiters()) {
            count.decrementAndGet();
            throw new AgentnetException(ProblemType.SERVICE_UNAVAILABLE, "too many inbox long-polls are waiting; poll again shortly");
        }
        waiting.computeIfAbsent(agentId, k -> new CopyOnWriteArrayList<>()).add(wake);
        return () -> {
            List<Runnable> list = waiting.get(agentId);
            if (list != null && list.remove(wake)) {
                count.decrementAndGet();
                waiting.computeIfPresent(agentId, (k, v) -> v.isEmpty() ? null : v);
            }
        };
    }

    void arrived(@Observes(during = TransactionPhase.AFTER_SUCCESS) InboxArrival arrival) {
        List<Runnable> list = waiting.remove(arrival.targetId());
        if (list == null) {
            return;
        }
        count.addAndGet(-list.size());
        list.forEach(Runnable::run);
    }
}
