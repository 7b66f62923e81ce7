package org.agentnet.agw.peering;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Settings of AGW peering (docs/agw.md "Peering"; defaults in microprofile-config.properties), checked at start. */
@ApplicationScoped
public class PeeringSettings {

    @Inject
    @ConfigProperty(name = "agentnet.agw.peers")
    Optional<List<String>> peers;

    @Inject
    @ConfigProperty(name = "agentnet.agw.peer.heartbeat.interval")
    Duration heartbeatInterval;

    @Inject
    @ConfigProperty(name = "agentnet.agw.peer.heartbeat.hold-intervals")
    int holdIntervals;

    @Inject
    @ConfigProperty(name = "agentnet.agw.peer.base-url")
    Optional<String> baseUrl;

    @Inject
    @ConfigProperty(name = "agentnet.agw.peer.page-size")
    int pageSize;

    @Inject
    @ConfigProperty(name = "agentnet.agw.peer.max-peers")
    int maxPeers;

    @Inject
    @ConfigProperty(name = "agentnet.node.hostnames")
    Optional<List<String>> hostnames;

    @Inject
    @ConfigProperty(name = "agentnet.server.https.port")
    Optional<Integer> httpsPort;

    private String ownBaseUrl;

    @PostConstruct
    void check() {
        require(heartbeatInterval.toSeconds() >= 1 && heartbeatInterval.toSeconds() <= 86_400,
                "agentnet.agw.peer.heartbeat.interval must be 1 second to 1 day");
        require(holdIntervals >= 1 && holdIntervals <= 100, "agentnet.agw.peer.heartbeat.hold-intervals must be 1 to 100");
        require(pageSize >= 1 && pageSize <= 1000, "agentnet.agw.peer.page-size must be 1 to 1000");
        require(maxPeers >= 1, "agentnet.agw.peer.max-peers must be positive");
        String configured = baseUrl.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (configured != null) {
            ownBaseUrl = PeeringProtocol.baseUrl("agentnet.agw.peer.base-url", configured);
        } else {
            String host = hostnames.orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).findFirst()
                    .orElseGet(PeeringSettings::hostName);
            ownBaseUrl = PeeringProtocol.baseUrl("agentnet.agw.peer.base-url", "https://" + host + httpsPort.map(p -> ":" + p).orElse(""));
        }
    }

    /** Base URLs of the gateways configured as peers (https://host:port). */
    public List<String> configuredPeers() {
        return peers.orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** How often this node sends each peer a heartbeat (and what it announces). */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public int holdIntervals() {
        return holdIntervals;
    }

    /** Where peers reach this node: announced in handshakes; the gateway address of this node's agents at its peers. */
    public String baseUrl() {
        return ownBaseUrl;
    }

    /** Most changes sent to a peer in one request (also bounded by size). */
    public int pageSize() {
        return pageSize;
    }

    public int maxPeers() {
        return maxPeers;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
