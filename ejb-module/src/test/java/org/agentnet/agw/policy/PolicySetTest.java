package org.agentnet.agw.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.agentnet.agw.policy.Decision.Reason;
import org.agentnet.ars.AgentProfile;
import org.agentnet.ars.AgentSkill;
import org.agentnet.ars.Protocol;
import org.junit.jupiter.api.Test;

/**
 * The evaluation of access policies (docs/agw.md "Evaluation"): self, deny overrides allow, allow,
 * then the default (own domain allowed; another domain only when it is an established peer whose
 * agreement admits the action), and when a whole discovery query is refused.
 */
class PolicySetTest {

    private static final String OWN = "local.example";
    private static final Set<String> PEERS = Set.of("b.example");

    // subjects
    private static final Requester ALICE = new Requester("agent://local.example/Acme%20Corp/alice", OWN);
    private static final Requester ZED = new Requester("agent://local.example/Zeta/zed", OWN);
    private static final Requester BERT = new Requester("agent://b.example/Beta/bert", "b.example");
    private static final Requester OTTO = new Requester("agent://b.example/Other/otto", "b.example");
    private static final Requester CID = new Requester("agent://c.example/Gamma/cid", "c.example");
    private static final Requester EVE = new Requester("agent://eu.b.example/Beta/eve", "eu.b.example");
    private static final Requester GATEWAY_B = new Requester("agw://b.example/b.example/node-1", "b.example");

    // objects
    private static final Target ALICE_SELF = target("a-0", "local.example", "Acme%20Corp", "alice", skill("chat"));
    private static final Target PLANNER = target("a-1", "local.example", "Acme%20Corp", "planner", skill("booking", "travel.flights"));
    private static final Target SECRET = target("a-2", "local.example", "Acme%20Corp", "secret", skill("vault"));
    private static final Target BOB = target("b-1", "b.example", "Beta", "bob", skill("booking"));
    private static final Target CAROL = target("c-1", "c.example", "Gamma", "carol", skill("booking"));
    private static final Target CAROL_TWIN = target("c-2", "c.example", "Gamma", "twin", skill("chat"));

    // ---- defaults ----------------------------------------------------------------------------------

    @Test
    void withoutPoliciesTrafficInsideTheOwnDomainIsAllowed() {
        assertDecision(true, Reason.OWN_DOMAIN, set(), ALICE, PolicyAction.MESSAGE, PLANNER);
        assertDecision(true, Reason.OWN_DOMAIN, set(), ALICE, PolicyAction.DISCOVER, SECRET);
    }

    @Test
    void anEstablishedPeersDomainIsAdmittedByItsAgreementBothWays() {
        assertDecision(true, Reason.PEERING_AGREEMENT, set(), ALICE, PolicyAction.MESSAGE, BOB);
        assertDecision(true, Reason.PEERING_AGREEMENT, set(), BERT, PolicyAction.MESSAGE, PLANNER);
        assertDecision(true, Reason.PEERING_AGREEMENT, set(), BERT, PolicyAction.DISCOVER, PLANNER);
        assertDecision(true, Reason.PEERING_AGREEMENT, set(), GATEWAY_B, PolicyAction.DISCOVER, PLANNER);
        assertDecision(true, Reason.PEERING_AGREEMENT, set(), BERT, PolicyAction.DISCOVER, BOB);
    }

    @Test
    void crossDomainTrafficWithoutPeeringIsDeniedByDefault() {
        assertDecision(false, Reason.CROSS_DOMAIN_DEFAULT, set(), ALICE, PolicyAction.MESSAGE, CAROL);
        assertDecision(false, Reason.CROSS_DOMAIN_DEFAULT, set(), CID, PolicyAction.MESSAGE, PLANNER);
        assertDecision(false, Reason.CROSS_DOMAIN_DEFAULT, set(), CID, PolicyAction.DISCOVER, PLANNER);
        // a stranger's own domain seen through this node is not admitted either
        assertDecision(false, Reason.CROSS_DOMAIN_DEFAULT, set(), CID, PolicyAction.DISCOVER, CAROL_TWIN);
        // a subdomain of a peer's domain is another domain
        assertDecision(false, Reason.CROSS_DOMAIN_DEFAULT, set(), EVE, PolicyAction.MESSAGE, PLANNER);
        // two peers' domains are admitted, a stranger and a peer are not
        Set<String> twoPeers = Set.of("b.example", "c.example");
        assertTrue(set().evaluation(BERT, PolicyAction.DISCOVER, OWN, twoPeers).decide(CAROL).allowed());
        assertFalse(set().evaluation(BERT, PolicyAction.DISCOVER, OWN, PEERS).decide(CAROL).allowed());
    }

