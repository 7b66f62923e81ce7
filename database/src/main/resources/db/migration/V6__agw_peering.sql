-- Agent Gateway: peer gateways (draft 3.4.1-3.4.3; docs/agw.md "Peering"). Portable SQL
-- (Derby and PostgreSQL). One row per neighbor gateway: configured (agentnet.agw.peers), added by
-- an operator, or learned from a peer's own handshake. node_id, domain and gateway_uri are what
-- the peer's handshake and certificate said; remote_id is this node's peer ID at the peer (the
-- {id} of the calls made to it). sent_seq is the last seq of this node's change feed the peer
-- acknowledged as applied; applied_seq the last seq of the peer's feed applied here.
-- status: PENDING (no handshake yet), ONLINE, OFFLINE (silent beyond its hold time), DISCONNECTED
-- (removed by this node's operator: a handshake from it is refused until an operator adds it again).
CREATE TABLE agw_peer (
    id                    VARCHAR(36)   NOT NULL,
    url                   VARCHAR(512)  NOT NULL,
    configured            INTEGER       NOT NULL,
    node_id               VARCHAR(64),
    domain                VARCHAR(253),
    gateway_uri           VARCHAR(512),
    remote_id             VARCHAR(36),
    protocol              VARCHAR(64),
    heartbeat_seconds     INTEGER       NOT NULL,
    status                VARCHAR(16)   NOT NULL,
    status_reason         VARCHAR(256),
    last_contact_at       TIMESTAMP,
    established_at        TIMESTAMP,
    sent_seq              BIGINT        NOT NULL,
    applied_seq           BIGINT        NOT NULL,
    peer_latest_seq       BIGINT        NOT NULL,
    full_resyncs          INTEGER       NOT NULL,
    last_error            VARCHAR(512),
    consecutive_failures  INTEGER       NOT NULL,
    created_at            TIMESTAMP     NOT NULL,
    version               BIGINT        NOT NULL,
    CONSTRAINT pk_agw_peer PRIMARY KEY (id),
    CONSTRAINT uq_agw_peer_url UNIQUE (url),
    CONSTRAINT ck_agw_peer_configured CHECK (configured IN (0, 1)),
    CONSTRAINT ck_agw_peer_status CHECK (status IN ('PENDING', 'ONLINE', 'OFFLINE', 'DISCONNECTED'))
);
CREATE INDEX ix_agw_peer_node ON agw_peer (node_id);
