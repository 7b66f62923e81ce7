package org.agentnet.it.agw;

import static org.agentnet.it.agw.RelayTestSupport.json;
import static org.agentnet.it.agw.RelayTestSupport.message;
import static org.agentnet.it.ars.ArsTestSupport.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.agentnet.it.NodeServer;
import org.agentnet.it.TestPki;
import org.agentnet.it.TrustBundleIT;
import org.agentnet.it.agw.RelayTestSupport.Agent;
import org.agentnet.it.agw.RelayTestSupport.Endpoint;
import org.agentnet.it.agw.RelayTestSupport.Gateway;
import org.agentnet.it.ars.ArsTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Access policies at one gateway (docs/agw.md "Access policies"), over HTTPS with real agent
 * certificates: the operators' API (create, list, read, replace, delete; bad input is a 400 problem
 * and changes nothing), a DENY policy that hides an agent from discovery and refuses a message to it
 * with 403, a query for only what is denied, and an agent of a foreign domain (its CA in the trust
 * bundle, no peering): refused by default, admitted by an ALLOW policy. Every policy a test makes is
 * deleted after it, so the other ITs on this server are not affected.
 */
class AccessPolicyIT {

    private static final String POLICIES = "/api/v1/admin/agw/policies";
    private static final String TRUST = "/api/v1/admin/trust/ca-certificates";
    /** Agents of these tests send no heartbeats: after the IT server's hold time (6 s) they are OFFLINE, still discoverable so. */
    private static final String ANY = "ONLINE,OFFLINE";

    private final Gateway gateway = Gateway.main();
    private final List<String> made = new ArrayList<>();

    @AfterEach
    void deleteWhatTheTestMade() {
        for (String id : made) {
            gateway.asOperator(gateway.request(POLICIES + "/" + id).DELETE());
        }
    }

    @Test
    void operatorsCreateListReadReplaceAndDeletePolicies() {
        String name = ArsTestSupport.unique("crud");
        JsonObject document = policy(name, "DENY", "[\"MESSAGE\"]", "[{\"domain\":\"crud.example\"}]",
                "[{\"domain\":\"local.agentnet\",\"capability\":\"Booking\"}]");

        HttpResponse<String> created = post(POLICIES, document.toString());
        assertEquals(201, created.statusCode(), created.body());
        JsonObject policy = json(created.body());
        String id = policy.getString("id");
        made.add(id);
        assertEquals(URI.create(gateway.request(POLICIES + "/" + id).build().uri().toString()).getPath(),
                URI.create(created.headers().firstValue("Location").orElseThrow()).getPath());
        assertEquals("\"" + policy.getJsonNumber("revision") + "\"", created.headers().firstValue("ETag").orElseThrow());
        assertEquals(name, policy.getString("name"));
        assertEquals("booking", policy.getJsonArray("objects").getJsonObject(0).getString("capability"), "normalized");
        assertTrue(policy.getBoolean("enabled"));
        assertTrue(policy.getString("updatedBy").contains("admin"), policy.toString());

        HttpResponse<String> read = gateway.asOperator(gateway.request(POLICIES + "/" + id).GET());
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(policy, json(read.body()));
        assertTrue(names(list()).contains(name));

        // replace: a stale If-Match is 412 and changes nothing; the current one works
        JsonObject replacement = policy(name, "ALLOW", "[\"DISCOVER\",\"MESSAGE\"]", "[{\"domain\":\"*.crud.example\"}]",
                "[{\"domain\":\"local.agentnet\"}]");
        assertProblem(put(POLICIES + "/" + id, "\"99\"", replacement.toString()), 412, "precondition-failed");
        assertEquals(policy, json(gateway.asOperator(gateway.request(POLICIES + "/" + id).GET()).body()));
        HttpResponse<String> replaced = put(POLICIES + "/" + id, created.headers().firstValue("ETag").orElseThrow(),
                replacement.toString());
        assertEquals(200, replaced.statusCode(), replaced.body());
        JsonObject after = json(replaced.body());
        assertEquals("ALLOW", after.getString("effect"));
        assertEquals(policy.getJsonNumber("revision").longValue() + 1, after.getJsonNumber("revision").longValue());
        assertEquals(policy.getString("createdAt"), after.getString("createdAt"));
        // a policy read with GET can be sent back as it is
        assertEquals(200, put(POLICIES + "/" + id, null, after.toString()).statusCode());

        // a second policy of the same name is a conflict
        assertProblem(post(POLICIES, document.toString()), 409, "conflict");

        // paging by name
        String second = ArsTestSupport.unique("crud");
        HttpResponse<String> other = post(POLICIES, policy(second, "DENY", "[\"DISCOVER\"]", "[{\"domain\":\"crud.example\"}]",
                "[{\"agentId\":\"" + UUID.randomUUID() + "\"}]").toString());
        assertEquals(201, other.statusCode(), other.body());
        made.add(json(other.body()).getString("id"));
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonObject page = json(gateway.asOperator(gateway.request(POLICIES + "?limit=1"
                    + (cursor == null ? "" : "&cursor=" + cursor)).GET()).body());
            assertTrue(page.getJsonArray("items").size() <= 1);
            all.addAll(names(page));
            cursor = page.containsKey("nextCursor") ? page.getString("nextCursor") : null;
        } while (cursor != null);
        assertTrue(all.containsAll(List.of(name, second)), all.toString());
        assertEquals(all.stream().sorted().toList(), all, "by name");

