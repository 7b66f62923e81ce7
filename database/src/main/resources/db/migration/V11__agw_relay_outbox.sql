-- Relay outbox (docs/agw.md "Relay", "Retries and failure"). Portable SQL (Derby and PostgreSQL).
-- The agw_message row is a message's only queue entry: a dispatcher claims ACCEPTED rows whose
-- next_attempt is due (a conditional update that moves next_attempt to the end of the claim) and
-- tries them; no JMS message per relayed message any more. A delivery receipt owed to the peer a
-- message came from is the row's receipt_due (NULL: none owed), tried receipt_attempts times.
ALTER TABLE agw_message ADD COLUMN receipt_due TIMESTAMP;
ALTER TABLE agw_message ADD COLUMN receipt_attempts INTEGER DEFAULT 0 NOT NULL;
CREATE INDEX ix_agw_message_receipt ON agw_message (receipt_due);
