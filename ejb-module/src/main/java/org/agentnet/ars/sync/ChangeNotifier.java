package org.agentnet.ars.sync;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import java.net.URI;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.agentnet.ars.AgentChanged;
import org.agentnet.node.NodeService;
import org.agentnet.security.PeerClient;

/**
 * Tells the peer ARSs at once that an agent of this origin changed, so that they pull now rather
 * than at their next timed pull (sub-second convergence). Only a hint: a lost notification
 * delays a peer until its timer, nothing more. Bursts of changes make one notification in
 * flight and at most one more after it.
 */
@ApplicationScoped
public class ChangeNotifier {

    private static final Logger LOG = Logger.getLogger(ChangeNotifier.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider();
    static final String NOTIFICATION_PATH = ArsSynchronizer.FEED_PATH + "/notifications";

    @Resource
    ManagedExecutorService executor;

    @EJB
    ArsPeers peers;

    @EJB
    NodeService node;

    @Inject
    PeerClient client;

    @Inject
    SyncSettings settings;

    private final AtomicBoolean pending = new AtomicBoolean();

    void changed(@Observes(during = TransactionPhase.AFTER_SUCCESS) AgentChanged event) {
        if (!event.agent().local() || !settings.notifyPeers() || !pending.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.submit(this::notifyPeers);
        } catch (RejectedExecutionException e) {
            pending.set(false);
        }
    }

    private void notifyPeers() {
        pending.set(false); // changes from now on need a notification of their own
        String body = JSON.createObjectBuilder().add("node", node.nodeId()).build().toString();
        for (ArsPeer peer : peers.all()) {
            try {
                var answer = client.postJson(URI.create(peer.url() + NOTIFICATION_PATH), body);
                if (answer.status() != 202) {
                    LOG.info(() -> "ARS peer " + peer.url() + " answered " + answer.status() + " to a change notification: "
                            + answer.body().substring(0, Math.min(answer.body().length(), 300)));
                }
            } catch (RuntimeException e) {
                // a peer that is down is told by its pulls; no log line per change
                LOG.fine(() -> "ARS peer " + peer.url() + " not notified: " + e.getMessage());
            }
        }
    }
}
