package org.agentnet.agw.access;

import jakarta.ejb.EJB;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.agentnet.aca.CertificateProfile;
import org.agentnet.ars.AgentRecord;
import org.agentnet.ars.AgentStatus;
import org.agentnet.ars.AgentStatusUpdates;
import org.agentnet.ars.ArsCaller;
import org.agentnet.ars.RegisteredAgents;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;
import org.agentnet.security.CertifiedIdentity;

/**
 * Agent access and withdrawal at this gateway (draft 3.3.1). An agent accesses with a request
 * signed by the key of the certificate it presents; the gateway checks the signature, the request's
 * freshness and that the agent is registered in this domain's ARS under the certified identity,
 * then creates (or updates) its access record and sets it ONLINE, all in the request's transaction.
 */
@Stateless
@LocalBean
public class AgentAccessService {

    /** An access record, and whether this request created it. */
    public record Outcome(AccessView access, boolean created) {
    }

    @EJB
    AccessRecords records;

    @EJB
    RegisteredAgents agents;

    @EJB
    AgentStatusUpdates statuses;

    @EJB
    AgentHeartbeats heartbeats;

    @Inject
    ReplayGuard replays;

    @Inject
    AgwSettings settings;

    @Inject
    NodeSettings node;

    @Inject
    Clock clock;

    @Inject
    Event<AgentAccessChanged> changed;

    /** Access (or access again) by the holder of {@code certificate}, already verified as {@code identity}. */
    public Outcome access(CertifiedIdentity identity, X509Certificate certificate, String compactJws) {
        node.require(Component.AGW);
        if (identity.profile() != CertificateProfile.AGENT) {
            throw new AgentnetException(ProblemType.WRONG_CERTIFICATE_ROLE,
                    "an agent accesses the gateway with its ACA agent certificate (mutual TLS)");
        }
        AccessRequest request = AccessRequest.read(SignedRequests.verify(compactJws, certificate.getPublicKey()));
        replays.accept(identity.uri(), request.iat(), request.jti());
        if (request.agentUri() != null && !request.agentUri().equals(identity.uri())) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH,
                    "agentUri " + request.agentUri() + " is not the certified identity " + identity.uri());
        }
        AgentRecord registered = (request.agentId() != null ? agents.find(request.agentId()) : agents.liveByUri(identity.uri()))
                .orElseThrow(() -> new AgentnetException(ProblemType.UNKNOWN_AGENT, (request.agentId() != null
                        ? "no agent '" + request.agentId() + "'" : identity.uri()) + " is registered in this domain's ARS; register first"));
        if (!registered.agentUri().equals(identity.uri())) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH, "ARS agent " + registered.id() + " is "
                    + registered.agentUri() + ", not " + identity.uri());
        }
        if (registered.status() == AgentStatus.DEREGISTERED) {
            throw new AgentnetException(ProblemType.AGENT_DEREGISTERED, "agent " + registered.id() + " is deregistered");
        }
        if (!registered.isLocal()) {
            throw new AgentnetException(ProblemType.INVALID_STATE, "agent " + registered.id()
                    + " is registered in another domain; it accesses that domain's gateway");
        }
        String agentId = registered.id();
        // one record per identity: the record of an earlier registration of this identity goes
        records.byUri(identity.uri()).filter(old -> !old.agentId().equals(agentId)).ifPresent(this::withdrawn);

        Instant now = clock.instant();
        Optional<AccessRecord> existing = records.findForUpdate(agentId);
        if (existing.isEmpty() && !heartbeats.hasRoomFor(agentId)) {
            throw AgentHeartbeats.full(settings.maxAgents());
        }
        AccessRecord record = existing.orElseGet(() -> AccessRecord.create(agentId, identity.uri(), now));
        record.accessed(identity.serial(), request.addresses(), request.protocols(),
                settings.agreedInterval(request.heartbeatInterval()), now);
        if (existing.isEmpty()) {
            records.add(record);
        }
        statuses.setStatus(agentId, AgentStatus.ONLINE, null);
        AccessView view = record.view(settings.holdIntervals());
        changed.fire(new AgentAccessChanged(AgentAccessChanged.Kind.ACCESSED, agentId, identity.uri(), AgentStatus.ONLINE,
                null, now, view));
        return new Outcome(view, existing.isEmpty());
    }

    /** The access record, for the agent itself or an operator, with the last-seen time held in memory. */
    public AccessView get(ArsCaller caller, String agentId) {
        node.require(Component.AGW);
        AccessRecord record = owned(caller, agentId, false);
        AccessView view = record.view(settings.holdIntervals());
        return new AccessView(view.agentId(), view.agentUri(), view.certificateSerial(), view.addresses(), view.protocols(),
                view.heartbeatInterval(), view.holdTime(), heartbeats.state(agentId).orElse(view.state()), view.detail(),
                heartbeats.lastSeen(agentId).orElse(view.lastHeartbeat()), view.accessedAt(), view.updatedAt());
    }

    /**
     * The draft's deregistration from the gateway, by the agent itself or an operator: the record is
     * deleted and the agent is OFFLINE in the ARS, with the reason.
     */
    public void withdraw(ArsCaller caller, String agentId) {
        node.require(Component.AGW);
        AccessRecord record = owned(caller, agentId, true);
        withdrawn(record);
        agents.find(agentId).filter(agent -> agent.status() != AgentStatus.DEREGISTERED)
                .ifPresent(agent -> statuses.setStatus(agentId, AgentStatus.OFFLINE, "withdrawn from the gateway by " + caller.actor()));
    }

    private void withdrawn(AccessRecord record) {
        records.remove(record);
        changed.fire(new AgentAccessChanged(AgentAccessChanged.Kind.WITHDRAWN, record.agentId(), record.agentUri(),
                AgentStatus.OFFLINE, "withdrawn", clock.instant(), null));
    }

    private AccessRecord owned(ArsCaller caller, String agentId, boolean forUpdate) {
        Fields.require(agentId != null && agentId.length() <= 36, "an agent ID is at most 36 characters");
        AccessRecord record = (forUpdate ? records.findForUpdate(agentId) : records.find(agentId))
                .orElseThrow(() -> new AgentnetException(ProblemType.NOT_ACCESSED, "agent " + agentId + " has no access record at this gateway"));
        if (!caller.isOperator() && !caller.is(record.agentUri())) {
            throw new AgentnetException(ProblemType.IDENTITY_MISMATCH,
                    "only agent " + record.agentUri() + " itself or an operator may see or withdraw this access record");
        }
        return record;
    }
}
