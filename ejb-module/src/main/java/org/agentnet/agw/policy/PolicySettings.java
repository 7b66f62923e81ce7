package org.agentnet.agw.policy;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Settings of the AGW's access control (docs/agw.md "Access policies"; defaults in microprofile-config.properties), checked at start. */
@ApplicationScoped
public class PolicySettings {

    @Inject
    @ConfigProperty(name = "agentnet.agw.policy.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "agentnet.agw.policy.refresh-interval", defaultValue = "PT5S")
    Duration refreshInterval;

    @Inject
    @ConfigProperty(name = "agentnet.agw.policy.max-policies", defaultValue = "1000")
    int maxPolicies;

    @Inject
    @ConfigProperty(name = "agentnet.agw.policy.peer-default")
    Optional<List<String>> peerDefault;

    private Set<PolicyAction> peerDefaultActions;

    @PostConstruct
    void check() {
        require(!refreshInterval.isNegative() && refreshInterval.toMillis() >= 100 && refreshInterval.toSeconds() <= 3600,
                "agentnet.agw.policy.refresh-interval must be 100 ms to 1 hour");
        require(maxPolicies >= 1 && maxPolicies <= 100_000, "agentnet.agw.policy.max-policies must be 1 to 100000");
        peerDefaultActions = actions(peerDefault.orElse(List.of()));
    }

    static Set<PolicyAction> actions(List<String> values) {
        EnumSet<PolicyAction> actions = EnumSet.noneOf(PolicyAction.class);
        for (String value : values) {
            String text = value.strip().toUpperCase(Locale.ROOT);
            if (text.isEmpty() || text.equals("NONE")) {
                continue;
            }
            try {
                actions.add(PolicyAction.valueOf(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("agentnet.agw.policy.peer-default: '" + value
                        + "' is not DISCOVER, MESSAGE or NONE");
            }
        }
        return Set.copyOf(actions);
    }

    /** Whether policies are enforced; off, everything is allowed as before access control existed. */
    public boolean enabled() {
        return enabled;
    }

    /** How often each node checks the database for policy changes made on other nodes. */
    public Duration refreshInterval() {
        return refreshInterval;
    }

    public int maxPolicies() {
        return maxPolicies;
    }

    /** What the agreement with an established peer admits when the operator set nothing for its domain. */
    public Set<PolicyAction> peerDefault() {
        return peerDefaultActions;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
