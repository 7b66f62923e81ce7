package org.agentnet.agw.peering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;
import java.util.Optional;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeeringProtocolTest {

    private static JsonObjectBuilder hello() {
        return Json.createObjectBuilder().add("agwId", "node-b").add("domain", "B.Example")
                .add("protocols", Json.createArrayBuilder().add("agentnet-relay/2").add("agentnet-relay/1"))
                .add("status", "online").add("baseUrl", "https://GW.b.example:9443/").add("heartbeatInterval", 30)
                .add("peerId", "7d0c").add("appliedSeq", 12).add("latestSeq", 40).add("futureField", true);
    }

    @Test
    void aHandshakeIsReadNormalizedAndWrittenBack() {
        PeeringProtocol.Hello hello = PeeringProtocol.Hello.parse(hello().build().toString());
        assertEquals("node-b", hello.agwId());
        assertEquals("b.example", hello.domain());
        assertEquals("ONLINE", hello.status());
        assertEquals("https://gw.b.example:9443", hello.baseUrl());
        assertEquals(30, hello.heartbeatInterval());
        assertEquals("7d0c", hello.peerId());
        assertEquals(12, hello.appliedSeq());
        assertEquals(40, hello.latestSeq());
        assertNull(hello.protocol());
        assertEquals(hello, PeeringProtocol.Hello.parse(hello.toJson().toString()));
    }

    @Test
    void optionalFieldsDefault() {
        PeeringProtocol.Hello hello = PeeringProtocol.Hello.parse(hello().remove("peerId").remove("appliedSeq").remove("latestSeq")
                .build().toString());
        assertNull(hello.peerId());
        assertEquals(0, hello.appliedSeq());
        assertEquals(0, hello.latestSeq());
    }

    @Test
    void theProtocolIsTheFirstOfOursThePeerSpeaks() {
        assertEquals(Optional.of("agentnet-relay/1"), PeeringProtocol.common(List.of("agentnet-relay/2", "agentnet-relay/1")));
        assertEquals(Optional.empty(), PeeringProtocol.common(List.of("agentnet-relay/2")));
    }

    @Test
    void malformedBodiesAreMalformed() {
        for (String body : List.of("", "  ", "{", "[]", "42", "\"text\"")) {
            AgentnetException e = assertThrows(AgentnetException.class, () -> PeeringProtocol.Hello.parse(body), body);
            assertEquals(ProblemType.MALFORMED_BODY, e.type(), body);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"agwId", "domain", "protocols", "status", "baseUrl", "heartbeatInterval"})
    void requiredFieldsAreRequired(String field) {
        assertInvalid(hello().remove(field));
    }

    @Test
    void invalidValuesAreRefused() {
        assertInvalid(hello().add("agwId", "has space"));
        assertInvalid(hello().add("agwId", 7));
        assertInvalid(hello().add("domain", "not a domain"));
        assertInvalid(hello().add("protocols", Json.createArrayBuilder()));
        assertInvalid(hello().add("protocols", Json.createArrayBuilder().add(1)));
        assertInvalid(hello().add("protocols", "agentnet-relay/1"));
        assertInvalid(hello().add("status", "OFFLINE"));
        assertInvalid(hello().add("baseUrl", "http://gw.b.example"));
        assertInvalid(hello().add("baseUrl", "https://gw.b.example/api"));
        assertInvalid(hello().add("baseUrl", "https://user@gw.b.example"));
        assertInvalid(hello().add("baseUrl", "https://gw.b.example?x=1"));
        assertInvalid(hello().add("heartbeatInterval", 0));
        assertInvalid(hello().add("heartbeatInterval", 86_401));
        assertInvalid(hello().add("heartbeatInterval", 1.5));
        assertInvalid(hello().add("appliedSeq", -1));
        assertInvalid(hello().add("peerId", "x".repeat(37)));
    }

    @Test
    void aHeartbeatCarriesTheDigest() {
        PeeringProtocol.Beat beat = new PeeringProtocol.Beat("node-a", 2, 9, 4, 3, 21);
        PeeringProtocol.Beat read = PeeringProtocol.Beat.parse(beat.toJson().toString());
        assertEquals(beat, read);
        assertTrue(read.hasDigest());
        PeeringProtocol.Beat bare = PeeringProtocol.Beat.parse("{\"agwId\":\"node-a\",\"heartbeatInterval\":2,\"latestSeq\":9}");
        assertFalse(bare.hasDigest());
        assertEquals(0, bare.appliedSeq());
        assertThrows(AgentnetException.class, () -> PeeringProtocol.Beat.parse(
                "{\"agwId\":\"node-a\",\"heartbeatInterval\":2,\"latestSeq\":9,\"digest\":{\"latest\":8,\"count\":1,\"seqSum\":8}}"));
        assertThrows(AgentnetException.class, () -> PeeringProtocol.Beat.parse(
                "{\"agwId\":\"node-a\",\"heartbeatInterval\":2,\"latestSeq\":9,\"digest\":5}"));
        assertThrows(AgentnetException.class, () -> PeeringProtocol.Beat.parse("{\"agwId\":\"node-a\",\"heartbeatInterval\":2}"));
    }

    @Test
    void anAckRoundTrips() {
        PeeringProtocol.Ack ack = new PeeringProtocol.Ack("node-a", 5, 9, true);
        assertEquals(ack, PeeringProtocol.Ack.parse(ack.toJson().toString()));
    }

    private static JsonObjectBuilder change(long seq) {
        return Json.createObjectBuilder().add("seq", seq).add("kind", "REGISTERED").add("agentId", "agent-" + seq)
                .add("time", "2026-11-26T13:00:00Z").add("profile", Json.createObjectBuilder().add("id", "agent-" + seq));
    }

    private static String resources(long since, long next, long latest, JsonObjectBuilder... changes) {
        var array = Json.createArrayBuilder();
        for (JsonObjectBuilder change : changes) {
            array.add(change);
        }
        return Json.createObjectBuilder().add("agwId", "node-b").add("since", since).add("changes", array)
                .add("next", next).add("latest", latest).build().toString();
    }

    @Test
    void aPageOfResourcesIsReadInSeqOrder() {
        PeeringProtocol.Resources page = PeeringProtocol.Resources.parse(resources(3, 7, 9, change(4), change(7)));
        assertEquals(2, page.changes().size());
        assertEquals(7, page.changes().get(1).seq());
        assertFalse(page.complete());
        assertTrue(PeeringProtocol.Resources.parse(resources(9, 9, 9)).complete());
    }

    @Test
    void badPagesAreRefused() {
        assertThrows(AgentnetException.class, () -> PeeringProtocol.Resources.parse(resources(3, 7, 9, change(7), change(4))));
        assertThrows(AgentnetException.class, () -> PeeringProtocol.Resources.parse(resources(5, 4, 9, change(4))));
        assertThrows(AgentnetException.class, () -> PeeringProtocol.Resources.parse(resources(3, 6, 9, change(4))));
        assertThrows(AgentnetException.class, () -> PeeringProtocol.Resources.parse(resources(3, 4, 2, change(4))));
        assertThrows(AgentnetException.class, () -> PeeringProtocol.Resources.parse(resources(3, 4, 9, change(4).add("kind", "EXPLODED"))));
        assertThrows(AgentnetException.class, () -> PeeringProtocol.Resources.parse(resources(3, 4, 9, change(4).add("time", "yesterday"))));
        assertThrows(AgentnetException.class, () -> PeeringProtocol.Resources.parse(resources(3, 4, 9, change(4).add("profile", "x"))));
        assertThrows(AgentnetException.class, () -> PeeringProtocol.Resources.parse(resources(3, 4, 9, change(4).add("seq", 0))));
    }

    @Test
    void aSummaryKeepsNoPrivateAddress() {
        JsonObject view = Json.createObjectBuilder().add("id", "a").add("status", "ONLINE")
                .add("addresses", Json.createArrayBuilder().add(Json.createObjectBuilder().add("url", "https://private.example")))
                .add("skills", Json.createArrayBuilder()).build();
        JsonObject summary = PeeringProtocol.summary(view);
        assertFalse(summary.containsKey("addresses"));
        assertEquals("ONLINE", summary.getString("status"));
        assertTrue(summary.containsKey("skills"));
    }

    @Test
    void baseUrlsAreCanonical() {
        assertEquals("https://gw.example", PeeringProtocol.baseUrl("url", " https://GW.example/ "));
        assertEquals("https://gw.example:8443", PeeringProtocol.baseUrl("url", "HTTPS://gw.example:8443"));
        assertThrows(AgentnetException.class, () -> PeeringProtocol.baseUrl("url", "gw.example"));
        assertThrows(AgentnetException.class, () -> PeeringProtocol.baseUrl("url", "https://gw.example#x"));
        assertThrows(AgentnetException.class, () -> PeeringProtocol.baseUrl("url", "https://gw example"));
    }

    private static void assertInvalid(JsonObjectBuilder body) {
        AgentnetException e = assertThrows(AgentnetException.class, () -> PeeringProtocol.Hello.parse(body.build().toString()));
        assertEquals(ProblemType.VALIDATION_FAILED, e.type(), e.getMessage());
    }
}
