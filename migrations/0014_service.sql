-- Customer service (客户服务): work orders (工单) with their steps, the working-day calendar head
-- office sends, return visits (回访) and satisfaction, customer segments (客户画像) and manual tags,
-- and the head's approval to disconnect a protected customer. Orders, steps, visits, tags,
-- segment runs and approvals are facts (insert-only by trigger); `work_order_state` is the one
-- mutable record: where each order stands and its next due time, kept for the lists and sent to
-- head office with every change.

-- The working-day calendar (工作日历): days that differ from Monday–Friday. The newest row of a
-- date counts ('normal' takes an earlier override back).
CREATE TABLE service_calendar_days (
  seq        INTEGER PRIMARY KEY,
  date       TEXT NOT NULL,                     -- YYYY-MM-DD
  kind       TEXT NOT NULL CHECK (kind IN ('holiday', 'workday', 'normal')),
  name       TEXT NOT NULL DEFAULT '',
  source     TEXT NOT NULL,                     -- 'reference pack vN', 'manual'
  loaded_at  INTEGER NOT NULL,
  loaded_by  TEXT REFERENCES staff (id)
);
CREATE INDEX service_calendar_days_date ON service_calendar_days (date, seq);

CREATE TABLE work_orders (
  id            TEXT PRIMARY KEY,
  station_id    TEXT NOT NULL REFERENCES station (id),
  order_no      TEXT NOT NULL UNIQUE,           -- GD01-WO-000001
  kind          TEXT NOT NULL,
  source        TEXT NOT NULL CHECK (source IN ('counter', 'phone', 'dispatch95598')),
  dispatch_no   TEXT UNIQUE,                    -- the 95598 number of a dispatched order
  customer_id   TEXT REFERENCES customers (id), -- NULL for a non-customer
  residential   INTEGER NOT NULL DEFAULT 1,     -- which new-connection limit applies
  contact_name  TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  content       TEXT NOT NULL CHECK (length(trim(content)) > 0),
  about_staff_id TEXT REFERENCES staff (id),    -- a complaint naming a member of staff (被投诉人)
  received_at   INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  created_by    TEXT REFERENCES staff (id)
);
CREATE INDEX work_orders_customer ON work_orders (customer_id, received_at);
CREATE INDEX work_orders_received ON work_orders (received_at);

-- The steps (处理环节) of an order with their times: assign (to whom), contact, arrive, restore,
-- note, suspend / resume (with a reason), close (with the result, and for a complaint whether it
-- was valid and whom it is attributed to), reopen, escalate.
CREATE TABLE work_order_steps (
  id              TEXT PRIMARY KEY,
  order_id        TEXT NOT NULL REFERENCES work_orders (id),
  kind            TEXT NOT NULL CHECK (kind IN ('create', 'assign', 'contact', 'arrive', 'restore', 'note', 'suspend', 'resume', 'close', 'reopen', 'escalate')),
  at              INTEGER NOT NULL,
  by_staff        TEXT REFERENCES staff (id),
  assignee_id     TEXT REFERENCES staff (id),
  note            TEXT NOT NULL DEFAULT '',
  valid_complaint INTEGER,                      -- close of a complaint: 1 valid (有效投诉), 0 not
  attributed_to   TEXT REFERENCES staff (id),   -- close of a valid complaint: the member of staff it counts against
  CHECK (kind NOT IN ('suspend', 'resume', 'close', 'reopen', 'escalate') OR length(trim(note)) > 0),
  CHECK (kind <> 'assign' OR assignee_id IS NOT NULL)
);
CREATE INDEX work_order_steps_order ON work_order_steps (order_id, at);
CREATE INDEX work_order_steps_attributed ON work_order_steps (attributed_to, at) WHERE attributed_to IS NOT NULL;

