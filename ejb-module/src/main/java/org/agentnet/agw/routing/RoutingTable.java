package org.agentnet.agw.routing;

import jakarta.ejb.EJB;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.agentnet.agw.access.AccessRecord;
import org.agentnet.agw.access.AccessView;
import org.agentnet.agw.access.AgwSettings;
import org.agentnet.agw.peering.PeerGateways;
import org.agentnet.ars.Agent;
import org.agentnet.ars.AgentAddress;
import org.agentnet.ars.AgentDirectory;
import org.agentnet.ars.AgentRecord;
import org.agentnet.ars.AgentStatus;
import org.agentnet.ars.Protocol;
import org.agentnet.ars.RegisteredAgents;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;

/**
 * The routing table (draft 3.4.4), derived on demand from what is authoritative: the ARS (an agent's
 * origin node and status, as discovery's {@link AgentDirectory} holds them: every change of a
 * record reaches it when the change commits; the database answers for an agent it does not hold),
 * this gateway's access records (the agents that accessed it, and their addresses) and the peer
 * gateways ({@link PeerGateways}: which peer advertised an origin, and whether it is up). Nothing
 * else is kept, so a route never lags behind an access, a withdrawal, a status change or a peer
 * going silent.
 *
 * <p>An agent of this origin is LOCAL when it accessed this gateway (not routable otherwise); an
 * agent of another origin is routed to the peer gateway that advertised that origin. A route is
 * applicable unless the agent is INAPPLICABLE, the peer is offline or unknown, or the local agent
 * has no access record; an OFFLINE agent stays routable (its messages wait: inbox, or retries).
 */
@Stateless
@LocalBean
public class RoutingTable {

    public static final int MAX_LIMIT = 500;
    private static final int SCAN = 200;
    private static final int MAX_SCANNED_PAGES = 50;

    /** A page of routes, and the agent ID after which the next one starts (null at the end). */
    public record Page(List<Route> routes, String nextAfter) {
    }

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    @EJB
    RegisteredAgents agents;

    @EJB
    AgentDirectory directory;

    @Inject
    Instance<PeerGateways> peers;

    @Inject
    AgwSettings settings;

    @Inject
    NodeSettings node;

