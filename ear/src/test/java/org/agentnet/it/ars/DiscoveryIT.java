package org.agentnet.it.ars;

import static org.agentnet.it.ars.ArsTestSupport.AGENTS;
import static org.agentnet.it.ars.ArsTestSupport.array;
import static org.agentnet.it.ars.ArsTestSupport.assertProblem;
import static org.agentnet.it.ars.ArsTestSupport.discover;
import static org.agentnet.it.ars.ArsTestSupport.get;
import static org.agentnet.it.ars.ArsTestSupport.ids;
import static org.agentnet.it.ars.ArsTestSupport.profile;
import static org.agentnet.it.ars.ArsTestSupport.registered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.agentnet.it.aca.AcaTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Discovery over mutual TLS (draft 3.2.3): each filter, combinations (AND across fields, OR
 * within one), the ranked text query, paging, and refused queries. Every agent here carries a tag
 * unique to this run, so other tests' agents never get in the way.
 */
class DiscoveryIT {

    private static final String RUN = ArsTestSupport.unique("run");
    /** name -> resource ID */
    private static final Map<String, String> IDS = new TreeMap<>();
    private static AcaTestSupport.IssuedAgent caller;

    @BeforeAll
    static void registerAgents() {
        caller = ArsTestSupport.agent("finder");
        add("flight", "flights", List.of("A2A-JSONRPC"), List.of("en", "zh-CN"), "Books flights and airline tickets worldwide");
        add("hotel", "hotels", List.of("HTTP"), List.of("en-GB"), "Reserves hotel rooms; flights are not our business");
        add("visa", "visas", List.of("MQTT", "HTTP"), List.of("fr"), "Prepares visa applications");
        add("trans", "translation", List.of("A2A-JSONRPC", "GRPC"), List.of("zh-CN", "fr"), "Translates flight itineraries");
    }