    @Test
    void aDomainCaseDifferenceChangesNothing() {
        Requester upper = new Requester("agent://B.Example/Beta/bert", "B.Example");
        assertDecision(true, Reason.PEERING_AGREEMENT, set(), upper, PolicyAction.MESSAGE, PLANNER);
        Target upperTarget = new Target("b-9", "agent://b.example/Beta/x", "B.EXAMPLE", null);
        assertDecision(true, Reason.PEERING_AGREEMENT, set(), ALICE, PolicyAction.MESSAGE, upperTarget);
    }

    @Test
    void anAgreementAdmitsOnlyWhatItSays() {
        PolicySet discoveryOnly = new PolicySet(1, List.of(), 0, Map.of("b.example", Set.of(PolicyAction.DISCOVER)), all());
        assertDecision(true, Reason.PEERING_AGREEMENT, discoveryOnly, BERT, PolicyAction.DISCOVER, PLANNER);
        assertDecision(false, Reason.CROSS_DOMAIN_DEFAULT, discoveryOnly, BERT, PolicyAction.MESSAGE, PLANNER);
        assertDecision(false, Reason.CROSS_DOMAIN_DEFAULT, discoveryOnly, ALICE, PolicyAction.MESSAGE, BOB);
        assertEquals(Set.of(PolicyAction.DISCOVER), discoveryOnly.agreement("B.example"));
    }

    @Test
    void withAnEmptyPeerDefaultOnlyAnExplicitAgreementAdmits() {
        PolicySet none = new PolicySet(1, List.of(), 0, Map.of(), Set.of());
        assertDecision(false, Reason.CROSS_DOMAIN_DEFAULT, none, BERT, PolicyAction.DISCOVER, PLANNER);
        PolicySet explicit = new PolicySet(1, List.of(), 0, Map.of("b.example", all()), Set.of());
        assertDecision(true, Reason.PEERING_AGREEMENT, explicit, BERT, PolicyAction.DISCOVER, PLANNER);
    }

    @Test
    void anAgreementForADomainThatIsNoEstablishedPeerAdmitsNothing() {
        PolicySet agreed = new PolicySet(1, List.of(), 0, Map.of("c.example", all()), all());
        assertDecision(false, Reason.CROSS_DOMAIN_DEFAULT, agreed, CID, PolicyAction.MESSAGE, PLANNER);
        assertTrue(agreed.evaluation(CID, PolicyAction.MESSAGE, OWN, Set.of("c.example")).decide(PLANNER).allowed());
    }

    // ---- policies ----------------------------------------------------------------------------------

    @Test
    void anAllowPolicyAdmitsAForeignDomainToACapability() {
        PolicySet set = set(policy("c-may-book", "ALLOW", "MESSAGE", "[{\"domain\":\"c.example\"}]",
                "[{\"domain\":\"local.example\",\"capability\":\"booking\"}]"));
        Decision allowed = set.evaluation(CID, PolicyAction.MESSAGE, OWN, PEERS).decide(PLANNER);
        assertTrue(allowed.allowed());
        assertEquals(Reason.ALLOW_POLICY, allowed.reason());
        assertEquals("c-may-book", allowed.policyName());
        assertEquals("id-c-may-book", allowed.policyId());
        assertDecision(false, Reason.CROSS_DOMAIN_DEFAULT, set, CID, PolicyAction.MESSAGE, SECRET);
        assertDecision(false, Reason.CROSS_DOMAIN_DEFAULT, set, CID, PolicyAction.DISCOVER, PLANNER); // MESSAGE only
    }

