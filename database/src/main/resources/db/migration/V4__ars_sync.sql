-- ARS-ARS synchronization (draft 2.1, 3.5; docs/ars.md "Synchronization"). Portable SQL.

-- The other ARSs this node pulls agents from: configured (agentnet.ars.sync.peers) or added by
-- an operator. node_id and domain are learned from the peer's change feed on the first pull;
-- applied_seq is the last seq of the peer's feed applied here (0: nothing yet, or a full resync).
CREATE TABLE ars_peer (
    id                    VARCHAR(36)   NOT NULL,
    url                   VARCHAR(512)  NOT NULL,
    configured            INTEGER       NOT NULL,
    node_id               VARCHAR(64),
    domain                VARCHAR(253),
    gateway_address       VARCHAR(512),
    applied_seq           BIGINT        NOT NULL,
    latest_seq            BIGINT        NOT NULL,
    last_attempt_at       TIMESTAMP,
    last_success_at       TIMESTAMP,
    last_error            VARCHAR(512),
    consecutive_failures  INTEGER       NOT NULL,
    full_resyncs          INTEGER       NOT NULL,
    created_at            TIMESTAMP     NOT NULL,
    version               BIGINT        NOT NULL,
    CONSTRAINT pk_ars_peer PRIMARY KEY (id),
    CONSTRAINT uq_ars_peer_url UNIQUE (url),
    CONSTRAINT ck_ars_peer_configured CHECK (configured IN (0, 1))
);