-- Where each order stands (mutable; sent to head office on every change). next_due_at is the
-- earliest unmet limit (NULL while suspended or closed): the due-soon and overdue lists read it.
CREATE TABLE work_order_state (
  order_id     TEXT PRIMARY KEY REFERENCES work_orders (id),
  state        TEXT NOT NULL CHECK (state IN ('new', 'assigned', 'suspended', 'closed')),
  assignee_id  TEXT REFERENCES staff (id),
  next_due_at  INTEGER,
  alert_at     INTEGER,                         -- next_due_at less the alert window: the head is alerted from here (临期预警)
  final_due_at INTEGER,
  closed_at    INTEGER,
  on_time      INTEGER,                         -- closed: 1 every limit met in time, 0 not
  escalated    INTEGER NOT NULL DEFAULT 0,
  reopened     INTEGER NOT NULL DEFAULT 0,
  updated_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX work_order_state_alert ON work_order_state (alert_at) WHERE alert_at IS NOT NULL;
CREATE INDEX work_order_state_assignee ON work_order_state (assignee_id, state);

-- Return visits (回访): one per closed order (and per close after a re-open), or one per customer
-- of a satisfaction survey (满意度调查).
CREATE TABLE return_visits (
  id          TEXT PRIMARY KEY,
  station_id  TEXT NOT NULL REFERENCES station (id),
  kind        TEXT NOT NULL CHECK (kind IN ('order', 'survey')),
  order_id    TEXT REFERENCES work_orders (id),
  close_step  TEXT REFERENCES work_order_steps (id),
  customer_id TEXT REFERENCES customers (id),
  survey      TEXT,                             -- the survey's name ("2026-12 满意度调查")
  created_at  INTEGER NOT NULL,
  created_by  TEXT REFERENCES staff (id),
  CHECK ((kind = 'order') = (order_id IS NOT NULL)),
  UNIQUE (close_step)
);
CREATE INDEX return_visits_order ON return_visits (order_id);
CREATE INDEX return_visits_survey ON return_visits (survey, customer_id) WHERE survey IS NOT NULL;

CREATE TABLE return_visit_results (
  visit_id     TEXT PRIMARY KEY REFERENCES return_visits (id),
  reached      INTEGER NOT NULL CHECK (reached IN (0, 1)),
  satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
  comments     TEXT NOT NULL DEFAULT '',
  outcome      TEXT NOT NULL CHECK (outcome IN ('none', 'reopen', 'escalate')),
  at           INTEGER NOT NULL,
  by_staff     TEXT REFERENCES staff (id),
  CHECK (reached = 1 OR satisfaction IS NULL)
) WITHOUT ROWID;
CREATE INDEX return_visit_results_at ON return_visit_results (at);

-- The month's computed segments: one run per computation; a month's segments are its newest run's.
CREATE TABLE segment_runs (
  id             TEXT PRIMARY KEY,
  period         TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  computed_at    INTEGER NOT NULL,
  computed_by    TEXT REFERENCES staff (id),
  counts         TEXT NOT NULL                  -- JSON {code: customers}
);
CREATE INDEX segment_runs_period ON segment_runs (period, computed_at);

CREATE TABLE customer_segments (
  run_id      TEXT NOT NULL REFERENCES segment_runs (id),
  code        TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  PRIMARY KEY (run_id, code, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_segments_customer ON customer_segments (customer_id, run_id);

-- Manual tags (人工标签) with a reason: set or cleared; the newest row per customer and tag counts.
CREATE TABLE customer_tags (
  id          TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  code        TEXT NOT NULL CHECK (code IN ('elderly_alone', 'low_income', 'medical_equipment')),
  op          TEXT NOT NULL CHECK (op IN ('set', 'clear')),
  reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  at          INTEGER NOT NULL,
  by_staff    TEXT REFERENCES staff (id)
);
CREATE INDEX customer_tags_customer ON customer_tags (customer_id, code, at);

-- The head's approval (所长批准) to serve a disconnection notice on a protected customer (elderly
-- living alone, low-income, medical equipment at home). A notice needs one made since the tag.
CREATE TABLE disconnection_approvals (
  id          TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  approved_by TEXT REFERENCES staff (id),
  approved_at INTEGER NOT NULL
);
CREATE INDEX disconnection_approvals_customer ON disconnection_approvals (customer_id, approved_at);

CREATE TRIGGER service_calendar_days_no_update BEFORE UPDATE ON service_calendar_days BEGIN SELECT RAISE(ABORT, 'calendar days are reference data: load a newer row'); END;
CREATE TRIGGER service_calendar_days_no_delete BEFORE DELETE ON service_calendar_days BEGIN SELECT RAISE(ABORT, 'calendar days are reference data: load a newer row'); END;
CREATE TRIGGER work_orders_no_update BEFORE UPDATE ON work_orders BEGIN SELECT RAISE(ABORT, 'work orders are facts: add a step'); END;
CREATE TRIGGER work_orders_no_delete BEFORE DELETE ON work_orders BEGIN SELECT RAISE(ABORT, 'work orders are facts: add a step'); END;
CREATE TRIGGER work_order_steps_no_update BEFORE UPDATE ON work_order_steps BEGIN SELECT RAISE(ABORT, 'work order steps are facts'); END;
CREATE TRIGGER work_order_steps_no_delete BEFORE DELETE ON work_order_steps BEGIN SELECT RAISE(ABORT, 'work order steps are facts'); END;
CREATE TRIGGER work_order_state_no_delete BEFORE DELETE ON work_order_state BEGIN SELECT RAISE(ABORT, 'an order''s state is kept'); END;
CREATE TRIGGER return_visits_no_update BEFORE UPDATE ON return_visits BEGIN SELECT RAISE(ABORT, 'return visits are facts'); END;
CREATE TRIGGER return_visits_no_delete BEFORE DELETE ON return_visits BEGIN SELECT RAISE(ABORT, 'return visits are facts'); END;
CREATE TRIGGER return_visit_results_no_update BEFORE UPDATE ON return_visit_results BEGIN SELECT RAISE(ABORT, 'return visit results are facts'); END;
CREATE TRIGGER return_visit_results_no_delete BEFORE DELETE ON return_visit_results BEGIN SELECT RAISE(ABORT, 'return visit results are facts'); END;
CREATE TRIGGER segment_runs_no_update BEFORE UPDATE ON segment_runs BEGIN SELECT RAISE(ABORT, 'segment runs are facts: compute again'); END;
CREATE TRIGGER segment_runs_no_delete BEFORE DELETE ON segment_runs BEGIN SELECT RAISE(ABORT, 'segment runs are facts: compute again'); END;
CREATE TRIGGER customer_segments_no_update BEFORE UPDATE ON customer_segments BEGIN SELECT RAISE(ABORT, 'segments are facts: compute again'); END;
CREATE TRIGGER customer_segments_no_delete BEFORE DELETE ON customer_segments BEGIN SELECT RAISE(ABORT, 'segments are facts: compute again'); END;
CREATE TRIGGER customer_tags_no_update BEFORE UPDATE ON customer_tags BEGIN SELECT RAISE(ABORT, 'tags are facts: set or clear with a reason'); END;
CREATE TRIGGER customer_tags_no_delete BEFORE DELETE ON customer_tags BEGIN SELECT RAISE(ABORT, 'tags are facts: set or clear with a reason'); END;
CREATE TRIGGER disconnection_approvals_no_update BEFORE UPDATE ON disconnection_approvals BEGIN SELECT RAISE(ABORT, 'approvals are facts'); END;
CREATE TRIGGER disconnection_approvals_no_delete BEFORE DELETE ON disconnection_approvals BEGIN SELECT RAISE(ABORT, 'approvals are facts'); END;
