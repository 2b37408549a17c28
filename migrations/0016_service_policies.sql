-- Customer-service policy versions (客户服务政策版本) from head office's reference pack: the time
-- limits per kind (`serviceLimits`) and the segment rules' parameters (`segmentRules`), each a
-- version keyed by the day it takes effect, holding only the keys head office changes (the
-- built-in defaults are the baseline). A version once loaded never changes.
CREATE TABLE service_policies (
  kind           TEXT NOT NULL CHECK (kind IN ('serviceLimits', 'segmentRules')),
  effective_from TEXT NOT NULL,                 -- YYYY-MM-DD
  definition     TEXT NOT NULL,                 -- JSON, checked by shared/service/policy.ts
  imported_at    INTEGER NOT NULL,
  imported_by    TEXT REFERENCES staff (id),
  PRIMARY KEY (kind, effective_from)
) WITHOUT ROWID;
CREATE TRIGGER service_policies_no_update BEFORE UPDATE ON service_policies BEGIN SELECT RAISE(ABORT, 'policies are reference data: import a new version'); END;
CREATE TRIGGER service_policies_no_delete BEFORE DELETE ON service_policies BEGIN SELECT RAISE(ABORT, 'policies are reference data: import a new version'); END;

-- The limits version an order was opened under (its receipt day's version), so a later version
-- never moves an open order's due times. NULL on orders from before this migration: the baseline.
ALTER TABLE work_orders ADD COLUMN limits_version TEXT;
