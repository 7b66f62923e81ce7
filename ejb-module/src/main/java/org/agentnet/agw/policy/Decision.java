package org.agentnet.agw.policy;

/**
 * The outcome of one evaluation: allowed or not, why ({@link Reason}), and the policy that decided
 * when one did (its ID and name; null otherwise). The reason and policy are for the operator's log
 * and the admin API, never for the refused caller.
 */
public record Decision(boolean allowed, Reason reason, String policyId, String policyName) {

    /** Why; the order of the evaluation is in docs/agw.md "Evaluation". */
    public enum Reason {
        /** policy enforcement is switched off (agentnet.agw.policy.enabled=false) */
        ENFORCEMENT_OFF(true),
        /** operators are not subject to agent policies */
        OPERATOR(true),
        /** an agent may always discover and message itself */
        SELF(true),
        /** a DENY policy matched */
        DENY_POLICY(false),
        /** an ALLOW policy matched (and no DENY) */
        ALLOW_POLICY(true),
        /** no policy matched; both parties are of this node's domain */
        OWN_DOMAIN(true),
        /** no policy matched; every other domain involved is an established peer whose agreement admits the action */
        PEERING_AGREEMENT(true),
        /** no policy matched; a domain involved is not admitted: cross-domain traffic is denied by default */
        CROSS_DOMAIN_DEFAULT(false);

        private final boolean allows;

        Reason(boolean allows) {
            this.allows = allows;
        }

        public boolean allows() {
            return allows;
        }
    }

    static Decision of(Reason reason) {
        return new Decision(reason.allows(), reason, null, null);
    }

    static Decision by(Reason reason, PolicySet.Rule rule) {
        return new Decision(reason.allows(), reason, rule.id(), rule.name());
    }
}
