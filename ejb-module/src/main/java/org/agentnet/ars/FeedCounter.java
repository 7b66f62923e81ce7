package org.agentnet.ars;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The last seq given to a change (one row). Writers lock it until they commit, so seqs become
 * visible in the order they are given: a reader that has seen seq n never sees a smaller one
 * appear later (a database sequence would let a slow transaction commit seq 7 after seq 8 was read).
 */
@Entity
@Table(name = "ars_feed_state")
public class FeedCounter {

    static final int ROW = 1;

    @Id
    @Column(name = "id")
    private int id;

    @Column(name = "last_seq", nullable = false)
    private long lastSeq;

    protected FeedCounter() {
        // JPA
    }

    long next() {
        return ++lastSeq;
    }

    long lastSeq() {
        return lastSeq;
    }
}
