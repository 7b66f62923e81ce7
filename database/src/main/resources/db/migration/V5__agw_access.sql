-- Agent Gateway: agents' access records (draft 3.3.1). Portable SQL (Derby and PostgreSQL).
-- See docs/agw.md. One record per agent that accessed this gateway; the agent's identity
-- (agent_uri) has at most one. last_heartbeat and status are written behind from memory in
-- batches (a heartbeat is not a transaction); everything else is written by the access request.
CREATE TABLE agw_access (
    agent_id            VARCHAR(36)   NOT NULL,
    agent_uri           VARCHAR(512)  NOT NULL,
    certificate_serial  VARCHAR(64)   NOT NULL,
    addresses           VARCHAR(8000) NOT NULL,
    protocols           VARCHAR(1000) NOT NULL,
    heartbeat_seconds   INTEGER       NOT NULL,
    status              VARCHAR(24)   NOT NULL,
    status_detail       VARCHAR(256),
    last_heartbeat      TIMESTAMP     NOT NULL,
    accessed_at         TIMESTAMP     NOT NULL,
    updated_at          TIMESTAMP     NOT NULL,
    CONSTRAINT pk_agw_access PRIMARY KEY (agent_id),
    CONSTRAINT uq_agw_access_uri UNIQUE (agent_uri),
    CONSTRAINT ck_agw_access_status CHECK (status IN ('RUNNING', 'TEMPORARILY_OFFLINE', 'SILENT'))
);
