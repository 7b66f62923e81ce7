package org.agentnet.ars.sync;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;

/**
 * Makes the peer list match {@code agentnet.ars.sync.peers} at start: configured peers are added,
 * peers that were configured but no longer are removed (with their agents); peers an operator
 * added stay. Then every peer is pulled once.
 */
@Singleton
@Startup
@DependsOn("AgentDirectory") // its index is loaded before synchronized records change it
public class ConfiguredArsPeers {

    @EJB
    ArsPeers peers;

    @EJB
    ArsPeerService service;

    @Inject
    SyncSettings settings;

    @Inject
    NodeSettings node;

    @Inject
    SyncTrigger trigger;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void start() {
        if (!node.isEnabled(Component.ARS)) {
            return;
        }
        service.reconcile(settings.configuredPeers()); // commits before the pulls look for the peers
        peers.all().forEach(peer -> trigger.pullSoon(peer.id()));
    }
}
