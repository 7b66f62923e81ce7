package org.agentnet.ars;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/**
 * The stored profile of a registered agent (draft 3.2.1 "Agent Database"), of this node's origin or
 * synchronized from another ARS. The agent-provided information is kept as JSON
 * ({@link ProfileJson}); what discovery filters on is served from memory ({@link AgentDirectory}).
 */
@Entity
@Table(name = "ars_agent")
public class AgentRecord {

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Column(name = "origin_node", nullable = false, length = 64)
    private String originNode;

    @Column(name = "local_origin", nullable = false)
    private int localOrigin;

    @Column(name = "domain", nullable = false, length = 253)
    private String domain;

    @Column(name = "agent_uri", nullable = false, length = 512)
    private String agentUri;

    /** The agent URI while a local registration is live, null otherwise: unique, so one identity registers once. */
    @Column(name = "live_uri", length = 512)
    private String liveUri;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 16)
    private AgentStatus status;

    @Column(name = "status_reason", length = 256)
    private String statusReason;

    @Column(name = "profile", nullable = false, length = 32000)
    private String profile;

    @Column(name = "gateway_address", length = 512)
    private String gatewayAddress;

    /** For a record of another origin: the origin's change-feed seq of the last change applied. */
    @Column(name = "origin_seq")
    private Long originSeq;

    @Column(name = "registered_at", nullable = false)
    private Instant registeredAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected AgentRecord() {
        // JPA
    }

    static AgentRecord local(String id, String originNode, String domain, String agentUri, AgentProfile profile, Instant now) {
        AgentRecord record = new AgentRecord();
        record.id = id;
        record.originNode = originNode;
        record.localOrigin = 1;
        record.domain = domain;
        record.agentUri = agentUri;
        record.liveUri = agentUri;
        record.status = AgentStatus.ONLINE;
        record.profile = ProfileJson.storable(profile);
        record.registeredAt = now;
        record.updatedAt = now;
        return record;
    }

    static AgentRecord remote(String id, String originNode, Instant now) {
        AgentRecord record = new AgentRecord();
        record.id = id;
        record.originNode = originNode;
        record.localOrigin = 0;
        record.registeredAt = now;
        return record;
    }

    void update(AgentProfile newProfile, Instant now) {
        profile = ProfileJson.storable(newProfile);
        updatedAt = now;
    }

    void status(AgentStatus newStatus, String reason, Instant now) {
        status = newStatus;
        statusReason = reason;
        if (newStatus == AgentStatus.DEREGISTERED) {
            liveUri = null;
        }
        updatedAt = now;
    }

    /** Takes over what the origin says about the agent; its private addresses are not kept. */
    void applyRemote(String newDomain, String newAgentUri, AgentStatus newStatus, String reason, AgentProfile newProfile,
                     String newGatewayAddress, long seq, Instant now) {
        domain = newDomain;
        agentUri = newAgentUri;
        status = newStatus;
        statusReason = reason;
        profile = ProfileJson.storable(newProfile.withoutAddresses());
        gatewayAddress = newGatewayAddress;
        originSeq = seq;
        updatedAt = now;
    }

    /** The snapshot discovery, the API and the feed work with. */
    Agent toAgent() {
        return new Agent(id, originNode, isLocal(), domain, agentUri, status, statusReason,
                ProfileJson.readProfile(ProfileJson.parse(profile), false), gatewayAddress, registeredAt, updatedAt, version);
    }

    public String id() {
        return id;
    }

    public String originNode() {
        return originNode;
    }

    public boolean isLocal() {
        return localOrigin == 1;
    }

    public String agentUri() {
        return agentUri;
    }

    public AgentStatus status() {
        return status;
    }

    public Long originSeq() {
        return originSeq;
    }

    public long version() {
        return version;
    }
}
