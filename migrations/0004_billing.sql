-- Tariffs and billing (电价与核算): head-office tariff versions, bills with their lines, issue,
-- corrections, and the customer ledger that collection settles against. Bills, lines and
-- ledger entries are facts: insert-only. Core objects here are read by collection: add freely,
-- never rename or drop them.

-- Head-office reference data: a new version is a new row, never an edit.
CREATE TABLE tariff_versions (
  code           TEXT NOT NULL,
  effective_from TEXT NOT NULL,                 -- YYYY-MM-DD
  name           TEXT NOT NULL,
  customer_class TEXT NOT NULL,
  definition     TEXT NOT NULL,                 -- the validated tariff JSON (shared/billing/tariff.ts)
  imported_at    INTEGER NOT NULL,
  imported_by    TEXT REFERENCES staff (id),
  source_sha256  TEXT,
  PRIMARY KEY (code, effective_from)
) WITHOUT ROWID;

CREATE TABLE bills (
  id                    TEXT PRIMARY KEY,
  station_id            TEXT NOT NULL REFERENCES station (id),
  bill_no               TEXT NOT NULL UNIQUE,
  customer_id           TEXT NOT NULL REFERENCES customers (id),
  period                TEXT NOT NULL,          -- YYYY-MM
  kind                  TEXT NOT NULL DEFAULT 'regular' CHECK (kind IN ('regular', 'correction')),
  replaces_bill_id      TEXT REFERENCES bills (id),  -- a correction's new bill names the one it replaces
  tariff_code           TEXT NOT NULL,
  tariff_effective_from TEXT NOT NULL,
  kwh                   INTEGER NOT NULL,        -- centi
  total_fen             INTEGER NOT NULL,
  created_at            INTEGER NOT NULL,
  created_by            TEXT REFERENCES staff (id),
  run_id                TEXT,                   -- the billing run that made it (NULL for a correction)
  book_id               TEXT REFERENCES books (id), -- the book the customer was billed in (notices print in book order)
  book_seq              INTEGER,                -- the customer's first position in that book
  details               TEXT NOT NULL DEFAULT '{}' -- JSON: tier bounds and split, TOU kWh, power factor, readings shown on the notice
);
CREATE INDEX bills_customer ON bills (customer_id, period);
CREATE INDEX bills_replaces ON bills (replaces_bill_id) WHERE replaces_bill_id IS NOT NULL;
CREATE INDEX bills_period ON bills (period, book_id, book_seq);

CREATE TABLE bill_lines (
  bill_id    TEXT NOT NULL REFERENCES bills (id),
  line_no    INTEGER NOT NULL,
  point_id   TEXT REFERENCES metering_points (id),
  kind       TEXT NOT NULL,                     -- energy / tier_increment / capacity / demand / power_factor
  label_key  TEXT NOT NULL,                     -- tier1, peak, tier2_increment, …
  tier       INTEGER,
  tou_period TEXT,
  quantity   INTEGER,                           -- centi
  unit       TEXT,
  unit_price TEXT,                              -- decimal string, up to 8 places
  amount_fen INTEGER NOT NULL,
  PRIMARY KEY (bill_id, line_no)
) WITHOUT ROWID;

-- Which readings a bill used.
CREATE TABLE bill_readings (
  bill_id    TEXT NOT NULL REFERENCES bills (id),
  reading_id TEXT NOT NULL REFERENCES readings (id),
  PRIMARY KEY (bill_id, reading_id)
) WITHOUT ROWID;
CREATE INDEX bill_readings_reading ON bill_readings (reading_id);

-- Issuing posts the charge; a bill not issued yet is under review (核算).
CREATE TABLE bill_issues (
  bill_id   TEXT PRIMARY KEY REFERENCES bills (id),
  issued_at INTEGER NOT NULL,
  issued_by TEXT REFERENCES staff (id),
  due_date  TEXT NOT NULL                       -- YYYY-MM-DD
);

