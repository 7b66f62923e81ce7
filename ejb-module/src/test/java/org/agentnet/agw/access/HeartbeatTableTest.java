package org.agentnet.agw.access;

import static org.agentnet.agw.access.SignedRequestsTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.agentnet.ars.AgentStatus;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.junit.jupiter.api.Test;

/** The heartbeat table with explicit instants: no sleeping. */
class HeartbeatTableTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration HOLD = Duration.ofSeconds(90);
    private static final String URI = "agent://a.example/org/x";

    /** The status changes the table asked for, in order. */
    private final List<String> set = new ArrayList<>();
    private final HeartbeatTable.StatusSink sink = (id, status, reason) -> set.add(id + " " + status + " " + reason);

    private HeartbeatTable table() {
        HeartbeatTable table = new HeartbeatTable(3);
        assertTrue(table.put("a1", URI, HOLD, T0, HeartbeatState.RUNNING, null));
        return table;
    }

    @Test
    void findsTheAgentIdByUriUntilTheRecordIsWithdrawnOrTakesAnotherUri() {
        HeartbeatTable table = table();
        assertEquals(Optional.of("a1"), table.agentIdOf(URI));
        assertEquals(Optional.empty(), table.agentIdOf("agent://a.example/org/unknown"));
        // the same record accessed again with another URI: the old URI names no agent any more
        assertTrue(table.put("a1", "agent://a.example/org/renamed", HOLD, T0, HeartbeatState.RUNNING, null));
        assertEquals(Optional.empty(), table.agentIdOf(URI));
        assertEquals(Optional.of("a1"), table.agentIdOf("agent://a.example/org/renamed"));
        table.remove("a1");
        assertEquals(Optional.empty(), table.agentIdOf("agent://a.example/org/renamed"));
        // a full table holds no URI of the agents it refused (the relay then asks the database)
        assertTrue(table.put("b1", "agent://a.example/org/b1", HOLD, T0, HeartbeatState.RUNNING, null));
        assertTrue(table.put("b2", "agent://a.example/org/b2", HOLD, T0, HeartbeatState.RUNNING, null));
        assertTrue(table.put("b3", "agent://a.example/org/b3", HOLD, T0, HeartbeatState.RUNNING, null));
        assertFalse(table.put("b4", "agent://a.example/org/b4", HOLD, T0, HeartbeatState.RUNNING, null));
        assertEquals(Optional.empty(), table.agentIdOf("agent://a.example/org/b4"));
        assertEquals(Optional.of("b3"), table.agentIdOf("agent://a.example/org/b3"));
    }

    @Test
    void aHeartbeatWithoutTransitionOnlyMovesLastSeen() {
        HeartbeatTable table = table();
        for (int i = 1; i <= 100; i++) {
            assertEquals(Optional.empty(), table.beat("a1", URI, HeartbeatState.RUNNING, null, T0.plusSeconds(i), sink));
        }
        assertEquals(List.of(), set);
        assertEquals(T0.plusSeconds(100), table.lastSeen("a1").orElseThrow());
        // an older instant (a late request) never moves it back
        table.beat("a1", URI, HeartbeatState.RUNNING, null, T0, sink);
        assertEquals(T0.plusSeconds(100), table.lastSeen("a1").orElseThrow());
    }

    @Test
    void sweepSilencesOnlyAfterTheHoldTimeAndAHeartbeatBringsTheAgentBack() {
        HeartbeatTable table = table();
        assertEquals(List.of(), table.sweep(T0.plus(HOLD), sink).silenced());
        HeartbeatTable.Sweep sweep = table.sweep(T0.plus(HOLD).plusSeconds(1), sink);
        assertEquals(List.of("a1"), sweep.silenced());
        assertEquals(List.of("a1 OFFLINE no heartbeat since " + T0 + " (hold time PT1M30S)"), set);
        assertEquals(HeartbeatState.SILENT, table.state("a1").orElseThrow());
        // silenced once: later sweeps leave it alone
        assertEquals(List.of(), table.sweep(T0.plus(HOLD).plusSeconds(60), sink).silenced());
        assertEquals(1, set.size());
        // the next heartbeat brings it back at once, once
        Instant back = T0.plus(HOLD).plusSeconds(61);
        assertEquals(Optional.of(HeartbeatState.RUNNING), table.beat("a1", URI, HeartbeatState.RUNNING, null, back, sink));
        assertEquals(Optional.empty(), table.beat("a1", URI, HeartbeatState.RUNNING, null, back.plusSeconds(30), sink));
        assertEquals("a1 ONLINE null", set.get(1));
        assertEquals(2, set.size());
    }

    @Test
    void temporarilyOfflineSetsOfflineWithTheDetailAndRunningBringsItBack() {
        HeartbeatTable table = table();
        table.beat("a1", URI, HeartbeatState.TEMPORARILY_OFFLINE, "maintenance", T0.plusSeconds(1), sink);
        table.beat("a1", URI, HeartbeatState.TEMPORARILY_OFFLINE, "maintenance", T0.plusSeconds(2), sink);
        table.beat("a1", URI, HeartbeatState.TEMPORARILY_OFFLINE, "upgrade", T0.plusSeconds(3), sink);
        table.beat("a1", URI, HeartbeatState.RUNNING, null, T0.plusSeconds(4), sink);
        assertEquals(List.of("a1 OFFLINE temporarily offline: maintenance", "a1 OFFLINE temporarily offline: upgrade",
                "a1 ONLINE null"), set);
    }

    @Test
    void refusesUnknownAgentsAndOtherAgentsRecords() {
        HeartbeatTable table = table();
        assertProblem(ProblemType.NOT_ACCESSED, () -> table.beat("nope", URI, HeartbeatState.RUNNING, null, T0, sink));
        assertProblem(ProblemType.IDENTITY_MISMATCH,
                () -> table.beat("a1", "agent://a.example/org/y", HeartbeatState.RUNNING, null, T0.plusSeconds(5), sink));
        assertEquals(T0, table.lastSeen("a1").orElseThrow());
    }

    @Test
    void aStatusThatCannotBeSetIsTriedAgainAndLeavesTheStateAsItWas() {
        HeartbeatTable table = table();
        table.put("a2", "agent://a.example/org/gone", HOLD, T0, HeartbeatState.RUNNING, null);
        HeartbeatTable.StatusSink failing = (id, status, reason) -> {
            if (id.equals("a1")) {
                throw new IllegalStateException("database down");
            }
            throw new AgentnetException(ProblemType.AGENT_DEREGISTERED, "gone");
        };
        HeartbeatTable.Sweep sweep = table.sweep(T0.plus(HOLD).plusSeconds(1), failing);
        assertEquals(List.of("a2"), sweep.silenced());
        assertEquals(1, sweep.failed());
        assertEquals(HeartbeatState.RUNNING, table.state("a1").orElseThrow());
        assertEquals(List.of("a1"), table.sweep(T0.plus(HOLD).plusSeconds(2), sink).silenced());
        // a heartbeat whose transition fails is refused and changes no state
        assertProblem(ProblemType.INVALID_STATE, () -> table.beat("a1", URI, HeartbeatState.RUNNING, null, T0.plus(HOLD).plusSeconds(3),
                (id, status, reason) -> {
                    throw new AgentnetException(ProblemType.INVALID_STATE, "no");
                }));
        assertEquals(HeartbeatState.SILENT, table.state("a1").orElseThrow());
    }

    @Test
    void writeBehindDrainsEachChangeOnceAndAgainAfterAFailedWrite() {
        HeartbeatTable table = table();
        assertEquals(List.of(), table.drainDirty());
        table.beat("a1", URI, HeartbeatState.RUNNING, null, T0.plusSeconds(10), sink);
        table.beat("a1", URI, HeartbeatState.RUNNING, null, T0.plusSeconds(20), sink);
        List<HeartbeatTable.Seen> drained = table.drainDirty();
        assertEquals(List.of(new HeartbeatTable.Seen("a1", T0.plusSeconds(20), HeartbeatState.RUNNING, null)), drained);
        assertEquals(List.of(), table.drainDirty());
        table.redirty(drained);
        assertEquals(drained, table.drainDirty());
        // a heartbeat after a drain is drained by the next one; silent agents are not visited
        assertTrue(table.put("a2", URI + "2", HOLD, T0, HeartbeatState.RUNNING, null));
        table.beat("a1", URI, HeartbeatState.RUNNING, null, T0.plusSeconds(30), sink);
        assertEquals(List.of(new HeartbeatTable.Seen("a1", T0.plusSeconds(30), HeartbeatState.RUNNING, null)), table.drainDirty());
        assertEquals(List.of(), table.drainDirty());
    }

    @Test
    void isBounded() {
        HeartbeatTable table = table();
        assertTrue(table.put("a2", "u2", HOLD, T0, HeartbeatState.RUNNING, null));
        assertTrue(table.put("a3", "u3", HOLD, T0, HeartbeatState.RUNNING, null));
        assertFalse(table.put("a4", "u4", HOLD, T0, HeartbeatState.RUNNING, null));
        assertTrue(table.put("a3", "u3", HOLD, T0.plusSeconds(1), HeartbeatState.RUNNING, null));
        table.remove("a1");
        assertTrue(table.put("a4", "u4", HOLD, T0, HeartbeatState.RUNNING, null));
        assertEquals(3, table.size());
    }
}
