-- Agent Registration Server (draft 2.1, 3.2, 3.5). Portable SQL (Derby and PostgreSQL).
-- See docs/ars.md for the rules these tables keep.

-- The node ID, generated at the first start (one row; agentnet.node.id overrides it): the origin
-- of the agents registered here. Nodes sharing this database are one origin.
CREATE TABLE node_identity (
    id          INTEGER      NOT NULL,
    node_id     VARCHAR(64)  NOT NULL,
    created_at  TIMESTAMP    NOT NULL,
    CONSTRAINT pk_node_identity PRIMARY KEY (id),
    CONSTRAINT ck_node_identity_single CHECK (id = 1)
);

-- Registered agents: of this node's origin (local_origin = 1) or synchronized from another
-- ARS (local_origin = 0, with the origin's seq and the gateway address of their domain).
-- live_uri holds agent_uri while a local registration is live and is NULL otherwise: its
-- unique constraint lets one identity have one live registration (NULLs never collide).
CREATE TABLE ars_agent (
    id               VARCHAR(36)    NOT NULL,
    origin_node      VARCHAR(64)    NOT NULL,
    local_origin     INTEGER        NOT NULL,
    domain           VARCHAR(253)   NOT NULL,
    agent_uri        VARCHAR(512)   NOT NULL,
    live_uri         VARCHAR(512),
    status           VARCHAR(16)    NOT NULL,
    status_reason    VARCHAR(256),
    profile          VARCHAR(32000) NOT NULL,
    gateway_address  VARCHAR(512),
    origin_seq       BIGINT,
    registered_at    TIMESTAMP      NOT NULL,
    updated_at       TIMESTAMP      NOT NULL,
    version          BIGINT         NOT NULL,
    CONSTRAINT pk_ars_agent PRIMARY KEY (id),
    CONSTRAINT uq_ars_agent_live_uri UNIQUE (live_uri),
    CONSTRAINT ck_ars_agent_local CHECK (local_origin IN (0, 1)),
    CONSTRAINT ck_ars_agent_status CHECK (status IN ('ONLINE', 'OFFLINE', 'INAPPLICABLE', 'DEREGISTERED'))
);
CREATE INDEX ix_ars_agent_origin ON ars_agent (origin_node, id);

-- The change feed: the latest change of each agent of this node's origin (compacted), with a
-- full snapshot of the agent as GET /api/v1/ars/agents/{id} shows it. seq is unique and only grows.
CREATE TABLE ars_change (
    agent_id    VARCHAR(36)    NOT NULL,
    seq         BIGINT         NOT NULL,
    kind        VARCHAR(16)    NOT NULL,
    changed_at  TIMESTAMP      NOT NULL,
    snapshot    VARCHAR(32000) NOT NULL,
    CONSTRAINT pk_ars_change PRIMARY KEY (agent_id),
    CONSTRAINT uq_ars_change_seq UNIQUE (seq),
    CONSTRAINT ck_ars_change_kind CHECK (kind IN ('REGISTERED', 'UPDATED', 'STATUS', 'DEREGISTERED'))
);

-- The last seq given out (one row), locked by each writer until it commits, so that seqs become
-- visible in order.
CREATE TABLE ars_feed_state (
    id        INTEGER  NOT NULL,
    last_seq  BIGINT   NOT NULL,
    CONSTRAINT pk_ars_feed_state PRIMARY KEY (id),
    CONSTRAINT ck_ars_feed_state_single CHECK (id = 1)
);
INSERT INTO ars_feed_state (id, last_seq) VALUES (1, 0);
