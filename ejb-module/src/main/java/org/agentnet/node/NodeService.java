package org.agentnet.node;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Properties;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;

/** This node's identity, version and enabled components; fixed for the life of the application. */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class NodeService {

    @Inject
    NodeSettings settings;

    @Inject
    Clock clock;

    private NodeDescription description;

    @PostConstruct
    void describe() {
        description = new NodeDescription(settings.nodeName(), settings.domainName(), buildVersion(),
                settings.enabledComponents().stream().map(Component::id).toList(), clock.instant());
    }

    public NodeDescription description() {
        return description;
    }

    public Instant startedAt() {
        return description.startedAt();
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
