package org.agentnet.agw.policy;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.agentnet.agw.peering.PeerGateways;
import org.agentnet.agw.routing.Route;
import org.agentnet.ars.Agent;
import org.agentnet.ars.AgentDirectory;
import org.agentnet.ars.ArsCaller;
import org.agentnet.ars.DiscoveryQuery;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.security.CertifiedIdentity;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The AGW's access control (draft 2.1 "security steward"; docs/agw.md "Access policies"): decides
 * whether a caller may discover or message an agent, from the policies in force
 * ({@link PolicySnapshots}, in memory) and the established peers ({@link PeerGateways}, in memory),
 * beside traffic control: discovery ({@code GET /api/v1/ars/agents}, profiles and cards) and relay
 * (submission by an agent of this gateway, hand-over by a peer gateway). A refusal is a
 * {@code 403 access-denied} whose detail names neither the policy nor anything of the target beyond
 * the ID the caller gave; the operator finds the whole decision in the log by its reference.
 * Denials are logged at INFO (at most 20 lines a second), allowed decisions at FINE, both counted
 * as metrics.
 */
@ApplicationScoped
public class AccessPolicies {

    private static final Logger LOG = Logger.getLogger(AccessPolicies.class.getName());
    private static final String DENIED = "agentnet.agw.policy.denied";
    private static final String ALLOWED = "agentnet.agw.policy.allowed";
    private static final String HIDDEN = "agentnet.agw.policy.discovery.hidden";

    @EJB
    PolicySnapshots snapshots;

    @EJB
    AgentDirectory directory;

    @Inject
    Instance<PeerGateways> peers;

    @Inject
    NodeSettings node;

    @Inject
    PolicySettings settings;

    @Inject
    MetricRegistry metrics;

    private final DenialLog denials = new DenialLog(LOG, 20, System::currentTimeMillis);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private Counter hidden;
    /** The set in force, read without an EJB call per request. */
    private PolicySnapshots.Current inForce;

    @PostConstruct
    void init() {
        inForce = snapshots.view();
        hidden = metrics.counter(Metadata.builder().withName(HIDDEN)
                .withDescription("Agents left out of discovery answers by access policies").build());
        metrics.gauge(Metadata.builder().withName("agentnet.agw.policy.count").withDescription("Access policies stored").build(),
                snapshots, s -> s.current().policies());
    }

    /** Whether policies are enforced on this node ({@code agentnet.agw.policy.enabled}). */
    public boolean enforced() {
        return settings.enabled();
    }

    // ---- discovery -----------------------------------------------------------------------------

    /**
     * What a discovery query of this caller may see. A query that asks only for what the caller may
     * not discover is refused at once: {@code 403 access-denied}. Otherwise the answer is the query's
     * {@link DiscoveryScope}: when no policy concerns the caller, only domains decide, and the query
     * is narrowed to the visible domains (the index intersects them like any domain filter, no agent
     * is decided one by one); else a filter the index applies agent by agent (so pages stay full and
     * cursors stay right). Operators, and everyone when enforcement is off, see everything.
     */
    public DiscoveryScope discovery(ArsCaller caller, DiscoveryQuery query) {
        if (!settings.enabled() || caller.isOperator()) {
            return new DiscoveryScope(query, false, null, null);
        }
        PolicySet.Evaluation evaluation = evaluation(Requester.of(caller.identity()), PolicyAction.DISCOVER);
        Optional<Decision> refusal = evaluation.refusesQuery(query.domains(), query.capabilities());
        if (refusal.isPresent()) {
            String reference = reference();
            count(PolicyAction.DISCOVER, refusal.get());
            denials.write("access denied [" + reference + "]: DISCOVER by " + caller.actor() + " of "
                    + describe(query) + ": " + explain(refusal.get(), PolicyAction.DISCOVER, null));
            throw new AgentnetException(ProblemType.ACCESS_DENIED, caller.actor()
                    + " may not discover the agents this query asks for: not permitted by this gateway's access policies"
                    + " (reference " + reference + ")");
        }
        Set<String> visible = evaluation.visibleDomains();
        if (visible == null) {
            return new DiscoveryScope(query, false, new DiscoveryFilter(evaluation), caller.actor());
        }
        Set<String> domains = new HashSet<>();
        if (query.domains().isEmpty()) {
            domains.addAll(visible);
        } else {
            query.domains().stream().filter(visible::contains).forEach(domains::add);
        }
        DiscoveryQuery narrowed = new DiscoveryQuery(query.capabilities(), query.protocols(), query.languages(), domains,
                query.statuses(), query.words());
        return new DiscoveryScope(narrowed, domains.isEmpty(), null, caller.actor());
    }