    private static void add(String key, String skill, List<String> protocols, List<String> languages, String description) {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent(key);
        var protocolArray = Json.createArrayBuilder();
        protocols.forEach(protocolArray::add);
        var languageArray = Json.createArrayBuilder();
        languages.forEach(languageArray::add);
        var profile = profile(agent, skill, RUN, tag(key))
                .add("description", description)
                .add("protocols", protocolArray)
                .add("languages", languageArray)
                .add("addresses", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("url", "https://" + key + ".agents.example/").add("protocol", protocols.get(0))));
        IDS.put(key, registered(agent, profile).getString("id"));
    }

    /** A tag only the agent of this key carries, in this run. */
    private static String tag(String key) {
        return key + "-" + RUN;
    }

    private static List<String> expect(String... keys) {
        List<String> ids = new ArrayList<>();
        for (String key : keys) {
            ids.add(IDS.get(key));
        }
        ids.sort(null);
        return ids;
    }

    private static List<String> find(String... parameters) {
        String[] all = new String[parameters.length + 2];
        all[0] = "capability";
        all[1] = RUN;
        System.arraycopy(parameters, 0, all, 2, parameters.length);
        return ids(discover(caller.mtlsClient(), all));
    }

    @Test
    void byCapabilityIdOrTag() {
        assertEquals(expect("flight", "hotel", "trans", "visa"), find(), "the run's tag, in ID order");
        assertEquals(expect("hotel"), ids(discover(caller.mtlsClient(), "capability", tag("hotel"))));
        assertEquals(expect("hotel"), ids(discover(caller.mtlsClient(), "capability", tag("hotel").toUpperCase())),
                "case-insensitively");
    }

    @Test
    void byProtocolLanguageDomainAndStatus() {
        assertEquals(expect("flight", "trans"), find("protocol", "a2a json-rpc"));
        assertEquals(expect("hotel", "visa"), find("protocol", "HTTP"));
        assertEquals(expect("trans"), find("protocol", "grpc"));
        assertEquals(expect("flight", "hotel"), find("language", "en"), "en matches en-GB (a prefix)");
        assertEquals(expect("hotel"), find("language", "en-gb"));
        assertEquals(expect("flight", "trans"), find("language", "zh"));
        assertEquals(expect("flight", "hotel", "trans", "visa"), find("domain", "LOCAL.agentnet"));
        assertEquals(List.of(), find("domain", "elsewhere.example", "domain", "local.agentnet", "language", "ja"));
        // a domain that is neither this node's nor an admitted peer's: the access policies refuse the query (docs/agw.md)
        assertProblem(get(caller.mtlsClient(), AGENTS + "?capability=" + RUN + "&domain=elsewhere.example"), 403, "access-denied");
        assertEquals(List.of(), find("status", "OFFLINE"));
        assertEquals(expect("flight", "hotel", "trans", "visa"), find("status", "online,offline"));
    }

    @Test
    void fieldsCombineWithAndValuesOfOneFieldWithOr() {
        assertEquals(expect("flight", "trans", "visa"), find("language", "zh-CN,fr"));
        assertEquals(expect("flight", "trans", "visa"), find("language", "zh-CN", "language", "fr"), "repeated = comma");
        assertEquals(expect("trans", "visa"), find("language", "fr", "protocol", "GRPC,MQTT"));
        assertEquals(expect("trans"), find("language", "fr", "protocol", "A2A-JSONRPC"));
        assertEquals(List.of(), find("language", "en", "protocol", "MQTT"));
        assertEquals(expect("hotel", "trans"), ids(discover(caller.mtlsClient(), "capability", tag("hotel") + "," + tag("trans"))));
    }

    @Test
    void theTextQueryRanksByRelevance() {
        JsonObject page = discover(caller.mtlsClient(), "capability", RUN, "q", "flight");
        List<String> ranked = ids(page);
        assertEquals(3, ranked.size(), page.toString());
        assertEquals(IDS.get("flight"), ranked.get(0), "its name and skill say flight: first");
        assertTrue(ranked.containsAll(List.of(IDS.get("hotel"), IDS.get("trans"))));
        double first = page.getJsonArray("items").getJsonObject(0).getJsonNumber("score").doubleValue();
        double last = page.getJsonArray("items").getJsonObject(2).getJsonNumber("score").doubleValue();
        assertTrue(first > last, page.toString());
        assertEquals(List.of(IDS.get("visa")), ids(discover(caller.mtlsClient(), "capability", RUN, "q", "VISA applications")));
        assertEquals(List.of(IDS.get("trans")), ids(discover(caller.mtlsClient(), "capability", RUN, "q", "itineraries", "language", "fr")));
    }

    @Test
    void pagesFollowTheCursorWithoutGapsOrRepeats() {
        List<String> all = find();
        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonObject page = cursor == null ? discover(caller.mtlsClient(), "capability", RUN, "limit", "3")
                    : discover(caller.mtlsClient(), "capability", RUN, "limit", "3", "cursor", cursor);
            paged.addAll(ids(page));
            cursor = page.containsKey("nextCursor") ? page.getString("nextCursor") : null;
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(all, paged);
        assertEquals(2, pages);

        List<String> ranked = ids(discover(caller.mtlsClient(), "capability", RUN, "q", "flight"));
        JsonObject first = discover(caller.mtlsClient(), "capability", RUN, "q", "flight", "limit", "2");
        JsonObject second = discover(caller.mtlsClient(), "capability", RUN, "q", "flight", "limit", "2", "cursor",
                first.getString("nextCursor"));
        List<String> both = new ArrayList<>(ids(first));
        both.addAll(ids(second));
        assertEquals(ranked, both);
        assertFalse(second.containsKey("nextCursor"));
    }

    /**
     * The lean path (DiscoveryFilter, plain requests) answers as the JAX-RS resource does (the same
     * request with an Accept that has a weight, which the lean path leaves to the resource): status,
     * media type, body, RateLimit headers, for pages, cursors, ranked queries and refusals alike.
     */
    @Test
    void theLeanPathAnswersAsTheResource() {
        JsonObject first = discover(caller.mtlsClient(), "capability", RUN, "limit", "2");
        List<String> queries = List.of(
                "?capability=" + RUN,
                "?capability=" + RUN + "&limit=2&cursor=" + first.getString("nextCursor"),
                "?capability=" + RUN + "&q=flight%20itineraries&limit=3",
                "?capability=" + RUN + "&language=zh&protocol=A2A-JSONRPC,GRPC",
                "?capability=" + RUN + "&status=ONLINE,OFFLINE&domain=local.agentnet",
                "?capability=" + RUN + "&domain=elsewhere.example",
                "?protocol=carrier-pigeon",
                "?q=%00flight",
                "?cursor=not-a-cursor",
                "?capability=" + tag("hotel") + "&limit=2&cursor=" + first.getString("nextCursor"));
        for (var client : List.of(caller.mtlsClient(), org.agentnet.it.NodeServer.client())) {
            for (String query : queries) {
                var lean = get(client, AGENTS + query);
                var resource = org.agentnet.it.NodeServer.send(client, org.agentnet.it.NodeServer.request(
                        org.agentnet.it.NodeServer.https(AGENTS + query)).header("Accept", "application/json;q=0.9").GET().build());
                assertEquals(resource.statusCode(), lean.statusCode(), query + ": " + lean.body());
                assertEquals(resource.headers().firstValue("Content-Type"), lean.headers().firstValue("Content-Type"), query);
                // a refusal by the access policies quotes a reference of its own
                assertEquals(resource.body().replaceAll("reference [0-9a-f]{8}", "reference x"),
                        lean.body().replaceAll("reference [0-9a-f]{8}", "reference x"), query);
                for (String header : List.of("RateLimit-Limit", "RateLimit-Policy")) {
                    assertEquals(resource.headers().firstValue(header), lean.headers().firstValue(header), query + " " + header);
                }
                assertEquals(resource.headers().firstValue("RateLimit-Remaining").isPresent(),
                        lean.headers().firstValue("RateLimit-Remaining").isPresent(), query);
            }
        }
    }

    @Test
    void badQueriesAreProblemsAndInjectionIsJustText() {
        var client = caller.mtlsClient();
        assertProblem(get(client, AGENTS + "?protocol=carrier-pigeon"), 400, "unknown-protocol");
        assertProblem(get(client, AGENTS + "?language=english!"), 400, "validation-failed");
        assertProblem(get(client, AGENTS + "?status=DEREGISTERED"), 400, "validation-failed");
        assertProblem(get(client, AGENTS + "?limit=0"), 400, "validation-failed");
        assertProblem(get(client, AGENTS + "?limit=101"), 400, "validation-failed");
        assertProblem(get(client, AGENTS + "?cursor=not-a-cursor"), 400, "validation-failed");
        assertProblem(get(client, AGENTS + "?cursor=" + org.agentnet.it.ars.ArsTestSupport.unique("x")), 400, "validation-failed");
        assertProblem(get(client, AGENTS + "?q=" + "a".repeat(300)), 400, "validation-failed");
        assertProblem(get(client, AGENTS + "?q=%00flight"), 400, "validation-failed");
        assertProblem(get(client, AGENTS + "?q=" + java.net.URLEncoder.encode("';--", java.nio.charset.StandardCharsets.UTF_8)), 400,
                "validation-failed");
        assertProblem(get(client, AGENTS + "?domain=" + "%3Cscript%3E"), 400, "validation-failed");
        // a cursor of one query is not accepted for another
        JsonObject page = discover(client, "capability", RUN, "limit", "1");
        assertProblem(get(client, AGENTS + "?capability=" + tag("hotel") + "&limit=1&cursor=" + page.getString("nextCursor")), 400,
                "validation-failed");
        // SQL or markup in q is only text: its words are searched, nothing else happens
        assertEquals(List.of(), ids(discover(client, "capability", RUN, "q", "' OR '1'='1'; DROP TABLE ars_agent; --")));
        assertEquals(List.of(), ids(discover(client, "capability", RUN, "q", "<script>alert(1)</script>")));
        assertEquals(expect("flight", "hotel", "trans", "visa"), find(), "everything is still there");
    }

    @Test
    void agentsOfOtherDomainsWouldComeWithTheirGatewayAndThisDomainsWithTheirAddresses() {
        JsonObject item = discover(caller.mtlsClient(), "capability", tag("visa")).getJsonArray("items").getJsonObject(0);
        assertEquals("local.agentnet", item.getString("domain"));
        assertEquals("https://visa.agents.example/", item.getJsonArray("addresses").getJsonObject(0).getString("url"));
        assertFalse(item.containsKey("gatewayAddress"));
        assertEquals(array("MQTT", "HTTP").build(), item.getJsonArray("protocols"));
    }
}
