package org.agentnet.common.jobs;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The scheduled jobs' records; each write is its own transaction so that a failing job still leaves a trace. */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class ScheduledJobRepository {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    @Inject
    Clock clock;

    public void register(String name, Duration interval) {
        ScheduledJobRecord record = em.find(ScheduledJobRecord.class, name);
        if (record == null) {
            em.persist(new ScheduledJobRecord(name, interval));
        } else {
            record.reschedule(interval);
        }
    }

    public void started(String name) {
        require(name).started(clock.instant());
    }

    public void finished(String name, Throwable failure) {
        require(name).finished(clock.instant(), failure);
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<ScheduledJobRecord> find(String name) {
        return Optional.ofNullable(em.find(ScheduledJobRecord.class, name));
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ScheduledJobRecord> all() {
        return em.createQuery("select j from ScheduledJobRecord j order by j.name", ScheduledJobRecord.class)
                .getResultList();
    }

    /** The record, locked: a timed run and an operator's run-now may record at the same moment. */
    private ScheduledJobRecord require(String name) {
        ScheduledJobRecord record = em.find(ScheduledJobRecord.class, name, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (record == null) {
            throw new IllegalStateException("job " + name + " is not registered");
        }
        return record;
    }
}
