package org.agentnet.aca;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.agentnet.common.persistence.UtcTimestamps;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.hibernate.Session;

/** The transactions of {@link IssuanceWriter}: many issuances, one commit. */
@Stateless
public class IssuanceBatch {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    /**
     * Writes the issuances in one new transaction: first each token is spent by a conditional update
     * (an item whose token is already spent is refused and leaves nothing), then the key claims,
     * applications, certificates and audit entries of the others are inserted, and the transaction
     * commits. A key claimed meanwhile (primary key) fails the transaction as a whole: the caller then
     * writes the items one by one. Plain JDBC batches on the transaction's connection, the rows as
     * Hibernate would insert them (the entities' {@code INSERT}): the entity manager's persist,
     * ordering and flush of four new rows an issuance cost more than the inserts (issuance profile,
     * bench/README.md); nothing of it is managed or cached, so there is nothing to keep in step.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<RuntimeException> write(List<PreparedIssuance> items) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            List<RuntimeException> results = new ArrayList<>(items.size());
            // one JDBC batch for the whole batch's tokens: a JPQL update per item cost more than its insert (profile)
            try (PreparedStatement spend = connection.prepareStatement("UPDATE aca_enrollment_token SET used_at = ?,"
                    + " used_by_application = ?, version = version + 1 WHERE id = ? AND used_at IS NULL")) {
                for (PreparedIssuance item : items) {
                    UtcTimestamps.set(spend, 1, item.at());
                    spend.setString(2, item.application().id());
                    spend.setString(3, item.tokenId());
                    spend.addBatch();
                }
                for (int count : spend.executeBatch()) {
                    results.add(count == 1 ? null : new AgentnetException(ProblemType.INVALID_ENROLLMENT_TOKEN,
                            "the enrollment token has already been used"));
                }
            }
            List<PreparedIssuance> spent = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                if (results.get(i) == null) {
                    spent.add(items.get(i));
                }
            }
            if (!spent.isEmpty()) {
                insert(connection, KeyClaim.INSERT, spent, item -> new KeyClaim(item.keyFingerprint(), item.at())::bindInsert);
                insert(connection, CertificateApplication.INSERT, spent, item -> item.application()::bindInsert);
                insert(connection, IssuedCertificate.INSERT, spent, item -> item.certificate()::bindInsert);
                insert(connection, AuditEvent.INSERT, spent, item -> item.audit()::bindInsert);
            }
            return results;
        });
    }

    /** A row's parameters bound to an insert statement. */
    private interface Row {
        void bindTo(PreparedStatement insert) throws SQLException;
    }

    /** One JDBC batch: the statement once, each item's row. */
    private static void insert(Connection connection, String sql, List<PreparedIssuance> items,
                               Function<PreparedIssuance, Row> row) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (PreparedIssuance item : items) {
                row.apply(item).bindTo(insert);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** A pending application (no token): its key claim, the application and its audit entry, in one transaction. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void writePending(CertificateApplication application, AuditEvent audit) {
        em.persist(new KeyClaim(application.keyFingerprint(), application.submittedAt()));
        em.persist(application);
        em.persist(audit);
        em.flush();
        em.clear();
    }
}
