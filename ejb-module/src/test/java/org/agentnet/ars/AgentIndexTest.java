package org.agentnet.ars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AgentIndexTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    static Agent agent(String id, long revision, AgentStatus status, String domain, String name, String description,
                       List<AgentSkill> skills, List<Protocol> protocols, List<String> languages) {
        AgentProfile profile = new AgentProfile(name, "Org", description, null, skills, protocols, List.of(), languages, List.of());
        return new Agent(id, "node-a", true, domain, "agent://" + domain + "/Org/" + name, status, null, profile, null, NOW, NOW,
                revision);
    }

    static Agent agent(String id, String skill, List<Protocol> protocols, List<String> languages) {
        return agent(id, 0, AgentStatus.ONLINE, "a.example", "agent-" + id, "An agent", List.of(skill(skill)), protocols, languages);
    }

    static AgentSkill skill(String id, String... tags) {
        return new AgentSkill(id, "Skill " + id, "Does " + id, List.of(tags));
    }

    static DiscoveryQuery query(String... parameters) {
        List<String> capability = new ArrayList<>();
        List<String> protocol = new ArrayList<>();
        List<String> language = new ArrayList<>();
        List<String> domain = new ArrayList<>();
        List<String> status = new ArrayList<>();
        String q = null;
        for (int i = 0; i < parameters.length; i += 2) {
            String value = parameters[i + 1];
            switch (parameters[i]) {
                case "capability" -> capability.add(value);
                case "protocol" -> protocol.add(value);
                case "language" -> language.add(value);
                case "domain" -> domain.add(value);
                case "status" -> status.add(value);
                case "q" -> q = value;
                default -> throw new IllegalArgumentException(parameters[i]);
            }
        }
        return DiscoveryQuery.parse(capability, protocol, language, domain, status, q);
    }

    static List<String> ids(AgentIndex index, DiscoveryQuery query) {
        return index.search(query, AgentIndex.Position.START, 100).hits().stream().map(h -> h.agent().id()).toList();
    }

    private static AgentIndex sample() {
        AgentIndex index = new AgentIndex();
        index.load(List.of(
                agent("a1", "flights", List.of(Protocol.HTTP), List.of("en-GB")),
                agent("a2", "hotels", List.of(Protocol.A2A_JSONRPC, Protocol.HTTP), List.of("zh-CN")),
                agent("a3", "flights", List.of(Protocol.MQTT), List.of("fr", "en")),
                agent("a4", 0, AgentStatus.OFFLINE, "b.example", "agent-a4", "An agent", List.of(skill("visas", "travel")),
                        List.of(Protocol.HTTP), List.of("en")),
                agent("a5", 0, AgentStatus.INAPPLICABLE, "b.example", "agent-a5", "An agent", List.of(skill("flights")),
                        List.of(Protocol.HTTP), List.of("en"))));
        return index;
    }

    @Test
    void eachFilterFindsItsAgentsInIdOrder() {
        AgentIndex index = sample();
        assertEquals(List.of("a1", "a2", "a3"), ids(index, query()), "online by default");
        assertEquals(List.of("a1", "a3"), ids(index, query("capability", "FLIGHTS")));
        assertEquals(List.of("a4"), ids(index, query("capability", "travel", "status", "offline")), "a tag");
        assertEquals(List.of("a1", "a2"), ids(index, query("protocol", "http")));
        assertEquals(List.of("a2"), ids(index, query("protocol", "a2a")));
        assertEquals(List.of("a1", "a3"), ids(index, query("language", "en")), "en covers en-GB");
        assertEquals(List.of("a2"), ids(index, query("language", "zh")));
        assertEquals(List.of(), ids(index, query("language", "zh-TW")));
        assertEquals(List.of("a4"), ids(index, query("domain", "b.example", "status", "OFFLINE,ONLINE")));
        assertEquals(List.of("a1", "a2", "a3", "a4"), ids(index, query("status", "ONLINE", "status", "OFFLINE")));
        assertEquals(List.of(), ids(index, query("capability", "nothing-has-this")));
    }

    @Test
    void aVisibilityFilterLeavesAgentsOutWithoutShorteningPagesOrBreakingCursors() {
        AgentIndex index = new AgentIndex();
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            agents.add(agent(String.format("x%02d", i), 0, AgentStatus.ONLINE, "a.example", "agent-x" + i, "Flight agent number " + i,
                    List.of(skill("flights")), List.of(Protocol.HTTP), List.of("en")));
        }
        index.load(agents);
        java.util.function.Predicate<Agent> evenOnly = agent -> Integer.parseInt(agent.id().substring(1)) % 2 == 0;
        for (DiscoveryQuery query : List.of(query("capability", "flights"), query("q", "flight agent"))) {
            List<String> seen = new ArrayList<>();
            AgentIndex.Position after = AgentIndex.Position.START;
            int pages = 0;
            do {
                AgentIndex.Page page = index.search(query, after, 4, evenOnly);
                assertTrue(page.hits().size() == 4 || page.next() == null, "a page is full unless it is the last");
                page.hits().forEach(hit -> seen.add(hit.agent().id()));
                after = page.next();
                pages++;
            } while (after != null && pages < 20);
            assertEquals(15, seen.size(), query + ": " + seen);
            assertEquals(15, new java.util.HashSet<>(seen).size(), "no agent twice");
            assertTrue(seen.stream().allMatch(id -> Integer.parseInt(id.substring(1)) % 2 == 0), seen.toString());
        }
        assertEquals(List.of(), index.search(query(), AgentIndex.Position.START, 10, agent -> false).hits());
        assertEquals(10, index.search(query(), AgentIndex.Position.START, 10, null).hits().size());
    }

    @Test
    void fieldsAreAndedAndValuesOfAFieldOred() {
        AgentIndex index = sample();
        assertEquals(List.of("a1", "a2", "a3"), ids(index, query("capability", "flights,hotels")));
        assertEquals(List.of("a1"), ids(index, query("capability", "flights,hotels", "language", "en-GB")));
        assertEquals(List.of("a2", "a3"), ids(index, query("protocol", "MQTT,A2A-JSONRPC")));
        assertEquals(List.of("a3"), ids(index, query("protocol", "MQTT,A2A-JSONRPC", "language", "fr")));
        assertEquals(List.of(), ids(index, query("capability", "hotels", "protocol", "MQTT")));
    }

    @Test
    void inapplicableAgentsAreNeverOfferedAndDeregisteredOnesLeave() {
        AgentIndex index = sample();
        assertFalse(ids(index, query("capability", "flights", "status", "ONLINE,OFFLINE")).contains("a5"));
        assertTrue(index.get("a5").isPresent(), "still held, for when it comes back");
        index.apply(agent("a5", 1, AgentStatus.ONLINE, "b.example", "agent-a5", "An agent", List.of(skill("flights")),
                List.of(Protocol.HTTP), List.of("en")));
        assertEquals(List.of("a1", "a3", "a5"), ids(index, query("capability", "flights")));

        index.apply(agent("a3", 1, AgentStatus.DEREGISTERED, "a.example", "agent-a3", "An agent", List.of(skill("flights")),
                List.of(Protocol.MQTT), List.of("fr")));
        assertEquals(List.of("a1", "a5"), ids(index, query("capability", "flights")));
        assertTrue(index.get("a3").isEmpty());
        assertEquals(List.of(), ids(index, query("protocol", "MQTT")), "no trace left in any field");
        assertEquals(List.of(), ids(index, query("language", "fr")));
    }

    @Test
    void anUpdateMovesTheAgentBetweenSetsAndOlderRevisionsAreIgnored() {
        AgentIndex index = sample();
        Agent moved = agent("a1", 0, AgentStatus.ONLINE, "a.example", "agent-a1", "An agent", List.of(skill("visas")),
                List.of(Protocol.GRPC), List.of("de"));
        Agent movedLater = new Agent("a1", "node-a", true, "a.example", moved.agentUri(), AgentStatus.ONLINE, null, moved.profile(),
                null, NOW, NOW, 2);
        assertTrue(index.apply(movedLater));
        assertEquals(List.of("a3"), ids(index, query("capability", "flights")));
        assertEquals(List.of("a1"), ids(index, query("protocol", "GRPC", "language", "de")));

        // revision 1 arrives late (its transaction committed first, its event ran second)
        Agent older = agent("a1", 1, AgentStatus.ONLINE, "a.example", "agent-a1", "An agent", List.of(skill("flights")),
                List.of(Protocol.HTTP), List.of("en"));
        assertFalse(index.apply(older));
        assertEquals(List.of("a3"), ids(index, query("capability", "flights")));

        // and after a deregistration, an older change does not bring the agent back
        index.apply(new Agent("a2", "node-a", true, "a.example", "x", AgentStatus.DEREGISTERED, null, moved.profile(), null, NOW, NOW, 5));
        assertFalse(index.apply(agent("a2", "hotels", List.of(Protocol.HTTP), List.of("en"))));
        assertTrue(index.get("a2").isEmpty());
        assertEquals(4, index.size(), "a1, a3, a4, a5");
    }

    @Test
    void theTextQueryRanksNameAndSkillsAboveDescriptions() {
        AgentIndex index = new AgentIndex();
        index.load(List.of(
                agent("t1", 0, AgentStatus.ONLINE, "a.example", "weather", "Forecasts for any city", List.of(skill("forecast")),
                        List.of(Protocol.HTTP), List.of("en")),
                agent("t2", 0, AgentStatus.ONLINE, "a.example", "planner", "Plans trips, checks the weather first",
                        List.of(skill("trips")), List.of(Protocol.HTTP), List.of("en")),
                agent("t3", 0, AgentStatus.ONLINE, "a.example", "booker", "Books hotels", List.of(skill("hotels")),
                        List.of(Protocol.HTTP), List.of("en")),
                agent("t4", 0, AgentStatus.ONLINE, "a.example", "chinese", "酒店预订服务", List.of(skill("zh-booking")),
                        List.of(Protocol.HTTP), List.of("zh"))));
        AgentIndex.Page page = index.search(query("q", "Weather"), AgentIndex.Position.START, 10);
        assertEquals(List.of("t1", "t2"), page.hits().stream().map(h -> h.agent().id()).toList());
        assertTrue(page.hits().get(0).score() > page.hits().get(1).score());
        assertEquals(List.of("t3"), ids(index, query("q", "hotel")), "plural folded: hotel finds hotels");
        assertEquals(List.of("t4"), ids(index, query("q", "预订")), "Han characters are words of their own");
        assertEquals(List.of("t1", "t2"), ids(index, query("q", "weather trips")).stream().sorted().toList());
        assertEquals(List.of("t2"), ids(index, query("q", "weather", "capability", "trips")), "filters apply to ranked queries");
        assertEquals(List.of(), ids(index, query("q", "nothing")));
    }

    @Test
    void pagesConcatenateToTheWholeResultForBothOrders() {
        AgentIndex index = new AgentIndex();
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < 57; i++) {
            String description = "agent " + "flight ".repeat(1 + i % 5) + (i % 3 == 0 ? "hotel" : "");
            agents.add(agent(String.format("id-%03d", 57 - i), 0, AgentStatus.ONLINE, "a.example", "n" + i, description,
                    List.of(skill("s" + (i % 4))), List.of(Protocol.HTTP), List.of("en")));
        }
        index.load(agents);
        for (DiscoveryQuery q : List.of(query(), query("capability", "s1,s2"), query("q", "flight hotel"))) {
            List<String> whole = ids(index, q);
            List<String> paged = new ArrayList<>();
            AgentIndex.Position after = AgentIndex.Position.START;
            int pages = 0;
            do {
                AgentIndex.Page page = index.search(q, after, 7);
                assertTrue(page.hits().size() <= 7);
                page.hits().forEach(h -> paged.add(h.agent().id()));
                after = page.next();
                pages++;
            } while (after != null);
            assertEquals(whole, paged, q.toString());
            assertEquals(Math.max(1, (whole.size() + 6) / 7), pages);
        }
        AgentIndex.Page last = index.search(query(), new AgentIndex.Position(0, "id-057"), 5);
        assertEquals(List.of(), last.hits());
        assertNull(last.next());
    }

    /** Random agents and random queries: the index answers what a plain scan over the agents answers. */
    @Test
    void matchesABruteForceScan() {
        Random random = new Random(42);
        String[] capabilities = {"c0", "c1", "c2", "c3", "c4", "c5"};
        Protocol[] protocols = {Protocol.HTTP, Protocol.MQTT, Protocol.GRPC, Protocol.A2A_JSONRPC};
        String[] languages = {"en", "en-US", "fr", "zh-CN", "de"};
        String[] domains = {"a.example", "b.example"};
        AgentStatus[] statuses = {AgentStatus.ONLINE, AgentStatus.OFFLINE, AgentStatus.INAPPLICABLE};
        List<Agent> agents = new ArrayList<>();
        AgentIndex index = new AgentIndex();
        for (int i = 0; i < 2000; i++) {
            Agent agent = agent("id" + Integer.toString(random.nextInt(1_000_000), 36) + "-" + i, 0,
                    statuses[random.nextInt(3)], domains[random.nextInt(2)], "n" + i, "description",
                    List.of(skill(capabilities[random.nextInt(6)], capabilities[random.nextInt(6)])),
                    List.of(protocols[random.nextInt(4)]), List.of(languages[random.nextInt(5)]));
            agents.add(agent);
            if (i % 2 == 0) {
                index.apply(agent);
            }
        }
        index.load(agents.subList(0, 1000));
        agents.subList(1000, 2000).forEach(index::apply);
        for (int n = 0; n < 300; n++) {
            Set<String> c = pick(random, capabilities);
            Set<String> p = pick(random, java.util.Arrays.stream(protocols).map(Protocol::canonical).toArray(String[]::new));
            Set<String> l = pick(random, new String[] {"en", "fr", "zh", "de", "en-us"});
            Set<String> d = pick(random, domains);
            Set<String> s = pick(random, new String[] {"ONLINE", "OFFLINE"});
            DiscoveryQuery query = DiscoveryQuery.parse(List.copyOf(c), List.copyOf(p), List.copyOf(l), List.copyOf(d),
                    List.copyOf(s), null);
            List<String> expected = agents.stream().filter(a -> matches(a, query)).map(Agent::id).sorted().limit(100).toList();
            assertEquals(expected, ids(index, query), query.toString());
        }
    }

    private static boolean matches(Agent agent, DiscoveryQuery query) {
        Set<String> capabilities = agent.profile().skills().stream()
                .flatMap(s -> java.util.stream.Stream.concat(java.util.stream.Stream.of(s.id()), s.tags().stream()))
                .map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Set<String> languages = agent.profile().languages().stream().map(v -> v.toLowerCase(Locale.ROOT))
                .flatMap(v -> java.util.stream.Stream.of(v, v.split("-")[0])).collect(Collectors.toSet());
        return (query.capabilities().isEmpty() || query.capabilities().stream().anyMatch(capabilities::contains))
                && (query.protocols().isEmpty() || agent.profile().protocols().stream().anyMatch(p -> query.protocols().contains(p.canonical())))
                && (query.languages().isEmpty() || query.languages().stream().anyMatch(languages::contains))
                && (query.domains().isEmpty() || query.domains().contains(agent.domain()))
                && query.statuses().contains(agent.status());
    }

    private static Set<String> pick(Random random, String[] values) {
        Set<String> picked = new java.util.LinkedHashSet<>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            picked.add(values[random.nextInt(values.length)]);
        }
        return picked;
    }

    /**
     * Ranked queries after many changes (re-indexing, deregistration, numbers used again) answer
     * what an index loaded at once with the final agents answers, scores included, and find
     * exactly the agents holding one of the words.
     */
    @Test
    void rankedQueriesAfterChangesMatchAFreshIndex() {
        Random random = new Random(7);
        String[] vocabulary = {"flight", "hotel", "weather", "invoice", "train", "visa", "taxi", "museum"};
        AgentIndex changed = new AgentIndex();
        java.util.Map<String, Agent> current = new java.util.HashMap<>();
        for (int step = 0; step < 3000; step++) {
            String id = "id-" + random.nextInt(400);
            Agent before = current.get(id);
            long revision = before == null ? step : before.revision() + 1;
            if (before != null && random.nextInt(4) == 0) {
                Agent gone = agent(id, revision, AgentStatus.DEREGISTERED, "a.example", before.profile().name(),
                        before.profile().description(), before.profile().skills(), List.of(Protocol.HTTP), List.of("en"));
                assertTrue(changed.apply(gone));
                current.remove(id);
                continue;
            }
            StringBuilder description = new StringBuilder();
            for (int w = random.nextInt(6); w >= 0; w--) {
                description.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
            }
            Agent agent = agent(id, revision, random.nextInt(5) == 0 ? AgentStatus.OFFLINE : AgentStatus.ONLINE,
                    random.nextBoolean() ? "a.example" : "b.example", "n" + random.nextInt(50), description.toString(),
                    List.of(skill(vocabulary[random.nextInt(vocabulary.length)])), List.of(Protocol.HTTP), List.of("en"));
            assertTrue(changed.apply(agent));
            current.put(id, agent);
        }
        AgentIndex fresh = new AgentIndex();
        fresh.load(current.values());
        assertEquals(current.size(), changed.size());
        for (int n = 0; n < 200; n++) {
            String q = vocabulary[random.nextInt(vocabulary.length)] + " " + vocabulary[random.nextInt(vocabulary.length)];
            DiscoveryQuery query = random.nextBoolean() ? query("q", q) : query("q", q, "domain", "b.example", "status", "OFFLINE");
            List<AgentIndex.Hit> expected = fresh.search(query, AgentIndex.Position.START, 100).hits();
            List<AgentIndex.Hit> actual = changed.search(query, AgentIndex.Position.START, 100).hits();
            assertEquals(expected.stream().map(h -> h.agent().id() + "=" + h.score()).toList(),
                    actual.stream().map(h -> h.agent().id() + "=" + h.score()).toList(), query.toString());
            Set<String> words = Set.copyOf(query.words());
            List<String> holders = current.values().stream()
                    .filter(a -> query.statuses().contains(a.status()))
                    .filter(a -> query.domains().isEmpty() || query.domains().contains(a.domain()))
                    .filter(a -> java.util.stream.Stream.concat(Words.of(a.profile().description()).stream(),
                            Words.of(a.profile().skills().get(0).id()).stream()).anyMatch(words::contains))
                    .map(Agent::id).sorted().toList();
            if (holders.size() <= 100) {
                assertEquals(holders, actual.stream().map(h -> h.agent().id()).sorted().toList(), query.toString());
            }
        }
    }

    /**
     * Access control in the text query is asked last: when the best hits are all visible it is asked
     * for them only (limit + 1 agents, not every agent that entered the best on the way); when some are
     * hidden the pages are still the unfiltered ranking without the hidden agents, each agent asked
     * at most once a page.
     */
    @Test
    void rankedPagesAskAccessControlForTheBestOnlyAndStillLeaveTheHiddenOut() {
        Random random = new Random(5);
        String[] vocabulary = {"flight", "hotel", "weather", "invoice", "train", "visa", "taxi", "museum"};
        AgentIndex index = new AgentIndex();
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            StringBuilder description = new StringBuilder();
            for (int w = 2 + random.nextInt(20); w >= 0; w--) {
                description.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
            }
            agents.add(agent(String.format("v%04d", i), 0, AgentStatus.ONLINE, "a.example", "agent-v" + i, description.toString(),
                    List.of(skill("travel")), List.of(Protocol.HTTP), List.of("en")));
        }
        index.load(agents);
        DiscoveryQuery query = query("q", "flight museum");
        List<String> all = index.search(query, AgentIndex.Position.START, 100_000).hits().stream()
                .map(h -> h.agent().id() + "=" + h.score()).toList();
        assertTrue(all.size() > 500, "many matches: " + all.size());

        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        AgentIndex.Page first = index.search(query, AgentIndex.Position.START, 20, agent -> {
            asked.incrementAndGet();
            return true;
        });
        assertEquals(all.subList(0, 20), first.hits().stream().map(h -> h.agent().id() + "=" + h.score()).toList());
        assertEquals(21, asked.get(), "asked for the best 21 only");

        // every third agent of the ranking hidden, the best one among them: pages are the ranking without them
        Set<String> hidden = new java.util.HashSet<>();
        for (int i = 0; i < all.size(); i += 3) {
            hidden.add(all.get(i).substring(0, all.get(i).indexOf('=')));
        }
        java.util.Map<String, Integer> askedFor = new java.util.HashMap<>();
        List<String> paged = new ArrayList<>();
        AgentIndex.Position after = AgentIndex.Position.START;
        for (int pages = 0; after != null && pages < 10; pages++) {
            askedFor.clear();
            AgentIndex.Page page = index.search(query, after, 20, agent -> {
                askedFor.merge(agent.id(), 1, Integer::sum);
                return !hidden.contains(agent.id());
            });
            assertTrue(askedFor.values().stream().allMatch(n -> n == 1), "each agent asked once a page: " + askedFor);
            page.hits().forEach(h -> paged.add(h.agent().id() + "=" + h.score()));
            after = page.next();
        }
        List<String> visible = all.stream().filter(h -> !hidden.contains(h.substring(0, h.indexOf('=')))).toList();
        assertEquals(visible.subList(0, paged.size()), paged);
        assertEquals(200, paged.size());
    }

    /**
     * The text query's pruning (MaxScore) leaves nothing out: with a skewed vocabulary, many
     * matches and small pages (a full page early, so most agents are pruned), the pages of every
     * size concatenate to the unpruned ranking (a limit above the number of matches), scores included;
     * after changes too (loose bounds), with filters and with a visibility filter.
     */
    @Test
    void prunedRankedPagesAreTheUnprunedRanking() {
        Random random = new Random(11);
        String[] vocabulary = new String[60];
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = "word" + (char) ('a' + i % 26) + (char) ('a' + i / 26);
        }
        AgentIndex index = new AgentIndex();
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            StringBuilder description = new StringBuilder();
            for (int w = 3 + random.nextInt(30); w >= 0; w--) {
                // Zipf-like: low ranks much more often
                description.append(vocabulary[(int) Math.min(vocabulary.length - 1, Math.abs(random.nextGaussian()) * 12)]).append(' ');
            }
            agents.add(agent(String.format("id-%05d", random.nextInt(100_000)) + "-" + i, 0,
                    random.nextInt(8) == 0 ? AgentStatus.OFFLINE : AgentStatus.ONLINE, random.nextBoolean() ? "a.example" : "b.example",
                    vocabulary[random.nextInt(vocabulary.length)], description.toString(),
                    List.of(skill(vocabulary[random.nextInt(20)])), List.of(Protocol.HTTP), List.of("en")));
        }
        index.load(agents.subList(0, 2500));
        for (int i = 0; i < 500; i++) {
            Agent agent = agents.get(2500 + i);
            index.apply(agent);
            if (i % 5 == 0) { // changes leave loose bounds behind
                Agent old = agents.get(i);
                index.apply(agent(old.id(), 1, old.status(), old.domain(), old.profile().name(), "short", old.profile().skills(),
                        List.of(Protocol.HTTP), List.of("en")));
            }
        }
        java.util.function.Predicate<Agent> visible = a -> a.id().hashCode() % 3 != 0;
        for (int n = 0; n < 60; n++) {
            StringBuilder q = new StringBuilder();
            for (int w = 1 + random.nextInt(4); w > 0; w--) {
                q.append(vocabulary[random.nextInt(random.nextBoolean() ? 8 : vocabulary.length)]).append(' ');
            }
            DiscoveryQuery query = n % 3 == 0 ? query("q", q.toString(), "domain", "b.example") : query("q", q.toString());
            java.util.function.Predicate<Agent> filter = n % 4 == 0 ? visible : null;
            List<String> whole = index.search(query, AgentIndex.Position.START, 100_000, filter).hits().stream()
                    .map(h -> h.agent().id() + "=" + h.score()).toList();
            for (int limit : new int[] {1, 3, 20}) {
                List<String> paged = new ArrayList<>();
                AgentIndex.Position after = AgentIndex.Position.START;
                for (int pages = 0; after != null && pages < 40; pages++) {
                    AgentIndex.Page page = index.search(query, after, limit, filter);
                    page.hits().forEach(h -> paged.add(h.agent().id() + "=" + h.score()));
                    after = page.next();
                }
                assertEquals(whole.subList(0, Math.min(whole.size(), paged.size())), paged, query + " limit " + limit);
                assertTrue(paged.size() == whole.size() || paged.size() >= 40 * limit, query + " limit " + limit);
            }
        }
    }

    /**
     * The text query with filters of every field (several values OR-ed, fields AND-ed: the filters'
     * bitmaps combined once per query) answers the unfiltered ranking with the agents the filters
     * leave out taken away, as a scan finds them, in pages of every size; after changes that move
     * agents between sets and give numbers of removed agents to new ones.
     */
    @Test
    void rankedQueriesWithFiltersAreTheRankingFilteredByAScan() {
        Random random = new Random(23);
        String[] vocabulary = {"flight", "hotel", "weather", "invoice", "train", "visa", "taxi", "museum", "ferry", "menu"};
        String[] capabilities = {"c0", "c1", "c2", "c3"};
        Protocol[] protocols = {Protocol.HTTP, Protocol.MQTT, Protocol.GRPC};
        String[] languages = {"en", "en-US", "fr", "de"};
        String[] domains = {"a.example", "b.example"};
        AgentStatus[] statuses = {AgentStatus.ONLINE, AgentStatus.ONLINE, AgentStatus.OFFLINE, AgentStatus.INAPPLICABLE};
        java.util.Map<String, Agent> current = new java.util.TreeMap<>();
        AgentIndex index = new AgentIndex();
        for (int step = 0; step < 4000; step++) {
            String id = "id-" + Integer.toString(random.nextInt(1500), 36);
            Agent before = current.get(id);
            long revision = before == null ? step : before.revision() + 1;
            if (before != null && random.nextInt(5) == 0) {
                assertTrue(index.apply(agent(id, revision, AgentStatus.DEREGISTERED, before.domain(), before.profile().name(),
                        "gone", before.profile().skills(), List.of(Protocol.HTTP), List.of("en"))));
                current.remove(id);
                continue;
            }
            StringBuilder description = new StringBuilder();
            for (int w = random.nextInt(8); w >= 0; w--) {
                description.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
            }
            Agent agent = agent(id, revision, statuses[random.nextInt(statuses.length)], domains[random.nextInt(2)],
                    "n" + random.nextInt(300), description.toString(),
                    List.of(skill(capabilities[random.nextInt(4)], capabilities[random.nextInt(4)])),
                    List.of(protocols[random.nextInt(3)]), List.of(languages[random.nextInt(4)]));
            assertTrue(index.apply(agent));
            current.put(id, agent);
            if (step == 1500) { // a bulk load in between, then changes again
                index = new AgentIndex();
                index.load(current.values());
            }
        }
        for (int n = 0; n < 150; n++) {
            String q = vocabulary[random.nextInt(vocabulary.length)] + " " + vocabulary[random.nextInt(vocabulary.length)];
            DiscoveryQuery query = DiscoveryQuery.parse(List.copyOf(pick(random, capabilities)),
                    List.copyOf(pick(random, java.util.Arrays.stream(protocols).map(Protocol::canonical).toArray(String[]::new))),
                    List.copyOf(pick(random, new String[] {"en", "fr", "de", "en-us"})), List.copyOf(pick(random, domains)),
                    List.copyOf(pick(random, new String[] {"ONLINE", "OFFLINE"})), q);
            DiscoveryQuery unfiltered = DiscoveryQuery.parse(List.of(), List.of(), List.of(), List.of(),
                    List.of("ONLINE", "OFFLINE"), q);
            List<String> expected = index.search(unfiltered, AgentIndex.Position.START, 100_000).hits().stream()
                    .filter(h -> matches(h.agent(), query)).map(h -> h.agent().id() + "=" + h.score()).toList();
            int limit = 1 + random.nextInt(7);
            List<String> paged = new ArrayList<>();
            AgentIndex.Position after = AgentIndex.Position.START;
            for (int pages = 0; after != null && pages < 400; pages++) {
                AgentIndex.Page page = index.search(query, after, limit);
                page.hits().forEach(h -> paged.add(h.agent().id() + "=" + h.score()));
                after = page.next();
            }
            assertEquals(expected, paged, query + " limit " + limit);
        }
    }

    /**
     * Filters that admit few agents of many holders (the query then scores each admitted agent
     * instead of walking the words' holders): the pages are the unfiltered ranking with the others
     * taken away, admitted agents holding none of the words are left out, and a visibility filter
     * still applies.
     */
    @Test
    void rankedQueriesWhoseFiltersAdmitFewAgentsAreTheRankingFiltered() {
        Random random = new Random(31);
        String[] vocabulary = {"route", "cargo", "berth", "tide", "crane"};
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            StringBuilder description = new StringBuilder();
            for (int w = random.nextInt(12); w >= 0; w--) {
                description.append(random.nextInt(6) == 0 ? "other" : vocabulary[random.nextInt(vocabulary.length)]).append(' ');
            }
            List<AgentSkill> skills = i % 70 == 0 ? List.of(skill("pilotage", "harbour")) : List.of(skill("s" + i % 9));
            agents.add(agent(String.format("id-%04d", random.nextInt(10_000)) + "-" + i, 0, AgentStatus.ONLINE, "a.example",
                    "n" + i, i % 140 == 0 ? "nothing in common" : description.toString(), skills, List.of(Protocol.HTTP), List.of("en")));
        }
        AgentIndex index = new AgentIndex();
        index.load(agents);
        java.util.function.Predicate<Agent> visible = a -> a.id().hashCode() % 3 != 0;
        for (String q : new String[] {"route cargo", "tide", "crane berth route", "nothing"}) {
            for (java.util.function.Predicate<Agent> filter : java.util.Arrays.<java.util.function.Predicate<Agent>>asList(null, visible)) {
                List<String> expected = index.search(query("q", q), AgentIndex.Position.START, 100_000).hits().stream()
                        .filter(h -> h.agent().profile().skills().get(0).id().equals("pilotage"))
                        .filter(h -> filter == null || filter.test(h.agent()))
                        .map(h -> h.agent().id() + "=" + h.score()).toList();
                assertFalse(expected.isEmpty(), q);
                for (int limit : new int[] {1, 4}) {
                    List<String> paged = new ArrayList<>();
                    AgentIndex.Position after = AgentIndex.Position.START;
                    for (int pages = 0; after != null && pages < 100; pages++) {
                        AgentIndex.Page page = index.search(query("q", q, "capability", "harbour"), after, limit, filter);
                        page.hits().forEach(h -> paged.add(h.agent().id() + "=" + h.score()));
                        after = page.next();
                    }
                    assertEquals(expected, paged, q + " limit " + limit);
                }
            }
        }
    }

    @Test
    void aPageIsTheViewsOfItsHits() {
        AgentIndex index = sample();
        AgentIndex.Page page = index.search(query("capability", "flights"), AgentIndex.Position.START, 1);
        jakarta.json.JsonObject answer = ProfileJson.parse(new String(
                ProfileJson.discoveryPage(page.hits(), false, "next-page"), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(ProfileJson.view(page.hits().get(0).agent()), answer.getJsonArray("items").getJsonObject(0));
        assertEquals("next-page", answer.getString("nextCursor"));
        AgentIndex.Page ranked = index.search(query("q", "agent"), AgentIndex.Position.START, 10);
        jakarta.json.JsonObject scored = ProfileJson.parse(new String(
                ProfileJson.discoveryPage(ranked.hits(), true, null), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(ranked.hits().size(), scored.getJsonArray("items").size());
        assertEquals(ranked.hits().get(0).score(), scored.getJsonArray("items").getJsonObject(0).getJsonNumber("score").doubleValue());
        assertFalse(scored.containsKey("nextCursor"));
    }

    @Test
    void theQueryKeyIgnoresOrderAndNamesEveryField() {
        assertEquals(query("protocol", "HTTP,MQTT", "language", "en").key(), query("language", "en", "protocol", "mqtt,http").key());
        assertFalse(query("protocol", "HTTP").key().equals(query("capability", "HTTP").key()));
        assertEquals(EnumSet.of(AgentStatus.ONLINE), EnumSet.copyOf(query().statuses()));
        assertTrue(query("q", "x").ranked());
    }
}
