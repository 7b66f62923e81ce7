package org.agentnet.ars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.junit.jupiter.api.Test;

/** Profiles in and out of JSON, Agent Cards in and out, and the profile's rules. */
class ProfileJsonTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    static JsonObject body() {
        return Json.createObjectBuilder()
                .add("name", "travel-planner")
                .add("organization", "Acme Corp")
                .add("description", "Plans trips")
                .add("version", "1.2.0")
                .add("skills", Json.createArrayBuilder().add(Json.createObjectBuilder().add("id", "flights")
                        .add("name", "Flight booking").add("description", "Books flights").add("tags", Json.createArrayBuilder().add("travel"))))
                .add("protocols", Json.createArrayBuilder().add("a2a").add("http"))
                .add("dataFormats", Json.createArrayBuilder().add("Application/JSON"))
                .add("languages", Json.createArrayBuilder().add("en").add("ZH-cn"))
                .add("addresses", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("url", "https://planner.acme.example/a2a").add("protocol", "A2A-JSONRPC")))
                .build();
    }

    @Test
    void aProfileIsReadNormalizedAndWrittenBackTheSame() {
        AgentProfile profile = ProfileJson.readProfile(body(), true);
        assertEquals(List.of(Protocol.A2A_JSONRPC, Protocol.HTTP), profile.protocols());
        assertEquals(List.of("application/json"), profile.dataFormats());
        assertEquals(List.of("en", "zh-CN"), profile.languages());
        assertEquals(profile, ProfileJson.readProfile(ProfileJson.profile(profile), true), "written and read back");
    }

    @Test
    void theViewOfARemoteAgentHasItsGatewayAndNoAddresses() {
        AgentProfile profile = ProfileJson.readProfile(body(), true).withoutAddresses();
        Agent remote = new Agent("id-1", "node-b", false, "b.example", "agent://b.example/Acme%20Corp/travel-planner",
                AgentStatus.ONLINE, null, profile, "https://agw.b.example", NOW, NOW, 3);
        JsonObject view = ProfileJson.view(remote);
        assertFalse(view.containsKey("addresses"));
        assertEquals("https://agw.b.example", view.getString("gatewayAddress"));
        assertEquals("b.example", view.getString("domain"));
        assertEquals("node-b", view.getString("origin"));
        assertEquals(3, view.getInt("revision"));
        JsonObject card = AgentCards.card(remote);
        assertEquals("https://agw.b.example", card.getString("url"), "reached through its domain's gateway");
    }

    @Test
    void unknownFieldsAreRefusedInTheStrictFormOnly() {
        JsonObject extra = Json.createObjectBuilder(body()).add("endpoint", "x").build();
        assertEquals(ProblemType.VALIDATION_FAILED, assertThrows(AgentnetException.class, () -> ProfileJson.readProfile(extra, true)).type());
        assertEquals("travel-planner", ProfileJson.readProfile(extra, false).name());
    }

    @Test
    void limitsAreEnforced() {
        assertRefused(Json.createObjectBuilder(body()).add("description", "x".repeat(AgentProfile.MAX_DESCRIPTION + 1)).build());
        assertRefused(Json.createObjectBuilder(body()).add("languages", Json.createArrayBuilder().add("und")).build());
        assertRefused(Json.createObjectBuilder(body()).add("languages", Json.createArrayBuilder().add("en_US")).build());
        assertRefused(Json.createObjectBuilder(body()).add("languages", Json.createArrayBuilder().add("english")).build());
        assertRefused(Json.createObjectBuilder(body()).add("protocols", Json.createArrayBuilder().add("HTTP")).build());
        assertEquals(ProblemType.UNKNOWN_PROTOCOL, assertThrows(AgentnetException.class, () -> ProfileJson.readProfile(
                Json.createObjectBuilder(body()).add("protocols", Json.createArrayBuilder().add("smoke signals")).build(), true)).type());
        // a profile within every field limit but too large as a whole
        var skills = Json.createArrayBuilder();
        for (int i = 0; i < AgentProfile.MAX_SKILLS; i++) {
            skills.add(Json.createObjectBuilder().add("id", "s" + i).add("name", "n".repeat(AgentSkill.MAX_NAME))
                    .add("description", "d".repeat(AgentSkill.MAX_DESCRIPTION)));
        }
        AgentProfile large = ProfileJson.readProfile(Json.createObjectBuilder(body()).add("skills", skills).build(), true);
        assertThrows(AgentnetException.class, () -> ProfileJson.storable(large));
    }

    @Test
    void addressesAreCheckedUris() {
        assertEquals("https://a.example/x", AgentAddress.checkedUrl("url", "https://a.example/./x"));
        for (String bad : List.of("ftp://a.example/", "https:///nohost", "https://u:p@a.example/", "https://a.example/#f",
                "relative/path", "https://a.example/ space")) {
            assertThrows(AgentnetException.class, () -> AgentAddress.checkedUrl("url", bad), bad);
        }
    }

    @Test
    void protocolsHaveOneCanonicalNameAndAliases() {
        assertEquals(Protocol.A2A_JSONRPC, Protocol.parse("A2A JSON-RPC"));
        assertEquals(Protocol.A2A_JSONRPC, Protocol.parse("a2a_jsonrpc"));
        assertEquals(Protocol.WEBSOCKET, Protocol.parse("wss"));
        assertEquals("A2A-GRPC", Protocol.A2A_GRPC.canonical());
        assertEquals(Protocol.A2A_REST, Protocol.ofA2aBinding("HTTP+JSON").orElseThrow());
        assertTrue(Protocol.find("pigeon").isEmpty());
    }

    @Test
    void anAgentCardBecomesAProfileAndAProfileACard() {
        JsonObject card = Json.createObjectBuilder()
                .add("name", "hotel-agent").add("description", "Books hotels").add("version", "3.0")
                .add("url", "https://hotel.example/a2a")
                .add("supportedInterfaces", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("url", "https://hotel.example/rest").add("protocolBinding", "HTTP+JSON").add("protocolVersion", "1.0")))
                .add("defaultInputModes", Json.createArrayBuilder().add("text/plain"))
                .add("defaultOutputModes", Json.createArrayBuilder().add("text/plain").add("application/json"))
                .add("skills", Json.createArrayBuilder().add(Json.createObjectBuilder().add("id", "book").add("name", "Book")
                        .add("description", "Books a room").add("tags", Json.createArrayBuilder().add("hotel"))
                        .add("examples", Json.createArrayBuilder().add("a room in Paris"))))
                .add("iconUrl", "https://hotel.example/icon.png")
                .build();
        assertTrue(AgentCards.isCard(card));
        assertFalse(AgentCards.isCard(body()));
        AgentProfile profile = AgentCards.read(card);
        assertEquals(List.of(Protocol.A2A_JSONRPC, Protocol.A2A_REST), profile.protocols());
        assertEquals(List.of("text/plain", "application/json"), profile.dataFormats());
        assertEquals(2, profile.addresses().size());

        Agent agent = new Agent("id-2", "node-a", true, "a.example", "agent://a.example/Org/hotel-agent", AgentStatus.ONLINE, null,
                profile.withOrganization("Org"), null, NOW, NOW, 0);
        JsonObject back = AgentCards.card(agent);
        assertEquals("https://hotel.example/a2a", back.getString("url"));
        assertEquals("JSONRPC", back.getString("preferredTransport"));
        assertEquals("0.3.0", back.getString("protocolVersion"));
        assertEquals("HTTP+JSON", back.getJsonArray("supportedInterfaces").getJsonObject(1).getString("protocolBinding"));
        assertEquals(profile.skills(), AgentCards.read(back).skills(), "a rendered card reads back to the same skills");
        assertTrue(back.getJsonObject("capabilities").containsKey("streaming"));
    }

    private static void assertRefused(JsonObject body) {
        assertThrows(AgentnetException.class, () -> ProfileJson.readProfile(body, true));
    }
}
