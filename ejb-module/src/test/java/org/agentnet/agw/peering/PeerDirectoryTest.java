package org.agentnet.agw.peering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerDirectoryTest {

    private static final Instant NOW = Instant.parse("2026-11-26T13:00:00Z");

    private static AgwPeer identified(String url, String node, String gatewayUri) {
        AgwPeer peer = new AgwPeer(url, false, NOW);
        peer.identify(node, "b.example", gatewayUri, "remote-" + node, "agentnet-relay/1", 2);
        peer.contact(NOW);
        return peer;
    }

    @Test
    void answersByOriginAndGatewayUriFromWhatWasLoaded() {
        PeerDirectory directory = new PeerDirectory();
        AgwPeer b = identified("https://b.example:9443", "node-b", "agw://b.example/B/gw");
        AgwPeer pending = new AgwPeer("https://c.example", false, NOW);
        directory.load(List.of(b, pending));

        PeerGateways.PeerHop hop = directory.hopForOrigin("node-b").orElseThrow();
        assertEquals(b.id(), hop.peerId());
        assertEquals(URI.create("https://b.example:9443"), hop.baseUrl());
        assertTrue(hop.online());
        assertEquals(hop, directory.peerByGatewayUri("agw://b.example/B/gw").orElseThrow());
        assertEquals(Optional.empty(), directory.hopForOrigin("node-c"));
        assertEquals(Optional.empty(), directory.hopForOrigin(null));
        assertEquals(1, directory.hops().size(), "a peer not identified yet is no hop");
    }

    @Test
    void followsCommittedChanges() {
        PeerDirectory directory = new PeerDirectory();
        AgwPeer b = identified("https://b.example", "node-b", "agw://b.example/B/gw");
        directory.apply(new PeerChanged(b.id(), b.hop()));
        assertTrue(directory.hopForOrigin("node-b").orElseThrow().online());

        b.offline("silent");
        directory.apply(new PeerChanged(b.id(), b.hop()));
        assertFalse(directory.hopForOrigin("node-b").orElseThrow().online(), "offline: still known, not routable");

        b.disconnected("operator");
        directory.apply(new PeerChanged(b.id(), b.hop()));
        assertEquals(Optional.empty(), directory.hopForOrigin("node-b"));
        assertEquals(Optional.empty(), directory.peerByGatewayUri("agw://b.example/B/gw"));
    }

    @Test
    void theHoldTimeIsTheAnnouncedIntervalTimesTheHoldIntervals() {
        AgwPeer b = identified("https://b.example", "node-b", "agw://b.example/B/gw");
        assertEquals(Duration.ofSeconds(6), b.holdTime(3));
    }

    @Test
    void aPeerThatComesBackIsOnlineAgainFromThen() {
        AgwPeer b = identified("https://b.example", "node-b", "agw://b.example/B/gw");
        b.offline("silent");
        Instant later = NOW.plusSeconds(60);
        b.contact(later);
        assertEquals(PeerStatus.ONLINE, b.status());
        assertEquals(later, b.establishedAt());
        assertEquals(later, b.lastContactAt());
        b.contact(later.plusSeconds(2));
        assertEquals(later, b.establishedAt(), "established once, not at every heartbeat");
    }
}
