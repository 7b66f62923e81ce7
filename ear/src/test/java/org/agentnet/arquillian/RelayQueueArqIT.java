package org.agentnet.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.agentnet.agw.relay.RelayEnvelope;
import org.agentnet.agw.relay.RelayQueue;
import org.agentnet.node.diagnostics.RelayProbe;
import org.agentnet.node.diagnostics.RelayProbeRepository;
import org.agentnet.node.diagnostics.RelayProbeService;
import org.agentnet.node.diagnostics.RelayProbeState;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The relay queue, its consumer MDB and its dead-letter MDB, driven by relay probes: a probe
 * refuses its first {@code failDeliveries} deliveries, the queue redelivers up to its
 * maxRedeliveryCount (5, server.xml) and then moves the message to the dead-letter queue.
 */
@ExtendWith(ArquillianExtension.class)
class RelayQueueArqIT {

    /** RelayProbeHandler.KIND (package-private there). */
    static final String PROBE_KIND = "diagnostics.relay-probe";
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    @Deployment
    static EnterpriseArchive deployment() {
        return AgentnetDeployment.earWith(RelayQueueArqIT.class);
    }

    @EJB(lookup = "java:global/agentnet/agentnet-ejb/RelayProbeService")
    RelayProbeService service;

    @EJB(lookup = "java:global/agentnet/agentnet-ejb/RelayProbeRepository")
    RelayProbeRepository probes;

    @EJB(lookup = "java:global/agentnet/agentnet-ejb/RelayQueue")
    RelayQueue relayQueue;

    @Resource(lookup = "java:comp/UserTransaction")
    UserTransaction transaction;

    @Inject
    Clock clock;

    @Test
    void probeIsConsumedOnFirstDelivery() {
        Instant before = clock.instant();
        RelayProbe sent = service.send("arquillian", 0);
        assertEquals(RelayProbeState.SENT, sent.state());

        Probe settled = awaitSettled(sent.id());

        assertEquals(RelayProbeState.CONSUMED, settled.state(), settled.toString());
        assertEquals(1, settled.deliveryAttempts(), settled.toString());
        assertEquals("arquillian", settled.requestedBy());
        assertFalse(settled.requestedAt().isBefore(before));
        assertFalse(settled.settledAt().isBefore(settled.requestedAt()));
    }

    @Test
    void refusedDeliveriesAreRedelivered() {
        RelayProbe sent = service.send("arquillian", 2);

        Probe settled = awaitSettled(sent.id());

        assertEquals(RelayProbeState.CONSUMED, settled.state(), "two refusals, consumed on the third delivery: " + settled);
        assertEquals(3, settled.deliveryAttempts(), settled.toString());
    }

    @Test
    void probeRefusedMoreOftenThanTheQueueRedeliversIsDeadLettered() {
        RelayProbe sent = service.send("arquillian", 20);

        Probe settled = awaitSettled(sent.id());

        assertEquals(RelayProbeState.DEAD_LETTERED, settled.state(),
                "refused on every delivery: the dead-letter consumer settles it: " + settled);
        assertEquals(0, settled.deliveryAttempts(), "never consumed: " + settled);
        assertNotNull(settled.settledAt());
    }

    /**
     * The JMS send joins the caller's transaction: rolled back, there is neither a probe nor a
     * message. A message without its probe would still be delivered (RelayProbeHandler waits for
     * the probe, asks for redelivery and says so in trace.log), so the test watches trace.log,
     * after proving with a control message of its own that it does see such a delivery.
     */
    @Test
    void sendInARolledBackTransactionLeavesNeitherProbeNorMessage() throws Exception {
        transaction.begin();
        String rolledBack;
        try {
            rolledBack = service.send("arquillian-rollback", 0).id();
            assertTrue(probes.find(rolledBack).isPresent(), "the probe exists inside its transaction");
        } finally {
            transaction.rollback();
        }
        assertEquals(Status.STATUS_NO_TRANSACTION, transaction.getStatus());

        String control = UUID.randomUUID().toString();
        transaction.begin();
        relayQueue.send(new RelayEnvelope(PROBE_KIND, control, ""));
        transaction.commit();

        Await.until("the control message, committed, consumed (trace.log)", SETTLE_TIMEOUT, RelayQueueArqIT::trace,
                trace -> trace.contains(control));
        Await.never("the rolled-back probe in the database", Duration.ofSeconds(3),
                () -> probes.find(rolledBack), probe -> probe.isPresent());
        assertFalse(trace().contains(rolledBack), "the rolled-back probe's message was consumed: it was sent");
    }

    private Probe awaitSettled(String id) {
        return Await.until("probe " + id + " settled", SETTLE_TIMEOUT, () -> Probe.of(service.get(id)),
                probe -> probe.state() != RelayProbeState.SENT);
    }

    /** A probe's state, readable in failure messages. */
    record Probe(String id, String requestedBy, int failDeliveries, Instant requestedAt, RelayProbeState state,
                 int deliveryAttempts, Instant settledAt) {

        static Probe of(RelayProbe probe) {
            return new Probe(probe.id(), probe.requestedBy(), probe.failDeliveries(), probe.requestedAt(),
                    probe.state(), probe.deliveryAttempts(), probe.settledAt());
        }
    }

    /** The test server's trace.log (its trace specification: the Arquillian server override). */
    private static String trace() {
        String outputDir = ConfigProvider.getConfig().getValue("agentnet.server.output.dir", String.class);
        Path file = Path.of(outputDir, "logs", "trace.log");
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
