package org.agentnet.web.ars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.agentnet.web.LeanRequests;
import org.junit.jupiter.api.Test;

/** Which discovery requests the lean path takes itself; everything else goes on to the JAX-RS resource. */
class DiscoveryFilterTest {

    @Test
    void bindsParametersAsTheResourceDoes() {
        DiscoveryFilter.Parameters none = DiscoveryFilter.parameters(null);
        assertEquals(20, none.limit(), "the resource's default");
        assertEquals(List.of(), none.capability());
        assertNull(none.q());
        assertNull(none.cursor());
        DiscoveryFilter.Parameters some = DiscoveryFilter.parameters(
                "capability=flights&capability=hotels,visas&protocol=HTTP&language=en&domain=a.example&status=OFFLINE"
                        + "&q=VISA%20applications%C3%A9&limit=100&cursor=abc-_x&other=ignored");
        assertEquals(List.of("flights", "hotels,visas"), some.capability(), "repeated: all values; commas are the query's");
        assertEquals(List.of("HTTP"), some.protocol());
        assertEquals(List.of("en"), some.language());
        assertEquals(List.of("a.example"), some.domain());
        assertEquals(List.of("OFFLINE"), some.status());
        assertEquals("VISA applications\u00e9", some.q());
        assertEquals(100, some.limit());
        assertEquals("abc-_x", some.cursor());
        assertEquals("\u0000flight", DiscoveryFilter.parameters("q=%00flight").q(), "refused later, by the query's own rules");
        assertEquals(List.of(""), DiscoveryFilter.parameters("capability=").capability(), "refused later, as by the resource");
    }

    @Test
    void leavesToTheResourceWhatItsValidationOrBindingDecides() {
        assertNull(DiscoveryFilter.parameters("limit=0"));
        assertNull(DiscoveryFilter.parameters("limit=101"));
        assertNull(DiscoveryFilter.parameters("limit=020"));
        assertNull(DiscoveryFilter.parameters("limit="));
        assertNull(DiscoveryFilter.parameters("limit=x"));
        assertNull(DiscoveryFilter.parameters("limit=-1"));
        assertNull(DiscoveryFilter.parameters("limit=5&limit=6"));
        assertNull(DiscoveryFilter.parameters("q=a&q=b"));
        assertNull(DiscoveryFilter.parameters("cursor=a&cursor=b"));
        assertNull(DiscoveryFilter.parameters("cursor=" + "a".repeat(401)));
        assertEquals(400, DiscoveryFilter.parameters("cursor=" + "a".repeat(400)).cursor().length());
        assertNull(DiscoveryFilter.parameters("q"), "no value");
        assertNull(DiscoveryFilter.parameters("=x"));
        assertNull(DiscoveryFilter.parameters("q=a&&limit=2"));
        assertNull(DiscoveryFilter.parameters("q=a+b"), "+ is left to the resource's decoding");
        assertNull(DiscoveryFilter.parameters("q=%zz"));
        assertNull(DiscoveryFilter.parameters("q=%4"));
        assertNull(DiscoveryFilter.parameters("q=%C3%28"), "not UTF-8");
        assertNull(DiscoveryFilter.parameters("q=caf\u00e9"), "not encoded");
        assertNull(DiscoveryFilter.parameters("q=<script>"));
        assertNull(DiscoveryFilter.parameters("other=%zz"), "even an ignored parameter");
    }

    @Test
    void takesOnlyAcceptHeadersThatPlainlyAdmitJson() {
        assertTrue(LeanRequests.acceptsJson(""));
        assertTrue(LeanRequests.acceptsJson("application/json"));
        assertTrue(LeanRequests.acceptsJson("*/*"));
        assertTrue(LeanRequests.acceptsJson("text/html, application/*"));
        assertTrue(LeanRequests.acceptsJson("Application/JSON"));
        assertFalse(LeanRequests.acceptsJson("text/html"));
        assertFalse(LeanRequests.acceptsJson("application/json;q=0"));
        assertFalse(LeanRequests.acceptsJson("application/json; charset=utf-8"));
        assertFalse(LeanRequests.acceptsJson("application/xml, text/*"));
        assertFalse(LeanRequests.acceptsJson("json"));
        assertFalse(LeanRequests.acceptsJson("application/json/x"));
        assertFalse(LeanRequests.acceptsJson(" , "));
    }
}
