package org.agentnet.aca;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.eclipse.microprofile.config.Config;

/**
 * Which function types and permission scopes an organization may put in its certificates
 * (draft 3.1.1: "functional permissions"). Read from MicroProfile Config:
 * {@code agentnet.aca.policy.org.<organization>.function-types} / {@code .permission-scopes},
 * else {@code agentnet.aca.policy.default.*}; gateways use {@code agentnet.aca.policy.gateway.*}.
 * {@code *} permits any value.
 */
@ApplicationScoped
public class IssuancePolicy {

    static final String ANY = "*";

    @Inject
    Config config;

    public void check(AgentIdentity identity) {
        String base = identity.profile() == CertificateProfile.GATEWAY ? "agentnet.aca.policy.gateway"
                : organizationKey(identity.organization());
        Set<String> functions = values(base, "function-types");
        if (!permits(functions, identity.functionType())) {
            throw new AgentnetException(ProblemType.POLICY_VIOLATION, "function type '" + identity.functionType()
                    + "' is not permitted for " + describe(identity) + "; permitted: " + functions);
        }
        Set<String> scopes = values(base, "permission-scopes");
        for (String scope : identity.permissionScope()) {
            if (!permits(scopes, scope)) {
                throw new AgentnetException(ProblemType.POLICY_VIOLATION, "permission scope '" + scope
                        + "' is not permitted for " + describe(identity) + "; permitted: " + scopes);
            }
        }
    }

    private String organizationKey(String organization) {
        String specific = "agentnet.aca.policy.org." + organization;
        return config.getOptionalValue(specific + ".function-types", String.class).isPresent()
                ? specific : "agentnet.aca.policy.default";
    }

    private Set<String> values(String base, String kind) {
        String raw = config.getOptionalValue(base + "." + kind, String.class).orElse("");
        return Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    static boolean permits(Set<String> permitted, String value) {
        return permitted.contains(ANY) || permitted.contains(value);
    }

    /** Whether {@code requested} is within what a token allows ({@code allowed} may hold '*'). */
    static boolean within(List<String> requested, Set<String> allowed) {
        return requested.stream().allMatch(value -> permits(allowed, value));
    }

    private static String describe(AgentIdentity identity) {
        return identity.profile() == CertificateProfile.GATEWAY ? "gateways" : "organization '" + identity.organization() + "'";
    }
}
