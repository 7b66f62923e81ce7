package org.agentnet.agw.access;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.agentnet.ars.AgentStatus;
import org.agentnet.ars.AgentStatusUpdates;
import org.agentnet.common.config.Component;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;

/**
 * Heartbeats (draft 3.3.1), served from memory: the {@link HeartbeatTable} of every access record,
 * loaded at start, kept in step with access and withdrawal by {@link AgentAccessChanged} once they
 * commit. A heartbeat touches no database unless it changes the agent's status; last-seen times are
 * written behind in batches by a non-persistent timer on this server
 * ({@code agentnet.agw.heartbeat.flush-interval}) and at an orderly shutdown, so a crash loses at
 * most that interval of last-seen times (never an access record).
 */
@Singleton
@Startup
@LocalBean
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AgentHeartbeats {

    private static final Logger LOG = Logger.getLogger(AgentHeartbeats.class.getName());
    private static final int PAGE = 1000;

    @EJB
    AccessRecords records;

    @EJB
    AgentStatusUpdates statuses;

    @Inject
    AgwSettings settings;

    @Inject
    NodeSettings node;

    @Inject
    Clock clock;

    @Inject
    Event<AgentAccessChanged> changed;

    @Resource
    TimerService timers;

    private HeartbeatTable table;
    private final Beats beats = new Beats();

    @PostConstruct
    void start() {
        table = new HeartbeatTable(settings.maxAgents());
        if (!node.isEnabled(Component.AGW)) {
            return;
        }
        String after = "";
        List<AccessRecord> page;
        do {
            page = records.after(after, PAGE);
            for (AccessRecord record : page) {
                after = record.agentId();
                table.put(record.agentId(), record.agentUri(), settings.hold(record.heartbeatSeconds()), record.lastHeartbeat(),
                        record.status(), record.statusDetail());
            }
        } while (page.size() == PAGE);
        LOG.info(() -> "heartbeat table loaded: " + table.size() + " accessed agents; flushed every " + settings.flushInterval());
        long millis = settings.flushInterval().toMillis();
        timers.createIntervalTimer(millis, millis, new TimerConfig("agw-heartbeat-flush", false));
    }

    /** Whether a new agent fits (an agent already held always does). */
    public boolean hasRoomFor(String agentId) {
        return table.state(agentId).isPresent() || !table.isFull();
    }

    /**
     * A heartbeat of the calling agent: RUNNING or TEMPORARILY_OFFLINE, with an optional detail.
     *
     * @return the state now held for the agent
     */
    public HeartbeatState beat(String agentId, String callerUri, HeartbeatState reported, String detail) {
        return beats.beat(agentId, callerUri, reported, detail);
    }

    /** {@link #beat} as a plain object, for the lean heartbeat path (see {@link Beats}). */
    public Beats beats() {
        return beats;
    }

    /**
     * Heartbeats without the EJB container around each one: the lean heartbeat path
     * ({@code HeartbeatFilter}) keeps this object and calls it directly, because the container's
     * work per call (transaction context, interceptors, method authorization) costs more than the beat
     * itself. It holds no state of its own: the table is the bean's (thread-safe, the bean manages its
     * own concurrency), and a beat that changes an agent's status still goes through the container
     * ({@link AgentStatusUpdates}, in a transaction of its own), as does every other method here.
     */
    public final class Beats {

        private Beats() {
        }

        /** The same as {@link AgentHeartbeats#beat}. */
        public HeartbeatState beat(String agentId, String callerUri, HeartbeatState reported, String detail) {
            node.require(Component.AGW);
            Fields.require(reported == HeartbeatState.RUNNING || reported == HeartbeatState.TEMPORARILY_OFFLINE,
                    "status must be RUNNING or TEMPORARILY_OFFLINE");
            String clean = Fields.optionalPrintable("detail", detail, HeartbeatTable.MAX_DETAIL);
            Optional<HeartbeatState> transition = table.beat(agentId, callerUri, reported, clean, clock.instant(),
                    AgentHeartbeats.this::setStatus);
            transition.ifPresent(state -> announce(agentId, callerUri, state));
            return reported;
        }
    }

    /** Silences agents not heard of within their hold time (the sweep job). */
    public HeartbeatTable.Sweep sweep() {
        if (!node.isEnabled(Component.AGW)) {
            return new HeartbeatTable.Sweep(List.of(), 0);
        }
        HeartbeatTable.Sweep sweep = table.sweep(clock.instant(), this::setStatus);
        sweep.silenced().forEach(agentId -> announce(agentId, null, HeartbeatState.SILENT));
        return sweep;
    }

    /** The held state and last-seen time of an agent, if it has accessed. */
    public Optional<HeartbeatState> state(String agentId) {
        return table.state(agentId);
    }

    public Optional<Instant> lastSeen(String agentId) {
        return table.lastSeen(agentId);
    }

    /**
     * The agent ID of the access record of the agent with this URI, from memory (the relay's check of
     * each sender); empty when the table does not hold it (no access record, or a full table).
     */
    public Optional<String> accessedAgentId(String agentUri) {
        return table.agentIdOf(agentUri);
    }

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void accessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) AgentAccessChanged event) {
        switch (event.kind()) {
            case ACCESSED -> table.put(event.agentId(), event.agentUri(), settings.hold(event.access().heartbeatInterval()),
                    event.access().lastHeartbeat(), HeartbeatState.RUNNING, null);
            case WITHDRAWN -> table.remove(event.agentId());
            case STATUS -> {
                // fired by this table itself
            }
        }
    }

    /** Writes the changed last-seen times behind, in batches. */
    @Timeout
    public void flush() {
        List<HeartbeatTable.Seen> changes = table.drainDirty();
        for (int from = 0; from < changes.size(); from += PAGE) {
            List<HeartbeatTable.Seen> batch = changes.subList(from, Math.min(changes.size(), from + PAGE));
            try {
                records.writeHeartbeats(batch);
            } catch (RuntimeException e) {
                table.redirty(batch);
                LOG.log(Level.WARNING, "could not write " + batch.size() + " heartbeats behind; trying again next flush", e);
            }
        }
    }

    @PreDestroy
    void stop() {
        if (node.isEnabled(Component.AGW)) {
            flush();
        }
    }

    private void setStatus(String agentId, AgentStatus status, String reason) {
        statuses.setStatus(agentId, status, reason);
    }

    private void announce(String agentId, String agentUri, HeartbeatState state) {
        try {
            changed.fire(new AgentAccessChanged(AgentAccessChanged.Kind.STATUS, agentId, agentUri, state.arsStatus(),
                    null, clock.instant(), null));
        } catch (RuntimeException e) {
            // an observer's failure must not fail the heartbeat that already changed the status
            LOG.log(Level.WARNING, "an observer of AgentAccessChanged failed for " + agentId, e);
        }
    }

    static AgentnetException full(int max) {
        return new AgentnetException(ProblemType.SERVICE_UNAVAILABLE, "this gateway holds its maximum of " + max + " agents");
    }
}
