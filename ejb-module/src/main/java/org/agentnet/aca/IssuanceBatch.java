package org.agentnet.aca;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.TimeZone;
import java.util.List;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.hibernate.Session;

/** The transactions of {@link IssuanceWriter}: many issuances, one commit. */
@Stateless
public class IssuanceBatch {

    /** Instants are stored as UTC timestamps (persistence.xml: hibernate.jdbc.time_zone). */
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    /**
     * Writes the issuances in one new transaction: first each token is spent by a conditional update
     * (an item whose token is already spent is refused and leaves nothing), then the key claims,
     * applications, certificates and audit entries of the others are inserted (JDBC batches) and
     * the transaction commits. A key claimed meanwhile (primary key) fails the transaction as a
     * whole: the caller then writes the items one by one.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<RuntimeException> write(List<PreparedIssuance> items) {
        List<RuntimeException> results = new ArrayList<>(items.size());
        // one JDBC batch for the whole batch's tokens: a JPQL update per item cost more than its insert (profile)
        int[] spent = em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement spend = connection.prepareStatement("UPDATE aca_enrollment_token SET used_at = ?,"
                    + " used_by_application = ?, version = version + 1 WHERE id = ? AND used_at IS NULL")) {
                Calendar utc = Calendar.getInstance(UTC);
                for (PreparedIssuance item : items) {
                    spend.setTimestamp(1, Timestamp.from(item.at()), utc);
                    spend.setString(2, item.application().id());
                    spend.setString(3, item.tokenId());
                    spend.addBatch();
                }
                return spend.executeBatch();
            }
        });
        for (int count : spent) {
            results.add(count == 1 ? null
                    : new AgentnetException(ProblemType.INVALID_ENROLLMENT_TOKEN, "the enrollment token has already been used"));
        }
        for (int i = 0; i < items.size(); i++) {
            if (results.get(i) == null) {
                em.persist(new KeyClaim(items.get(i).keyFingerprint(), items.get(i).at()));
            }
        }
        for (int i = 0; i < items.size(); i++) {
            if (results.get(i) == null) {
                em.persist(items.get(i).application());
            }
        }
        for (int i = 0; i < items.size(); i++) {
            if (results.get(i) == null) {
                em.persist(items.get(i).certificate());
            }
        }
        for (int i = 0; i < items.size(); i++) {
            if (results.get(i) == null) {
                em.persist(items.get(i).audit());
            }
        }
        em.flush();
        em.clear(); // the items stay with their callers, detached
        return results;
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
