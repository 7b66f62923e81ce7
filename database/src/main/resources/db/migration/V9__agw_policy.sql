-- AGW access control (draft 2.1 "security steward"; docs/agw.md "Access policies"). Portable SQL
-- (Derby and PostgreSQL).

-- Access policies operators manage: which subjects (agents, organizations, domains) may DISCOVER
-- or MESSAGE which objects (agents, capabilities). subjects and objects are JSON arrays of
-- selectors, written and read only by the application (PolicyJson); actions is a comma-separated
-- list of DISCOVER, MESSAGE.
CREATE TABLE agw_policy (
    id           VARCHAR(36)    NOT NULL,
    name         VARCHAR(64)    NOT NULL,
    description  VARCHAR(500),
    effect       VARCHAR(8)     NOT NULL,
    actions      VARCHAR(32)    NOT NULL,
    subjects     VARCHAR(16000) NOT NULL,
    objects      VARCHAR(16000) NOT NULL,
    enabled      INTEGER        NOT NULL,
    created_at   TIMESTAMP      NOT NULL,
    updated_at   TIMESTAMP      NOT NULL,
    updated_by   VARCHAR(256)   NOT NULL,
    version      BIGINT         NOT NULL,
    CONSTRAINT pk_agw_policy PRIMARY KEY (id),
    CONSTRAINT uq_agw_policy_name UNIQUE (name),
    CONSTRAINT ck_agw_policy_effect CHECK (effect IN ('ALLOW', 'DENY')),
    CONSTRAINT ck_agw_policy_enabled CHECK (enabled IN (0, 1))
);

-- What the peering agreement with a domain admits, where an operator set it (otherwise
-- agentnet.agw.policy.peer-default). It counts only while a peer gateway of that domain is
-- established (handshake done, not disconnected).
CREATE TABLE agw_peer_agreement (
    domain       VARCHAR(253)   NOT NULL,
    discovery    INTEGER        NOT NULL,
    messaging    INTEGER        NOT NULL,
    updated_at   TIMESTAMP      NOT NULL,
    updated_by   VARCHAR(256)   NOT NULL,
    version      BIGINT         NOT NULL,
    CONSTRAINT pk_agw_peer_agreement PRIMARY KEY (domain),
    CONSTRAINT ck_agw_peer_agreement_discovery CHECK (discovery IN (0, 1)),
    CONSTRAINT ck_agw_peer_agreement_messaging CHECK (messaging IN (0, 1))
);

-- One row: a counter every change of the two tables above increments in its transaction. Each node
-- holds the policies in memory and reads this counter every agentnet.agw.policy.refresh-interval,
-- reloading when it moved, so that a change made on one node of a shared database reaches the others.
CREATE TABLE agw_policy_state (
    id           INTEGER        NOT NULL,
    changes      BIGINT         NOT NULL,
    CONSTRAINT pk_agw_policy_state PRIMARY KEY (id)
);
INSERT INTO agw_policy_state (id, changes) VALUES (1, 0);
