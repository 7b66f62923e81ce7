-- Agent Gateway: relayed messages (draft 3.4.4). Portable SQL (Derby and PostgreSQL).
-- See docs/agw.md "Relay". One row per message this gateway accepted: from an agent that accessed
-- it (POST /api/v1/agw/messages, received_from NULL) or from a peer gateway (POST /api/v1/agw/relay,
-- received_from = the peer's agw:// URI). The id is the message ID, the same at every hop, so a
-- message repeated by a peer is recognised (at-least-once between hops, one delivery to the target).
-- jws is the sender's compact JWS exactly as received; sender_chain the sender's certificate (PEM).
CREATE TABLE agw_message (
    id                VARCHAR(36)    NOT NULL,
    sender_id         VARCHAR(36),
    sender_uri        VARCHAR(512)   NOT NULL,
    sender_chain      VARCHAR(16000) NOT NULL,
    target_id         VARCHAR(36)    NOT NULL,
    session_id        VARCHAR(128),
    content_type      VARCHAR(128)   NOT NULL,
    jws               VARCHAR(32000) NOT NULL,
    received_from     VARCHAR(512),
    state             VARCHAR(16)    NOT NULL,
    attempts          INTEGER        NOT NULL,
    next_attempt      TIMESTAMP      NOT NULL,
    last_error        VARCHAR(512),
    hop               VARCHAR(64),
    accepted_at       TIMESTAMP      NOT NULL,
    forwarded_at      TIMESTAMP,
    delivered_at      TIMESTAMP,
    updated_at        TIMESTAMP      NOT NULL,
    CONSTRAINT pk_agw_message PRIMARY KEY (id),
    CONSTRAINT ck_agw_message_state CHECK (state IN ('ACCEPTED', 'FORWARDED', 'INBOX', 'DELIVERED', 'FAILED'))
);
-- the inbox of a pulling agent, the recovery sweep's overdue messages
CREATE INDEX ix_agw_message_target ON agw_message (target_id, state, accepted_at);
CREATE INDEX ix_agw_message_due ON agw_message (state, next_attempt);
