package org.agentnet.ars.sync;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.agentnet.ars.AgentRegistry;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;

/**
 * The peers of this ARS (draft 3.5): configured ones and those an operator adds or removes, and
 * the notifications peers send when their agents change.
 */
@Stateless
public class ArsPeerService {

    private static final Logger LOG = Logger.getLogger(ArsPeerService.class.getName());

    @EJB
    ArsPeers peers;

    @EJB
    AgentRegistry registry;

    @Inject
    SyncTrigger trigger;

    @Inject
    SyncSettings settings;

    @Inject
    NodeSettings node;

    @Inject
    Clock clock;

    public List<ArsPeer> list() {
        return peers.all();
    }

    public ArsPeer get(String id) {
        return peers.find(id).orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_PEER, "no ARS peer " + id));
    }

    /** Adds a peer by its base URL (https://host[:port]) and pulls it at once; a known URL is a conflict. */
    public ArsPeer add(String url, boolean configured) {
        node.require(Component.ARS);
        String normalized = peerUrl(url);
        peers.byUrl(normalized).ifPresent(existing -> {
            throw new AgentnetException(ProblemType.CONFLICT, "ARS peer " + normalized + " is already known as " + existing.id());
        });
        if (peers.all().size() >= settings.maxPeers()) {
            throw new AgentnetException(ProblemType.CONFLICT, "this node has its maximum of " + settings.maxPeers()
                    + " ARS peers (agentnet.ars.sync.max-peers)");
        }
        ArsPeer peer = new ArsPeer(normalized, configured, clock.instant());
        peers.add(peer);
        return peer;
    }

    /** Removes a peer and the agents synchronized from it. */
    public void remove(String id) {
        ArsPeer peer = peers.findForUpdate(id).orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_PEER, "no ARS peer " + id));
        if (peer.nodeId() != null) {
            registry.forgetRemote(peer.nodeId(), Set.of());
        }
        peers.remove(peer);
        trigger.forget(id);
    }

    /**
     * Makes the configured peers those of {@code agentnet.ars.sync.peers}: new ones are added,
     * ones no longer configured are removed with their agents; peers an operator added stay.
     */
    public void reconcile(List<String> configuredUrls) {
        Set<String> wanted = configuredUrls.stream().map(ArsPeerService::peerUrl).collect(Collectors.toSet());
        List<ArsPeer> known = peers.all();
        for (ArsPeer peer : known) {
            if (peer.configured() && !wanted.contains(peer.url())) {
                LOG.info(() -> "ARS peer " + peer.url() + " is no longer configured: removing it and its agents");
                remove(peer.id());
            }
        }
        Set<String> knownUrls = known.stream().map(ArsPeer::url).collect(Collectors.toSet());
        for (String url : wanted) {
            if (!knownUrls.contains(url)) {
                add(url, true);
                LOG.info(() -> "ARS peer " + url + " configured");
            }
        }
    }

    /** A peer says its agents changed: pull it now (its certificate's domain must be the peer's). */
    public void notified(String callerDomain, String originNode) {
        Fields.require(originNode != null && !originNode.isBlank(), "node is required");
        List<ArsPeer> matching = peers.byNodeId(originNode).stream()
                .filter(peer -> peer.domain() != null && peer.domain().equalsIgnoreCase(callerDomain)).toList();
        if (matching.isEmpty()) {
            throw new AgentnetException(ProblemType.UNKNOWN_PEER, "node " + originNode + " of " + callerDomain
                    + " is not an ARS peer of this node");
        }
        matching.forEach(peer -> trigger.pullSoon(peer.id()));
    }

    /** The canonical form of a peer's base URL: https, a host, an optional port, no path, query or user info. */
    static String peerUrl(String url) {
        String text = Fields.printable("url", url, ArsPeer.MAX_URL);
        try {
            URI uri = new URI(text);
            Fields.require("https".equalsIgnoreCase(uri.getScheme()), "a peer's url is https (mutual TLS): " + text);
            Fields.require(uri.getHost() != null, "a peer's url needs a host: " + text);
            Fields.require(uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")),
                    "a peer's url is its base (https://host[:port]), without path, query, fragment or user info: " + text);
            return "https://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "url '" + text + "' is not a URI: " + e.getReason());
        }
    }
}
