package org.agentnet.agw.policy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * What an operator set the peering agreement with a domain to admit ({@code agw_peer_agreement},
 * V9): discovery and/or messaging between that domain's agents and this node's. Without a row the
 * default applies ({@code agentnet.agw.policy.peer-default}).
 */
@Entity
@Table(name = "agw_peer_agreement")
public class PeerAgreement {

    @Id
    @Column(name = "domain", length = 253)
    private String domain;

    @Column(name = "discovery", nullable = false)
    private int discovery;

    @Column(name = "messaging", nullable = false)
    private int messaging;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "updated_by", nullable = false, length = AccessPolicy.MAX_ACTOR)
    private String updatedBy;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected PeerAgreement() {
        // JPA
    }

    PeerAgreement(String domain) {
        this.domain = domain;
    }

    void set(boolean discovery, boolean messaging, String actor, Instant now) {
        this.discovery = discovery ? 1 : 0;
        this.messaging = messaging ? 1 : 0;
        this.updatedAt = now;
        this.updatedBy = actor.length() > AccessPolicy.MAX_ACTOR ? actor.substring(0, AccessPolicy.MAX_ACTOR) : actor;
    }

    public String domain() {
        return domain;
    }

    public Set<PolicyAction> admits() {
        EnumSet<PolicyAction> actions = EnumSet.noneOf(PolicyAction.class);
        if (discovery == 1) {
            actions.add(PolicyAction.DISCOVER);
        }
        if (messaging == 1) {
            actions.add(PolicyAction.MESSAGE);
        }
        return actions;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public String updatedBy() {
        return updatedBy;
    }
}
