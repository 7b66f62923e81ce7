package org.agentnet.common.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** What the node knows about one scheduled job: its interval and how its last run went. */
@Entity
@Table(name = "scheduled_job")
public class ScheduledJobRecord {

    public enum Outcome { RUNNING, SUCCEEDED, FAILED }

    static final int MAX_ERROR_LENGTH = 1000;

    @Id
    @Column(name = "name", length = 64)
    private String name;

    @Column(name = "interval_seconds", nullable = false)
    private long intervalSeconds;

    @Column(name = "fire_count", nullable = false)
    private long fireCount;

    @Column(name = "last_started_at")
    private Instant lastStartedAt;

    @Column(name = "last_finished_at")
    private Instant lastFinishedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "last_outcome", length = 16)
    private Outcome lastOutcome;

    @Column(name = "last_error", length = MAX_ERROR_LENGTH)
    private String lastError;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected ScheduledJobRecord() {
        // JPA
    }

    public ScheduledJobRecord(String name, Duration interval) {
        this.name = Objects.requireNonNull(name);
        reschedule(interval);
    }

    void reschedule(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("job interval must be positive: " + interval);
        }
        this.intervalSeconds = Math.max(1, interval.toSeconds());
    }

    void started(Instant at) {
        fireCount++;
        lastStartedAt = at;
        lastFinishedAt = null;
        lastOutcome = Outcome.RUNNING;
        lastError = null;
    }

    void finished(Instant at, Throwable failure) {
        lastFinishedAt = at;
        lastOutcome = failure == null ? Outcome.SUCCEEDED : Outcome.FAILED;
        if (failure != null) {
            String text = failure.getClass().getName() + ": " + failure.getMessage();
            lastError = text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
        }
    }

    public String name() {
        return name;
    }

    public Duration interval() {
        return Duration.ofSeconds(intervalSeconds);
    }

    public long fireCount() {
        return fireCount;
    }

    public Instant lastStartedAt() {
        return lastStartedAt;
    }

    public Instant lastFinishedAt() {
        return lastFinishedAt;
    }

    public Outcome lastOutcome() {
        return lastOutcome;
    }

    public String lastError() {
        return lastError;
    }
}
