package org.agentnet.node;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The node ID generated at the first start (one row): the stable name of this node as an origin of
 * agent records (ARS change feed). Kept in the database, so that the nodes of one domain that share
 * it are one origin.
 */
@Entity
@Table(name = "node_identity")
public class StoredNodeId {

    static final int ROW = 1;

    @Id
    @Column(name = "id")
    private int id;

    @Column(name = "node_id", nullable = false, length = 64)
    private String nodeId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected StoredNodeId() {
        // JPA
    }

    StoredNodeId(String nodeId, Instant createdAt) {
        this.id = ROW;
        this.nodeId = nodeId;
        this.createdAt = createdAt;
    }

    public String nodeId() {
        return nodeId;
    }
}
