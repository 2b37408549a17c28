-- Meter reading (抄表): books, periods, the meters due in a period, readings and reviews.
-- Readings and reviews are facts: insert-only (a correction is a new reading that supersedes).
-- Core objects here are read by billing (the billable_readings view): add freely, never rename
-- or drop them.

CREATE TABLE books (
  id          TEXT PRIMARY KEY,
  station_id  TEXT NOT NULL REFERENCES station (id),
  book_no     TEXT NOT NULL UNIQUE,                    -- 抄表本号
  name        TEXT NOT NULL,
  reader_id   TEXT REFERENCES staff (id),              -- assigned meter reader
  reading_day INTEGER NOT NULL CHECK (reading_day BETWEEN 1 AND 31),
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- Each metering point is in at most one book, at a position (抄表序号).
CREATE TABLE book_points (
  point_id TEXT PRIMARY KEY REFERENCES metering_points (id),
  book_id  TEXT NOT NULL REFERENCES books (id),
  seq      INTEGER NOT NULL
);
CREATE INDEX book_points_order ON book_points (book_id, seq);

CREATE TABLE reading_periods (
  period    TEXT PRIMARY KEY,                          -- YYYY-MM
  status    TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_at INTEGER NOT NULL,
  opened_by TEXT REFERENCES staff (id),
  closed_at INTEGER,
  closed_by TEXT REFERENCES staff (id)
);

-- What is due in a period: one row per metering point, made when the period opens, with the
-- previous reading (起码) the reader starts from.
CREATE TABLE reading_due (
  period             TEXT NOT NULL REFERENCES reading_periods (period),
  point_id           TEXT NOT NULL REFERENCES metering_points (id),
  book_id            TEXT NOT NULL REFERENCES books (id),
  seq                INTEGER NOT NULL,
  meter_id           TEXT NOT NULL REFERENCES meters (id),
  previous_reading   INTEGER NOT NULL,
  previous_registers TEXT,
  previous_date      TEXT,
  previous_meter_id  TEXT REFERENCES meters (id),       -- the meter 起码 was read on (≠ meter_id after a 换表)
  previous_multiplier INTEGER,                          -- 倍率 the previous reading was taken at (NULL: first reading)
  PRIMARY KEY (period, point_id)
) WITHOUT ROWID;
CREATE INDEX reading_due_book ON reading_due (period, book_id, seq);

CREATE TABLE readings (
  id              TEXT PRIMARY KEY,
  station_id      TEXT NOT NULL REFERENCES station (id),
  period          TEXT NOT NULL REFERENCES reading_periods (period),
  point_id        TEXT NOT NULL REFERENCES metering_points (id),
  meter_id        TEXT NOT NULL REFERENCES meters (id),  -- the meter read (after a replacement, the new one)
  reading_date    TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('actual', 'estimated', 'no_access')), -- 实抄 / 估抄 / 未抄到
  value           INTEGER,                               -- 止码 centi; NULL when no access
  registers       TEXT,                                  -- JSON centi per TOU register
  previous_value  INTEGER,                               -- 起码 used
  consumption     INTEGER,                               -- kWh centi after multiplier (both meters after 换表)
  tou_consumption TEXT,                                  -- JSON kWh centi per TOU register
  rollover        INTEGER NOT NULL DEFAULT 0 CHECK (rollover IN (0, 1)),
  flags           TEXT NOT NULL DEFAULT '[]',            -- JSON [{code, severity, params}] (warnings)
  needs_review    INTEGER NOT NULL DEFAULT 0 CHECK (needs_review IN (0, 1)),
  reason          TEXT NOT NULL DEFAULT '',              -- estimate / no access / correction reason
  supersedes      TEXT REFERENCES readings (id),         -- a correction names the reading it replaces
  source          TEXT NOT NULL CHECK (source IN ('keyboard', 'import', 'remote')),
  entered_by      TEXT REFERENCES staff (id),
  entered_at      INTEGER NOT NULL,
  previous_date   TEXT,                                  -- date of 起码 (the previous reading, or the meter's install date)
  multiplier      INTEGER,                               -- 倍率 the reading was taken at (the new meter's after 换表)
  read_by         TEXT REFERENCES staff (id),            -- who read the meter in the field (handheld file's reader)
  replaced_meter_id TEXT REFERENCES meters (id)          -- 换表: the old meter whose final reading is counted too
);
CREATE INDEX readings_period_point ON readings (period, point_id);
CREATE INDEX readings_point ON readings (point_id, period);
CREATE UNIQUE INDEX readings_supersedes ON readings (supersedes) WHERE supersedes IS NOT NULL;
-- One first reading per (period, point): anything after it is a correction naming what it replaces.
CREATE UNIQUE INDEX readings_first ON readings (period, point_id) WHERE supersedes IS NULL;
-- The review queue: readings with warnings, by period.
CREATE INDEX readings_flagged ON readings (period, point_id) WHERE needs_review = 1;

CREATE TABLE reading_reviews (
  id          TEXT PRIMARY KEY,
  reading_id  TEXT NOT NULL REFERENCES readings (id),
  decision    TEXT NOT NULL CHECK (decision IN ('accept', 'correct', 'site_visit')),
  note        TEXT NOT NULL DEFAULT '',
  reviewed_by TEXT NOT NULL REFERENCES staff (id),
  reviewed_at INTEGER NOT NULL
);
CREATE INDEX reading_reviews_reading ON reading_reviews (reading_id, reviewed_at);

-- Reading-check thresholds (抄表复核阈值) are head-office policy: a new version is a new row with
-- the date it takes effect; the checks use the newest one in force (defaults when there is none).
CREATE TABLE reading_policies (
  effective_from TEXT PRIMARY KEY,                     -- YYYY-MM-DD
  definition     TEXT NOT NULL,                        -- JSON overrides of shared/readings/policy.ts
  imported_at    INTEGER NOT NULL,
  imported_by    TEXT REFERENCES staff (id)
) WITHOUT ROWID;
CREATE TRIGGER reading_policies_no_update BEFORE UPDATE ON reading_policies
BEGIN SELECT RAISE(ABORT, 'policies are versioned: import a newer one instead'); END;
CREATE TRIGGER reading_policies_no_delete BEFORE DELETE ON reading_policies
BEGIN SELECT RAISE(ABORT, 'policies are versioned: import a newer one instead'); END;

CREATE TRIGGER readings_no_update BEFORE UPDATE ON readings
BEGIN SELECT RAISE(ABORT, 'readings are facts: enter a correction instead'); END;
CREATE TRIGGER readings_no_delete BEFORE DELETE ON readings
BEGIN SELECT RAISE(ABORT, 'readings are facts: enter a correction instead'); END;
CREATE TRIGGER reading_reviews_no_update BEFORE UPDATE ON reading_reviews
BEGIN SELECT RAISE(ABORT, 'reviews are facts'); END;
CREATE TRIGGER reading_reviews_no_delete BEFORE DELETE ON reading_reviews
BEGIN SELECT RAISE(ABORT, 'reviews are facts'); END;

-- The reading in force for each (period, point): the one no correction supersedes.
CREATE VIEW current_readings AS
SELECT r.* FROM readings r
WHERE NOT EXISTS (SELECT 1 FROM readings s WHERE s.supersedes = r.id);

-- What billing may bill: the reading in force, read or estimated (not "no access"), and either
-- clean or accepted by a reviewer (the latest review decides).
CREATE VIEW billable_readings AS
SELECT r.*, p.customer_id
FROM current_readings r
JOIN metering_points p ON p.id = r.point_id
WHERE r.kind <> 'no_access'
  AND r.consumption IS NOT NULL
  AND (r.needs_review = 0
       OR (SELECT v.decision FROM reading_reviews v WHERE v.reading_id = r.id
           ORDER BY v.reviewed_at DESC, v.id DESC LIMIT 1) = 'accept');
