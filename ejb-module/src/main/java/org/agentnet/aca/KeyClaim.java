package org.agentnet.aca;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import org.agentnet.common.persistence.JdbcRows;

/**
 * A public key that is certified or awaiting approval (table {@code aca_key_claim}, one row per key):
 * its primary key is what refuses a second certification of a key, whichever node or batch writes it.
 */
@Entity
@Table(name = "aca_key_claim")
public class KeyClaim {

    @Id
    @Column(name = "key_fingerprint", length = 64)
    private String keyFingerprint;

    @Column(name = "claimed_at", nullable = false)
    private Instant claimedAt;

    protected KeyClaim() {
        // JPA
    }

    public KeyClaim(String keyFingerprint, Instant claimedAt) {
        this.keyFingerprint = Objects.requireNonNull(keyFingerprint);
        this.claimedAt = Objects.requireNonNull(claimedAt);
    }

    /** The row as Hibernate inserts it, for the plain JDBC batches of {@link IssuanceBatch}. */
    static final String INSERT = "INSERT INTO aca_key_claim (key_fingerprint, claimed_at) VALUES (?, ?)";

    void bindInsert(PreparedStatement insert) throws SQLException {
        JdbcRows.bind(insert, keyFingerprint, JdbcRows.utc(claimedAt));
    }

    public String keyFingerprint() {
        return keyFingerprint;
    }

    public Instant claimedAt() {
        return claimedAt;
    }
}