    @Test
    void denyOverridesAllowWhateverTheirOrder() {
        PolicySet set = set(
                policy("a-allow-b", "ALLOW", "MESSAGE", "[{\"domain\":\"b.example\"}]", "[{\"domain\":\"*\"}]"),
                policy("z-deny-beta-secret", "DENY", "MESSAGE", "[{\"domain\":\"b.example\",\"organization\":\"Beta\"}]",
                        "[{\"agentId\":\"a-2\"}]"));
        Decision denied = set.evaluation(BERT, PolicyAction.MESSAGE, OWN, PEERS).decide(SECRET);
        assertFalse(denied.allowed());
        assertEquals(Reason.DENY_POLICY, denied.reason());
        assertEquals("z-deny-beta-secret", denied.policyName());
        assertDecision(true, Reason.ALLOW_POLICY, set, BERT, PolicyAction.MESSAGE, PLANNER);
        assertDecision(true, Reason.ALLOW_POLICY, set, OTTO, PolicyAction.MESSAGE, SECRET); // another organization of b
    }

    @Test
    void aDenyPolicyWorksInsideTheOwnDomain() {
        PolicySet set = set(policy("hide-secret", "DENY", "DISCOVER", "[{\"domain\":\"local.example\"}]",
                "[{\"agent\":\"agent://local.example/Acme%20Corp/secret\"}]"));
        assertDecision(false, Reason.DENY_POLICY, set, ALICE, PolicyAction.DISCOVER, SECRET);
        assertDecision(true, Reason.OWN_DOMAIN, set, ALICE, PolicyAction.DISCOVER, PLANNER);
        assertDecision(true, Reason.OWN_DOMAIN, set, ALICE, PolicyAction.MESSAGE, SECRET); // DISCOVER only
    }

    @Test
    void anAgentMayAlwaysSeeAndMessageItself() {
        PolicySet set = set(policy("nobody", "DENY", "DISCOVER,MESSAGE", "[{\"domain\":\"*\"}]", "[{\"domain\":\"*\"}]"));
        assertDecision(true, Reason.SELF, set, ALICE, PolicyAction.DISCOVER, ALICE_SELF);
        assertDecision(false, Reason.DENY_POLICY, set, ALICE, PolicyAction.DISCOVER, PLANNER);
    }

    @Test
    void aWildcardDomainMatchesSubdomainsOnly() {
        PolicySet set = set(policy("eu", "ALLOW", "MESSAGE", "[{\"domain\":\"*.b.example\"}]", "[{\"domain\":\"local.example\"}]"));
        assertDecision(true, Reason.ALLOW_POLICY, set, EVE, PolicyAction.MESSAGE, PLANNER);
        Requester deeper = new Requester("agent://x.eu.b.example/Beta/d", "x.eu.b.example");
        assertDecision(true, Reason.ALLOW_POLICY, set, deeper, PolicyAction.MESSAGE, PLANNER);
        // b.example itself does not match *.b.example: its peering agreement decides
        assertDecision(true, Reason.PEERING_AGREEMENT, set, BERT, PolicyAction.MESSAGE, PLANNER);
        Requester lookalike = new Requester("agent://evilb.example/Beta/d", "evilb.example");
        assertDecision(false, Reason.CROSS_DOMAIN_DEFAULT, set, lookalike, PolicyAction.MESSAGE, PLANNER);
    }

    @Test
    void anOrganizationMatchesTheCertifiedNameIgnoringCase() {
        PolicySet set = set(policy("acme-only", "DENY", "MESSAGE", "[{\"domain\":\"local.example\",\"organization\":\"acme corp\"}]",
                "[{\"agentId\":\"a-2\"}]"));
        assertDecision(false, Reason.DENY_POLICY, set, ALICE, PolicyAction.MESSAGE, SECRET);
        assertDecision(true, Reason.OWN_DOMAIN, set, ZED, PolicyAction.MESSAGE, SECRET);
        // as an object: the organization of the target's URI
        PolicySet objects = set(policy("not-acme", "DENY", "DISCOVER", "[{\"domain\":\"*\"}]",
                "[{\"domain\":\"*\",\"organization\":\"Acme Corp\"}]"));
        assertDecision(false, Reason.DENY_POLICY, objects, ZED, PolicyAction.DISCOVER, PLANNER);
        assertDecision(true, Reason.PEERING_AGREEMENT, objects, ZED, PolicyAction.DISCOVER, BOB);
    }