        assertEquals(204, gateway.asOperator(gateway.request(POLICIES + "/" + id).DELETE()).statusCode());
        assertProblem(gateway.asOperator(gateway.request(POLICIES + "/" + id).GET()), 404, "not-found");
        assertProblem(gateway.asOperator(gateway.request(POLICIES + "/" + id).DELETE()), 404, "not-found");
        assertFalse(names(list()).contains(name));
    }

    @Test
    void badInputIsA400ProblemAndChangesNothing() throws Exception {
        String name = ArsTestSupport.unique("bad");
        HttpResponse<String> created = post(POLICIES, policy(name, "DENY", "[\"MESSAGE\"]", "[{\"domain\":\"bad.example\"}]",
                "[{\"domain\":\"*\"}]").toString());
        assertEquals(201, created.statusCode(), created.body());
        JsonObject policy = json(created.body());
        made.add(policy.getString("id"));
        String path = POLICIES + "/" + policy.getString("id");
        JsonObject listBefore = list();

        List<String> bodies = List.of(
                "{not json",
                "[]",
                "{}",
                policy(ArsTestSupport.unique("bad"), "PERHAPS", "[\"MESSAGE\"]", "[{\"domain\":\"x.example\"}]", "[{\"domain\":\"*\"}]").toString(),
                policy(ArsTestSupport.unique("bad"), "DENY", "[\"WRITE\"]", "[{\"domain\":\"x.example\"}]", "[{\"domain\":\"*\"}]").toString(),
                policy(ArsTestSupport.unique("bad"), "DENY", "[\"MESSAGE\"]", "[]", "[{\"domain\":\"*\"}]").toString(),
                policy(ArsTestSupport.unique("bad"), "DENY", "[\"MESSAGE\"]", "[{\"domian\":\"x.example\"}]", "[{\"domain\":\"*\"}]").toString(),
                policy(ArsTestSupport.unique("bad"), "DENY", "[\"MESSAGE\"]", "[{\"domain\":\"not a domain\"}]", "[{\"domain\":\"*\"}]").toString(),
                policy(ArsTestSupport.unique("bad"), "DENY", "[\"MESSAGE\"]", "[{\"capability\":\"booking\"}]", "[{\"domain\":\"*\"}]").toString(),
                policy(ArsTestSupport.unique("bad"), "DENY", "[\"MESSAGE\"]", "[{\"domain\":\"x.example\"}]", "[{\"capability\":\"*\"}]").toString(),
                policy("Not_A_Name", "DENY", "[\"MESSAGE\"]", "[{\"domain\":\"x.example\"}]", "[{\"domain\":\"*\"}]").toString(),
                "{\"name\":\"x\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}],\"extra\":1}",
                "{\"name\":\"x\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}],\"enabled\":\"no\"}");
        for (String body : bodies) {
            HttpResponse<String> refused = post(POLICIES, body);
            assertEquals(400, refused.statusCode(), body + " -> " + refused.body());
            assertProblem(refused, 400, refused.body().contains("malformed-body") ? "malformed-body" : "validation-failed");
            HttpResponse<String> refusedReplace = put(path, null, body);
            assertEquals(400, refusedReplace.statusCode(), body + " -> " + refusedReplace.body());
        }
        // not JSON at all, a missing policy, a bad cursor or limit
        HttpResponse<String> text = gateway.asOperator(gateway.request(POLICIES).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("name=x")));
        assertProblem(text, 415, "unsupported-media-type");
        assertProblem(put(POLICIES + "/" + UUID.randomUUID(), null, json(created.body()).toString()), 404, "not-found");
        assertProblem(gateway.asOperator(gateway.request(POLICIES + "?cursor=%25%25").GET()), 400, "validation-failed");
        assertProblem(gateway.asOperator(gateway.request(POLICIES + "?limit=0").GET()), 400, "validation-failed");
        // an evaluation that names no agent URI, no action, an unknown agent
        assertProblem(post(POLICIES + "/evaluation", "{\"subject\":\"x\",\"action\":\"MESSAGE\",\"target\":\"t\"}"), 400, "validation-failed");
        assertProblem(post(POLICIES + "/evaluation", "{\"subject\":\"agent://a.example/A/x\",\"action\":\"READ\",\"target\":\"t\"}"),
                400, "validation-failed");
        assertProblem(post(POLICIES + "/evaluation", "{\"subject\":\"agent://a.example/A/x\",\"action\":\"MESSAGE\",\"target\":\""
                + UUID.randomUUID() + "\"}"), 404, "unknown-agent");
        // peering agreements: not a domain, not booleans, this node's own domain
        assertProblem(putJson(POLICIES + "/peer-agreements/not_a_domain", "{\"discovery\":true,\"messaging\":true}"), 400, "validation-failed");
        assertProblem(putJson(POLICIES + "/peer-agreements/x.example", "{\"discovery\":\"yes\",\"messaging\":true}"), 400, "validation-failed");
        assertProblem(putJson(POLICIES + "/peer-agreements/x.example", "{\"discovery\":true}"), 400, "validation-failed");
        assertProblem(putJson(POLICIES + "/peer-agreements/local.agentnet", "{\"discovery\":true,\"messaging\":true}"), 400, "validation-failed");
        assertProblem(gateway.asOperator(gateway.request(POLICIES + "/peer-agreements/never-set.example").DELETE()), 404, "not-found");

        // nothing changed
        assertEquals(listBefore, list());
        assertEquals(policy, json(gateway.asOperator(gateway.request(path).GET()).body()));
        JsonArray agreements = json(gateway.asOperator(gateway.request(POLICIES + "/peer-agreements").GET()).body()).getJsonArray("items");
        assertTrue(agreements.stream().map(JsonValue::asJsonObject).noneMatch(a -> a.getString("domain").equals("x.example")));

        // agents are no operators
        Agent agent = RelayTestSupport.agent(gateway, ArsTestSupport.unique("nosy"), null);
        HttpResponse<String> asAgent = agent.send(gateway.request(POLICIES).GET());
        assertTrue(asAgent.statusCode() == 401 || asAgent.statusCode() == 403, asAgent.statusCode() + " " + asAgent.body());
    }

    @Test
    void aDenyPolicyHidesAnAgentFromDiscoveryAndRefusesAMessageTo() throws Exception {
        try (Endpoint endpoint = Endpoint.start()) {
            Agent alice = RelayTestSupport.agent(gateway, ArsTestSupport.unique("alice"), null);
            Agent bob = RelayTestSupport.agent(gateway, ArsTestSupport.unique("bob"), null);
            Agent secret = RelayTestSupport.agent(gateway, ArsTestSupport.unique("secret"), endpoint.address());
            String skill = skill(secret);
            assertTrue(ArsTestSupport.ids(ArsTestSupport.discover(alice.client(), "capability", skill, "status", ANY)).contains(secret.id()));
            RelayTestSupport.sent(alice, message(secret.id(), "before the policy").build());

            String name = ArsTestSupport.unique("hide-secret-from-alice");
            String id = created(policy(name, "DENY", "[\"DISCOVER\",\"MESSAGE\"]", "[{\"agent\":\"" + alice.uri() + "\"}]",
                    "[{\"agentId\":\"" + secret.id() + "\"}]"));

            // discovery: left out of alice's answers, not bob's; its profile and card are refused to alice
            assertFalse(ArsTestSupport.ids(ArsTestSupport.discover(alice.client(), "capability", skill, "status", ANY)).contains(secret.id()));
            assertTrue(ArsTestSupport.ids(ArsTestSupport.discover(bob.client(), "capability", skill, "status", ANY)).contains(secret.id()));
            HttpResponse<String> profile = ArsTestSupport.get(alice.client(), ArsTestSupport.AGENTS + "/" + secret.id());
            assertProblem(profile, 403, "access-denied");
            assertProblem(ArsTestSupport.get(alice.client(), ArsTestSupport.AGENTS + "/" + secret.id() + "/card"), 403, "access-denied");
            assertEquals(200, ArsTestSupport.get(bob.client(), ArsTestSupport.AGENTS + "/" + secret.id()).statusCode());
            assertEquals(200, ArsTestSupport.get(alice.client(), ArsTestSupport.AGENTS + "/" + alice.id()).statusCode(), "itself");

            // relay: refused before anything is stored, with a reason that leaks neither the address nor the policy
            String messageId = UUID.randomUUID().toString();
            HttpResponse<String> refused = RelayTestSupport.submit(alice,
                    RelayTestSupport.sign(alice, message(secret.id(), "after the policy").add("messageId", messageId).build()));
            assertProblem(refused, 403, "access-denied");
            String detail = json(refused.body()).getString("detail");
            assertTrue(detail.contains(secret.id()) && detail.contains("reference"), detail);
            assertFalse(detail.contains(endpoint.address().toString()) || detail.contains(String.valueOf(endpoint.address().getPort())), detail);
            assertFalse(detail.contains(name) || detail.contains(id) || detail.contains(secret.uri()), detail);
            assertProblem(gateway.asOperator(gateway.request(RelayTestSupport.MESSAGES + "/" + messageId).GET()), 404, "unknown-message");
            // bob may still message it
            RelayTestSupport.sent(bob, message(secret.id(), "from bob").build());

            // the operator sees why
            JsonObject evaluation = json(post(POLICIES + "/evaluation", Json.createObjectBuilder().add("subject", alice.uri())
                    .add("action", "MESSAGE").add("target", secret.id()).build().toString()).body());
            assertFalse(evaluation.getBoolean("allowed"));
            assertEquals("DENY_POLICY", evaluation.getString("reason"));
            assertEquals(name, evaluation.getJsonObject("policy").getString("name"));
            assertEquals("OWN_DOMAIN", json(post(POLICIES + "/evaluation", Json.createObjectBuilder().add("subject", bob.uri())
                    .add("action", "MESSAGE").add("target", secret.id()).build().toString()).body()).getString("reason"));

            // a query for only what is denied is refused as a whole
            created(policy(ArsTestSupport.unique("no-skill-for-alice"), "DENY", "[\"DISCOVER\"]",
                    "[{\"agent\":\"" + alice.uri() + "\"}]", "[{\"capability\":\"" + skill + "\"}]"));
            assertProblem(ArsTestSupport.get(alice.client(), ArsTestSupport.AGENTS + "?capability=" + skill), 403, "access-denied");
            assertEquals(200, ArsTestSupport.get(bob.client(), ArsTestSupport.AGENTS + "?capability=" + skill).statusCode());

            // counted for monitoring
            HttpResponse<String> metrics = NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.https("/metrics?scope=application"))
                    .header("Authorization", NodeServer.adminAuthorization()).GET().build());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("agentnet_agw_policy_denied_total{action=\"message\"") && metrics.body().contains("reason=\"deny_policy\""),
                    metrics.body());
            assertTrue(metrics.body().contains("agentnet_agw_policy_discovery_hidden_total"), "hidden agents are counted");

            // without the policies everything is as before
            deleteWhatTheTestMade();
            made.clear();
            assertTrue(ArsTestSupport.ids(ArsTestSupport.discover(alice.client(), "capability", skill, "status", ANY)).contains(secret.id()));
            RelayTestSupport.sent(alice, message(secret.id(), "policy gone").build());
        }
    }

    @Test
    void aForeignDomainsAgentIsDeniedByDefaultAndAdmittedByAnAllowPolicy() throws Exception {
        String domain = "f" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        try (TestPki foreign = TestPki.withCrl("CN=Foreign Agent CA " + System.nanoTime() + ",O=" + domain)) {
            KeyPair keys = TestPki.ecKeys();
            String uri = "agent://" + domain + "/Foreign%20Org/fx";
            X509Certificate certificate = foreign.identity("CN=fx,O=Foreign Org", keys, URI.create(uri));
            HttpResponse<String> trusted = gateway.asOperator(gateway.request(TRUST).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(TestPki.pem(foreign.ca))));
            assertEquals(201, trusted.statusCode(), trusted.body());
            String alias = json(trusted.body()).getString("alias");
            try {
                java.util.function.Supplier<HttpClient> clients = () -> NodeServer.client(TestPki.keyStore(keys, certificate, foreign.ca),
                        TestPki.CLIENT_PASSWORD);
                assertEquals("VALID", TrustBundleIT.awaitVerdict(clients, "VALID"::equals));
                HttpClient stranger = clients.get();

                Agent planner = RelayTestSupport.agent(gateway, ArsTestSupport.unique("planner"), null);
                Agent vault = RelayTestSupport.agent(gateway, ArsTestSupport.unique("vault"), null);

                // no peering, no policy: cross-domain discovery is denied, whatever is asked
                assertProblem(ArsTestSupport.get(stranger, ArsTestSupport.AGENTS + "?capability=" + skill(planner)), 403, "access-denied");
                assertProblem(ArsTestSupport.get(stranger, ArsTestSupport.AGENTS), 403, "access-denied");
                assertProblem(ArsTestSupport.get(stranger, ArsTestSupport.AGENTS + "/" + planner.id()), 403, "access-denied");
                assertEquals("CROSS_DOMAIN_DEFAULT", evaluate(uri, "DISCOVER", planner.id()).getString("reason"));

                // an ALLOW policy admits the foreign domain to one capability
                created(policy(ArsTestSupport.unique("foreign-may-plan"), "ALLOW", "[\"DISCOVER\"]",
                        "[{\"domain\":\"" + domain + "\"}]", "[{\"domain\":\"local.agentnet\",\"capability\":\"" + skill(planner) + "\"}]"));
                assertEquals(List.of(planner.id()), ArsTestSupport.ids(ArsTestSupport.discover(stranger, "capability", skill(planner), "status", ANY)));
                assertEquals(200, ArsTestSupport.get(stranger, ArsTestSupport.AGENTS + "/" + planner.id()).statusCode());
                assertEquals("ALLOW_POLICY", evaluate(uri, "DISCOVER", planner.id()).getString("reason"));
                // everything else stays hidden: a query for it is answered empty, its profile refused
                assertEquals(List.of(), ArsTestSupport.ids(ArsTestSupport.discover(stranger, "capability", skill(vault), "status", ANY)));
                List<String> everything = ArsTestSupport.ids(ArsTestSupport.discover(stranger, "limit", "100", "status", ANY));
                assertEquals(List.of(planner.id()), everything);
                assertProblem(ArsTestSupport.get(stranger, ArsTestSupport.AGENTS + "/" + vault.id()), 403, "access-denied");
                // a domain the policy cannot reach is refused as a whole
                assertProblem(ArsTestSupport.get(stranger, ArsTestSupport.AGENTS + "?domain=elsewhere.example"), 403, "access-denied");
                // MESSAGE is not admitted by it
                assertEquals("CROSS_DOMAIN_DEFAULT", evaluate(uri, "MESSAGE", planner.id()).getString("reason"));
            } finally {
                gateway.asOperator(gateway.request(TRUST + "/" + alias).DELETE());
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static String skill(Agent agent) {
        HttpResponse<String> profile = ArsTestSupport.asOperator(NodeServer.request(NodeServer.https(ArsTestSupport.AGENTS + "/" + agent.id())).GET());
        return json(profile.body()).getJsonArray("skills").getJsonObject(0).getString("id");
    }

    private JsonObject evaluate(String subject, String action, String target) {
        HttpResponse<String> response = post(POLICIES + "/evaluation", Json.createObjectBuilder().add("subject", subject)
                .add("action", action).add("target", target).build().toString());
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body());
    }

    private String created(JsonObject document) {
        HttpResponse<String> response = post(POLICIES, document.toString());
        assertEquals(201, response.statusCode(), response.body());
        String id = json(response.body()).getString("id");
        made.add(id);
        return id;
    }

    static JsonObject policy(String name, String effect, String actions, String subjects, String objects) {
        return json("{\"name\":\"" + name + "\",\"description\":\"made by AccessPolicyIT\",\"effect\":\"" + effect
                + "\",\"actions\":" + actions + ",\"subjects\":" + subjects + ",\"objects\":" + objects + "}");
    }

    private JsonObject list() {
        HttpResponse<String> response = gateway.asOperator(gateway.request(POLICIES + "?limit=500").GET());
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body());
    }

    private static List<String> names(JsonObject page) {
        return page.getJsonArray("items").stream().map(JsonValue::asJsonObject).map(p -> p.getString("name")).toList();
    }

    private HttpResponse<String> post(String path, String body) {
        return gateway.asOperator(gateway.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> put(String path, String ifMatch, String body) {
        HttpRequest.Builder request = gateway.request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return gateway.asOperator(request);
    }

    private HttpResponse<String> putJson(String path, String body) {
        return put(path, null, body);
    }
}
