-- Notices from head office (总部通知), arriving in reference packs (docs/sync.md "Reference data
-- down"). A notice is reference data: insert-only, the same id again in a later (cumulative) pack
-- is the same notice. It is shown on every home page and on 数据上报 until the station head or
-- administrator marks it read; that mark is a row of its own (insert-only too), who and when.
CREATE TABLE sync_notices (
  id          TEXT PRIMARY KEY,               -- head office's notice id
  version     INTEGER NOT NULL,               -- the reference pack that first brought it
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  until       TEXT,                           -- YYYY-MM-DD: not shown after this day (null: until read)
  received_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE sync_notice_reads (
  notice_id TEXT PRIMARY KEY REFERENCES sync_notices (id),
  read_at   INTEGER NOT NULL,
  read_by   TEXT REFERENCES staff (id)
) WITHOUT ROWID;
CREATE TRIGGER sync_notices_no_update BEFORE UPDATE ON sync_notices BEGIN SELECT RAISE(ABORT, 'notices are reference data: head office sends a new one'); END;
CREATE TRIGGER sync_notices_no_delete BEFORE DELETE ON sync_notices BEGIN SELECT RAISE(ABORT, 'notices are reference data: head office sends a new one'); END;
CREATE TRIGGER sync_notice_reads_no_update BEFORE UPDATE ON sync_notice_reads BEGIN SELECT RAISE(ABORT, 'a read mark is a fact'); END;
CREATE TRIGGER sync_notice_reads_no_delete BEFORE DELETE ON sync_notice_reads BEGIN SELECT RAISE(ABORT, 'a read mark is a fact'); END;