    @Test
    void aCapabilityMatchesSkillIdsAndTagsAndPrefixes() {
        PolicySet byTag = set(policy("flights", "DENY", "MESSAGE", "[{\"domain\":\"*\"}]", "[{\"capability\":\"Travel.Flights\"}]"));
        assertDecision(false, Reason.DENY_POLICY, byTag, ALICE, PolicyAction.MESSAGE, PLANNER);
        PolicySet byPrefix = set(policy("travel", "DENY", "MESSAGE", "[{\"domain\":\"*\"}]", "[{\"capability\":\"travel.*\"}]"));
        assertDecision(false, Reason.DENY_POLICY, byPrefix, ALICE, PolicyAction.MESSAGE, PLANNER);
        assertDecision(true, Reason.OWN_DOMAIN, byPrefix, ALICE, PolicyAction.MESSAGE, SECRET);
        // an agent whose profile is not known matches no capability
        Target unknown = new Target("a-9", "agent://local.example/Acme%20Corp/x", OWN, null);
        assertDecision(true, Reason.OWN_DOMAIN, byPrefix, ALICE, PolicyAction.MESSAGE, unknown);
    }

    @Test
    void aSubjectMayBeOneAgentOrAGatewayByItsUri() {
        PolicySet set = set(policy("gw", "DENY", "DISCOVER", "[{\"agent\":\"agw://b.example/b.example/node-1\"}]",
                "[{\"domain\":\"*\"}]"));
        assertDecision(false, Reason.DENY_POLICY, set, GATEWAY_B, PolicyAction.DISCOVER, PLANNER);
        assertDecision(true, Reason.PEERING_AGREEMENT, set, BERT, PolicyAction.DISCOVER, PLANNER);
    }

    @Test
    void aPolicyMatchesWhenAnyOfItsSubjectsAndAnyOfItsObjectsMatch() {
        PolicySet set = set(policy("several", "DENY", "MESSAGE",
                "[{\"agent\":\"agent://b.example/Beta/bert\"},{\"domain\":\"c.example\"}]",
                "[{\"agentId\":\"a-1\"},{\"capability\":\"vault\"}]"));
        assertDecision(false, Reason.DENY_POLICY, set, BERT, PolicyAction.MESSAGE, PLANNER);
        assertDecision(false, Reason.DENY_POLICY, set, BERT, PolicyAction.MESSAGE, SECRET);
        assertDecision(true, Reason.PEERING_AGREEMENT, set, OTTO, PolicyAction.MESSAGE, SECRET);
        assertDecision(true, Reason.OWN_DOMAIN, set, ALICE, PolicyAction.MESSAGE, SECRET);
    }

    @Test
    void theFirstDenyingPolicyByNameIsReported() {
        PolicySet set = set(
                policy("zz", "DENY", "MESSAGE", "[{\"domain\":\"*\"}]", "[{\"domain\":\"*\"}]"),
                policy("aa", "DENY", "MESSAGE", "[{\"domain\":\"*\"}]", "[{\"domain\":\"*\"}]"));
        assertEquals("aa", set.evaluation(ALICE, PolicyAction.MESSAGE, OWN, PEERS).decide(PLANNER).policyName());
    }

    @Test
    void theRulesThatConcernACallerArePickedOnce() {
        PolicySet set = set(policy("for-c", "ALLOW", "DISCOVER", "[{\"domain\":\"c.example\"}]", "[{\"domain\":\"*\"}]"));
        assertFalse(set.evaluation(ALICE, PolicyAction.DISCOVER, OWN, PEERS).policiesApply());
        assertFalse(set.evaluation(CID, PolicyAction.MESSAGE, OWN, PEERS).policiesApply());
        assertTrue(set.evaluation(CID, PolicyAction.DISCOVER, OWN, PEERS).policiesApply());
    }

    // ---- whole queries -----------------------------------------------------------------------------

