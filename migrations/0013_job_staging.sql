-- Opening a period and the customer import commit in slices (issue 18: nothing waits).
--
-- Opening a period for a whole station wrote its due list (~100,000 rows) in one transaction of
-- about 2.5 s, and a 50,000-row customer import's commit held the store for 6–8 s: a payment at
-- the counter waited, and a second process could fail after the 5 s busy_timeout. Both now write
-- in short slices, each with its own run state:
--
-- * Opening a period (开抄表期): the due rows are computed book by book into reading_due_staged
--   (same shape as reading_due, no reference to a period that does not exist yet), listed in
--   period_opens_open while it runs. The last transaction inserts the period and copies the
--   staged rows into reading_due at once: nobody sees a half-made due list. A point moved or a
--   reading corrected while staging is brought up to date there too (refreshDueRows). An open
--   stopped half-way (crash, power cut) is discarded by the next try of that period, which
--   starts again from nothing.
-- * The customer import commit (导入客户): customers are filed slice by slice, and each slice
--   records the workbook rows it filed in customer_import_rows under the import's id, listed in
--   customer_imports_open until the last slice. The import therefore states exactly what was
--   filed; a stopped import is finished by checking the same file again (same content hash):
--   the rows already filed are shown as filed and are not filed twice.

CREATE TABLE reading_due_staged (
  period             TEXT NOT NULL,
  point_id           TEXT NOT NULL,
  book_id            TEXT NOT NULL,
  seq                INTEGER NOT NULL,
  meter_id           TEXT NOT NULL,
  previous_reading   INTEGER NOT NULL,
  previous_registers TEXT,
  previous_date      TEXT,
  previous_meter_id  TEXT,
  previous_multiplier INTEGER,
  PRIMARY KEY (period, point_id)
) WITHOUT ROWID;

CREATE TABLE period_opens_open (
  period       TEXT PRIMARY KEY,
  opened_by    TEXT REFERENCES staff (id),
  started_at   INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,                   -- last slice written: older than a minute = stopped
  books_done   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE customer_imports_open (
  import_id    TEXT PRIMARY KEY,                   -- the preview's id, also customers.import_batch
  file_hash    TEXT NOT NULL,                      -- sha256 of the workbook: the same file finishes it
  file_name    TEXT NOT NULL,
  staff_id     TEXT REFERENCES staff (id),
  started_at   INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  customers    INTEGER NOT NULL DEFAULT 0,         -- filed so far
  meters       INTEGER NOT NULL DEFAULT 0,
  stopped_at   INTEGER                             -- a slice was refused (a row changed since the check): finished by a new check
);
CREATE INDEX customer_imports_open_hash ON customer_imports_open (file_hash);

-- The workbook rows an import filed (the first row of each customer), insert-only.
CREATE TABLE customer_import_rows (
  import_id    TEXT NOT NULL,
  first_row    INTEGER NOT NULL,
  customer_id  TEXT NOT NULL REFERENCES customers (id),
  PRIMARY KEY (import_id, first_row)
) WITHOUT ROWID;