    /**
     * How to answer one discovery query under the policies: the query to search (possibly narrowed
     * to the visible domains), whether nothing can be visible, and the filter for the index (null:
     * none). {@link #answered} records the outcome.
     */
    public final class DiscoveryScope {

        private final DiscoveryQuery query;
        private final boolean nothing;
        private final DiscoveryFilter filter;
        private final String caller;

        private DiscoveryScope(DiscoveryQuery query, boolean nothing, DiscoveryFilter filter, String caller) {
            this.query = query;
            this.nothing = nothing;
            this.filter = filter;
            this.caller = caller;
        }

        /** The query to search. */
        public DiscoveryQuery query() {
            return query;
        }

        /** Whether no agent can be visible (the answer is an empty page, the index is not asked). */
        public boolean nothing() {
            return nothing;
        }

        /** The filter the index applies to each matching agent; null when none is needed. */
        public Predicate<Agent> filter() {
            return filter;
        }

        /** Records the answer: counted (metrics), and the agents left out (FINE log). */
        public void answered() {
            if (caller == null) {
                return; // operator, or enforcement off
            }
            int left = filter == null ? 0 : filter.left;
            count(PolicyAction.DISCOVER, "allowed", left > 0 ? "filtered" : "query");
            if (left > 0) {
                hidden.inc(left);
                LOG.fine(() -> "discovery by " + caller + ": " + left + " agent(s) left out by access policies");
            }
        }
    }

    /** Reading one agent's profile or card: 403 when the caller may not discover it. */
    public void requireDiscoverable(ArsCaller caller, Agent agent) {
        if (!settings.enabled() || caller.isOperator()) {
            return;
        }
        Decision decision = evaluation(Requester.of(caller.identity()), PolicyAction.DISCOVER).decide(Target.of(agent));
        decided(PolicyAction.DISCOVER, decision, caller.actor(), agent.id(), agent.agentUri(), agent.domain(), null,
                caller.actor() + " may not discover agent " + agent.id());
    }

    /** Decides, agent by agent, what one caller's discovery answer may hold; counts what it leaves out. */
    private static final class DiscoveryFilter implements Predicate<Agent> {

        private final PolicySet.Evaluation evaluation;
        private int left;

        private DiscoveryFilter(PolicySet.Evaluation evaluation) {
            this.evaluation = evaluation;
        }

        @Override
        public boolean test(Agent agent) {
            boolean visible = evaluation.decide(Target.of(agent)).allowed();
            if (!visible) {
                left++;
            }
            return visible;
        }
    }

    // ---- relay ---------------------------------------------------------------------------------

    /**
     * A message from {@code sender} for the agent of {@code route}: 403 when the policies deny it.
     * {@code viaPeer}: the gateway that handed it over (null: the sender submitted it here).
     */
    public void requireMessage(CertifiedIdentity sender, Route route, String viaPeer) {
        if (!settings.enabled()) {
            return;
        }
        Target target = directory.find(route.agentId()).map(Target::of)
                .orElseGet(() -> new Target(route.agentId(), route.agentUri(), route.domain(), null));
        Decision decision = evaluation(Requester.of(sender), PolicyAction.MESSAGE).decide(target);
        decided(PolicyAction.MESSAGE, decision, sender.uri(), target.id(), target.uri(), target.domain(), viaPeer,
                sender.uri() + " may not message agent " + route.agentId());
    }

    // ---- operators -----------------------------------------------------------------------------

