package org.agentnet.agw.policy;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The policies in force on this node, in memory ({@link PolicySet}): loaded at start, reloaded at
 * once after a change made here has committed ({@link PoliciesChanged}), and, for changes made by
 * other nodes sharing the database, whenever the change counter moved, which a non-persistent timer
 * (on every node) reads every {@code agentnet.agw.policy.refresh-interval} (PT5S): one primary-key
 * read, never a query per request.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class PolicySnapshots {

    private static final Logger LOG = Logger.getLogger(PolicySnapshots.class.getName());

    @EJB
    PolicyStore store;

    @Inject
    PolicySettings settings;

    @Resource
    TimerService timers;

    private volatile PolicySet current = PolicySet.EMPTY;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    void start() {
        current = read();
        LOG.info(() -> "access policies: " + current.policies() + " (" + current.rules().size() + " enabled), enforcement "
                + (settings.enabled() ? "on" : "OFF (agentnet.agw.policy.enabled=false)"));
        long period = settings.refreshInterval().toMillis();
        timers.createIntervalTimer(period, period, new TimerConfig("agw-policy-refresh", false));
    }

    /** The set in force (never null). */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public PolicySet current() {
        return current;
    }

    /** {@link #current} as a plain object, for the per-request decisions (see {@link Current}). */
    public Current view() {
        return view;
    }

    private final Current view = new Current();

    /**
     * The set in force without the EJB container around each read: access control asks for it on
     * every discovery and relay request, and the container's work per call (transaction context,
     * interceptors) costs far more than reading a volatile field. Loading and reloading still go
     * through the bean.
     */
    public final class Current {

        private Current() {
        }

        /** The same as {@link PolicySnapshots#current()}. */
        public PolicySet get() {
            return current;
        }
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void changedHere(@Observes(during = TransactionPhase.AFTER_SUCCESS) PoliciesChanged event) {
        reload();
    }

    /** Reloads when another node changed something since the last load. */
    @Timeout
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    void refresh() {
        try {
            if (store.changes() != current.changeCount()) {
                reload();
                LOG.info(() -> "access policies reloaded after a change on another node: " + current.policies() + " policies");
            }
        } catch (RuntimeException e) {
            // the next period tries again; one line, not a stack trace every period while the database is away
            LOG.log(Level.WARNING, "cannot check the access policies for changes: " + e);
        }
    }

    private synchronized void reload() {
        PolicySet read = read();
        if (read.changeCount() >= current.changeCount()) {
            current = read;
        }
    }

    /** The counter first: a change committed after it is read makes the next check reload again. */
    private PolicySet read() {
        long changes = store.changes();
        List<PolicySet.Rule> rules = new ArrayList<>();
        List<AccessPolicy> all = store.all();
        for (AccessPolicy policy : all) {
            try {
                PolicyDocument document = policy.document();
                if (document.enabled()) {
                    rules.add(PolicySet.Rule.of(policy.id(), document));
                }
            } catch (RuntimeException e) {
                // written by this application after the same checks: only a rule changed since could refuse it
                LOG.severe("access policy " + policy.id() + " (" + policy.name() + ") cannot be read and is NOT in force: " + e.getMessage());
            }
        }
        Map<String, Set<PolicyAction>> agreements = new HashMap<>();
        for (PeerAgreement agreement : store.agreements()) {
            agreements.put(agreement.domain(), agreement.admits());
        }
        return new PolicySet(changes, rules, all.size(), agreements, settings.peerDefault());
    }
}
