-- Counter fee collection (电费收缴): payments and how they settle bills (销账), receipts and
-- their prints, reversals (冲正) with the station head's approval, daily closings (日结) with
-- sign-off, penalty waivers (违约金减免), arrears reminders (催费通知单) and disconnection notices
-- (停电通知), and head-office collection policies. Every table here is a fact: insert-only by
-- trigger; a correction is a new row naming the one it corrects. Money in integer fen.
--
-- The customer's balance stays the ledger (ledger_entries, 0004): a payment posts 'payment'
-- (−amount), the penalty it settles posts 'penalty' (+), a reversal posts 'payment_reversal' (+)
-- and 'penalty_reversal' (−), a waiver posts 'penalty' (+) and 'penalty_waiver' (−). Which part of
-- which bill a payment settled lives in settlement_lines.

-- Head-office policy (late-payment penalty, disconnection), by effective date. The defaults are
-- the rules of 供电营业规则 art. 98 and 电力供应与使用条例 art. 39; a newer version is a new row.
CREATE TABLE collection_policies (
  kind           TEXT NOT NULL CHECK (kind IN ('penalty', 'disconnection')),
  effective_from TEXT NOT NULL,                 -- YYYY-MM-DD
  definition     TEXT NOT NULL,                 -- JSON, validated by shared/collection (penaltyPolicySchema, …)
  imported_at    INTEGER NOT NULL,
  imported_by    TEXT REFERENCES staff (id),
  PRIMARY KEY (kind, effective_from)
) WITHOUT ROWID;
INSERT INTO collection_policies (kind, effective_from, definition, imported_at) VALUES
  ('penalty', '1996-10-08', '{"residentialDailyBp":10,"currentYearDailyBp":20,"priorYearDailyBp":30,"minimumFen":100,"graceDays":0,"priorYearRule":"by_day"}', 0),
  ('disconnection', '1996-09-01', '{"overdueDaysMoreThan":30,"residentialNoticeDays":7,"otherNoticeDays":3}', 0);

-- A payment taken at the counter. The receipt number comes from the station counter 'receipt'
-- inside the same transaction (receipt_seq is that counter's value), so numbers are never
-- reused and never skipped: receipt_seq runs 1, 2, 3 … with no gaps (griddesk check verifies it).
CREATE TABLE payments (
  receipt_seq        INTEGER PRIMARY KEY CHECK (receipt_seq > 0), -- the rowid: receipts in order, one b-tree fewer per post
  id                 TEXT NOT NULL UNIQUE,
  station_id         TEXT NOT NULL REFERENCES station (id),
  receipt_no         TEXT NOT NULL UNIQUE,       -- 收据号, e.g. GD01-R-00000123
  idempotency_key    TEXT NOT NULL UNIQUE,       -- made by the client: a retried or doubled post finds this row
  customer_id        TEXT NOT NULL REFERENCES customers (id),
  amount_fen         INTEGER NOT NULL CHECK (amount_fen > 0),
  channel            TEXT NOT NULL CHECK (channel IN ('cash', 'card', 'qr', 'transfer')),
  tendered_fen       INTEGER NOT NULL,           -- cash handed over (= amount for other channels)
  change_fen         INTEGER NOT NULL CHECK (change_fen >= 0),
  reference          TEXT NOT NULL DEFAULT '',   -- QR / card / transfer transaction number
  pay_date           TEXT NOT NULL,              -- calendar day (Asia/Shanghai): penalties are counted to it
  business_date      TEXT NOT NULL,              -- the clerk's day it is closed in (日结); after closing, the next day
  clerk_id           TEXT NOT NULL REFERENCES staff (id),
  balance_before_fen INTEGER NOT NULL,           -- ledger balance before, and after (printed on the receipt)
  balance_after_fen  INTEGER NOT NULL,
  posted_at          INTEGER NOT NULL,
  CHECK (tendered_fen = amount_fen + change_fen)
);
CREATE INDEX payments_customer ON payments (customer_id, posted_at);
CREATE INDEX payments_clerk_day ON payments (clerk_id, business_date); -- rowid (receipt_seq) orders within a day

-- One application of money to a customer's open bills (销账): a counter payment, or prepaid
-- balance drawn onto a newly issued bill (预收转实收). Lines say which bill got how much penalty and
-- principal, and the bill's penalty accrual after it (shared/collection/penalty.ts).
CREATE TABLE settlements (
  id               TEXT PRIMARY KEY,
  station_id       TEXT NOT NULL REFERENCES station (id),
  customer_id      TEXT NOT NULL REFERENCES customers (id),
  kind             TEXT NOT NULL CHECK (kind IN ('payment', 'prepaid')),
  payment_id       TEXT UNIQUE REFERENCES payments (id),
  settle_date      TEXT NOT NULL,              -- penalties counted to this day
  prepaid_used_fen INTEGER NOT NULL DEFAULT 0 CHECK (prepaid_used_fen >= 0), -- prepaid balance applied
  to_prepaid_fen   INTEGER NOT NULL DEFAULT 0 CHECK (to_prepaid_fen >= 0),   -- left over, became prepaid (转预收)
  at               INTEGER NOT NULL,
  by_staff         TEXT REFERENCES staff (id),
  CHECK ((kind = 'payment') = (payment_id IS NOT NULL))
) WITHOUT ROWID;
CREATE INDEX settlements_customer ON settlements (customer_id, settle_date);
-- Customers who once paid more than they owed: who may hold prepaid when bills are issued.
CREATE INDEX settlements_to_prepaid ON settlements (customer_id) WHERE to_prepaid_fen > 0;

CREATE TABLE settlement_lines (
  settlement_id       TEXT NOT NULL REFERENCES settlements (id),
  line_no             INTEGER NOT NULL,
  bill_id             TEXT NOT NULL REFERENCES bills (id),
  period              TEXT NOT NULL,
  penalty_fen         INTEGER NOT NULL CHECK (penalty_fen >= 0),
  principal_fen       INTEGER NOT NULL CHECK (principal_fen >= 0),
  days_late           INTEGER NOT NULL,
  penalty_accrued_to  TEXT NOT NULL,           -- the bill's accrual after this line
  penalty_accrued_fen INTEGER NOT NULL,
  PRIMARY KEY (settlement_id, line_no)
) WITHOUT ROWID;
CREATE INDEX settlement_lines_bill ON settlement_lines (bill_id);

-- Reversal (冲正): a clerk asks, naming the receipt and the reason; the station head approves
-- (payment_reversals) or rejects (reversal_rejections), each with their own login. A payment is
-- reversed at most once. The reversal falls in the asking clerk's day (the money leaves their
-- drawer), which must still be open.
CREATE TABLE reversal_requests (
  id           TEXT PRIMARY KEY,
  station_id   TEXT NOT NULL REFERENCES station (id),
  payment_id   TEXT NOT NULL REFERENCES payments (id),
  reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  requested_by TEXT REFERENCES staff (id),     -- NULL: the station's CLI operator
  requested_by_label TEXT NOT NULL,
  requested_at INTEGER NOT NULL
);
CREATE INDEX reversal_requests_payment ON reversal_requests (payment_id);
CREATE INDEX reversal_requests_at ON reversal_requests (requested_at);