    @Test
    void aStrangerWithoutAnyAllowPolicyIsRefusedEveryQuery() {
        PolicySet.Evaluation evaluation = set().evaluation(CID, PolicyAction.DISCOVER, OWN, PEERS);
        assertRefused(Reason.CROSS_DOMAIN_DEFAULT, evaluation.refusesQuery(Set.of(), Set.of()));
        assertRefused(Reason.CROSS_DOMAIN_DEFAULT, evaluation.refusesQuery(Set.of("local.example"), Set.of("booking")));
    }

    @Test
    void aStrangerWithAnAllowPolicyMayAskWhereItCouldMatch() {
        PolicySet set = set(policy("c-sees-booking", "ALLOW", "DISCOVER", "[{\"domain\":\"c.example\"}]",
                "[{\"domain\":\"local.example\",\"capability\":\"booking\"}]"));
        PolicySet.Evaluation evaluation = set.evaluation(CID, PolicyAction.DISCOVER, OWN, PEERS);
        assertTrue(evaluation.refusesQuery(Set.of(), Set.of()).isEmpty());
        assertTrue(evaluation.refusesQuery(Set.of("local.example"), Set.of()).isEmpty());
        assertTrue(evaluation.refusesQuery(Set.of(), Set.of("chat")).isEmpty(), "an agent may hold booking besides chat");
        assertRefused(Reason.CROSS_DOMAIN_DEFAULT, evaluation.refusesQuery(Set.of("b.example"), Set.of()));
        assertTrue(evaluation.refusesQuery(Set.of("b.example", "local.example"), Set.of()).isEmpty(), "any allowed part answers");
    }

    @Test
    void anOwnAgentIsRefusedAQueryForAStrangersDomainOnly() {
        PolicySet.Evaluation evaluation = set().evaluation(ALICE, PolicyAction.DISCOVER, OWN, PEERS);
        assertRefused(Reason.CROSS_DOMAIN_DEFAULT, evaluation.refusesQuery(Set.of("c.example"), Set.of()));
        assertTrue(evaluation.refusesQuery(Set.of("b.example"), Set.of()).isEmpty());
        assertTrue(evaluation.refusesQuery(Set.of("c.example", "b.example"), Set.of()).isEmpty());
        assertTrue(evaluation.refusesQuery(Set.of(), Set.of()).isEmpty());
    }

    @Test
    void aDenyPolicyCoveringWhatIsAskedRefusesTheQuery() {
        PolicySet set = set(policy("no-vault", "DENY", "DISCOVER", "[{\"domain\":\"local.example\"}]", "[{\"capability\":\"vault\"}]"),
                policy("no-b", "DENY", "DISCOVER", "[{\"domain\":\"local.example\"}]", "[{\"domain\":\"b.example\"}]"));
        PolicySet.Evaluation evaluation = set.evaluation(ZED, PolicyAction.DISCOVER, OWN, PEERS);
        assertRefused(Reason.DENY_POLICY, evaluation.refusesQuery(Set.of(), Set.of("vault")));
        assertTrue(evaluation.refusesQuery(Set.of(), Set.of("vault", "booking")).isEmpty());
        assertRefused(Reason.DENY_POLICY, evaluation.refusesQuery(Set.of("b.example"), Set.of()));
        assertRefused(Reason.DENY_POLICY, evaluation.refusesQuery(Set.of("b.example"), Set.of("booking")));
        assertTrue(evaluation.refusesQuery(Set.of("local.example"), Set.of("booking")).isEmpty());
    }

    @Test
    void aDenyOfSomeAgentsNeverRefusesAWholeQuery() {
        PolicySet set = set(policy("one", "DENY", "DISCOVER", "[{\"domain\":\"*\"}]", "[{\"agentId\":\"a-2\"}]"),
                policy("org", "DENY", "DISCOVER", "[{\"domain\":\"*\"}]", "[{\"domain\":\"b.example\",\"organization\":\"Beta\"}]"));
        PolicySet.Evaluation evaluation = set.evaluation(ZED, PolicyAction.DISCOVER, OWN, PEERS);
        assertTrue(evaluation.refusesQuery(Set.of(), Set.of("vault")).isEmpty());
        assertTrue(evaluation.refusesQuery(Set.of("b.example"), Set.of()).isEmpty());
    }

