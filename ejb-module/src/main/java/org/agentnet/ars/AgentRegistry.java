package org.agentnet.ars;

import jakarta.ejb.EJB;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;
import org.agentnet.node.NodeService;
import org.agentnet.security.CertifiedIdentity;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ARS's registrations (draft 3.2.1, 3.2.2): register, update, deregister, status, and the
 * records synchronized from other ARSs (3.5). Every change of an agent of this origin is written
 * to the change feed in its transaction, and reaches discovery's index once it commits.
 */
@Stateless
@LocalBean
public class AgentRegistry implements AgentStatusUpdates {

    private static final Logger LOG = Logger.getLogger(AgentRegistry.class.getName());
    public static final int MAX_REASON = 256;

    /** What became of a change from another origin. */
    public enum RemoteOutcome { APPLIED, STALE }

    @EJB
    RegisteredAgents agents;

    @EJB
    ChangeLog changes;

    @EJB
    AgentDirectory directory;

    @EJB
    NodeService node;

    @Inject
    NodeSettings settings;

    @Inject
    Event<AgentChanged> changed;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "agentnet.ars.max-agents")
    int maxAgents;

    /**
     * Registers the calling agent: the profile's name and organization must be the certificate's,
     * the certificate must be of this node's domain, and one identity has one live registration
     * (a second one is a conflict naming the first). The agent starts ONLINE.
     */
    public Agent register(ArsCaller caller, AgentProfile submitted) {
        requireEnabled();
        CertifiedIdentity identity = caller.requireAgent().identity();
        if (!identity.domain().equals(settings.domainName())) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH, "the certificate is of domain " + identity.domain()
                    + "; this ARS registers agents of " + settings.domainName());
        }
        AgentProfile profile = matching(identity.name(), identity.organization(), submitted);
        requireAddresses(profile);
        agents.liveByUri(identity.uri()).ifPresent(existing -> {
            throw alreadyRegistered(identity.uri(), existing.id());
        });
        requireRoom();
        Instant now = clock.instant();
        AgentRecord record = AgentRecord.local(UUID.randomUUID().toString(), node.nodeId(), settings.domainName(),
                identity.uri(), profile, now);
        try {
            agents.add(record);
        } catch (PersistenceException | jakarta.ejb.EJBException e) {
            // the unique live_uri: the same identity registered concurrently
            throw alreadyRegistered(identity.uri(), null);
        }
        return recorded(record, ChangeKind.REGISTERED, now);
    }

    /** An agent as stored (any status); an unknown ID is an unknown-agent problem. */
    public Agent get(String id) {
        requireEnabled();
        return record(id, false).toAgent();
    }

    /**
     * Replaces the profile of an agent of this origin: by the agent itself or an operator, when
     * {@code expectedRevision} is the current revision (the ETag). Name and organization stay.
     */
    public Agent update(ArsCaller caller, String id, Long expectedRevision, AgentProfile submitted) {
        requireEnabled();
        AgentRecord record = changeable(caller, id, expectedRevision, true);
        AgentProfile current = record.toAgent().profile();
        AgentProfile profile = matching(current.name(), current.organization(), submitted);
        requireAddresses(profile);
        Instant now = clock.instant();
        record.update(profile, now);
        return recorded(record, ChangeKind.UPDATED, now);
    }

    /**
     * Deregisters an agent of this origin (by itself or an operator; the revision is checked when
     * given): it leaves discovery at once and stays as a tombstone, DEREGISTERED for good.
     */
    public Agent deregister(ArsCaller caller, String id, Long expectedRevision) {
        requireEnabled();
        AgentRecord record = changeable(caller, id, expectedRevision, false);
        Instant now = clock.instant();
        record.status(AgentStatus.DEREGISTERED, "deregistered by " + caller.actor(), now);
        return recorded(record, ChangeKind.DEREGISTERED, now);
    }

    @Override
    public Agent setStatus(String agentId, AgentStatus status, String reason) {
        requireEnabled();
        Fields.require(status != null && status != AgentStatus.DEREGISTERED,
                "status must be ONLINE, OFFLINE or INAPPLICABLE (deregistration is its own request)");
        String cleanReason = Fields.optionalPrintable("reason", reason, MAX_REASON);
        AgentRecord record = record(agentId, true);
        Agent current = record.toAgent();
        if (current.status() == AgentStatus.DEREGISTERED) {
            throw deregistered(agentId);
        }
        if (current.status() == status && java.util.Objects.equals(current.statusReason(), cleanReason)) {
            return current;
        }
        Instant now = clock.instant();
        record.status(status, cleanReason, now);
        if (record.isLocal()) {
            return recorded(record, ChangeKind.STATUS, now);
        }
        return applied(record);
    }

    /**
     * Applies a change that another ARS ({@code originNode}, serving {@code originDomain}) reported
     * in its change feed: creates, replaces or tombstones the record, unless the record already
     * holds that seq or a later one (then STALE, nothing changes). The record keeps no private
     * address: discovery answers with {@code gatewayAddress}, the address of the origin domain's
     * gateway. Never written to this node's change feed (a synchronized record is not re-exported).
     */
    public RemoteOutcome applyRemote(String originNode, String originDomain, String gatewayAddress, RemoteChange change) {
        requireEnabled();
        Fields.require(originNode != null && !originNode.isBlank(), "originNode is required");
        if (originNode.equals(node.nodeId())) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "a change of this node's own origin is not applied");
        }
        Fields.require(originDomain != null && !originDomain.isBlank(), "originDomain is required");
        String gateway = AgentAddress.checkedUrl("gatewayAddress", gatewayAddress);
        Fields.require(change != null && change.agentId() != null && change.kind() != null && change.profile() != null,
                "a change needs an agentId, a kind and a profile");
        Fields.require(change.seq() > 0, "a change's seq is positive");
        JsonObject view = change.profile();
        Fields.require(change.agentId().equals(ProfileJson.string(view, "id")), "the profile is not of agent " + change.agentId());
        AgentProfile profile = ProfileJson.readProfile(view, false);
        String agentUri = Fields.printable("agentUri", ProfileJson.string(view, "agentUri"), 512);
        AgentStatus status = change.kind() == ChangeKind.DEREGISTERED ? AgentStatus.DEREGISTERED : remoteStatus(view);
        String reason = Fields.optionalPrintable("statusReason", ProfileJson.string(view, "statusReason"), MAX_REASON);

        AgentRecord record = agents.findForUpdate(change.agentId()).orElse(null);
        Instant now = clock.instant();
        if (record == null) {
            if (status != AgentStatus.DEREGISTERED) {
                requireRoom();
            }
            record = AgentRecord.remote(change.agentId(), originNode, now);
            record.applyRemote(originDomain.toLowerCase(Locale.ROOT), agentUri, status, reason, profile, gateway, change.seq(), now);
            agents.add(record);
            return appliedRemote(record);
        }
        if (record.isLocal() || !record.originNode().equals(originNode)) {
            throw new AgentnetException(ProblemType.CONFLICT, "agent " + change.agentId() + " is of origin "
                    + (record.isLocal() ? "this node" : record.originNode()) + ", not " + originNode);
        }
        if (record.originSeq() != null && record.originSeq() >= change.seq()) {
            return RemoteOutcome.STALE;
        }
        record.applyRemote(originDomain.toLowerCase(Locale.ROOT), agentUri, status, reason, profile, gateway, change.seq(), now);
        return appliedRemote(record);
    }

    /** The records held for another origin (tombstones included), by ID after {@code afterId}, for anti-entropy. */
    public List<RemoteRecord> remoteRecords(String originNode, String afterId, int limit) {
        requireEnabled();
        Fields.require(limit > 0 && limit <= 10_000, "limit must be 1 to 10000");
        return agents.ofOrigin(originNode, afterId == null ? "" : afterId, limit).stream()
                .map(r -> new RemoteRecord(r.id(), r.originSeq() == null ? 0 : r.originSeq(), r.status())).toList();
    }

    /**
     * Forgets the records of another origin, except those in {@code keep}: a peer removed, a peer
     * that became another node, or agents a peer's full feed no longer holds. They leave
     * discovery when the transaction commits.
     *
     * @return how many were forgotten
     */
    public int forgetRemote(String originNode, Set<String> keep) {
        requireEnabled();
        int forgotten = 0;
        String after = "";
        List<AgentRecord> page;
        do {
            page = agents.ofOrigin(originNode, after, 1000);
            for (AgentRecord record : page) {
                after = record.id();
                if (!keep.contains(record.id())) {
                    Agent last = record.toAgent();
                    agents.remove(record);
                    changed.fire(new AgentChanged(new Agent(last.id(), last.origin(), false, last.domain(), last.agentUri(),
                            AgentStatus.DEREGISTERED, "forgotten: its origin no longer holds it", last.profile(),
                            last.gatewayAddress(), last.registeredAt(), clock.instant(), last.revision() + 1)));
                    forgotten++;
                }
            }
        } while (page.size() == 1000);
        return forgotten;
    }

    private RemoteOutcome appliedRemote(AgentRecord record) {
        applied(record);
        return RemoteOutcome.APPLIED;
    }

    /** A change of this origin: flushed, written to the change feed, and announced to the index. */
    private Agent recorded(AgentRecord record, ChangeKind kind, Instant now) {
        Agent agent = applied(record);
        changes.record(agent, kind, now);
        return agent;
    }

    private Agent applied(AgentRecord record) {
        agents.flush();
        Agent agent = record.toAgent();
        changed.fire(new AgentChanged(agent));
        return agent;
    }

    private AgentRecord changeable(ArsCaller caller, String id, Long expectedRevision, boolean revisionRequired) {
        AgentRecord record = record(id, true);
        if (!caller.isOperator() && !caller.is(record.agentUri())) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH,
                    "only agent " + record.agentUri() + " itself or an operator may change this profile");
        }
        if (!record.isLocal()) {
            throw new AgentnetException(ProblemType.INVALID_STATE, "agent " + id + " registered at another ARS (origin "
                    + record.originNode() + "); it is changed there");
        }
        if (record.status() == AgentStatus.DEREGISTERED) {
            throw deregistered(id);
        }
        if (expectedRevision == null) {
            if (revisionRequired) {
                throw new AgentnetException(ProblemType.PRECONDITION_REQUIRED,
                        "send If-Match with the ETag of the profile you read (current: \"" + record.version() + "\")");
            }
        } else if (expectedRevision != record.version()) {
            throw new AgentnetException(ProblemType.PRECONDITION_FAILED, "the profile changed since: If-Match \""
                    + expectedRevision + "\", current \"" + record.version() + "\"; read it again");
        }
        return record;
    }

    private AgentRecord record(String id, boolean forUpdate) {
        Fields.require(id != null && id.length() <= 36, "an agent ID is at most 36 characters");
        return (forUpdate ? agents.findForUpdate(id) : agents.find(id))
                .orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_AGENT, "no agent '" + id + "' is registered here"));
    }

    /** The profile, with the organization the certificate names when it was left out; a different name or organization is refused. */
    private static AgentProfile matching(String name, String organization, AgentProfile submitted) {
        if (!submitted.name().equals(name)) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH,
                    "name '" + submitted.name() + "' is not the certified agent name '" + name + "'");
        }
        if (submitted.organization() != null && !submitted.organization().equals(organization)) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH,
                    "organization '" + submitted.organization() + "' is not the certified organization '" + organization + "'");
        }
        return submitted.withOrganization(organization);
    }

    private static void requireAddresses(AgentProfile profile) {
        Fields.require(!profile.addresses().isEmpty(), "addresses must give at least one communication address");
    }

    private static AgentStatus remoteStatus(JsonObject view) {
        String status = ProfileJson.string(view, "status");
        try {
            return AgentStatus.valueOf(status == null ? "" : status);
        } catch (IllegalArgumentException e) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "status '" + status + "' is not an agent status");
        }
    }

    private void requireRoom() {
        if (directory.size() >= maxAgents) {
            LOG.warning(() -> "registry full: " + maxAgents + " agents (agentnet.ars.max-agents)");
            throw new AgentnetException(ProblemType.REGISTRY_FULL,
                    "this ARS holds its maximum of " + maxAgents + " agents");
        }
    }

    private static AgentnetException alreadyRegistered(String uri, String existingId) {
        return new AgentnetException(ProblemType.ALREADY_REGISTERED, uri + " is already registered"
                + (existingId == null ? "" : " as " + existingId) + ": update it with PUT, or deregister it first");
    }

    private static AgentnetException deregistered(String id) {
        return new AgentnetException(ProblemType.AGENT_DEREGISTERED, "agent " + id + " is deregistered");
    }

    private void requireEnabled() {
        settings.require(Component.ARS);
    }
}
