package org.agentnet.ars.sync;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Settings of ARS-ARS synchronization (docs/ars.md "Synchronization"; defaults in microprofile-config.properties). */
@ApplicationScoped
public class SyncSettings {

    @Inject
    @ConfigProperty(name = "agentnet.ars.sync.peers")
    Optional<List<String>> peers;

    @Inject
    @ConfigProperty(name = "agentnet.ars.sync.page-size")
    int pageSize;

    @Inject
    @ConfigProperty(name = "agentnet.ars.sync.max-pages-per-pull")
    int maxPagesPerPull;

    @Inject
    @ConfigProperty(name = "agentnet.ars.sync.notify")
    boolean notify;

    @Inject
    @ConfigProperty(name = "agentnet.ars.sync.max-peers")
    int maxPeers;

    /** Base URLs of the ARSs configured as peers (https://host:port). */
    public List<String> configuredPeers() {
        return peers.orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Changes asked for in one request of a peer's feed (the feed answers at most 1000). */
    public int pageSize() {
        return Math.max(1, Math.min(pageSize, 1000));
    }

    /** Pages applied in one pull before the next peer gets its turn; the rest waits for the next pull. */
    public int maxPagesPerPull() {
        return Math.max(1, maxPagesPerPull);
    }

    /** Whether this node tells its peers at once when one of its agents changed. */
    public boolean notifyPeers() {
        return notify;
    }

    public int maxPeers() {
        return maxPeers;
    }
}
