package org.agentnet.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import org.agentnet.common.time.ClockProducer;
import org.agentnet.node.NodeService;
import org.agentnet.node.diagnostics.RelayProbe;
import org.agentnet.node.diagnostics.RelayProbeService;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The one {@link Clock} of the node, as CDI injects it, here in the WAR and in the EJB module. */
@ExtendWith(ArquillianExtension.class)
class ClockArqIT {

    @Deployment
    static EnterpriseArchive deployment() {
        return AgentnetDeployment.earWith(ClockArqIT.class);
    }

    @Inject
    Clock clock;

    @Inject
    BeanManager beanManager;

    @EJB(lookup = "java:global/agentnet/agentnet-ejb/NodeService")
    NodeService node;

    @EJB(lookup = "java:global/agentnet/agentnet-ejb/RelayProbeService")
    RelayProbeService probes;

    @Test
    void injectedClockIsTheSystemClockInUtc() {
        // ZoneOffset.UTC, not merely the JVM's default zone (jvm.options sets user.timezone=UTC)
        assertEquals(ZoneOffset.UTC, clock.getZone());
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS); // the clock ticks in microseconds
        Instant now = clock.instant();
        Instant after = Instant.now();
        assertFalse(now.isBefore(before) || now.isAfter(after), "not fixed, not offset: " + now);
        assertEquals(now, now.truncatedTo(ChronoUnit.MICROS), "whole microseconds, as the database keeps them");
    }

    @Test
    void oneApplicationScopedClockFromClockProducer() {
        Bean<?> bean = beanManager.resolve(beanManager.getBeans(Clock.class));
        assertNotNull(bean, "a Clock bean");
        assertEquals(1, beanManager.getBeans(Clock.class).size(), "Clock beans: " + beanManager.getBeans(Clock.class));
        assertEquals(ClockProducer.class, bean.getBeanClass());
        assertEquals(ApplicationScoped.class, bean.getScope());

        Object instance = contextualInstance(bean);
        assertSame(instance, contextualInstance(bean), "one instance for the application");
        assertEquals(Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000)), instance,
                "the system clock in UTC, ticking in microseconds: " + instance);
    }

    @Test
    void theEjbModuleUsesTheSameClock() {
        Instant jvmStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        Instant startedAt = node.description().startedAt();
        assertNotNull(startedAt);
        assertFalse(startedAt.isBefore(jvmStart), "node started " + startedAt + ", JVM " + jvmStart);
        assertFalse(startedAt.isAfter(clock.instant()), "node started " + startedAt + ", now " + clock.instant());
        assertEquals(startedAt, node.startedAt());

        Instant before = clock.instant();
        RelayProbe probe = probes.send("arquillian-clock", 0);
        Instant after = clock.instant();
        assertFalse(probe.requestedAt().isBefore(before) || probe.requestedAt().isAfter(after),
                "probe requested " + probe.requestedAt() + ", between " + before + " and " + after);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object contextualInstance(Bean<?> bean) {
        CreationalContext context = beanManager.createCreationalContext(bean);
        return beanManager.getContext(bean.getScope()).get((Bean) bean, context);
    }
}
