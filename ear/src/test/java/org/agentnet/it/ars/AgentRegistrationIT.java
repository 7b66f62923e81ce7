package org.agentnet.it.ars;

import static org.agentnet.it.ars.ArsTestSupport.AGENTS;
import static org.agentnet.it.ars.ArsTestSupport.assertProblem;
import static org.agentnet.it.ars.ArsTestSupport.delete;
import static org.agentnet.it.ars.ArsTestSupport.discover;
import static org.agentnet.it.ars.ArsTestSupport.get;
import static org.agentnet.it.ars.ArsTestSupport.ids;
import static org.agentnet.it.ars.ArsTestSupport.profile;
import static org.agentnet.it.ars.ArsTestSupport.put;
import static org.agentnet.it.ars.ArsTestSupport.register;
import static org.agentnet.it.ars.ArsTestSupport.registered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.agentnet.it.NodeServer;
import org.agentnet.it.aca.AcaTestSupport;
import org.junit.jupiter.api.Test;

/** Registration and information management over mutual TLS (draft 3.2.1, 3.2.2). */
class AgentRegistrationIT {

    @Test
    void anAgentRegistersWithItsCertificateAndReadsItsProfileBack() {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("reg");
        String tag = ArsTestSupport.unique("tag");
        HttpResponse<String> response = register(agent.mtlsClient(), profile(agent, "flights", tag).build());
        assertEquals(201, response.statusCode(), response.body());
        JsonObject body = NodeServer.json(response).asJsonObject();
        String id = body.getString("id");
        assertEquals(NodeServer.https(AGENTS + "/" + id).toString(), response.headers().firstValue("Location").orElseThrow());
        assertEquals("\"" + body.getJsonNumber("revision").longValue() + "\"", response.headers().firstValue("ETag").orElseThrow());
        assertEquals("ONLINE", body.getString("status"));
        assertEquals("local.agentnet", body.getString("domain"));
        assertEquals(node().getString("id"), body.getString("origin"));
        assertEquals("agent://local.agentnet/Ars%20Tests/" + ArsTestSupport.name(agent), body.getString("agentUri"));
        assertEquals(List.of("A2A-JSONRPC", "HTTP"), body.getJsonArray("protocols").getValuesAs(jakarta.json.JsonString::getString));

        HttpResponse<String> read = get(agent.mtlsClient(), AGENTS + "/" + id);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(response.headers().firstValue("ETag"), read.headers().firstValue("ETag"));
        assertEquals(body, NodeServer.json(read));
        assertEquals(List.of(id), ids(discover(agent.mtlsClient(), "capability", tag)), "discoverable at once");
    }

    @Test
    void theOrganizationMayBeLeftOutAndIsTheCertificates() {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("org");
        JsonObject profile = Json.createObjectBuilder(profile(agent, "hotels").build()).remove("organization").build();
        HttpResponse<String> response = register(agent.mtlsClient(), profile);
        assertEquals(201, response.statusCode(), response.body());
        assertEquals(ArsTestSupport.ORGANIZATION, NodeServer.json(response).asJsonObject().getString("organization"));
    }

    @Test
    void theSameIdentityRegistersOnceAndAgainOnlyAfterDeregistering() {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("dup");
        String id = registered(agent, profile(agent, "visa")).getString("id");
        HttpResponse<String> again = register(agent.mtlsClient(), profile(agent, "visa").build());
        assertProblem(again, 409, "already-registered");
        assertTrue(NodeServer.json(again).asJsonObject().getString("detail").contains(id), again.body());

        assertEquals(204, delete(agent.mtlsClient(), AGENTS + "/" + id, null).statusCode());
        String second = registered(agent, profile(agent, "visa")).getString("id");
        assertNotEquals(id, second, "a new registration gets a new resource ID");
    }

    @Test
    void aNameOrOrganizationOtherThanTheCertificatesIsRefused() {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("who");
        String tag = ArsTestSupport.unique("tag");
        assertProblem(register(agent.mtlsClient(), profile(agent, "x", tag).add("name", "someone-else").build()), 403, "identity-mismatch");
        assertProblem(register(agent.mtlsClient(), profile(agent, "x", tag).add("organization", "Other Corp").build()), 403,
                "identity-mismatch");
        assertEquals(List.of(), ids(discover(agent.mtlsClient(), "capability", tag, "status", "ONLINE,OFFLINE")), "nothing stored");
        registered(agent, profile(agent, "x", tag));
    }

