package org.agentnet.agw.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.agentnet.ars.AgentAddress;
import org.agentnet.ars.Protocol;
import org.junit.jupiter.api.Test;

/** Which local agents are pushed to, and where (docs/agw.md "Routing table", "Inbox"). */
class PushAddressTest {

    @Test
    void theFirstHttpAddressIsPushedTo() {
        List<AgentAddress> addresses = List.of(new AgentAddress("https://a.example/a2a", Protocol.A2A_JSONRPC),
                new AgentAddress("https://a.example/deliveries", Protocol.HTTP), new AgentAddress("http://b.example/x", Protocol.HTTP));
        assertEquals(URI.create("https://a.example/deliveries"), RoutingTable.pushAddress(addresses).orElseThrow());
    }

    @Test
    void anAgentWithoutAnHttpAddressPulls() {
        assertTrue(RoutingTable.pushAddress(List.of(new AgentAddress("https://a.example/a2a", Protocol.A2A_JSONRPC),
                new AgentAddress("mqtt://broker.example/agents/a", Protocol.MQTT))).isEmpty());
        // protocol HTTP on a URL that is not http(s) is no push address either
        assertTrue(RoutingTable.pushAddress(List.of(new AgentAddress("wss://a.example/socket", Protocol.HTTP))).isEmpty());
    }
}