CREATE TABLE payment_reversals (
  id            TEXT PRIMARY KEY,
  station_id    TEXT NOT NULL REFERENCES station (id),
  request_id    TEXT NOT NULL UNIQUE REFERENCES reversal_requests (id),
  payment_id    TEXT NOT NULL UNIQUE REFERENCES payments (id),
  approved_by   TEXT NOT NULL REFERENCES staff (id),
  approved_at   INTEGER NOT NULL,
  clerk_id      TEXT NOT NULL REFERENCES staff (id), -- whose drawer pays it back
  business_date TEXT NOT NULL,                       -- in whose day's closing it shows
  note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX payment_reversals_clerk_day ON payment_reversals (clerk_id, business_date);

CREATE TABLE reversal_rejections (
  request_id  TEXT PRIMARY KEY REFERENCES reversal_requests (id),
  rejected_by TEXT NOT NULL REFERENCES staff (id),
  rejected_at INTEGER NOT NULL,
  note        TEXT NOT NULL DEFAULT ''
);

-- Daily closing (日结): one per clerk and business day; the totals as filed. A cash difference
-- needs a reason and the station head's sign-off (closing_signoffs).
CREATE TABLE day_closings (
  id                TEXT PRIMARY KEY,
  station_id        TEXT NOT NULL REFERENCES station (id),
  clerk_id          TEXT NOT NULL REFERENCES staff (id),
  business_date     TEXT NOT NULL,
  payment_count     INTEGER NOT NULL,
  payments_fen      INTEGER NOT NULL,
  reversal_count    INTEGER NOT NULL,
  reversals_fen     INTEGER NOT NULL,
  net_fen           INTEGER NOT NULL,
  by_channel        TEXT NOT NULL,             -- JSON ChannelTotals[] (shared/collection/closing.ts)
  first_receipt_no  TEXT,
  last_receipt_no   TEXT,
  opening_float_fen INTEGER NOT NULL,
  expected_cash_fen INTEGER NOT NULL,
  counted_cash_fen  INTEGER NOT NULL,
  difference_fen    INTEGER NOT NULL,          -- counted − expected: < 0 short (短款), > 0 over (长款)
  reason            TEXT NOT NULL DEFAULT '',
  closed_at         INTEGER NOT NULL,
  UNIQUE (clerk_id, business_date),
  CHECK (difference_fen = 0 OR length(trim(reason)) > 0)
);
CREATE INDEX day_closings_date ON day_closings (business_date);

CREATE TABLE closing_signoffs (
  closing_id TEXT PRIMARY KEY REFERENCES day_closings (id),
  signed_by  TEXT NOT NULL REFERENCES staff (id),
  signed_at  INTEGER NOT NULL,
  note       TEXT NOT NULL DEFAULT ''
);

-- No payment or reversal may land in a day its clerk has closed.
CREATE TRIGGER payments_day_open BEFORE INSERT ON payments
WHEN EXISTS (SELECT 1 FROM day_closings WHERE clerk_id = NEW.clerk_id AND business_date = NEW.business_date)
BEGIN SELECT RAISE(ABORT, 'this clerk has closed that day: payments go to the next day'); END;
CREATE TRIGGER payment_reversals_day_open BEFORE INSERT ON payment_reversals
WHEN EXISTS (SELECT 1 FROM day_closings WHERE clerk_id = NEW.clerk_id AND business_date = NEW.business_date)
BEGIN SELECT RAISE(ABORT, 'this clerk has closed that day: reversals go to the next day'); END;

-- Penalty waiver (违约金减免) by the station head: the amount due on the day, or the bill's whole
-- penalty including what would still accrue (whole = 1).
CREATE TABLE penalty_waivers (
  id           TEXT PRIMARY KEY,
  station_id   TEXT NOT NULL REFERENCES station (id),
  customer_id  TEXT NOT NULL REFERENCES customers (id),
  bill_id      TEXT NOT NULL REFERENCES bills (id),
  waive_date   TEXT NOT NULL,
  waived_fen   INTEGER NOT NULL CHECK (waived_fen >= 0),
  whole        INTEGER NOT NULL DEFAULT 0 CHECK (whole IN (0, 1)),
  reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  approved_by  TEXT NOT NULL REFERENCES staff (id),
  requested_by TEXT REFERENCES staff (id),
  at           INTEGER NOT NULL
);
CREATE INDEX penalty_waivers_bill ON penalty_waivers (bill_id);

-- Receipt prints: the first is the original, every later one a copy (副本) with its number.
CREATE TABLE receipt_prints (
  id         TEXT PRIMARY KEY,
  payment_id TEXT NOT NULL REFERENCES payments (id),
  copy_no    INTEGER NOT NULL CHECK (copy_no >= 0), -- 0 = the original
  printed_at INTEGER NOT NULL,
  printed_by TEXT REFERENCES staff (id),
  printed_by_label TEXT NOT NULL,
  UNIQUE (payment_id, copy_no)
);

-- Arrears reminders (催费通知单), issued in batches (one book, or chosen customers).
CREATE TABLE arrears_reminders (
  id              TEXT PRIMARY KEY,
  station_id      TEXT NOT NULL REFERENCES station (id),
  batch_id        TEXT NOT NULL,
  customer_id     TEXT NOT NULL REFERENCES customers (id),
  book_id         TEXT REFERENCES books (id),
  reminder_date   TEXT NOT NULL,
  principal_fen   INTEGER NOT NULL,
  penalty_fen     INTEGER NOT NULL,
  oldest_due_date TEXT NOT NULL,
  periods         TEXT NOT NULL,               -- JSON ["2026-09", …]
  pay_by_date     TEXT NOT NULL,
  issued_by       TEXT REFERENCES staff (id),
  issued_at       INTEGER NOT NULL
);
CREATE INDEX arrears_reminders_customer ON arrears_reminders (customer_id, reminder_date);
CREATE INDEX arrears_reminders_batch ON arrears_reminders (batch_id);

-- Disconnection notices (停电通知): printed for an eligible account; nothing is cut automatically.
CREATE TABLE disconnection_notices (
  id                          TEXT PRIMARY KEY,
  station_id                  TEXT NOT NULL REFERENCES station (id),
  customer_id                 TEXT NOT NULL REFERENCES customers (id),
  reminder_id                 TEXT NOT NULL REFERENCES arrears_reminders (id),
  notice_date                 TEXT NOT NULL,
  earliest_disconnection_date TEXT NOT NULL,
  principal_fen               INTEGER NOT NULL,
  penalty_fen                 INTEGER NOT NULL,
  oldest_due_date             TEXT NOT NULL,
  days_overdue                INTEGER NOT NULL,
  issued_by                   TEXT REFERENCES staff (id),
  issued_at                   INTEGER NOT NULL
);
CREATE INDEX disconnection_notices_customer ON disconnection_notices (customer_id, notice_date);

-- Facts: insert-only.
CREATE TRIGGER collection_policies_no_update BEFORE UPDATE ON collection_policies BEGIN SELECT RAISE(ABORT, 'policies are reference data: import a new version'); END;
CREATE TRIGGER collection_policies_no_delete BEFORE DELETE ON collection_policies BEGIN SELECT RAISE(ABORT, 'policies are reference data: import a new version'); END;
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments BEGIN SELECT RAISE(ABORT, 'payments are facts: reverse instead (冲正)'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments BEGIN SELECT RAISE(ABORT, 'payments are facts: reverse instead (冲正)'); END;
CREATE TRIGGER settlements_no_update BEFORE UPDATE ON settlements BEGIN SELECT RAISE(ABORT, 'settlements are facts'); END;
CREATE TRIGGER settlements_no_delete BEFORE DELETE ON settlements BEGIN SELECT RAISE(ABORT, 'settlements are facts'); END;
CREATE TRIGGER settlement_lines_no_update BEFORE UPDATE ON settlement_lines BEGIN SELECT RAISE(ABORT, 'settlement lines are facts'); END;
CREATE TRIGGER settlement_lines_no_delete BEFORE DELETE ON settlement_lines BEGIN SELECT RAISE(ABORT, 'settlement lines are facts'); END;
CREATE TRIGGER reversal_requests_no_update BEFORE UPDATE ON reversal_requests BEGIN SELECT RAISE(ABORT, 'reversal requests are facts'); END;
CREATE TRIGGER reversal_requests_no_delete BEFORE DELETE ON reversal_requests BEGIN SELECT RAISE(ABORT, 'reversal requests are facts'); END;
CREATE TRIGGER payment_reversals_no_update BEFORE UPDATE ON payment_reversals BEGIN SELECT RAISE(ABORT, 'reversals are facts'); END;
CREATE TRIGGER payment_reversals_no_delete BEFORE DELETE ON payment_reversals BEGIN SELECT RAISE(ABORT, 'reversals are facts'); END;
CREATE TRIGGER reversal_rejections_no_update BEFORE UPDATE ON reversal_rejections BEGIN SELECT RAISE(ABORT, 'reversal decisions are facts'); END;
CREATE TRIGGER reversal_rejections_no_delete BEFORE DELETE ON reversal_rejections BEGIN SELECT RAISE(ABORT, 'reversal decisions are facts'); END;
CREATE TRIGGER day_closings_no_update BEFORE UPDATE ON day_closings BEGIN SELECT RAISE(ABORT, 'daily closings are facts'); END;
CREATE TRIGGER day_closings_no_delete BEFORE DELETE ON day_closings BEGIN SELECT RAISE(ABORT, 'daily closings are facts'); END;
CREATE TRIGGER closing_signoffs_no_update BEFORE UPDATE ON closing_signoffs BEGIN SELECT RAISE(ABORT, 'sign-offs are facts'); END;
CREATE TRIGGER closing_signoffs_no_delete BEFORE DELETE ON closing_signoffs BEGIN SELECT RAISE(ABORT, 'sign-offs are facts'); END;
CREATE TRIGGER penalty_waivers_no_update BEFORE UPDATE ON penalty_waivers BEGIN SELECT RAISE(ABORT, 'waivers are facts'); END;
CREATE TRIGGER penalty_waivers_no_delete BEFORE DELETE ON penalty_waivers BEGIN SELECT RAISE(ABORT, 'waivers are facts'); END;
CREATE TRIGGER receipt_prints_no_update BEFORE UPDATE ON receipt_prints BEGIN SELECT RAISE(ABORT, 'receipt prints are facts'); END;
CREATE TRIGGER receipt_prints_no_delete BEFORE DELETE ON receipt_prints BEGIN SELECT RAISE(ABORT, 'receipt prints are facts'); END;
CREATE TRIGGER arrears_reminders_no_update BEFORE UPDATE ON arrears_reminders BEGIN SELECT RAISE(ABORT, 'reminders are facts'); END;
CREATE TRIGGER arrears_reminders_no_delete BEFORE DELETE ON arrears_reminders BEGIN SELECT RAISE(ABORT, 'reminders are facts'); END;
CREATE TRIGGER disconnection_notices_no_update BEFORE UPDATE ON disconnection_notices BEGIN SELECT RAISE(ABORT, 'notices are facts'); END;
CREATE TRIGGER disconnection_notices_no_delete BEFORE DELETE ON disconnection_notices BEGIN SELECT RAISE(ABORT, 'notices are facts'); END;
