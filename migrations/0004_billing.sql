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
  created_by            TEXT REFERENCES staff (id)
);
CREATE INDEX bills_customer ON bills (customer_id, period);
CREATE INDEX bills_period ON bills (period);

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

CREATE TRIGGER bills_no_update BEFORE UPDATE ON bills BEGIN SELECT RAISE(ABORT, 'bills are facts: correct by reversal'); END;
CREATE TRIGGER bills_no_delete BEFORE DELETE ON bills BEGIN SELECT RAISE(ABORT, 'bills are facts: correct by reversal'); END;
CREATE TRIGGER bill_lines_no_update BEFORE UPDATE ON bill_lines BEGIN SELECT RAISE(ABORT, 'bill lines are facts'); END;
CREATE TRIGGER bill_lines_no_delete BEFORE DELETE ON bill_lines BEGIN SELECT RAISE(ABORT, 'bill lines are facts'); END;
CREATE TRIGGER bill_issues_no_update BEFORE UPDATE ON bill_issues BEGIN SELECT RAISE(ABORT, 'bill issues are facts'); END;
CREATE TRIGGER bill_issues_no_delete BEFORE DELETE ON bill_issues BEGIN SELECT RAISE(ABORT, 'bill issues are facts'); END;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger entries are facts'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger entries are facts'); END;
