package org.agentnet.agw.message;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.agentnet.common.concurrent.GroupCommitter;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/**
 * Stores accepted messages by group commit ({@link GroupCommitter}, as the ACA's issuances): request
 * threads hand over their message rows and wait; writer threads insert what has queued up meanwhile
 * in one transaction ({@link RelayedMessages#addAll}), so that many messages share one commit. A 202
 * is answered only once the row has committed; right after the commit the rows are handed to this
 * node's {@link RelayDispatcher}, which holds their claim. Settings {@code agentnet.agw.relay.writer.*}.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MessageWriter {

    private static final Logger LOG = Logger.getLogger(MessageWriter.class.getName());
    private static final int QUEUE_CAPACITY = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One message to insert; two with the same ID are never written together. */
    record Pending(RelayedMessage row) implements GroupCommitter.Item {
        @Override
        public Set<String> uniqueKeys() {
            return Set.of(row.id());
        }
    }

    @Resource
    ManagedThreadFactory threads;

    @EJB
    RelayedMessages messages;

    @EJB
    RelayDispatcher dispatcher;

    @Inject
    RelaySettings settings;

    private volatile GroupCommitter<Pending> committer;

    @PostConstruct
    void start() {
        committer = new GroupCommitter<>("agw-relay-writer", this::store, QUEUE_CAPACITY, settings.writerBatchSize(),
                settings.writers(), threads);
    }

    @PreDestroy
    void stop() {
        GroupCommitter<Pending> current = committer;
        if (current != null) {
            current.close(TIMEOUT);
        }
    }

    /**
     * Stores the rows and returns once each is committed or refused: one entry per row, null when it
     * was stored, else why not (a message ID taken meanwhile: the caller looks at the row that has it).
     */
    public List<RuntimeException> write(List<RelayedMessage> rows) {
        List<RuntimeException> outcomes = committer.writeAll(rows.stream().map(Pending::new).toList(), TIMEOUT);
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof GroupCommitter.Unavailable busy) {
                outcomes.set(i, new AgentnetException(ProblemType.SERVICE_UNAVAILABLE,
                        "the gateway is too busy to accept the message now, try again: " + busy.getMessage()));
            }
        }
        return outcomes;
    }

    /** The store of the group committer: one transaction; after its commit the dispatcher tries the rows. */
    private List<RuntimeException> store(List<Pending> items) {
        List<RelayedMessage> rows = items.stream().map(Pending::row).toList();
        List<RuntimeException> results = messages.addAll(rows);
        try {
            dispatcher.dispatch(rows.stream().map(r -> new RelayDispatcher.Claim(r.id(), r.nextAttempt())).toList());
        } catch (RuntimeException e) {
            // committed all the same (the node is stopping, say): the rows are tried once their claims run out
            LOG.log(Level.WARNING, "agw-relay-writer: " + rows.size() + " committed messages not handed to the dispatcher ("
                    + rows.get(0).id() + "...); they are tried once their claims run out", e);
        }
        return results;
    }

    /** For tests and logs: messages written, transactions, batches written again one by one. */
    public long[] statistics() {
        return committer.statistics();
    }
}
