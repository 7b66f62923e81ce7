package org.agentnet.agw.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The access policies and peering agreements in force, compiled for evaluation: immutable, held in
 * memory by {@link PolicySnapshots} and replaced as a whole when anything changes, so that a
 * decision never reads the database. The evaluation order (docs/agw.md "Evaluation"):
 * <ol>
 * <li>an agent acting on itself is allowed;</li>
 * <li>any enabled DENY policy whose action, a subject and an object match: denied (deny overrides);</li>
 * <li>any enabled ALLOW policy that matches: allowed;</li>
 * <li>otherwise the default: allowed when every domain involved (the caller's and the agent's)
 *     is this node's own or an established peer's whose agreement admits the action; denied
 *     otherwise (cross-domain traffic is denied unless a policy or a peering agreement allows it).</li>
 * </ol>
 */
public final class PolicySet {

    /** One enabled policy, ready to match. */
    public record Rule(String id, String name, PolicyEffect effect, Set<PolicyAction> actions, List<Selector> subjects,
                       List<Selector> objects) {

        public static Rule of(String id, PolicyDocument document) {
            return new Rule(id, document.name(), document.effect(), document.actions(), document.subjects(), document.objects());
        }

        boolean governs(PolicyAction action, Requester subject) {
            if (!actions.contains(action)) {
                return false;
            }
            for (Selector selector : subjects) {
                if (selector.matches(subject)) {
                    return true;
                }
            }
            return false;
        }

        boolean names(Target target) {
            for (Selector selector : objects) {
                if (selector.matches(target)) {
                    return true;
                }
            }
            return false;
        }
    }

    public static final PolicySet EMPTY = new PolicySet(-1, List.of(), 0, Map.of(), EnumSet.allOf(PolicyAction.class));

    private final long changeCount;
    private final List<Rule> rules;
    private final int policies;
    private final Map<String, Set<PolicyAction>> agreements;
    private final Set<PolicyAction> peerDefault;

