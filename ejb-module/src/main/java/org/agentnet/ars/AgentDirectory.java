package org.agentnet.ars;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.logging.Logger;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;

/**
 * Discovery (draft 3.2.3), served from memory: the {@link AgentIndex} of every agent that is not
 * deregistered, loaded from the database when the application starts and changed by
 * {@link AgentChanged} once the change has committed, so that a query never reads the database
 * and never sees a change that was rolled back.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class AgentDirectory {

    private static final Logger LOG = Logger.getLogger(AgentDirectory.class.getName());
    private static final int LOAD_PAGE = 1000;

    @EJB
    RegisteredAgents agents;

    @Inject
    NodeSettings settings;

    private final AgentIndex index = new AgentIndex();

    /**
     * Loads the index. No transaction around the whole load: each page is read in a transaction of
     * its own, so that 100,000 agents on a busy machine (150 s seen at load 30) do not outlast the
     * transaction timeout (120 s), which failed the application's start.
     */
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void load() {
        long started = System.nanoTime();
        List<Agent> all = new ArrayList<>();
        String after = "";
        List<AgentRecord> page;
        do {
            page = agents.liveAfter(after, LOAD_PAGE);
            for (AgentRecord record : page) {
                after = record.id();
                try {
                    all.add(record.toAgent());
                } catch (RuntimeException e) {
                    // one record that today's rules refuse must not keep discovery from starting
                    String id = record.id();
                    LOG.warning(() -> "agent " + id + " is left out of discovery, its stored profile cannot be read: " + e.getMessage());
                }
            }
        } while (page.size() == LOAD_PAGE);
        index.load(all);
        LOG.info(() -> "discovery index loaded: " + all.size() + " agents in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void changed(@Observes(during = TransactionPhase.AFTER_SUCCESS) AgentChanged event) {
        index.apply(event.agent());
    }

    /** Discovery's search of the index (see {@link Searcher}). */
    public Searcher searcher() {
        return searcher;
    }

    private final Searcher searcher = new Searcher();

    /**
     * Discovery without the EJB container around each query: discovery keeps this object and calls
     * it directly, because the container's work per call (transaction context, interceptors, method
     * authorization) is a measurable part of a query answered from memory. It holds no state of its
     * own: the index is the bean's and is thread-safe (the bean manages its own concurrency).
     */
    public final class Searcher {

        private Searcher() {
        }

        /** A page of the agents {@code visible} accepts (access control; null: all), after the position. */
        public AgentIndex.Page search(DiscoveryQuery query, AgentIndex.Position after, int limit, Predicate<Agent> visible) {
            settings.require(Component.ARS);
            return index.search(query, after, limit, visible);
        }
    }

    /** An agent that discovery holds (not deregistered), as it holds it. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Optional<Agent> find(String id) {
        return index.get(id);
    }

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int size() {
        return index.size();
    }
}
