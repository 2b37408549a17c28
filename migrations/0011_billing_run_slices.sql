-- A billing run writes in slices (issue 18: nothing waits).
--
-- A whole station's run (核算) wrote its 100,000 bills in one transaction of ~6 s: the back end
-- and every other writer (a payment at the counter, the CLI) waited for it, and a second process
-- could fail outright after the 5 s busy_timeout. The run now writes its bills in slices of a few
-- hundred milliseconds each, and keeps all-or-nothing for the clerk through a run state:
--
-- * billing_runs_open lists the runs still writing. Their bills are in bill_rows (the table that
--   was `bills`) but the view `bills`, which every reader uses, leaves them out; the run's last,
--   short transaction writes its billing_runs row and deletes its billing_runs_open row, and all
--   its bills appear at once.
-- * A run stopped half-way (crash, power cut) keeps its open row. The next run of that period, or
--   the back end's next start, resumes it: it bills only the customers the stopped run had not
--   written yet, then finishes it. Its bills were never visible in between.
--
-- Writers of bills insert into bill_rows (writeStaged); INSERT INTO bills still works through the
-- INSTEAD OF trigger (corrections' fixtures and tests), UPDATE and DELETE are refused as before.

CREATE TABLE billing_runs_open (
  run_id       TEXT PRIMARY KEY,
  station_id   TEXT NOT NULL REFERENCES station (id),
  period       TEXT NOT NULL,
  book_id      TEXT REFERENCES books (id),        -- NULL = the whole station
  customer_id  TEXT REFERENCES customers (id),    -- a run for one customer
  run_by       TEXT REFERENCES staff (id),
  started_at   INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,                  -- last slice written: a run older than a minute has stopped
  bills        INTEGER NOT NULL DEFAULT 0,        -- written so far
  total_fen    INTEGER NOT NULL DEFAULT 0,
  kwh          INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE bills RENAME TO bill_rows;           -- carries its indexes, triggers and the references to it

DROP VIEW bills_in_force;                        -- rewritten onto bill_rows by the rename: made again on `bills`

CREATE VIEW bills AS
SELECT * FROM bill_rows
WHERE run_id IS NULL OR run_id NOT IN (SELECT run_id FROM billing_runs_open);

-- Bills in force: not voided, not replaced by a correction. One per customer and period.
CREATE VIEW bills_in_force AS
SELECT b.* FROM bills b
WHERE NOT EXISTS (SELECT 1 FROM bill_voids v WHERE v.bill_id = b.id)
  AND NOT EXISTS (SELECT 1 FROM bills r WHERE r.replaces_bill_id = b.id);

CREATE TRIGGER bills_view_insert INSTEAD OF INSERT ON bills BEGIN
  INSERT INTO bill_rows (id, station_id, bill_no, customer_id, period, kind, replaces_bill_id, tariff_code, tariff_effective_from,
                         kwh, total_fen, created_at, created_by, run_id, book_id, book_seq, details)
  VALUES (NEW.id, NEW.station_id, NEW.bill_no, NEW.customer_id, NEW.period, coalesce(NEW.kind, 'regular'), NEW.replaces_bill_id,
          NEW.tariff_code, NEW.tariff_effective_from, NEW.kwh, NEW.total_fen, NEW.created_at, NEW.created_by, NEW.run_id,
          NEW.book_id, NEW.book_seq, coalesce(NEW.details, '{}'));
END;
CREATE TRIGGER bills_view_no_update INSTEAD OF UPDATE ON bills BEGIN SELECT RAISE(ABORT, 'bills are facts: correct by reversal'); END;
CREATE TRIGGER bills_view_no_delete INSTEAD OF DELETE ON bills BEGIN SELECT RAISE(ABORT, 'bills are facts: correct by reversal'); END;
