package org.agentnet.node;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This node's identity, version and enabled components; fixed for the life of the application.
 * The node ID is {@code agentnet.node.id} when set, otherwise generated at the first start and
 * kept in the database ({@link StoredNodeId}).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class NodeService {

    @Inject
    NodeSettings settings;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "agentnet.node.id")
    Optional<String> configuredId;

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private NodeDescription description;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    void describe() {
        description = new NodeDescription(loadNodeId(), settings.nodeName(), settings.domainName(), buildVersion(),
                settings.enabledComponents().stream().map(Component::id).toList(), clock.instant());
    }

    public NodeDescription description() {
        return description;
    }

    /** This node's stable ID (the origin of the agents registered here). */
    public String nodeId() {
        return description.id();
    }

    public Instant startedAt() {
        return description.startedAt();
    }

    private String loadNodeId() {
        String configured = configuredId.map(String::strip).filter(id -> !id.isEmpty()).orElse(null);
        if (configured != null) {
            if (!NODE_ID.matcher(configured).matches()) {
                throw new IllegalStateException("agentnet.node.id must be 1-64 letters, digits, '.', '_' or '-', was '"
                        + configured + "'");
            }
            return configured;
        }
        StoredNodeId stored = em.find(StoredNodeId.class, StoredNodeId.ROW);
        if (stored == null) {
            stored = new StoredNodeId(UUID.randomUUID().toString(), clock.instant());
            em.persist(stored);
        }
        return stored.nodeId();
    }

    private static String buildVersion() {
        Properties build = new Properties();
        try (InputStream in = NodeService.class.getResourceAsStream("/META-INF/agentnet/build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return build.getProperty("version", "unknown");
    }
}