-- The customer's one account. amount_fen > 0 increases what the customer owes (a bill),
-- < 0 decreases it (a payment, a credit). Balance = sum; negative = prepaid (预收).
CREATE TABLE ledger_entries (
  id          TEXT PRIMARY KEY,
  station_id  TEXT NOT NULL REFERENCES station (id),
  customer_id TEXT NOT NULL REFERENCES customers (id),
  entry_type  TEXT NOT NULL,                    -- bill / bill_credit / payment / payment_reversal / penalty / …
  amount_fen  INTEGER NOT NULL,
  bill_id     TEXT REFERENCES bills (id),
  ref_id      TEXT,                             -- payment, reversal, correction … that caused it
  period      TEXT,
  at          INTEGER NOT NULL,
  by_staff    TEXT REFERENCES staff (id),
  memo        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_customer ON ledger_entries (customer_id, at);
CREATE INDEX ledger_bill ON ledger_entries (bill_id);
-- A billing run averages each customer's recent bills from here (covering: no table reads).
CREATE INDEX ledger_period ON ledger_entries (period, entry_type, customer_id, amount_fen);

CREATE TRIGGER bills_no_update BEFORE UPDATE ON bills BEGIN SELECT RAISE(ABORT, 'bills are facts: correct by reversal'); END;
CREATE TRIGGER bills_no_delete BEFORE DELETE ON bills BEGIN SELECT RAISE(ABORT, 'bills are facts: correct by reversal'); END;
CREATE TRIGGER bill_lines_no_update BEFORE UPDATE ON bill_lines BEGIN SELECT RAISE(ABORT, 'bill lines are facts'); END;
CREATE TRIGGER bill_lines_no_delete BEFORE DELETE ON bill_lines BEGIN SELECT RAISE(ABORT, 'bill lines are facts'); END;
CREATE TRIGGER bill_issues_no_update BEFORE UPDATE ON bill_issues BEGIN SELECT RAISE(ABORT, 'bill issues are facts'); END;
CREATE TRIGGER bill_issues_no_delete BEFORE DELETE ON bill_issues BEGIN SELECT RAISE(ABORT, 'bill issues are facts'); END;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger entries are facts'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger entries are facts'); END;


-- ---------------------------------------------------------------------------------------------
-- Added by the billing desk for the run, review, issue and correction workflow. All facts:
-- insert-only, a change is a new row.

-- Head-office billing policy (due days, exception thresholds, payment channels on notices):
-- versioned reference data like tariffs, imported with them.
CREATE TABLE billing_policy_versions (
  effective_from TEXT PRIMARY KEY,              -- YYYY-MM-DD
  definition     TEXT NOT NULL,                 -- JSON (shared/billing/policy.ts)
  imported_at    INTEGER NOT NULL,
  imported_by    TEXT REFERENCES staff (id),
  source_sha256  TEXT
) WITHOUT ROWID;

-- One billing run (核算) of a period, for a book or the whole station, written with its bills in
-- one transaction.
CREATE TABLE billing_runs (
  id          TEXT PRIMARY KEY,
  station_id  TEXT NOT NULL REFERENCES station (id),
  period      TEXT NOT NULL,
  book_id     TEXT REFERENCES books (id),       -- NULL = the whole station
  run_by      TEXT REFERENCES staff (id),
  started_at  INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  bills       INTEGER NOT NULL,
  total_fen   INTEGER NOT NULL,
  kwh         INTEGER NOT NULL,
  problems    INTEGER NOT NULL
);
CREATE INDEX billing_runs_period ON billing_runs (period, finished_at);

