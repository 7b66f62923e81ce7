package org.agentnet.it.ars;

import static org.agentnet.it.ars.ArsTestSupport.assertProblem;
import static org.agentnet.it.ars.ArsTestSupport.discover;
import static org.agentnet.it.ars.ArsTestSupport.ids;
import static org.agentnet.it.ars.ArsTestSupport.profile;
import static org.agentnet.it.ars.ArsTestSupport.register;
import static org.agentnet.it.ars.ArsTestSupport.registered;
import static org.agentnet.it.ars.ArsTestSupport.skill;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.agentnet.it.NodeServer;
import org.agentnet.it.aca.AcaTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Registration bodies the ARS refuses (draft 3.2.1 "missing information"), each a 4xx problem
 * with nothing stored: the same agent registers fine afterwards, which a stored registration
 * would have prevented (one live registration per identity).
 */
class RegistrationBadInputIT {

    private static AcaTestSupport.IssuedAgent agent;
    private static String tag;

    @BeforeAll
    static void agent() {
        agent = ArsTestSupport.agent("bad");
        tag = ArsTestSupport.unique("bad");
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                bad("no name", p -> p.remove("name"), 400, "validation-failed"),
                bad("no description", p -> p.remove("description"), 400, "validation-failed"),
                bad("no skills", p -> p.add("skills", Json.createArrayBuilder()), 400, "validation-failed"),
                bad("no protocols", p -> p.remove("protocols"), 400, "validation-failed"),
                bad("no addresses", p -> p.remove("addresses"), 400, "validation-failed"),
                bad("description of 2001 characters", p -> p.add("description", "d".repeat(2001)), 400, "validation-failed"),
                bad("33 skills", p -> p.add("skills", skills(33)), 400, "validation-failed"),
                bad("17 tags", p -> p.add("skills", Json.createArrayBuilder().add(skill("s", "S", "D",
                        Stream.iterate(0, i -> i + 1).limit(17).map(i -> "t" + i).toArray(String[]::new)))), 400, "validation-failed"),
                bad("17 languages", p -> p.add("languages", strings(17, i -> "x" + (char) ('a' + i / 26) + (char) ('a' + i % 26))), 400,
                        "validation-failed"),
                bad("9 addresses", p -> p.add("addresses", addresses(9)), 400, "validation-failed"),
                bad("unknown protocol", p -> p.add("protocols", ArsTestSupport.array("HTTP", "carrier-pigeon")), 400, "unknown-protocol"),
                bad("address protocol not declared", p -> p.add("addresses", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("url", "mqtt://broker.example:1883/agent").add("protocol", "MQTT"))), 400, "validation-failed"),
                bad("address without scheme", p -> p.add("addresses", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("url", "agent.example/a2a").add("protocol", "HTTP"))), 400, "validation-failed"),
                bad("javascript: address", p -> p.add("addresses", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("url", "javascript:alert(1)").add("protocol", "HTTP"))), 400, "validation-failed"),
                bad("address with user information", p -> p.add("addresses", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("url", "https://user:secret@agent.example/").add("protocol", "HTTP"))), 400, "validation-failed"),
                bad("malformed language", p -> p.add("languages", ArsTestSupport.array("english")), 400, "validation-failed"),
                bad("data format not a media type", p -> p.add("dataFormats", ArsTestSupport.array("json")), 400, "validation-failed"),
                bad("duplicate skill ids", p -> p.add("skills", Json.createArrayBuilder().add(skill("a", "A", "D")).add(skill("a", "B", "D"))),
                        400, "validation-failed"),
                bad("skill id with spaces", p -> p.add("skills", Json.createArrayBuilder().add(skill("a b", "A", "D"))), 400,
                        "validation-failed"),
                bad("control characters", p -> p.add("description", "line\u0000break"), 400, "validation-failed"),
                bad("unknown field", p -> p.add("endpoint", "https://x.example"), 400, "validation-failed"),
                bad("name of wrong type", p -> p.add("name", 42), 400, "validation-failed"),
                bad("skills not an array", p -> p.add("skills", "flights"), 400, "validation-failed"));
    }

    private static Arguments bad(String what, UnaryOperator<JsonObjectBuilder> change, int status, String slug) {
        return Arguments.of(what, change, status, slug);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void isRefusedAndNothingIsStored(String what, UnaryOperator<JsonObjectBuilder> change, int status, String slug) {
        JsonObject body = change.apply(profile(agent, "checked", tag)).build();
        assertProblem(register(agent.mtlsClient(), body), status, slug);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("raw")
    void unreadableBodiesAreRefused(String body) {
        HttpResponse<String> response = NodeServer.send(agent.mtlsClient(), NodeServer.request(NodeServer.https(ArsTestSupport.AGENTS))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(400, response.statusCode(), response.body());
    }

    static Stream<String> raw() {
        return Stream.of("", "{", "[]", "\"profile\"", "{\"name\": }", "null");
    }

    @AfterAll
    static void nothingWasStored() {
        assertEquals(List.of(), ids(discover(agent.mtlsClient(), "capability", tag, "status", "ONLINE,OFFLINE")));
        registered(agent, profile(agent, "checked", tag));
        assertEquals(1, ids(discover(agent.mtlsClient(), "capability", tag)).size());
    }

    private static JsonArrayBuilder skills(int n) {
        JsonArrayBuilder skills = Json.createArrayBuilder();
        for (int i = 0; i < n; i++) {
            skills.add(skill("s" + i, "Skill " + i, "Does " + i));
        }
        return skills;
    }

    private static JsonArrayBuilder strings(int n, java.util.function.IntFunction<String> value) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (int i = 0; i < n; i++) {
            array.add(value.apply(i));
        }
        return array;
    }

    private static JsonArrayBuilder addresses(int n) {
        JsonArrayBuilder addresses = Json.createArrayBuilder();
        for (int i = 0; i < n; i++) {
            addresses.add(Json.createObjectBuilder().add("url", "https://a" + i + ".example/").add("protocol", "HTTP"));
        }
        return addresses;
    }
}