    @Test
    void withoutACertificateNothingIsRegistered() {
        HttpResponse<String> anonymous = register(NodeServer.client(), Json.createObjectBuilder().add("name", "anonymous").build());
        assertProblem(anonymous, 401, "identity-not-verified");
        assertProblem(get(NodeServer.client(), AGENTS), 401, "identity-not-verified");
        // an operator is not an agent: it cannot register one
        HttpResponse<String> operator = ArsTestSupport.asOperator(NodeServer.request(NodeServer.https(AGENTS))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"op\"}")));
        assertProblem(operator, 401, "identity-not-verified");
    }

    @Test
    void updatesNeedTheCurrentETagAndShowInDiscoveryAtOnce() {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("upd");
        String before = ArsTestSupport.unique("before");
        String after = ArsTestSupport.unique("after");
        JsonObject created = registered(agent, profile(agent, "planning", before));
        String path = AGENTS + "/" + created.getString("id");
        String etag = "\"" + created.getJsonNumber("revision").longValue() + "\"";

        assertProblem(put(agent.mtlsClient(), path, null, profile(agent, "planning", after).build()), 428, "precondition-required");
        HttpResponse<String> updated = put(agent.mtlsClient(), path, etag, profile(agent, "planning", after).build());
        assertEquals(200, updated.statusCode(), updated.body());
        String newEtag = updated.headers().firstValue("ETag").orElseThrow();
        assertNotEquals(etag, newEtag);
        assertEquals(List.of(created.getString("id")), ids(discover(agent.mtlsClient(), "capability", after)));
        assertEquals(List.of(), ids(discover(agent.mtlsClient(), "capability", before)), "the old tag is gone from discovery");

        HttpResponse<String> stale = put(agent.mtlsClient(), path, etag, profile(agent, "planning", before).build());
        assertProblem(stale, 412, "precondition-failed");
        assertEquals(List.of(), ids(discover(agent.mtlsClient(), "capability", before)), "a refused update changes nothing");

        assertProblem(put(agent.mtlsClient(), path, newEtag, profile(agent, "planning").add("name", "renamed").build()), 403,
                "identity-mismatch");
    }

    @Test
    void anotherAgentCannotChangeOrDeregisterAProfileButAnOperatorCan() {
        AcaTestSupport.IssuedAgent owner = ArsTestSupport.agent("own");
        AcaTestSupport.IssuedAgent other = ArsTestSupport.agent("oth");
        JsonObject created = registered(owner, profile(owner, "translate"));
        String path = AGENTS + "/" + created.getString("id");
        String etag = "\"" + created.getJsonNumber("revision").longValue() + "\"";
        assertProblem(put(other.mtlsClient(), path, etag, profile(owner, "translate").build()), 403, "identity-mismatch");
        assertProblem(delete(other.mtlsClient(), path, null), 403, "identity-mismatch");

        HttpResponse<String> byOperator = ArsTestSupport.asOperator(NodeServer.request(NodeServer.https(path))
                .header("Content-Type", "application/json").header("If-Match", etag)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(profile(owner, "translate", "by-operator").build().toString())));
        assertEquals(200, byOperator.statusCode(), byOperator.body());
        assertEquals(204, ArsTestSupport.asOperator(NodeServer.request(NodeServer.https(path)).DELETE()).statusCode());
    }

    @Test
    void aDeregisteredAgentLeavesDiscoveryAtOnceAndStaysDeregistered() {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("bye");
        String tag = ArsTestSupport.unique("tag");
        JsonObject created = registered(agent, profile(agent, "bye", tag));
        String path = AGENTS + "/" + created.getString("id");
        assertEquals(1, ids(discover(agent.mtlsClient(), "capability", tag)).size());

        assertProblem(delete(agent.mtlsClient(), path, "\"999\""), 412, "precondition-failed");
        assertEquals(204, delete(agent.mtlsClient(), path, null).statusCode());
        assertEquals(List.of(), ids(discover(agent.mtlsClient(), "capability", tag, "status", "ONLINE,OFFLINE")));
        HttpResponse<String> read = get(agent.mtlsClient(), path);
        assertEquals(200, read.statusCode());
        assertEquals("DEREGISTERED", NodeServer.json(read).asJsonObject().getString("status"));
        assertProblem(put(agent.mtlsClient(), path, read.headers().firstValue("ETag").orElseThrow(), profile(agent, "bye").build()),
                410, "agent-deregistered");
        assertProblem(delete(agent.mtlsClient(), path, null), 410, "agent-deregistered");
        assertProblem(get(agent.mtlsClient(), path + "/card"), 410, "agent-deregistered");
        assertProblem(get(agent.mtlsClient(), AGENTS + "/no-such-agent"), 404, "unknown-agent");
    }

    @Test
    void aRevokedCertificateIsRefusedOnTheNextRequest() {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("rev");
        JsonObject created = registered(agent, profile(agent, "revoked"));
        var client = agent.mtlsClient();
        assertEquals(200, get(client, AGENTS + "/" + created.getString("id")).statusCode());
        HttpResponse<String> revoked = AcaTestSupport.revoke(agent.serial(), "keyCompromise");
        assertEquals(200, revoked.statusCode(), revoked.body());
        HttpResponse<String> refused = get(client, AGENTS + "/" + created.getString("id"));
        assertProblem(refused, 401, "identity-not-verified");
        assertTrue(refused.body().contains("revoked"), refused.body());
        assertProblem(delete(client, AGENTS + "/" + created.getString("id"), null), 401, "identity-not-verified");
    }

    @Test
    void anOperatorSetsTheStatusAndDiscoveryFiltersOnIt() {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("sts");
        String tag = ArsTestSupport.unique("tag");
        String id = registered(agent, profile(agent, "status", tag)).getString("id");
        String statusPath = AGENTS + "/" + id + "/status";

        assertEquals(200, status(statusPath, "OFFLINE", "no heartbeat for 90 s").statusCode());
        assertEquals(List.of(), ids(discover(agent.mtlsClient(), "capability", tag)), "online only by default");
        JsonObject offline = discover(agent.mtlsClient(), "capability", tag, "status", "OFFLINE");
        assertEquals(List.of(id), ids(offline));
        assertEquals("no heartbeat for 90 s", offline.getJsonArray("items").getJsonObject(0).getString("statusReason"));

        assertEquals(200, status(statusPath, "INAPPLICABLE", "peer gateway silent").statusCode());
        assertEquals(List.of(), ids(discover(agent.mtlsClient(), "capability", tag, "status", "ONLINE,OFFLINE")),
                "inapplicable agents are never offered");
        assertProblem(get(agent.mtlsClient(), AGENTS + "?status=INAPPLICABLE"), 400, "validation-failed");

        assertEquals(200, status(statusPath, "ONLINE", null).statusCode());
        assertEquals(List.of(id), ids(discover(agent.mtlsClient(), "capability", tag)));
        assertProblem(status(statusPath, "DEREGISTERED", "no"), 400, "validation-failed");
        // agents do not set statuses through this door
        assertProblem(put(agent.mtlsClient(), statusPath, null, Json.createObjectBuilder().add("status", "OFFLINE").build()), 401,
                "unauthorized");
    }

    @Test
    void anAgentCardRegistersAndEveryAgentRendersAsOne() {
        AcaTestSupport.IssuedAgent agent = ArsTestSupport.agent("card");
        String name = ArsTestSupport.name(agent);
        JsonObject card = Json.createObjectBuilder()
                .add("protocolVersion", "0.3.0")
                .add("name", name)
                .add("description", "Books hotels")
                .add("version", "2.1.0")
                .add("url", "https://" + name.toLowerCase() + ".agents.example/a2a")
                .add("preferredTransport", "JSONRPC")
                .add("additionalInterfaces", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("url", "https://" + name.toLowerCase() + ".agents.example/grpc").add("transport", "GRPC")))
                .add("provider", Json.createObjectBuilder().add("organization", ArsTestSupport.ORGANIZATION).add("url", "https://ars.example"))
                .add("capabilities", Json.createObjectBuilder().add("streaming", true))
                .add("defaultInputModes", ArsTestSupport.array("text/plain"))
                .add("defaultOutputModes", ArsTestSupport.array("application/json"))
                .add("skills", Json.createArrayBuilder().add(ArsTestSupport.skill("hotel-booking", "Hotel booking",
                        "Books rooms", "travel", "hotels")))
                .build();
        HttpResponse<String> response = register(agent.mtlsClient(), card);
        assertEquals(201, response.statusCode(), response.body());
        JsonObject profile = NodeServer.json(response).asJsonObject();
        assertEquals(List.of("A2A-JSONRPC", "A2A-GRPC"), profile.getJsonArray("protocols").getValuesAs(jakarta.json.JsonString::getString));
        assertEquals(List.of("text/plain", "application/json"),
                profile.getJsonArray("dataFormats").getValuesAs(jakarta.json.JsonString::getString));

        HttpResponse<String> rendered = get(agent.mtlsClient(), AGENTS + "/" + profile.getString("id") + "/card");
        assertEquals(200, rendered.statusCode(), rendered.body());
        JsonObject back = NodeServer.json(rendered).asJsonObject();
        for (String required : List.of("name", "description", "url", "version", "capabilities", "defaultInputModes",
                "defaultOutputModes", "skills", "protocolVersion", "preferredTransport", "supportedInterfaces")) {
            assertTrue(back.containsKey(required), required + " in " + back);
        }
        assertEquals(name, back.getString("name"));
        assertEquals("2.1.0", back.getString("version"));
        assertEquals("https://" + name.toLowerCase() + ".agents.example/a2a", back.getString("url"));
        assertEquals("JSONRPC", back.getString("preferredTransport"));
        JsonObject skill = back.getJsonArray("skills").getJsonObject(0);
        assertEquals("hotel-booking", skill.getString("id"));
        assertEquals(List.of("travel", "hotels"), skill.getJsonArray("tags").getValuesAs(jakarta.json.JsonString::getString));
        JsonObject grpc = back.getJsonArray("supportedInterfaces").getJsonObject(1);
        assertEquals("GRPC", grpc.getString("protocolBinding"));
        assertEquals("0.3", grpc.getString("protocolVersion"));
        assertFalse(back.getJsonArray("defaultInputModes").isEmpty());
    }

    private static HttpResponse<String> status(String path, String status, String reason) {
        var body = Json.createObjectBuilder().add("status", status);
        if (reason != null) {
            body.add("reason", reason);
        }
        return ArsTestSupport.asOperator(NodeServer.request(NodeServer.https(path)).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body.build().toString())));
    }

    private static JsonObject node() {
        return NodeServer.json(NodeServer.send(NodeServer.client(), NodeServer.request(NodeServer.http("/api/v1/node")).GET().build()))
                .asJsonObject();
    }
}