-- Customers a run could not bill (no tariff, tariff not in force, a figure missing), so the
-- billing clerk sees them among the exceptions before issue.
CREATE TABLE billing_run_problems (
  run_id      TEXT NOT NULL REFERENCES billing_runs (id),
  customer_id TEXT NOT NULL REFERENCES customers (id),
  code        TEXT NOT NULL,                    -- no_tariff / tariff_not_in_force / cannot_compute / …
  detail      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX billing_run_problems_customer ON billing_run_problems (customer_id);

-- Why a draft bill is on the exceptions list (zero bill, over ×3 the average, negative line…).
CREATE TABLE bill_flags (
  bill_id TEXT NOT NULL REFERENCES bills (id),
  code    TEXT NOT NULL,
  params  TEXT NOT NULL DEFAULT '{}',           -- JSON figures for the message
  PRIMARY KEY (bill_id, code)
) WITHOUT ROWID;

-- A billing clerk looked at a flagged draft and let it go to issue.
CREATE TABLE bill_reviews (
  id          TEXT PRIMARY KEY,
  bill_id     TEXT NOT NULL REFERENCES bills (id),
  note        TEXT NOT NULL DEFAULT '',
  reviewed_by TEXT REFERENCES staff (id),
  reviewed_at INTEGER NOT NULL
);
CREATE INDEX bill_reviews_bill ON bill_reviews (bill_id);

-- A draft withdrawn before issue (the reading goes back for correction); the next run bills the
-- customer again. An issued bill is never voided: it is corrected.
CREATE TABLE bill_voids (
  bill_id   TEXT PRIMARY KEY REFERENCES bills (id),
  reason    TEXT NOT NULL,
  voided_by TEXT REFERENCES staff (id),
  voided_at INTEGER NOT NULL
);

-- 冲正: a billing clerk asks to correct an issued bill, with the reason; the station head
-- approves (by their own login) or rejects. Approval credits the original and issues the new bill.
CREATE TABLE bill_corrections (
  id                 TEXT PRIMARY KEY,
  station_id         TEXT NOT NULL REFERENCES station (id),
  bill_id            TEXT NOT NULL REFERENCES bills (id),
  reason             TEXT NOT NULL,
  expected_total_fen INTEGER NOT NULL,          -- the recomputed total the request showed
  requested_by       TEXT REFERENCES staff (id),
  requested_at       INTEGER NOT NULL
);
CREATE INDEX bill_corrections_bill ON bill_corrections (bill_id);

CREATE TABLE bill_correction_decisions (
  correction_id   TEXT PRIMARY KEY REFERENCES bill_corrections (id),
  decision        TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
  note            TEXT NOT NULL DEFAULT '',
  decided_by      TEXT NOT NULL REFERENCES staff (id),
  decided_at      INTEGER NOT NULL,
  new_bill_id     TEXT REFERENCES bills (id),
  credit_entry_id TEXT REFERENCES ledger_entries (id),
  CHECK ((decision = 'approved') = (new_bill_id IS NOT NULL AND credit_entry_id IS NOT NULL))
);

-- Reactive energy (无功电量) and maximum demand (最大需量) of large customers for a period, for
-- the power-factor adjustment and the demand charge. The latest entry for (period, customer)
-- is the one in force.
CREATE TABLE billing_meter_extras (
  id            TEXT PRIMARY KEY,
  station_id    TEXT NOT NULL REFERENCES station (id),
  period        TEXT NOT NULL,
  customer_id   TEXT NOT NULL REFERENCES customers (id),
  kvarh         INTEGER,                        -- centi
  max_demand_kw INTEGER,                        -- centi
  entered_by    TEXT REFERENCES staff (id),
  entered_at    INTEGER NOT NULL
);
CREATE INDEX billing_meter_extras_customer ON billing_meter_extras (period, customer_id, entered_at);

-- Bills in force: not voided, not replaced by a correction. One per customer and period.
CREATE VIEW bills_in_force AS
SELECT b.* FROM bills b
WHERE NOT EXISTS (SELECT 1 FROM bill_voids v WHERE v.bill_id = b.id)
  AND NOT EXISTS (SELECT 1 FROM bills r WHERE r.replaces_bill_id = b.id);

CREATE TRIGGER bill_voids_not_issued BEFORE INSERT ON bill_voids
WHEN EXISTS (SELECT 1 FROM bill_issues i WHERE i.bill_id = NEW.bill_id)
BEGIN SELECT RAISE(ABORT, 'an issued bill cannot be voided: correct it'); END;
CREATE TRIGGER bill_issues_not_voided BEFORE INSERT ON bill_issues
WHEN EXISTS (SELECT 1 FROM bill_voids v WHERE v.bill_id = NEW.bill_id)
BEGIN SELECT RAISE(ABORT, 'a voided bill cannot be issued'); END;

CREATE TRIGGER billing_policy_no_update BEFORE UPDATE ON billing_policy_versions BEGIN SELECT RAISE(ABORT, 'policy versions are reference data: import a new version'); END;
CREATE TRIGGER billing_policy_no_delete BEFORE DELETE ON billing_policy_versions BEGIN SELECT RAISE(ABORT, 'policy versions are reference data: import a new version'); END;
CREATE TRIGGER tariff_versions_no_update BEFORE UPDATE ON tariff_versions BEGIN SELECT RAISE(ABORT, 'tariff versions are reference data: import a new version'); END;
CREATE TRIGGER tariff_versions_no_delete BEFORE DELETE ON tariff_versions BEGIN SELECT RAISE(ABORT, 'tariff versions are reference data: import a new version'); END;
CREATE TRIGGER billing_runs_no_update BEFORE UPDATE ON billing_runs BEGIN SELECT RAISE(ABORT, 'billing runs are facts'); END;
CREATE TRIGGER billing_runs_no_delete BEFORE DELETE ON billing_runs BEGIN SELECT RAISE(ABORT, 'billing runs are facts'); END;
CREATE TRIGGER billing_run_problems_no_update BEFORE UPDATE ON billing_run_problems BEGIN SELECT RAISE(ABORT, 'billing runs are facts'); END;
CREATE TRIGGER billing_run_problems_no_delete BEFORE DELETE ON billing_run_problems BEGIN SELECT RAISE(ABORT, 'billing runs are facts'); END;
CREATE TRIGGER bill_readings_no_update BEFORE UPDATE ON bill_readings BEGIN SELECT RAISE(ABORT, 'bill readings are facts'); END;
CREATE TRIGGER bill_readings_no_delete BEFORE DELETE ON bill_readings BEGIN SELECT RAISE(ABORT, 'bill readings are facts'); END;
CREATE TRIGGER bill_flags_no_update BEFORE UPDATE ON bill_flags BEGIN SELECT RAISE(ABORT, 'bill flags are facts'); END;
CREATE TRIGGER bill_flags_no_delete BEFORE DELETE ON bill_flags BEGIN SELECT RAISE(ABORT, 'bill flags are facts'); END;
CREATE TRIGGER bill_reviews_no_update BEFORE UPDATE ON bill_reviews BEGIN SELECT RAISE(ABORT, 'bill reviews are facts'); END;
CREATE TRIGGER bill_reviews_no_delete BEFORE DELETE ON bill_reviews BEGIN SELECT RAISE(ABORT, 'bill reviews are facts'); END;
CREATE TRIGGER bill_voids_no_update BEFORE UPDATE ON bill_voids BEGIN SELECT RAISE(ABORT, 'bill voids are facts'); END;
CREATE TRIGGER bill_voids_no_delete BEFORE DELETE ON bill_voids BEGIN SELECT RAISE(ABORT, 'bill voids are facts'); END;
CREATE TRIGGER bill_corrections_no_update BEFORE UPDATE ON bill_corrections BEGIN SELECT RAISE(ABORT, 'bill corrections are facts'); END;
CREATE TRIGGER bill_corrections_no_delete BEFORE DELETE ON bill_corrections BEGIN SELECT RAISE(ABORT, 'bill corrections are facts'); END;
CREATE TRIGGER bill_correction_decisions_no_update BEFORE UPDATE ON bill_correction_decisions BEGIN SELECT RAISE(ABORT, 'correction decisions are facts'); END;
CREATE TRIGGER bill_correction_decisions_no_delete BEFORE DELETE ON bill_correction_decisions BEGIN SELECT RAISE(ABORT, 'correction decisions are facts'); END;
CREATE TRIGGER billing_meter_extras_no_update BEFORE UPDATE ON billing_meter_extras BEGIN SELECT RAISE(ABORT, 'meter extras are facts: enter a new value'); END;
CREATE TRIGGER billing_meter_extras_no_delete BEFORE DELETE ON billing_meter_extras BEGIN SELECT RAISE(ABORT, 'meter extras are facts: enter a new value'); END;
