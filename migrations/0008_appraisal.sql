-- Staff appraisal (绩效考核): head-office score sheets (考核方案), each month's appraisal of every
-- member of staff in versions (computed draft, recomputed when the data changed, revised after
-- signing with a reason), the head's bonus and deduction points (加减分) with reasons, the staff
-- member's acknowledgement or dispute, and the head's signature. Everything here is a fact:
-- insert-only by trigger; a change is a new row (a new version names the reason).

-- Head-office policy, versioned like tariffs: a loaded version never changes.
CREATE TABLE appraisal_sheets (
  code           TEXT NOT NULL,
  effective_from TEXT NOT NULL,                 -- YYYY-MM: the first month it applies to
  name           TEXT NOT NULL,
  full_score     INTEGER NOT NULL CHECK (full_score > 0),
  definition     TEXT NOT NULL,                 -- the checked sheet JSON (shared/appraisal/sheet.ts)
  imported_at    INTEGER NOT NULL,
  imported_by    TEXT REFERENCES staff (id),
  source_sha256  TEXT,
  PRIMARY KEY (code, effective_from)
) WITHOUT ROWID;

-- The day a member of staff started at the station, when it is earlier or later than their login
-- was made (the mid-month rule reads it). The newest row counts.
CREATE TABLE appraisal_staff_start (
  id         TEXT PRIMARY KEY,
  staff_id   TEXT NOT NULL REFERENCES staff (id),
  start_date TEXT NOT NULL,                     -- YYYY-MM-DD
  set_by     TEXT REFERENCES staff (id),
  set_at     INTEGER NOT NULL
);
CREATE INDEX appraisal_staff_start_staff ON appraisal_staff_start (staff_id, set_at);

-- One version of one person's appraisal for one month. Version 1 is the computed draft; a later
-- version is a recomputation (the data changed before signing) or a revision of a signed one,
-- with its reason. The KPI figures are kept as computed, so the sheet prints what was signed.
CREATE TABLE appraisal_versions (
  id                   TEXT PRIMARY KEY,
  station_id           TEXT NOT NULL REFERENCES station (id),
  period               TEXT NOT NULL,           -- YYYY-MM
  staff_id             TEXT NOT NULL REFERENCES staff (id),
  version_no           INTEGER NOT NULL CHECK (version_no > 0),
  kind                 TEXT NOT NULL CHECK (kind IN ('draft', 'recompute', 'revision')),
  reason               TEXT NOT NULL DEFAULT '',
  sheet_code           TEXT NOT NULL,
  sheet_effective_from TEXT NOT NULL,
  roles                TEXT NOT NULL,           -- JSON: the roles appraised
  kpis                 TEXT NOT NULL,           -- JSON KpiValue[] as computed
  computed_at          INTEGER NOT NULL,
  computed_by          TEXT REFERENCES staff (id),
  UNIQUE (period, staff_id, version_no),
  FOREIGN KEY (sheet_code, sheet_effective_from) REFERENCES appraisal_sheets (code, effective_from),
  CHECK (kind = 'draft' OR length(trim(reason)) > 0)
);
CREATE INDEX appraisal_versions_staff ON appraisal_versions (staff_id, period);

-- The head's points on a version: on a manual item (item_id) within its bounds, or bonus and
-- deduction points (item_id NULL) within the sheet's bounds. Always with a reason. A new version
-- carries the entries of the one before (carried_from).
CREATE TABLE appraisal_entries (
  id           TEXT PRIMARY KEY,
  version_id   TEXT NOT NULL REFERENCES appraisal_versions (id),
  item_id      TEXT,
  points_centi INTEGER NOT NULL CHECK (points_centi <> 0),
  reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  entered_by   TEXT REFERENCES staff (id),
  entered_at   INTEGER NOT NULL,
  carried_from TEXT REFERENCES appraisal_entries (id)
);
CREATE INDEX appraisal_entries_version ON appraisal_entries (version_id);

