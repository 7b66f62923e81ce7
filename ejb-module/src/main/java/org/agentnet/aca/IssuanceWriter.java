package org.agentnet.aca;

import org.agentnet.common.concurrent.GroupCommitter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.util.List;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * Writes auto-approved issuances by group commit ({@link GroupCommitter}): request threads hand over
 * their prepared issuance and wait; writer threads (from the container's ManagedThreadFactory)
 * write what has queued up in one transaction each ({@link IssuanceBatch}, REQUIRES_NEW). A 201 is
 * answered only after the transaction holding the certificate, the spent token and the audit entry
 * has committed. Settings: {@code agentnet.aca.issuance.*} ({@link AcaSettings}).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class IssuanceWriter {

    @Resource
    ManagedThreadFactory threads;

    @EJB
    IssuanceBatch batch;

    @EJB
    KeyClaims claims;

    @Inject
    AcaSettings settings;

    private volatile GroupCommitter<PreparedIssuance> committer;

    @PostConstruct
    void start() {
        committer = new GroupCommitter<>("aca-issuance-writer", this::store, settings.issuanceQueueCapacity(),
                settings.issuanceBatchSize(), settings.issuanceWriters(), threads);
    }

    @PreDestroy
    void stop() {
        GroupCommitter<PreparedIssuance> current = committer;
        if (current != null) {
            current.close(settings.issuanceTimeout());
        }
    }

    /**
     * Holds the token and the key while the caller prepares its issuance: a concurrent application
     * with either is refused at once, before it reads the database or signs anything.
     */
    public Runnable claim(String tokenHash, String keyFingerprint) {
        try {
            GroupCommitter.Claim claim = committer.claim(
                    List.of(PreparedIssuance.TOKEN + "hash:" + tokenHash, PreparedIssuance.KEY + keyFingerprint));
            return claim::close;
        } catch (GroupCommitter.Conflict e) {
            throw refusal(e);
        }
    }

    /** Writes the issuance and returns once it is committed; refusals as AgentnetException. */
    public void write(PreparedIssuance issuance) {
        try {
            committer.write(issuance, settings.issuanceTimeout());
        } catch (GroupCommitter.Conflict e) {
            throw refusal(e);
        } catch (GroupCommitter.Unavailable e) {
            throw new AgentnetException(ProblemType.SERVICE_UNAVAILABLE, "the ACA is too busy to issue now, try again: "
                    + e.getMessage());
        }
    }

    /** The store of the group committer: one transaction; a single item that fails is diagnosed. */
    private List<RuntimeException> store(List<PreparedIssuance> items) {
        try {
            return batch.write(items);
        } catch (EJBException | jakarta.persistence.PersistenceException e) {
            if (items.size() == 1 && claims.claimed(items.get(0).keyFingerprint())) {
                // the primary key of aca_key_claim refused it: the key was certified meanwhile
                throw new AgentnetException(ProblemType.DUPLICATE_KEY, KeyClaims.DUPLICATE);
            }
            throw e;
        }
    }

    private static AgentnetException refusal(GroupCommitter.Conflict conflict) {
        return conflict.key().startsWith(PreparedIssuance.TOKEN)
                ? new AgentnetException(ProblemType.INVALID_ENROLLMENT_TOKEN,
                        "the enrollment token is being used by another application")
                : new AgentnetException(ProblemType.DUPLICATE_KEY, KeyClaims.DUPLICATE);
    }

    /** For tests and logs: items written, transactions, batches written again item by item. */
    public long[] statistics() {
        return committer.statistics();
    }
}
