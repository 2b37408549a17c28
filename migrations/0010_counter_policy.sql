-- Counter policy (柜台收费政策): cash handed over far beyond the amount needs a deliberate
-- confirmation (issue 16: a phone tail typed into 收到现金 posted ¥4,008,384.00 tendered for a
-- ¥409.82 bill). It is head-office policy like the penalty and disconnection rules, so it joins
-- collection_policies as a third kind. SQLite cannot widen a CHECK in place: the table (a few
-- rows of reference data) is rebuilt with its rows and triggers, then the default is added —
-- more than 2,000.00 yuan over the amount (200000 fen) needs the confirmation.
CREATE TABLE collection_policies_v10 (
  kind           TEXT NOT NULL CHECK (kind IN ('penalty', 'disconnection', 'counter')),
  effective_from TEXT NOT NULL,                 -- YYYY-MM-DD
  definition     TEXT NOT NULL,                 -- JSON, validated by shared/collection (penaltyPolicySchema, counterPolicySchema, …)
  imported_at    INTEGER NOT NULL,
  imported_by    TEXT REFERENCES staff (id),
  PRIMARY KEY (kind, effective_from)
) WITHOUT ROWID;
INSERT INTO collection_policies_v10 (kind, effective_from, definition, imported_at, imported_by)
  SELECT kind, effective_from, definition, imported_at, imported_by FROM collection_policies;
DROP TABLE collection_policies;
ALTER TABLE collection_policies_v10 RENAME TO collection_policies;
CREATE TRIGGER collection_policies_no_update BEFORE UPDATE ON collection_policies BEGIN SELECT RAISE(ABORT, 'policies are reference data: import a new version'); END;
CREATE TRIGGER collection_policies_no_delete BEFORE DELETE ON collection_policies BEGIN SELECT RAISE(ABORT, 'policies are reference data: import a new version'); END;

INSERT INTO collection_policies (kind, effective_from, definition, imported_at) VALUES
  ('counter', '1996-01-01', '{"largeTenderOverFen":200000}', 0);
