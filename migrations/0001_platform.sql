-- GridDesk platform tables: the station, its staff, human-number counters, the audit log and
-- the outbox of changes for head office. Single-quoted string literals only.

CREATE TABLE schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at INTEGER NOT NULL
);

-- One row: this database is one station's book.
CREATE TABLE station (
  id         TEXT PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  singleton  INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1)
);

CREATE TABLE staff (
  id                   TEXT PRIMARY KEY,
  station_id           TEXT NOT NULL REFERENCES station (id),
  staff_no             TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name                 TEXT NOT NULL,
  password_hash        BLOB NOT NULL,
  password_salt        BLOB NOT NULL,
  password_params      TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  failed_attempts      INTEGER NOT NULL DEFAULT 0,
  locked_until         INTEGER,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);

CREATE TABLE staff_roles (
  staff_id TEXT NOT NULL REFERENCES staff (id),
  role     TEXT NOT NULL CHECK (role IN ('clerk', 'meter_reader', 'billing_clerk', 'station_head', 'admin')),
  PRIMARY KEY (staff_id, role)
) WITHOUT ROWID;

-- Human numbers (account, receipt, bill numbers) come from here, inside the writing
-- transaction, so a number is never reused and never skipped without a trace.
CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;

-- Who did what, when. Append-only: the triggers below refuse any change.
CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  at        INTEGER NOT NULL,
  staff_id  TEXT REFERENCES staff (id),
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id TEXT,
  summary   TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_staff ON audit_log (staff_id, at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Sync cursor with head office: the outbox may be pruned only up to what head office acknowledged.
CREATE TABLE sync_state (
  singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
  acked_seq  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_state (singleton, acked_seq) VALUES (1, 0);

-- Every business write, in the same transaction, for the monthly batch to head office.
CREATE TABLE outbox (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  station_id     TEXT NOT NULL,
  entity         TEXT NOT NULL,
  entity_id      TEXT NOT NULL,
  op             TEXT NOT NULL CHECK (op IN ('insert', 'update')),
  payload        TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  at             INTEGER NOT NULL
);

CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox
BEGIN SELECT RAISE(ABORT, 'outbox is append-only'); END;
CREATE TRIGGER outbox_prune_acked_only BEFORE DELETE ON outbox
WHEN OLD.seq > (SELECT acked_seq FROM sync_state WHERE singleton = 1)
BEGIN SELECT RAISE(ABORT, 'outbox rows not yet acknowledged by head office cannot be deleted'); END;
