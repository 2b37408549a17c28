-- Sync with head office, station side (数据上报与下发): docs/sync.md.

-- 1. The outbox holds references, not copies. A fact that is insert-only in its own table
--    (reading, bill, bill issue, payment) keeps only (entity, entity_id, op, seq): the exporter
--    reads the row when it writes the batch. Mutable records (customer files, staff, books, …) and
--    anything the exporter cannot read back keep their payload. The table is rebuilt because
--    `payload` becomes nullable; seq values, and the AUTOINCREMENT high-water mark (rows already
--    pruned included), are kept.
CREATE TEMP TABLE outbox_seq_before AS
  SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0) AS seq;

DROP TRIGGER outbox_no_update;
DROP TRIGGER outbox_prune_acked_only;

CREATE TABLE outbox_v9 (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  station_id     TEXT NOT NULL,
  entity         TEXT NOT NULL,
  entity_id      TEXT NOT NULL,
  op             TEXT NOT NULL CHECK (op IN ('insert', 'update')),
  payload        TEXT,            -- NULL: a reference; the exporter reads the fact's row (sync/entities.ts)
  schema_version INTEGER NOT NULL,
  at             INTEGER NOT NULL
);

INSERT INTO outbox_v9 (seq, station_id, entity, entity_id, op, payload, schema_version, at)
SELECT o.seq, o.station_id, o.entity, o.entity_id, o.op,
       CASE
         WHEN o.op = 'insert' AND o.entity = 'reading' AND EXISTS (SELECT 1 FROM readings r WHERE r.id = o.entity_id) THEN NULL
         WHEN o.op = 'insert' AND o.entity = 'bill' AND EXISTS (SELECT 1 FROM bills b WHERE b.id = o.entity_id) THEN NULL
         WHEN o.op = 'insert' AND o.entity = 'bill_issue' AND EXISTS (SELECT 1 FROM bill_issues i WHERE i.bill_id = o.entity_id) THEN NULL
         WHEN o.op = 'insert' AND o.entity = 'payment' AND EXISTS (SELECT 1 FROM payments p WHERE p.id = o.entity_id) THEN NULL
         ELSE o.payload
       END,
       o.schema_version, o.at
FROM outbox o ORDER BY o.seq;

DROP TABLE outbox;
ALTER TABLE outbox_v9 RENAME TO outbox;

-- The high-water mark: never hand out a seq again, even one whose row was pruned.
UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM temp.outbox_seq_before)) WHERE name = 'outbox';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'outbox', seq FROM temp.outbox_seq_before
  WHERE seq > 0 AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox');
DROP TABLE temp.outbox_seq_before;

CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox
BEGIN SELECT RAISE(ABORT, 'outbox is append-only'); END;
CREATE TRIGGER outbox_prune_acked_only BEFORE DELETE ON outbox
WHEN OLD.seq > (SELECT acked_seq FROM sync_state WHERE singleton = 1)
BEGIN SELECT RAISE(ABORT, 'outbox rows not yet acknowledged by head office cannot be deleted'); END;

-- 2. The station's sync state: epoch (a new one at each key rotation or bootstrap), head office's
--    trusted key (installed once, at enrolment) and the reference-data version in force.
ALTER TABLE sync_state ADD COLUMN epoch INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sync_state ADD COLUMN hq_id TEXT;
ALTER TABLE sync_state ADD COLUMN hq_key_id TEXT;
ALTER TABLE sync_state ADD COLUMN hq_public_key TEXT;          -- base64 of the 32 raw Ed25519 bytes
ALTER TABLE sync_state ADD COLUMN hq_installed_at INTEGER;
ALTER TABLE sync_state ADD COLUMN reference_version INTEGER;   -- last reference pack applied
ALTER TABLE sync_state ADD COLUMN acked_at INTEGER;

-- The station's own key pairs, one per epoch. The private key never enters the database (it
-- would travel in every backup): it lives in a file beside it, readable by the owner only, or
-- sealed by the desktop shell (docs/sync.md "Keys").
CREATE TABLE sync_keys (
  key_id      TEXT PRIMARY KEY,
  epoch       INTEGER NOT NULL UNIQUE,
  public_key  TEXT NOT NULL,            -- base64 raw
  key_file    TEXT NOT NULL,            -- file name of the private key beside the database
  protection  TEXT NOT NULL,            -- 'file-0600' | 'safeStorage'
  created_at  INTEGER NOT NULL,
  created_by  TEXT,
  retired_at  INTEGER
);

-- Every batch file written. A re-export of the same range writes the same file (same hash).
CREATE TABLE sync_batches (
  sha256          TEXT PRIMARY KEY,
  epoch           INTEGER NOT NULL,
  from_seq        INTEGER NOT NULL,
  to_seq          INTEGER NOT NULL,
  row_count       INTEGER NOT NULL,
  bytes           INTEGER NOT NULL,
  key_id          TEXT NOT NULL,
  previous_sha256 TEXT,
  file_name       TEXT NOT NULL,
  counts          TEXT NOT NULL DEFAULT '{}',  -- JSON rows by entity
  made_at         INTEGER NOT NULL,
  made_by         TEXT
);
CREATE INDEX sync_batches_range ON sync_batches (epoch, from_seq, to_seq);

-- Head office's answers, applied or refused (a refused file is kept with its reason).
CREATE TABLE sync_acks (
  id            INTEGER PRIMARY KEY,
  file_sha256   TEXT NOT NULL,
  batch_sha256  TEXT,
  epoch         INTEGER,
  from_seq      INTEGER,
  to_seq        INTEGER,
  status        TEXT NOT NULL,      -- applied / duplicate / held / rejected (head office's), refused (ours)
  reason        TEXT NOT NULL DEFAULT '',
  acked_seq     INTEGER,
  outcome       TEXT NOT NULL CHECK (outcome IN ('recorded', 'refused')),
  received_at   INTEGER NOT NULL,
  received_by   TEXT
);

-- Reference packs applied, one row per version.
CREATE TABLE sync_reference_packs (
  version      INTEGER PRIMARY KEY,
  hq_id        TEXT NOT NULL,
  file_sha256  TEXT NOT NULL,
  counts       TEXT NOT NULL DEFAULT '{}',
  applied_at   INTEGER NOT NULL,
  applied_by   TEXT
);

-- Reference rows this build has no loader for yet (score sheets until the appraisal desk's
-- loader is here, policies, staff changes, notices): kept as head office sent them.
CREATE TABLE sync_reference_held (
  version  INTEGER NOT NULL REFERENCES sync_reference_packs (version),
  n        INTEGER NOT NULL,
  type     TEXT NOT NULL,
  data     TEXT NOT NULL,
  PRIMARY KEY (version, n)
) WITHOUT ROWID;

CREATE TRIGGER sync_batches_no_update BEFORE UPDATE ON sync_batches BEGIN SELECT RAISE(ABORT, 'batch records are facts'); END;
CREATE TRIGGER sync_acks_no_update BEFORE UPDATE ON sync_acks BEGIN SELECT RAISE(ABORT, 'ack records are facts'); END;
CREATE TRIGGER sync_acks_no_delete BEFORE DELETE ON sync_acks BEGIN SELECT RAISE(ABORT, 'ack records are facts'); END;
CREATE TRIGGER sync_reference_packs_no_update BEFORE UPDATE ON sync_reference_packs BEGIN SELECT RAISE(ABORT, 'reference packs are facts'); END;
CREATE TRIGGER sync_reference_packs_no_delete BEFORE DELETE ON sync_reference_packs BEGIN SELECT RAISE(ABORT, 'reference packs are facts'); END;
