-- Platform tables. Portable SQL: the same script runs on Derby and PostgreSQL.
-- Persistent EJB timers keep their own tables (Liberty's persistent executor, prefix TIMERS_).

-- One row per scheduled job: its persistent timer's schedule and the outcome of its last run.
CREATE TABLE scheduled_job (
    name              VARCHAR(64)   NOT NULL,
    interval_seconds  BIGINT        NOT NULL,
    fire_count        BIGINT        NOT NULL,
    last_started_at   TIMESTAMP,
    last_finished_at  TIMESTAMP,
    last_outcome      VARCHAR(16),
    last_error        VARCHAR(1000),
    version           BIGINT        NOT NULL,
    CONSTRAINT pk_scheduled_job PRIMARY KEY (name)
);

-- Operator probes sent through the relay queue to prove the messaging path end to end.
CREATE TABLE relay_probe (
    id                 VARCHAR(36)  NOT NULL,
    requested_at       TIMESTAMP    NOT NULL,
    requested_by       VARCHAR(128) NOT NULL,
    fail_deliveries    INTEGER      NOT NULL,
    state              VARCHAR(16)  NOT NULL,
    delivery_attempts  INTEGER      NOT NULL,
    settled_at         TIMESTAMP,
    version            BIGINT       NOT NULL,
    CONSTRAINT pk_relay_probe PRIMARY KEY (id),
    CONSTRAINT ck_relay_probe_state CHECK (state IN ('SENT', 'CONSUMED', 'DEAD_LETTERED'))
);
CREATE INDEX ix_relay_probe_requested_at ON relay_probe (requested_at);
