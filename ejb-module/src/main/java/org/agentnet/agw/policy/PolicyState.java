package org.agentnet.agw.policy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The one row of {@code agw_policy_state} (V9): a counter every change of policies or agreements
 * increments in its transaction, which nodes compare to decide whether to reload.
 */
@Entity
@Table(name = "agw_policy_state")
public class PolicyState {

    static final int ROW = 1;

    @Id
    @Column(name = "id")
    private int id;

    @Column(name = "changes", nullable = false)
    private long changes;

    protected PolicyState() {
        // JPA
    }

    void increment() {
        changes++;
    }

    public long changes() {
        return changes;
    }
}
