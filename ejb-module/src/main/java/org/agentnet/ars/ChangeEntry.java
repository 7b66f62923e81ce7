package org.agentnet.ars;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The latest change of one agent of this node's origin (the compacted change log): a new change
 * replaces the row and takes a new, higher seq, so reading from seq 0 gives every agent's current
 * state once. Deregistrations stay as tombstones.
 */
@Entity
@Table(name = "ars_change")
public class ChangeEntry {

    @Id
    @Column(name = "agent_id", length = 36)
    private String agentId;

    @Column(name = "seq", nullable = false)
    private long seq;

    @Enumerated(EnumType.STRING)
    @Column(name = "kind", nullable = false, length = 16)
    private ChangeKind kind;

    @Column(name = "changed_at", nullable = false)
    private Instant changedAt;

    @Column(name = "snapshot", nullable = false, length = 32000)
    private String snapshot;

    protected ChangeEntry() {
        // JPA
    }

    ChangeEntry(String agentId) {
        this.agentId = agentId;
    }

    void set(long newSeq, ChangeKind newKind, Instant at, String newSnapshot) {
        seq = newSeq;
        kind = newKind;
        changedAt = at;
        snapshot = newSnapshot;
    }

    public String agentId() {
        return agentId;
    }

    public long seq() {
        return seq;
    }

    public ChangeKind kind() {
        return kind;
    }

    public Instant changedAt() {
        return changedAt;
    }

    public String snapshot() {
        return snapshot;
    }
}
