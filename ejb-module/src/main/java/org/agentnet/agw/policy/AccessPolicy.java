package org.agentnet.agw.policy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** One access policy as stored ({@code agw_policy}, V9); its content is a {@link PolicyDocument}. */
@Entity
@Table(name = "agw_policy")
public class AccessPolicy {

    static final int MAX_SELECTORS_TEXT = 16_000;
    static final int MAX_ACTOR = 256;

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Column(name = "name", nullable = false, length = 64)
    private String name;

    @Column(name = "description", length = PolicyDocument.MAX_DESCRIPTION)
    private String description;

    @Column(name = "effect", nullable = false, length = 8)
    private String effect;

    @Column(name = "actions", nullable = false, length = 32)
    private String actions;

    @Column(name = "subjects", nullable = false, length = MAX_SELECTORS_TEXT)
    private String subjects;

    @Column(name = "objects", nullable = false, length = MAX_SELECTORS_TEXT)
    private String objects;

    @Column(name = "enabled", nullable = false)
    private int enabled;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "updated_by", nullable = false, length = MAX_ACTOR)
    private String updatedBy;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected AccessPolicy() {
        // JPA
    }

    AccessPolicy(PolicyDocument document, String actor, Instant now) {
        this.id = UUID.randomUUID().toString();
        this.createdAt = now;
        write(document, actor, now);
    }

    /** Replaces the content (the ID and creation time stay). */
    final void write(PolicyDocument document, String actor, Instant now) {
        this.name = document.name();
        this.description = document.description();
        this.effect = document.effect().name();
        this.actions = EnumSet.copyOf(document.actions()).stream().map(Enum::name).collect(Collectors.joining(","));
        this.subjects = PolicyJson.text(document.subjects());
        this.objects = PolicyJson.text(document.objects());
        org.agentnet.common.text.Fields.require(subjects.length() <= MAX_SELECTORS_TEXT && objects.length() <= MAX_SELECTORS_TEXT,
                "subjects and objects must each be at most " + MAX_SELECTORS_TEXT + " characters as JSON");
        this.enabled = document.enabled() ? 1 : 0;
        this.updatedAt = now;
        this.updatedBy = actor.length() > MAX_ACTOR ? actor.substring(0, MAX_ACTOR) : actor;
    }

    /** The stored content, read back with today's rules. */
    public PolicyDocument document() {
        Set<PolicyAction> parsed = EnumSet.noneOf(PolicyAction.class);
        Arrays.stream(actions.split(",")).map(String::strip).map(PolicyAction::valueOf).forEach(parsed::add);
        return new PolicyDocument(name, description, PolicyEffect.valueOf(effect), parsed,
                PolicyJson.fromText(Selector.Role.SUBJECT, "subjects", subjects),
                PolicyJson.fromText(Selector.Role.OBJECT, "objects", objects), enabled == 1);
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public String updatedBy() {
        return updatedBy;
    }

    public long version() {
        return version;
    }
}
