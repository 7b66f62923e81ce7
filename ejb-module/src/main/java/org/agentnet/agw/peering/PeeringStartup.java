package org.agentnet.agw.peering;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;

/**
 * At start: the peer list is made to match {@code agentnet.agw.peers} (configured peers added,
 * ones no longer configured removed with their agents, operator-added ones kept), the routing view
 * is loaded, and every peer is greeted again with a handshake (peerings survive restarts).
 */
@Singleton
@Startup
@DependsOn("AgentDirectory") // its index is loaded before synchronized records change it
public class PeeringStartup {

    private static final Logger LOG = Logger.getLogger(PeeringStartup.class.getName());

    @EJB
    PeeringService service;

    @EJB
    AgwPeers peers;

    @Inject
    PeeringSettings settings;

    @Inject
    PeerDirectory directory;

    @Inject
    PeerTasks tasks;

    @Inject
    NodeSettings node;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void start() {
        if (!node.isEnabled(Component.AGW)) {
            return;
        }
        try {
            service.reconcile(settings.configuredPeers()); // commits before the handshakes look for the peers
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "agentnet.agw.peers could not be applied", e);
        }
        directory.load(peers.all());
        LOG.info(() -> "gateway peering: announcing " + settings.baseUrl() + ", " + service.list().size() + " peers");
        service.list().forEach(peer -> tasks.greetSoon(peer.id()));
    }
}
