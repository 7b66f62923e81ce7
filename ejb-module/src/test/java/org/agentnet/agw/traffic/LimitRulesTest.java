package org.agentnet.agw.traffic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.agentnet.agw.traffic.TrafficControl.Kind;
import org.junit.jupiter.api.Test;

class LimitRulesTest {

    private final Map<String, String> settings = new HashMap<>(Map.of(
            "agentnet.agw.limits.discovery.limit", "600",
            "agentnet.agw.limits.discovery.window", "PT1M",
            "agentnet.agw.limits.message.limit", "300",
            "agentnet.agw.limits.message.window", "PT1M",
            "agentnet.agw.limits.peer-sync.limit", "3000",
            "agentnet.agw.limits.peer-sync.window", "PT1M",
            "agentnet.agw.limits.delivery.concurrency", "4"));

    private LimitRules rules() {
        return new LimitRules(name -> Optional.ofNullable(settings.get(name)));
    }

    @Test
    void theDefaultsApplyWithoutOverrides() {
        LimitRules rules = rules();
        assertEquals(new LimitRules.Limit(600, Duration.ofMinutes(1)), rules.limit(Kind.DISCOVERY, "a.example", "Acme Corp"));
        assertEquals(new LimitRules.Limit(300, Duration.ofMinutes(1)), rules.limit(Kind.MESSAGE, "a.example", "Acme Corp"));
        assertEquals(new LimitRules.Limit(3000, Duration.ofMinutes(1)), rules.limit(Kind.PEER_SYNC, "b.example", "b.example"));
        assertEquals(4, rules.deliveryConcurrency("a.example", "Acme Corp"));
        assertEquals("600/PT1M", rules.limit(Kind.DISCOVERY, null, null).spec());
    }

    @Test
    void theOrganizationWinsOverTheDomainEachPropertyOnItsOwn() {
        settings.put("agentnet.agw.limits.domain.a.example.discovery.limit", "100");
        settings.put("agentnet.agw.limits.domain.a.example.discovery.window", "PT10S");
        settings.put("agentnet.agw.limits.organization.Acme Corp.discovery.limit", "5");
        settings.put("agentnet.agw.limits.organization.Acme Corp.delivery.concurrency", "1");
        LimitRules rules = rules();

        // limit from the organization, window from the domain
        assertEquals(new LimitRules.Limit(5, Duration.ofSeconds(10)), rules.limit(Kind.DISCOVERY, "a.example", "Acme Corp"));
        // another organization of the domain: the domain's
        assertEquals(new LimitRules.Limit(100, Duration.ofSeconds(10)), rules.limit(Kind.DISCOVERY, "a.example", "Other"));
        // the organization in another domain: its limit, the default window
        assertEquals(new LimitRules.Limit(5, Duration.ofMinutes(1)), rules.limit(Kind.DISCOVERY, "b.example", "Acme Corp"));
        // other kinds keep their defaults
        assertEquals(new LimitRules.Limit(300, Duration.ofMinutes(1)), rules.limit(Kind.MESSAGE, "a.example", "Acme Corp"));
        assertEquals(1, rules.deliveryConcurrency("a.example", "Acme Corp"));
        assertEquals(4, rules.deliveryConcurrency("a.example", "Other"));
    }

    @Test
    void zeroMeansNoLimit() {
        settings.put("agentnet.agw.limits.domain.free.example.message.limit", "0");
        LimitRules rules = rules();
        assertTrue(rules.limit(Kind.MESSAGE, "free.example", "x").unlimited());
        assertEquals(false, rules.limit(Kind.MESSAGE, "other.example", "x").unlimited());
    }

    @Test
    void anInvalidOverrideIsSkippedAndAnInvalidDefaultStopsTheStart() {
        settings.put("agentnet.agw.limits.organization.Acme.discovery.limit", "lots");
        settings.put("agentnet.agw.limits.domain.a.example.discovery.limit", "50");
        settings.put("agentnet.agw.limits.organization.Acme.discovery.window", "PT0.5S");
        assertEquals(new LimitRules.Limit(50, Duration.ofMinutes(1)), rules().limit(Kind.DISCOVERY, "a.example", "Acme"));

        settings.put("agentnet.agw.limits.message.window", "soon");
        IllegalStateException invalid = assertThrows(IllegalStateException.class, this::rules);
        assertTrue(invalid.getMessage().contains("agentnet.agw.limits.message.window"), invalid.getMessage());
        settings.put("agentnet.agw.limits.message.window", "PT1M");
        settings.remove("agentnet.agw.limits.delivery.concurrency");
        assertThrows(IllegalStateException.class, this::rules);
    }

    @Test
    void anAgentUriNamesItsDomainAndOrganization() {
        assertArrayEquals(new String[] {"a.example", "Acme Corp"}, LimitRules.domainAndOrganization("agent://a.example/Acme%20Corp/planner"));
        assertArrayEquals(new String[] {"b.example", "b.example"}, LimitRules.domainAndOrganization("agw://b.example/b.example/node-1"));
        assertArrayEquals(new String[] {null, null}, LimitRules.domainAndOrganization(null));
        assertArrayEquals(new String[] {null, null}, LimitRules.domainAndOrganization("not a uri"));
        assertArrayEquals(new String[] {"a.example", null}, LimitRules.domainAndOrganization("agent://a.example/"));
    }
}
