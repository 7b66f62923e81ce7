-- Agent Gateway: traffic control (docs/agw.md "Traffic control"). Portable SQL (Derby and PostgreSQL).
-- The shared state of the token buckets, so that the limits hold across the nodes of one domain
-- that share this database. Each node decides from a local copy of a bucket and adds what it
-- consumed here every agentnet.agw.limits.sync-interval (Bucket4j's distributed bucket: read,
-- then compare-and-swap on revision).
--   bucket_key  SHA-256 (hex) of "<kind>|<limit>/<window>|<identity>": a changed limit is a new bucket
--   state       Bucket4j's serialized bucket state, Base64 (a few hundred characters at most)
--   revision    incremented by every write; a write names the revision it read (compare-and-swap)
--   expires_at  epoch milliseconds after which the bucket is full again and the row may be deleted
--               (job agw-rate-limit-cleanup)
CREATE TABLE agw_rate_limit (
    bucket_key  VARCHAR(64)   NOT NULL,
    state       VARCHAR(2000) NOT NULL,
    revision    BIGINT        NOT NULL,
    expires_at  BIGINT        NOT NULL,
    CONSTRAINT pk_agw_rate_limit PRIMARY KEY (bucket_key)
);
CREATE INDEX ix_agw_rate_limit_expiry ON agw_rate_limit (expires_at);