    /**
     * @param changeCount  the database's change counter this set was read at
     * @param rules        the enabled policies
     * @param policies     how many policies exist (enabled or not)
     * @param agreements   what the peering agreement with a domain admits, where an operator set it
     * @param peerDefault  what it admits otherwise ({@code agentnet.agw.policy.peer-default})
     */
    public PolicySet(long changeCount, Collection<Rule> rules, int policies, Map<String, Set<PolicyAction>> agreements,
                     Set<PolicyAction> peerDefault) {
        this.changeCount = changeCount;
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparing(Rule::name));
        this.rules = List.copyOf(sorted);
        this.policies = policies;
        Map<String, Set<PolicyAction>> lower = new HashMap<>();
        agreements.forEach((domain, actions) -> lower.put(domain.toLowerCase(Locale.ROOT), Set.copyOf(actions)));
        this.agreements = Map.copyOf(lower);
        this.peerDefault = Set.copyOf(peerDefault);
    }

    public long changeCount() {
        return changeCount;
    }

    public int policies() {
        return policies;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** What the peering agreement with a peer domain admits: the operator's setting, or the default. */
    public Set<PolicyAction> agreement(String domain) {
        Set<PolicyAction> explicit = agreements.get(lower(domain));
        return explicit != null ? explicit : peerDefault;
    }

    /** The text in lower case; the same instance when it is already (domain names nearly always are). */
    static String lower(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isUpperCase(c)) {
                return text.toLowerCase(Locale.ROOT);
            }
        }
        return text;
    }

    public Optional<Set<PolicyAction>> explicitAgreement(String domain) {
        return Optional.ofNullable(agreements.get(domain.toLowerCase(Locale.ROOT)));
    }

    public Set<PolicyAction> peerDefault() {
        return peerDefault;
    }

    /**
     * The evaluation of one caller's requests of one kind: the rules that concern it are picked once,
     * so deciding for each agent of a discovery answer only matches objects.
     *
     * @param ownDomain   this node's domain
     * @param peerDomains domains of the established peer gateways (lower case)
     */
    public Evaluation evaluation(Requester subject, PolicyAction action, String ownDomain, Set<String> peerDomains) {
        List<Rule> denies = new ArrayList<>(2);
        List<Rule> allows = new ArrayList<>(2);
        for (Rule rule : rules) {
            if (rule.governs(action, subject)) {
                (rule.effect() == PolicyEffect.DENY ? denies : allows).add(rule);
            }
        }
        return new Evaluation(subject, action, ownDomain, peerDomains, denies, allows);
    }

    /** Decisions for one caller and action (not thread-safe to share beyond one request; it holds no state). */
    public final class Evaluation {

        private final Requester subject;
        private final PolicyAction action;
        private final String ownDomain;
        private final Set<String> peerDomains;
        private final List<Rule> denies;
        private final List<Rule> allows;
        private final boolean subjectAdmitted;

        private Evaluation(Requester subject, PolicyAction action, String ownDomain, Set<String> peerDomains, List<Rule> denies,
                           List<Rule> allows) {
            this.subject = subject;
            this.action = action;
            this.ownDomain = ownDomain;
            this.peerDomains = peerDomains;
            this.denies = denies;
            this.allows = allows;
            this.subjectAdmitted = admitted(subject.domain());
        }

        /** Whether any policy concerns this caller and action (else only the domains decide). */
        public boolean policiesApply() {
            return !denies.isEmpty() || !allows.isEmpty();
        }

        public Decision decide(Target target) {
            if (subject.uri() != null && subject.uri().equals(target.uri())) {
                return Decision.of(Decision.Reason.SELF);
            }
            for (Rule rule : denies) {
                if (rule.names(target)) {
                    return Decision.by(Decision.Reason.DENY_POLICY, rule);
                }
            }
            for (Rule rule : allows) {
                if (rule.names(target)) {
                    return Decision.by(Decision.Reason.ALLOW_POLICY, rule);
                }
            }
            return byDefault(target.domain());
        }

        /**
         * The domains whose agents the caller may see, when no policy concerns it (then only the
         * domains decide: this node's and the admitted peers', or none when the caller itself is
         * not admitted); null when policies concern it and each agent must be decided.
         */
        public Set<String> visibleDomains() {
            if (policiesApply()) {
                return null;
            }
            if (!subjectAdmitted) {
                return Set.of();
            }
            Set<String> domains = new java.util.HashSet<>();
            domains.add(lower(ownDomain));
            for (String peer : peerDomains) {
                if (agreement(peer).contains(action)) {
                    domains.add(peer);
                }
            }
            return domains;
        }

        /** The default for an agent of this domain when no policy matched. */
        public Decision byDefault(String domain) {
            if (!subjectAdmitted) {
                return Decision.of(Decision.Reason.CROSS_DOMAIN_DEFAULT);
            }
            if (own(domain)) {
                return Decision.of(own(subject.domain()) ? Decision.Reason.OWN_DOMAIN : Decision.Reason.PEERING_AGREEMENT);
            }
            return Decision.of(admitted(domain) ? Decision.Reason.PEERING_AGREEMENT : Decision.Reason.CROSS_DOMAIN_DEFAULT);
        }

        /**
         * Whether a discovery query is refused as a whole: it names domains and/or capabilities (none:
         * any), and for every combination of them the policies deny every agent there, by a DENY
         * policy that covers it or by the cross-domain default with no ALLOW policy that could match
         * there. Then the answer is a 403 rather than an empty page (even where the caller's own
         * record, which it may always see, could be among them). Empty when the query may be
         * answered (its answer is filtered agent by agent).
         */
        public Optional<Decision> refusesQuery(Set<String> domains, Set<String> capabilities) {
            List<String> ds = domains.isEmpty() ? java.util.Collections.singletonList(null) : List.copyOf(domains);
            List<String> cs = capabilities.isEmpty() ? java.util.Collections.singletonList(null) : List.copyOf(capabilities);
            Decision first = null;
            for (String d : ds) {
                for (String c : cs) {
                    Decision refusal = refusesRegion(d, c);
                    if (refusal == null) {
                        return Optional.empty();
                    }
                    if (first == null) {
                        first = refusal;
                    }
                }
            }
            return Optional.ofNullable(first);
        }

        private Decision refusesRegion(String domain, String capability) {
            for (Rule rule : denies) {
                for (Selector selector : rule.objects()) {
                    if (selector.covers(domain, capability)) {
                        return Decision.by(Decision.Reason.DENY_POLICY, rule);
                    }
                }
            }
            boolean deniedByDefault = !subjectAdmitted || (domain != null && !own(domain) && !admitted(domain));
            if (!deniedByDefault) {
                return null;
            }
            for (Rule rule : allows) {
                for (Selector selector : rule.objects()) {
                    if (selector.overlaps(domain)) {
                        return null;
                    }
                }
            }
            return Decision.of(Decision.Reason.CROSS_DOMAIN_DEFAULT);
        }

        private boolean own(String domain) {
            return ownDomain.equalsIgnoreCase(domain);
        }

        /** This node's domain, or an established peer's whose agreement admits the action. */
        private boolean admitted(String domain) {
            if (own(domain)) {
                return true;
            }
            String lower = lower(domain);
            return peerDomains.contains(lower) && agreement(lower).contains(action);
        }
    }
}
