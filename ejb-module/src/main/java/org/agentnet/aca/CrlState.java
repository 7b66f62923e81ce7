package org.agentnet.aca;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Objects;

/**
 * The one row of {@code aca_crl_state}: the number of the newest CRL (RFC 5280 5.2.3, monotonic
 * across restarts and nodes sharing the database) and the validity window it was issued with.
 */
@Entity
@Table(name = "aca_crl_state")
public class CrlState {

    /** The only row's id (the table's check constraint allows no other). */
    public static final int ID = 1;

    @Id
    @Column(name = "id")
    private int id;

    @Column(name = "crl_number", nullable = false)
    private long crlNumber;

    @Column(name = "this_update", nullable = false)
    private Instant thisUpdate;

    @Column(name = "next_update", nullable = false)
    private Instant nextUpdate;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected CrlState() {
        // JPA
    }

    private CrlState(long crlNumber, Instant thisUpdate, Instant nextUpdate) {
        this.id = ID;
        this.crlNumber = crlNumber;
        window(thisUpdate, nextUpdate);
    }

    /** The state of the very first CRL: number 1. */
    public static CrlState first(Instant thisUpdate, Instant nextUpdate) {
        return new CrlState(1, thisUpdate, nextUpdate);
    }

    /** Takes the next number for a CRL issued now; numbers never repeat and never go back. */
    public long advance(Instant thisUpdate, Instant nextUpdate) {
        if (crlNumber == Long.MAX_VALUE) {
            throw new IllegalStateException("the CRL number is exhausted");
        }
        window(thisUpdate, nextUpdate);
        return ++crlNumber;
    }

    private void window(Instant thisUpdate, Instant nextUpdate) {
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        Objects.requireNonNull(nextUpdate, "nextUpdate");
        if (!nextUpdate.isAfter(thisUpdate)) {
            throw new IllegalArgumentException("nextUpdate " + nextUpdate + " must be after thisUpdate " + thisUpdate);
        }
        this.thisUpdate = thisUpdate;
        this.nextUpdate = nextUpdate;
    }

    public long crlNumber() {
        return crlNumber;
    }

    public Instant thisUpdate() {
        return thisUpdate;
    }

    public Instant nextUpdate() {
        return nextUpdate;
    }
}
