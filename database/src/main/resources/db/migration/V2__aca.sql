-- Agent Certificate Authority (draft 2.1, 3.1). Portable SQL (Derby and PostgreSQL).
-- The CA's private key is never stored here: it lives in the CA keystore (see docs/aca.md).

-- Every certificate the ACA has issued. Serial: lower-case hex of the positive serial number.
CREATE TABLE aca_certificate (
    serial             VARCHAR(40)   NOT NULL,
    profile            VARCHAR(16)   NOT NULL,
    agent_name         VARCHAR(128)  NOT NULL,
    organization       VARCHAR(128)  NOT NULL,
    subject_dn         VARCHAR(512)  NOT NULL,
    agent_uri          VARCHAR(512)  NOT NULL,
    key_fingerprint    VARCHAR(64)   NOT NULL,
    not_before         TIMESTAMP     NOT NULL,
    not_after          TIMESTAMP     NOT NULL,
    issued_at          TIMESTAMP     NOT NULL,
    application_id     VARCHAR(36),
    renewed_from       VARCHAR(40),
    revoked_at         TIMESTAMP,
    revocation_reason  VARCHAR(32),
    pem                VARCHAR(8000) NOT NULL,
    version            BIGINT        NOT NULL,
    CONSTRAINT pk_aca_certificate PRIMARY KEY (serial),
    CONSTRAINT ck_aca_certificate_profile CHECK (profile IN ('AGENT', 'GATEWAY'))
);
CREATE INDEX ix_aca_certificate_key ON aca_certificate (key_fingerprint);
CREATE INDEX ix_aca_certificate_identity ON aca_certificate (organization, agent_name);
CREATE INDEX ix_aca_certificate_not_after ON aca_certificate (not_after);
CREATE INDEX ix_aca_certificate_revoked_at ON aca_certificate (revoked_at);

-- Certificate applications (3.1.1): issued at once with an enrollment token, otherwise
-- pending until an operator approves or rejects them.
CREATE TABLE aca_application (
    id                  VARCHAR(36)    NOT NULL,
    state               VARCHAR(16)    NOT NULL,
    profile             VARCHAR(16)    NOT NULL,
    agent_name          VARCHAR(128)   NOT NULL,
    organization        VARCHAR(128)   NOT NULL,
    developer           VARCHAR(256)   NOT NULL,
    function_type       VARCHAR(64)    NOT NULL,
    permission_scope    VARCHAR(1024)  NOT NULL,
    skills              VARCHAR(4000)  NOT NULL,
    csr_pem             VARCHAR(16000) NOT NULL,
    key_fingerprint     VARCHAR(64)    NOT NULL,
    enrollment_token_id VARCHAR(36),
    submitted_at        TIMESTAMP      NOT NULL,
    decided_at          TIMESTAMP,
    decided_by          VARCHAR(256),
    rejection_reason    VARCHAR(1000),
    certificate_serial  VARCHAR(40),
    version             BIGINT         NOT NULL,
    CONSTRAINT pk_aca_application PRIMARY KEY (id),
    CONSTRAINT ck_aca_application_state CHECK (state IN ('PENDING', 'ISSUED', 'REJECTED')),
    CONSTRAINT ck_aca_application_profile CHECK (profile IN ('AGENT', 'GATEWAY'))
);
CREATE INDEX ix_aca_application_state ON aca_application (state, submitted_at);
CREATE INDEX ix_aca_application_key ON aca_application (key_fingerprint);

-- Single-use enrollment tokens an operator creates for an organization and a scope.
-- Only a SHA-256 hash of the token is kept.
CREATE TABLE aca_enrollment_token (
    id                  VARCHAR(36)   NOT NULL,
    token_hash          VARCHAR(64)   NOT NULL,
    organization        VARCHAR(128)  NOT NULL,
    profile             VARCHAR(16)   NOT NULL,
    function_types      VARCHAR(1024) NOT NULL,
    permission_scope    VARCHAR(1024) NOT NULL,
    created_by          VARCHAR(256)  NOT NULL,
    created_at          TIMESTAMP     NOT NULL,
    expires_at          TIMESTAMP     NOT NULL,
    used_at             TIMESTAMP,
    used_by_application VARCHAR(36),
    version             BIGINT        NOT NULL,
    CONSTRAINT pk_aca_enrollment_token PRIMARY KEY (id),
    CONSTRAINT uq_aca_enrollment_token_hash UNIQUE (token_hash),
    CONSTRAINT ck_aca_enrollment_token_profile CHECK (profile IN ('AGENT', 'GATEWAY'))
);

-- Who did what, when: issuance, approval, rejection, renewal, revocation, token creation.
CREATE TABLE aca_audit_event (
    id           VARCHAR(36)   NOT NULL,
    occurred_at  TIMESTAMP     NOT NULL,
    actor        VARCHAR(256)  NOT NULL,
    action       VARCHAR(32)   NOT NULL,
    target_type  VARCHAR(32)   NOT NULL,
    target_id    VARCHAR(64)   NOT NULL,
    detail       VARCHAR(2000),
    CONSTRAINT pk_aca_audit_event PRIMARY KEY (id)
);
CREATE INDEX ix_aca_audit_event_time ON aca_audit_event (occurred_at, id);
CREATE INDEX ix_aca_audit_event_target ON aca_audit_event (target_type, target_id);

-- The CRL's monotonic number and its current validity window (one row; the CRL itself is
-- rebuilt from aca_certificate and kept in memory).
CREATE TABLE aca_crl_state (
    id           INTEGER   NOT NULL,
    crl_number   BIGINT    NOT NULL,
    this_update  TIMESTAMP NOT NULL,
    next_update  TIMESTAMP NOT NULL,
    version      BIGINT    NOT NULL,
    CONSTRAINT pk_aca_crl_state PRIMARY KEY (id),
    CONSTRAINT ck_aca_crl_state_single CHECK (id = 1)
);
