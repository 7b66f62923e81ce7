package org.agentnet.aca;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.agentnet.common.persistence.JdbcRows;

/** One entry of the ACA's audit trail: who did what to which application, token or certificate. */
@Entity
@Table(name = "aca_audit_event")
public class AuditEvent {

    public enum Action { APPLIED, ISSUED, APPROVED, REJECTED, RENEWED, REVOKED, EXPIRED, TOKEN_CREATED }

    static final int MAX_DETAIL = 2000;

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(name = "actor", nullable = false, length = 256)
    private String actor;

    @Column(name = "action", nullable = false, length = 32)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    private Action action;

    @Column(name = "target_type", nullable = false, length = 32)
    private String targetType;

    @Column(name = "target_id", nullable = false, length = 64)
    private String targetId;

    @Column(name = "detail", length = MAX_DETAIL)
    private String detail;

    protected AuditEvent() {
        // JPA
    }

    public AuditEvent(Instant occurredAt, String actor, Action action, String targetType, String targetId, String detail) {
        this.id = UUID.randomUUID().toString();
        this.occurredAt = occurredAt;
        this.actor = actor;
        this.action = action;
        this.targetType = targetType;
        this.targetId = targetId;
        this.detail = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL);
    }

    /** The row as Hibernate inserts it, for the plain JDBC batches of {@link IssuanceBatch}. */
    static final String INSERT = "INSERT INTO aca_audit_event (id, occurred_at, actor, action, target_type, target_id, detail)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";

    void bindInsert(PreparedStatement insert) throws SQLException {
        JdbcRows.bind(insert, id, JdbcRows.utc(occurredAt), actor, action, targetType, targetId, detail);
    }

    public String id() {
        return id;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    public String actor() {
        return actor;
    }

    public Action action() {
        return action;
    }

    public String targetType() {
        return targetType;
    }

    public String targetId() {
        return targetId;
    }

    public String detail() {
        return detail;
    }
}