    @Test
    void aQueryOfOnlyWhatIsDeniedIsRefusedEvenWhereTheCallersOwnRecordCouldBe() {
        PolicySet set = set(policy("all", "DENY", "DISCOVER", "[{\"domain\":\"*\"}]", "[{\"domain\":\"*\"}]"));
        assertRefused(Reason.DENY_POLICY, set.evaluation(ALICE, PolicyAction.DISCOVER, OWN, PEERS).refusesQuery(Set.of(OWN), Set.of()));
        assertTrue(set.evaluation(ALICE, PolicyAction.DISCOVER, OWN, PEERS).decide(ALICE_SELF).allowed(), "its own record: SELF");
        assertRefused(Reason.DENY_POLICY, set.evaluation(ALICE, PolicyAction.DISCOVER, OWN, PEERS).refusesQuery(Set.of("b.example"), Set.of()));
        assertRefused(Reason.DENY_POLICY, set.evaluation(GATEWAY_B, PolicyAction.DISCOVER, OWN, PEERS).refusesQuery(Set.of(), Set.of()));
    }

    @Test
    void anAllowForOneForeignAgentKeepsItsDomainAskable() {
        PolicySet set = set(policy("carol", "ALLOW", "DISCOVER", "[{\"domain\":\"local.example\"}]",
                "[{\"agent\":\"agent://c.example/Gamma/carol\"}]"));
        PolicySet.Evaluation evaluation = set.evaluation(ALICE, PolicyAction.DISCOVER, OWN, PEERS);
        assertTrue(evaluation.refusesQuery(Set.of("c.example"), Set.of()).isEmpty());
        assertRefused(Reason.CROSS_DOMAIN_DEFAULT, evaluation.refusesQuery(Set.of("d.example"), Set.of()));
        assertTrue(evaluation.decide(CAROL).allowed());
        assertFalse(evaluation.decide(CAROL_TWIN).allowed());
    }

    @Test
    void withoutPoliciesForTheCallerOnlyDomainsDecideDiscovery() {
        assertEquals(Set.of(OWN, "b.example"), set().evaluation(ALICE, PolicyAction.DISCOVER, OWN, PEERS).visibleDomains());
        assertEquals(Set.of(OWN, "b.example"), set().evaluation(BERT, PolicyAction.DISCOVER, OWN, PEERS).visibleDomains());
        assertEquals(Set.of(), set().evaluation(CID, PolicyAction.DISCOVER, OWN, PEERS).visibleDomains(), "a stranger sees nothing");
        PolicySet closed = new PolicySet(1, List.of(), 0, Map.of("b.example", Set.of(PolicyAction.MESSAGE)), all());
        assertEquals(Set.of(OWN), closed.evaluation(ALICE, PolicyAction.DISCOVER, OWN, PEERS).visibleDomains());
        assertEquals(Set.of(), closed.evaluation(BERT, PolicyAction.DISCOVER, OWN, PEERS).visibleDomains());
        // a policy that concerns the caller: every agent is decided on its own
        PolicySet concerned = set(policy("x", "DENY", "DISCOVER", "[{\"domain\":\"local.example\"}]", "[{\"capability\":\"vault\"}]"));
        assertNull(concerned.evaluation(ALICE, PolicyAction.DISCOVER, OWN, PEERS).visibleDomains());
        assertEquals(Set.of(OWN, "b.example"), concerned.evaluation(BERT, PolicyAction.DISCOVER, OWN, PEERS).visibleDomains());
    }

    // ---- a larger mixed case, cross-checked one by one --------------------------------------------