-- The staff member's own answer to a version: acknowledged (确认) or disputed (有异议) with a note.
CREATE TABLE appraisal_responses (
  id         TEXT PRIMARY KEY,
  version_id TEXT NOT NULL REFERENCES appraisal_versions (id),
  staff_id   TEXT NOT NULL REFERENCES staff (id),
  kind       TEXT NOT NULL CHECK (kind IN ('acknowledge', 'dispute')),
  note       TEXT NOT NULL DEFAULT '',
  at         INTEGER NOT NULL,
  CHECK (kind = 'acknowledge' OR length(trim(note)) > 0)
);
CREATE INDEX appraisal_responses_version ON appraisal_responses (version_id, at);

-- The head's signature: one per version (a second is refused by the key), with the sheet as
-- signed (items, figures, entries, total) so it prints the same for ever.
CREATE TABLE appraisal_signatures (
  version_id  TEXT PRIMARY KEY REFERENCES appraisal_versions (id),
  period      TEXT NOT NULL,
  staff_id    TEXT NOT NULL REFERENCES staff (id),
  signed_by   TEXT REFERENCES staff (id),
  signed_by_label TEXT NOT NULL,
  signed_at   INTEGER NOT NULL,
  total_centi INTEGER NOT NULL,
  snapshot    TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX appraisal_signatures_period ON appraisal_signatures (period, staff_id);

-- A signed version takes no more points or answers: a change is a new version with a reason.
CREATE TRIGGER appraisal_entries_not_signed BEFORE INSERT ON appraisal_entries
WHEN EXISTS (SELECT 1 FROM appraisal_signatures WHERE version_id = NEW.version_id)
BEGIN SELECT RAISE(ABORT, 'this appraisal is signed: make a new version with a reason'); END;
CREATE TRIGGER appraisal_responses_not_signed BEFORE INSERT ON appraisal_responses
WHEN EXISTS (SELECT 1 FROM appraisal_signatures WHERE version_id = NEW.version_id)
BEGIN SELECT RAISE(ABORT, 'this appraisal is signed: make a new version with a reason'); END;

CREATE TRIGGER appraisal_sheets_no_update BEFORE UPDATE ON appraisal_sheets BEGIN SELECT RAISE(ABORT, 'score sheets are versioned: load a new version'); END;
CREATE TRIGGER appraisal_sheets_no_delete BEFORE DELETE ON appraisal_sheets BEGIN SELECT RAISE(ABORT, 'score sheets are versioned: load a new version'); END;
CREATE TRIGGER appraisal_staff_start_no_update BEFORE UPDATE ON appraisal_staff_start BEGIN SELECT RAISE(ABORT, 'start dates are facts: enter a new one'); END;
CREATE TRIGGER appraisal_staff_start_no_delete BEFORE DELETE ON appraisal_staff_start BEGIN SELECT RAISE(ABORT, 'start dates are facts: enter a new one'); END;
CREATE TRIGGER appraisal_versions_no_update BEFORE UPDATE ON appraisal_versions BEGIN SELECT RAISE(ABORT, 'appraisals are facts: make a new version'); END;
CREATE TRIGGER appraisal_versions_no_delete BEFORE DELETE ON appraisal_versions BEGIN SELECT RAISE(ABORT, 'appraisals are facts: make a new version'); END;
CREATE TRIGGER appraisal_entries_no_update BEFORE UPDATE ON appraisal_entries BEGIN SELECT RAISE(ABORT, 'appraisal points are facts'); END;
CREATE TRIGGER appraisal_entries_no_delete BEFORE DELETE ON appraisal_entries BEGIN SELECT RAISE(ABORT, 'appraisal points are facts'); END;
CREATE TRIGGER appraisal_responses_no_update BEFORE UPDATE ON appraisal_responses BEGIN SELECT RAISE(ABORT, 'appraisal answers are facts'); END;
CREATE TRIGGER appraisal_responses_no_delete BEFORE DELETE ON appraisal_responses BEGIN SELECT RAISE(ABORT, 'appraisal answers are facts'); END;
CREATE TRIGGER appraisal_signatures_no_update BEFORE UPDATE ON appraisal_signatures BEGIN SELECT RAISE(ABORT, 'a signed appraisal is a fact: make a new version with a reason'); END;
CREATE TRIGGER appraisal_signatures_no_delete BEFORE DELETE ON appraisal_signatures BEGIN SELECT RAISE(ABORT, 'a signed appraisal is a fact: make a new version with a reason'); END;
