-- ACA issuance throughput (docs/aca.md "Issuance throughput"). Portable SQL (Derby and PostgreSQL).

-- One row per public key that is certified or awaiting approval: the primary key makes "a key is
-- certified once" a rule of the database, so that concurrent applications (on one node or on
-- several nodes sharing the database) cannot both get the same key certified. An application's
-- claim is removed when it is rejected (its key may apply again); a same-key renewal keeps the
-- claim it has.
CREATE TABLE aca_key_claim (
    key_fingerprint VARCHAR(64) NOT NULL,
    claimed_at      TIMESTAMP   NOT NULL,
    CONSTRAINT pk_aca_key_claim PRIMARY KEY (key_fingerprint)
);

INSERT INTO aca_key_claim (key_fingerprint, claimed_at)
    SELECT key_fingerprint, MIN(issued_at) FROM aca_certificate GROUP BY key_fingerprint;

INSERT INTO aca_key_claim (key_fingerprint, claimed_at)
    SELECT a.key_fingerprint, MIN(a.submitted_at) FROM aca_application a
    WHERE a.state = 'PENDING'
      AND NOT EXISTS (SELECT 1 FROM aca_key_claim k WHERE k.key_fingerprint = a.key_fingerprint)
    GROUP BY a.key_fingerprint;