    @Test
    void everyCombinationFollowsTheDocumentedOrder() {
        PolicySet set = set(
                policy("b-booking", "ALLOW", "MESSAGE", "[{\"domain\":\"c.example\"}]", "[{\"capability\":\"booking\"}]"),
                policy("no-vault-from-outside", "DENY", "DISCOVER,MESSAGE", "[{\"domain\":\"b.example\"},{\"domain\":\"c.example\"}]",
                        "[{\"capability\":\"vault\"}]"),
                policy("zed-hidden", "DENY", "DISCOVER", "[{\"domain\":\"*\"}]", "[{\"agent\":\"agent://local.example/Zeta/zed\"}]"));
        Target zed = target("a-3", "local.example", "Zeta", "zed", skill("chat"));
        List<Requester> subjects = List.of(ALICE, ZED, BERT, OTTO, CID, EVE, GATEWAY_B);
        List<Target> targets = List.of(ALICE_SELF, PLANNER, SECRET, BOB, CAROL, CAROL_TWIN, zed);
        for (Requester subject : subjects) {
            for (PolicyAction action : PolicyAction.values()) {
                for (Target target : targets) {
                    Decision decision = set.evaluation(subject, action, OWN, PEERS).decide(target);
                    assertEquals(expected(subject, action, target), decision.allowed(),
                            subject.uri() + " " + action + " " + target.uri() + ": " + decision);
                }
            }
        }
    }

    /** The documented order, written out plainly for the mixed case above. */
    private static boolean expected(Requester subject, PolicyAction action, Target target) {
        if (subject.uri().equals(target.uri())) {
            return true;
        }
        boolean outsider = subject.domain().equals("b.example") || subject.domain().equals("c.example");
        boolean vault = target.uri().endsWith("/secret");
        if (outsider && vault) {
            return false;
        }
        if (action == PolicyAction.DISCOVER && target.uri().equals("agent://local.example/Zeta/zed")) {
            return false;
        }
        boolean booking = target.uri().endsWith("/planner") || target.uri().endsWith("/bob") || target.uri().endsWith("/carol");
        if (action == PolicyAction.MESSAGE && subject.domain().equals("c.example") && booking) {
            return true;
        }
        boolean subjectAdmitted = subject.domain().equals(OWN) || subject.domain().equals("b.example");
        boolean targetAdmitted = target.domain().equals(OWN) || target.domain().equals("b.example");
        return subjectAdmitted && targetAdmitted;
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static void assertDecision(boolean allowed, Reason reason, PolicySet set, Requester subject, PolicyAction action,
                                       Target target) {
        Decision decision = set.evaluation(subject, action, OWN, PEERS).decide(target);
        assertEquals(allowed, decision.allowed(), subject.uri() + " " + action + " " + target.uri() + ": " + decision);
        assertEquals(reason, decision.reason(), subject.uri() + " " + action + " " + target.uri());
        if (reason != Reason.ALLOW_POLICY && reason != Reason.DENY_POLICY) {
            assertNull(decision.policyId());
        }
    }

    private static void assertRefused(Reason reason, Optional<Decision> refusal) {
        assertTrue(refusal.isPresent(), "the query is refused");
        assertFalse(refusal.get().allowed());
        assertEquals(reason, refusal.get().reason());
    }

    private static Set<PolicyAction> all() {
        return EnumSet.allOf(PolicyAction.class);
    }

    private static PolicySet set(PolicySet.Rule... rules) {
        return new PolicySet(1, List.of(rules), rules.length, new HashMap<>(), all());
    }

    static PolicySet.Rule policy(String name, String effect, String actions, String subjects, String objects) {
        List<String> quoted = new ArrayList<>();
        for (String action : actions.split(",")) {
            quoted.add("\"" + action + "\"");
        }
        String json = "{\"name\":\"" + name + "\",\"effect\":\"" + effect + "\",\"actions\":" + quoted
                + ",\"subjects\":" + subjects + ",\"objects\":" + objects + "}";
        return PolicySet.Rule.of("id-" + name, PolicyJson.read(json));
    }

    static AgentSkill skill(String id, String... tags) {
        return new AgentSkill(id, "Skill " + id, "Does " + id, List.of(tags));
    }

    static Target target(String id, String domain, String encodedOrganization, String name, AgentSkill skill) {
        AgentProfile profile = new AgentProfile(name, null, "An agent", null, List.of(skill), List.of(Protocol.values()[0]),
                List.of(), List.of("en"), List.of());
        return new Target(id, "agent://" + domain + "/" + encodedOrganization + "/" + name, domain, profile);
    }
}
