package org.agentnet.web.agw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.agentnet.web.LeanRequests;
import org.junit.jupiter.api.Test;

/** Which heartbeats the lean path takes itself; everything else goes on to the JAX-RS resource. */
class HeartbeatFilterTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void takesOnlyJsonBodies() {
        assertTrue(LeanRequests.isJson("application/json"));
        assertTrue(LeanRequests.isJson("Application/JSON; charset=UTF-8"));
        assertFalse(LeanRequests.isJson(null));
        assertFalse(LeanRequests.isJson("text/plain"));
        assertFalse(LeanRequests.isJson("application/json; charset=ISO-8859-1"));
        assertFalse(LeanRequests.isJson("application/json-patch+json"));
    }

    @Test
    void takesOnlyPlainHeartbeatsWithinTheResourcesLimits() {
        assertNotNull(HeartbeatFilter.plainHeartbeat(bytes("{\"status\":\"RUNNING\"}")));
        assertNotNull(HeartbeatFilter.plainHeartbeat(bytes("{\"status\":\"sleeping\"}"))); // refused later by name
        assertNotNull(HeartbeatFilter.plainHeartbeat(bytes("{\"status\":\"TEMPORARILY_OFFLINE\",\"detail\":\"maintenance\"}")));
        // left to the resource: its Bean Validation, JSON-B and problem answers
        assertNull(HeartbeatFilter.plainHeartbeat(bytes("{\"status\":")));
        assertNull(HeartbeatFilter.plainHeartbeat(bytes("[]")));
        assertNull(HeartbeatFilter.plainHeartbeat(bytes("{\"detail\":\"no status\"}")));
        assertNull(HeartbeatFilter.plainHeartbeat(bytes("{\"status\":\" \"}")));
        assertNull(HeartbeatFilter.plainHeartbeat(bytes("{\"status\":\"" + "R".repeat(33) + "\"}")));
        assertNull(HeartbeatFilter.plainHeartbeat(bytes("{\"status\":\"RUNNING\",\"detail\":\"" + "x".repeat(201) + "\"}")));
        assertNull(HeartbeatFilter.plainHeartbeat(bytes("{\"status\":\"RUNNING\",\"detail\":7}")));
        assertNull(HeartbeatFilter.plainHeartbeat(bytes("{\"status\":\"RUNNING\",\"other\":1}")));
        assertNull(HeartbeatFilter.plainHeartbeat(bytes("{\"status\":1}")));
        assertEquals(0, HeartbeatFilter.plainHeartbeat(bytes("{\"status\":\"RUNNING\"}")).getString("status").indexOf('R'));
    }
}
