package org.agentnet.common.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who this node is and what it runs, read once from MicroProfile Config. Defaults are in
 * {@code META-INF/microprofile-config.properties}; invalid values stop the application at start
 * rather than misbehave later.
 */
@ApplicationScoped
public class NodeSettings {

    /** A DNS name, lower case (the domain, host names in certificates). */
    public static final Pattern DNS_NAME =
            Pattern.compile("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$");

    @Inject
    Config config;

    @Inject
    @ConfigProperty(name = "agentnet.node.name")
    Optional<String> configuredNodeName;

    @Inject
    @ConfigProperty(name = "agentnet.domain.name")
    String configuredDomainName;

    private String nodeName;
    private String domainName;
    private Set<Component> enabledComponents;

    @PostConstruct
    void load() {
        nodeName = configuredNodeName.map(String::trim).filter(name -> !name.isEmpty()).orElseGet(NodeSettings::hostName);
        domainName = requireDnsName("agentnet.domain.name", configuredDomainName);
        EnumSet<Component> enabled = EnumSet.noneOf(Component.class);
        for (Component component : Component.values()) {
            if (config.getOptionalValue(component.enabledKey(), Boolean.class).orElse(Boolean.TRUE)) {
                enabled.add(component);
            }
        }
        enabledComponents = Collections.unmodifiableSet(enabled);
    }

    public String nodeName() {
        return nodeName;
    }

    public String domainName() {
        return domainName;
    }

    public Set<Component> enabledComponents() {
        return enabledComponents;
    }

    public boolean isEnabled(Component component) {
        return enabledComponents.contains(component);
    }

    /** Fails with a component-disabled problem (404) when the component is switched off on this node. */
    public void require(Component component) {
        if (!isEnabled(component)) {
            throw new AgentnetException(ProblemType.COMPONENT_DISABLED,
                    "the " + component.name() + " is not enabled on this node");
        }
    }

    static String requireDnsName(String key, String value) {
        String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (!DNS_NAME.matcher(normalized).matches()) {
            throw new IllegalStateException(key + " must be a DNS name (letters, digits, hyphens, dots), was '"
                    + value + "'");
        }
        return normalized;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