    /**
     * The route to an agent, applicable or not.
     *
     * @throws AgentnetException unknown-agent (the ARS does not know it), agent-deregistered
     */
    public Route resolve(String agentId) {
        node.require(Component.AGW);
        Fields.require(agentId != null && !agentId.isBlank() && agentId.length() <= 36, "an agent ID is 1 to 36 characters");
        // discovery holds every agent that is not deregistered: a message's route costs no query
        Target target = directory.find(agentId).map(Target::of).orElseGet(() -> Target.of(agents.find(agentId)
                .orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_AGENT, "no agent '" + agentId + "' is known to this domain's ARS")),
                null));
        if (target.status() == AgentStatus.DEREGISTERED) {
            throw new AgentnetException(ProblemType.AGENT_DEREGISTERED, "agent " + agentId + " is deregistered");
        }
        AccessRecord access = target.local() ? em.find(AccessRecord.class, agentId) : null;
        return route(target, access);
    }

    /** What a route is made of: the ARS's facts about the agent. */
    private record Target(String id, String agentUri, String origin, boolean local, String domain, AgentStatus status) {

        static Target of(Agent agent) {
            return new Target(agent.id(), agent.agentUri(), agent.origin(), agent.local(), agent.domain(), agent.status());
        }

        /** From the stored record; {@code held}: the agent as discovery holds it, for its domain. */
        static Target of(AgentRecord record, Agent held) {
            return new Target(record.id(), record.agentUri(), record.originNode(), record.isLocal(),
                    held == null ? null : held.domain(), record.status());
        }
    }

    /**
     * As {@link #resolve}, outside the caller's transaction: a refusal (unknown, deregistered) does not
     * mark that transaction for rollback. The relay's deliveries record it as the message's failure.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Route resolveApart(String agentId) {
        return resolve(agentId);
    }

    /**
     * A page of the table by agent ID after {@code afterId}: agents that accessed this gateway and
     * agents of other origins (deregistered ones and local ones that never accessed are not in it),
     * optionally only those routed through the peer {@code peerId}.
     */
    public Page page(String afterId, int limit, String peerId) {
        node.require(Component.AGW);
        Fields.require(limit >= 1 && limit <= MAX_LIMIT, "limit must be 1 to " + MAX_LIMIT);
        List<Route> routes = new ArrayList<>();
        String after = afterId == null ? "" : afterId;
        for (int scanned = 0; scanned < MAX_SCANNED_PAGES; scanned++) {
            List<AgentRecord> batch = agents.liveAfter(after, SCAN);
            Map<String, AccessRecord> accessed = accessRecords(batch);
            for (AgentRecord record : batch) {
                after = record.id();
                AccessRecord access = accessed.get(record.id());
                if (record.isLocal() && access == null) {
                    continue;
                }
                Route route = route(Target.of(record, directory.find(record.id()).orElse(null)), access);
                if (peerId != null && !peerId.equals(route.peerId())) {
                    continue;
                }
                routes.add(route);
                if (routes.size() == limit) {
                    return new Page(routes, after);
                }
            }
            if (batch.size() < SCAN) {
                return new Page(routes, null);
            }
        }
        // a filter that matches few: answer what was found, the client goes on from here
        return new Page(routes, after);
    }

    private Map<String, AccessRecord> accessRecords(List<AgentRecord> batch) {
        List<String> ids = batch.stream().filter(AgentRecord::isLocal).map(AgentRecord::id).toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        return em.createQuery("select r from AccessRecord r where r.agentId in :ids", AccessRecord.class)
                .setParameter("ids", ids).getResultStream()
                .collect(Collectors.toMap(AccessRecord::agentId, Function.identity()));
    }

    private Route route(Target target, AccessRecord access) {
        String domain = target.domain();
        AgentStatus status = target.status();
        if (target.local()) {
            if (access == null) {
                return new Route(target.id(), target.agentUri(), domain, status, Route.Kind.LOCAL, null, null, null, null, null,
                        null, false, "agent " + target.id() + " has not accessed this gateway (POST /api/v1/agw/access)");
            }
            AccessView view = access.view(settings.holdIntervals());
            Optional<URI> push = pushAddress(view.addresses());
            return new Route(target.id(), target.agentUri(), domain, status, Route.Kind.LOCAL,
                    push.isPresent() ? Route.Delivery.PUSH : Route.Delivery.PULL, push.orElse(null), null, null, null, null,
                    true, null);
        }
        if (!peers.isResolvable()) {
            return new Route(target.id(), target.agentUri(), domain, status, Route.Kind.PEER, null, null, null, null, null, null,
                    false, "this gateway has no peer gateways (peering is not available)");
        }
        Optional<PeerGateways.PeerHop> hop = peers.get().hopForOrigin(target.origin());
        if (hop.isEmpty()) {
            return new Route(target.id(), target.agentUri(), domain, status, Route.Kind.PEER, null, null, null, null, null, null,
                    false, "the origin of agent " + target.id() + " (node " + target.origin() + ") is not a peer of this gateway");
        }
        PeerGateways.PeerHop peer = hop.get();
        String reason = null;
        if (!peer.online()) {
            reason = "the peer gateway " + peer.peerId() + " (" + peer.domain() + ") is offline";
        } else if (status == AgentStatus.INAPPLICABLE) {
            reason = "agent " + target.id() + " is INAPPLICABLE (its gateway is unreachable)";
        }
        return new Route(target.id(), target.agentUri(), domain == null ? peer.domain() : domain, status, Route.Kind.PEER, null,
                null, peer.peerId(), peer.domain(), peer.gatewayUri(), peer.baseUrl(), reason == null, reason);
    }

    /**
     * The address a LOCAL agent is pushed to: its first address of protocol HTTP with an http or https
     * URL. An agent without one pulls its messages from its inbox (docs/agw.md "Inbox").
     */
    static Optional<URI> pushAddress(List<AgentAddress> addresses) {
        return addresses.stream()
                .filter(a -> a.protocol() == Protocol.HTTP)
                .map(a -> URI.create(a.url()))
                .filter(u -> u.getScheme() != null && List.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT)))
                .findFirst();
    }
}
