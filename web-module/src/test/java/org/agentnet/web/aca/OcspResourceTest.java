package org.agentnet.web.aca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.agentnet.aca.OcspResponder;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OcspResourceTest {

    /** Bytes whose base64 has '+', '/' and '=' in it. */
    private static final byte[] DER = {0x30, 0x03, (byte) 0xfb, (byte) 0xff, (byte) 0xbf, 0x7e, (byte) 0xf8};
    private static final String BASE64 = Base64.getEncoder().encodeToString(DER);

    @Test
    void theSampleHasEveryCharacterThatNeedsEncoding() {
        assertEquals("MAP7/79++A==", BASE64);
    }

    @Test
    void decodesTheUrlEncodedBase64OfAppendixA() {
        assertArrayEquals(DER, OcspResource.decodeGetRequest("MAP7%2F79%2B%2BA%3D%3D"));
        assertArrayEquals(DER, OcspResource.decodeGetRequest("MAP7%2f79%2b%2bA%3d%3d"), "lower-case hex");
    }

    @Test
    void toleratesClientsThatDoNotEncode() {
        assertArrayEquals(DER, OcspResource.decodeGetRequest(BASE64), "'+' stays '+' in a path");
        assertArrayEquals(DER, OcspResource.decodeGetRequest("MAP7/79++A"), "padding left out");
        assertArrayEquals(DER, OcspResource.decodeGetRequest("MAP7_79--A=="), "URL-safe alphabet");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "%", "%2", "%zz", "MAP7%2G79", "not base64!", "MAP7 79", "MAP7/79++A===", "é"})
    void anythingElseIsNotARequest(String encoded) {
        assertNull(OcspResource.decodeGetRequest(encoded));
    }

    @Test
    void nullIsNotARequest() {
        assertNull(OcspResource.decodeGetRequest(null));
    }

    @Test
    void postAndGetHandTheBytesToTheResponderAndAnswerAnUncachedOcspResponse() {
        RecordingResponder responder = new RecordingResponder(true);
        OcspResource resource = new OcspResource();
        resource.responder = responder;

        Response posted = resource.post(DER);
        assertEquals(200, posted.getStatus());
        assertEquals(OcspResource.OCSP_RESPONSE, posted.getMediaType().toString());
        assertEquals("no-cache", posted.getHeaderString(HttpHeaders.CACHE_CONTROL));
        assertArrayEquals(RecordingResponder.ANSWER, (byte[]) posted.getEntity());

        resource.get("MAP7%2F79%2B%2BA%3D%3D");
        resource.get("%%%");
        resource.post(null);
        assertEquals(4, responder.requests.size());
        assertArrayEquals(DER, responder.requests.get(0));
        assertArrayEquals(DER, responder.requests.get(1));
        assertArrayEquals(new byte[0], responder.requests.get(2), "undecodable: the responder answers malformedRequest");
        assertArrayEquals(new byte[0], responder.requests.get(3));
    }

    @Test
    void aNodeWithoutTheAcaHasNoResponder() {
        OcspResource resource = new OcspResource();
        resource.responder = new RecordingResponder(false);
        AgentnetException refused = assertThrows(AgentnetException.class, () -> resource.post(DER));
        assertEquals(ProblemType.COMPONENT_DISABLED, refused.type());
        assertThrows(AgentnetException.class, () -> resource.get(BASE64));
    }

    static final class RecordingResponder extends OcspResponder {
        static final byte[] ANSWER = {0x30, 0x03, 0x0a, 0x01, 0x00};
        final List<byte[]> requests = new ArrayList<>();
        private final boolean enabled;

        RecordingResponder(boolean enabled) {
            this.enabled = enabled;
        }

        @Override
        public boolean isEnabled() {
            return enabled;
        }

        @Override
        public byte[] respond(byte[] request) {
            requests.add(request);
            return ANSWER;
        }
    }
}