    /** What the policies in force decide for a subject, action and agent (the admin API's evaluation; not logged or counted). */
    public Decision evaluate(Requester subject, PolicyAction action, Agent agent) {
        if (!settings.enabled()) {
            return Decision.of(Decision.Reason.ENFORCEMENT_OFF);
        }
        return evaluation(subject, action).decide(Target.of(agent));
    }

    /** The domains of the established peer gateways (lower case). */
    public Set<String> peerDomains() {
        if (!peers.isResolvable()) {
            return Set.of();
        }
        Collection<PeerGateways.PeerHop> hops = peers.get().hops();
        if (hops.isEmpty()) {
            return Set.of();
        }
        Set<String> domains = new HashSet<>();
        for (PeerGateways.PeerHop hop : hops) {
            if (hop.domain() != null) {
                domains.add(PolicySet.lower(hop.domain()));
            }
        }
        return domains;
    }

    public PolicySet current() {
        return inForce.get();
    }

    // ---- shared --------------------------------------------------------------------------------

    private PolicySet.Evaluation evaluation(Requester subject, PolicyAction action) {
        return inForce.get().evaluation(subject, action, node.domainName(), peerDomains());
    }

    private void decided(PolicyAction action, Decision decision, String subject, String targetId, String targetUri,
                         String targetDomain, String viaPeer, String refusal) {
        count(action, decision);
        String what = action + " by " + subject + " -> agent " + targetId + " (" + targetUri + ", domain " + targetDomain + ")"
                + (viaPeer == null ? "" : " via peer " + viaPeer);
        if (decision.allowed()) {
            LOG.fine(() -> "access allowed: " + what + ": " + explain(decision, action, targetDomain));
            return;
        }
        String reference = reference();
        denials.write("access denied [" + reference + "]: " + what + ": " + explain(decision, action, targetDomain));
        throw new AgentnetException(ProblemType.ACCESS_DENIED, refusal
                + ": not permitted by this gateway's access policies (reference " + reference + ")");
    }

    /** For the operator: which policy or default decided. */
    private static String explain(Decision decision, PolicyAction action, String targetDomain) {
        return switch (decision.reason()) {
            case DENY_POLICY -> "denied by policy '" + decision.policyName() + "' (" + decision.policyId() + ")";
            case ALLOW_POLICY -> "allowed by policy '" + decision.policyName() + "' (" + decision.policyId() + ")";
            case CROSS_DOMAIN_DEFAULT -> "cross-domain " + action + " is denied unless a policy or a peering agreement allows it"
                    + " (no ALLOW policy matched, and the caller's or the agent's domain is neither this node's nor an established"
                    + " peer's whose agreement admits " + action + ")";
            case OWN_DOMAIN -> "both of this node's domain, no policy matched";
            case PEERING_AGREEMENT -> "admitted by the peering agreement" + (targetDomain == null ? "" : " (agent of " + targetDomain + ")");
            default -> decision.reason().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String describe(DiscoveryQuery query) {
        return "a query" + (query.domains().isEmpty() ? "" : " for domain " + query.domains())
                + (query.capabilities().isEmpty() ? "" : " for capability " + query.capabilities());
    }

    private void count(PolicyAction action, Decision decision) {
        count(action, decision.allowed() ? "allowed" : "denied", decision.reason().name().toLowerCase(Locale.ROOT));
    }

    private void count(PolicyAction action, String outcome, String reason) {
        String name = outcome.equals("denied") ? DENIED : ALLOWED;
        String key = name + "|" + action + "|" + reason;
        counters.computeIfAbsent(key, k -> metrics.counter(Metadata.builder().withName(name)
                .withDescription(outcome.equals("denied") ? "Requests refused by access policies (403 access-denied)"
                        : "Requests access policies allowed (discovery: queries answered, filtered or not)").build(),
                new Tag("action", action.name().toLowerCase(Locale.ROOT)), new Tag("reason", reason))).inc();
    }

    private static String reference() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFFL | 0x1_0000_0000L).substring(1);
    }
}
