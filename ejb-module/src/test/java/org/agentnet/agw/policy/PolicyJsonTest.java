package org.agentnet.agw.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading policies strictly: what is refused (400, naming the field) and what a valid policy becomes. */
class PolicyJsonTest {

    private static final String VALID = "{\"name\":\"b-may-book\",\"description\":\"Partners book\",\"effect\":\"allow\","
            + "\"actions\":[\"message\",\"DISCOVER\"],\"subjects\":[{\"domain\":\"B.Example\",\"organization\":\" Beta Corp \"}],"
            + "\"objects\":[{\"domain\":\"local.example\",\"capability\":\"Booking\"},{\"agentId\":\"6f1c0a5e-1f7e-4c55-9d58-0f0f5d2b6a11\"}]}";

    @Test
    void aValidPolicyIsNormalized() {
        PolicyDocument document = PolicyJson.read(VALID);
        assertEquals("b-may-book", document.name());
        assertEquals("Partners book", document.description());
        assertEquals(PolicyEffect.ALLOW, document.effect());
        assertEquals(Set.of(PolicyAction.MESSAGE, PolicyAction.DISCOVER), document.actions());
        assertEquals("b.example", document.subjects().get(0).domain());
        assertEquals("Beta Corp", document.subjects().get(0).organization());
        assertEquals("booking", document.objects().get(0).capability());
        assertTrue(document.enabled(), "enabled by default");
    }

    @Test
    void writingAndReadingAgainGivesTheSameDocument() {
        PolicyDocument document = PolicyJson.read(VALID);
        JsonObject written = PolicyJson.write(document).build();
        assertEquals(document, PolicyJson.read(written));
        assertEquals(document.subjects(), PolicyJson.fromText(Selector.Role.SUBJECT, "subjects", PolicyJson.text(document.subjects())));
        assertEquals("[\"DISCOVER\",\"MESSAGE\"]", written.getJsonArray("actions").toString());
    }

    @Test
    void theFieldsOfAnAnswerAreAcceptedAndIgnored() {
        String echoed = VALID.substring(0, VALID.length() - 1) + ",\"id\":\"x\",\"revision\":3,\"createdAt\":\"t\","
                + "\"updatedAt\":\"t\",\"updatedBy\":\"operator admin\",\"enabled\":false}";
        PolicyDocument document = PolicyJson.read(echoed);
        assertFalse(document.enabled());
    }

    @Test
    void aBodyThatIsNoJsonObjectIsMalformed() {
        for (String body : List.of("{", "[]", "\"text\"", "{\"name\": }", "nul")) {
            AgentnetException e = assertThrows(AgentnetException.class, () -> PolicyJson.read(body), body);
            assertEquals(ProblemType.MALFORMED_BODY, e.type(), body);
        }
        assertEquals(ProblemType.VALIDATION_FAILED, assertThrows(AgentnetException.class, () -> PolicyJson.read(" ")).type());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // unknown or misspelt fields
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}],\"priority\":1}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"a.example\",\"organisation\":\"Acme\"}],\"objects\":[{\"domain\":\"*\"}]}",
            // name
            "{\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"Upper\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"-x\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":17,\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}",
            // effect, actions, enabled
            "{\"name\":\"p\",\"effect\":\"MAYBE\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":\"MESSAGE\",\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\",\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"READ\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[1],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}],\"enabled\":\"yes\"}",
            // subjects and objects
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[\"*\"],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":{\"domain\":\"*\"},\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"},{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"capability\":\"booking\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"agentId\":\"abc\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"organization\":\"Acme\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"a.example\",\"organization\":\" \"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"not a domain\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"a.*.example\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*example.com\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":5}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"agent\":\"https://a.example/Acme/x\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"agent\":\"agent://a.example/Acme\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"agent\":\"agent://a.example/Acme/x?y\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"agent\":\"agent://a.example/Acme/x\",\"domain\":\"a.example\"}],\"objects\":[{\"domain\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"capability\":\"*\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"capability\":\"tr*vel\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"capability\":\"a,b\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"agentId\":\"has space\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"agentId\":\"x\",\"domain\":\"a.example\"}]}",
            "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"agentId\":\"x\",\"agent\":\"agent://a.example/A/x\"}]}",
            "{\"name\":\"p\",\"description\":\"bell\\u0007\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}"
    })
    void invalidPoliciesAreRefusedAsValidationProblems(String body) {
        AgentnetException e = assertThrows(AgentnetException.class, () -> PolicyJson.read(body), body);
        assertEquals(ProblemType.VALIDATION_FAILED, e.type(), body + ": " + e.detail());
        assertEquals(400, e.type().status());
    }

    @Test
    void theProblemNamesTheField() {
        AgentnetException e = assertThrows(AgentnetException.class, () -> PolicyJson.read(
                "{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],"
                        + "\"objects\":[{\"domain\":\"*\"},{\"capability\":\"*\"}]}"));
        assertTrue(e.detail().startsWith("objects[1].capability"), e.detail());
        AgentnetException unknown = assertThrows(AgentnetException.class, () -> PolicyJson.read("{\"nmae\":\"p\"}"));
        assertTrue(unknown.detail().contains("'nmae'"), unknown.detail());
    }

    @Test
    void tooManySelectorsOrATooLongDescriptionAreRefused() {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= PolicyDocument.MAX_SELECTORS; i++) {
            many.append(i == 0 ? "" : ",").append("{\"domain\":\"d").append(i).append(".example\"}");
        }
        many.append(']');
        assertThrows(AgentnetException.class, () -> PolicyJson.read("{\"name\":\"p\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],"
                + "\"subjects\":" + many + ",\"objects\":[{\"domain\":\"*\"}]}"));
        String longText = "x".repeat(PolicyDocument.MAX_DESCRIPTION + 1);
        assertThrows(AgentnetException.class, () -> PolicyJson.read("{\"name\":\"p\",\"description\":\"" + longText
                + "\",\"effect\":\"DENY\",\"actions\":[\"MESSAGE\"],\"subjects\":[{\"domain\":\"*\"}],\"objects\":[{\"domain\":\"*\"}]}"));
    }

    @Test
    void aGatewayUriAndAnAgentWithACapabilityAreValid() {
        PolicyDocument document = PolicyJson.read("{\"name\":\"gw\",\"effect\":\"DENY\",\"actions\":[\"DISCOVER\"],"
                + "\"subjects\":[{\"agent\":\"agw://b.example/b.example/node-1\"}],"
                + "\"objects\":[{\"agent\":\"agent://a.example/Acme%20Corp/x\",\"capability\":\"travel.*\"}]}");
        assertEquals("agw://b.example/b.example/node-1", document.subjects().get(0).agent());
        assertEquals("travel.*", document.objects().get(0).capability());
    }
}
