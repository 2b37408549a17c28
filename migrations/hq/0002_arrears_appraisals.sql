-- Arrears at head office count prepaid draws (预收转实收) and reversals (冲正) the way the station
-- does (docs/collection.md "The account"): a bill's unpaid principal is its charge less the
-- principal of the settlement lines not reversed. A reversal names only its payment, so each
-- payment keeps the settlement lines it paid (`settled`: its children's settlement_lines as sent), read
-- when its reversal arrives (by the primary key, not by scanning the journal).
ALTER TABLE hq_payments ADD COLUMN settled jsonb NOT NULL DEFAULT '[]'::jsonb;

UPDATE hq_payments h
   SET settled = coalesce(jsonb_path_query_array(r.children, '$.settlements[*].children.settlement_lines[*]'), '[]'::jsonb)
  FROM station_rows r
 WHERE r.station_id = h.station_id AND r.entity_id = h.id AND r.entity IN ('payment', 'payments') AND r.op = 'insert';

-- The roll-ups of batches already imported: add the prepaid draws, take back reversed payments.
INSERT INTO station_month AS m (station_id, period, settled_fen)
SELECT station_id, period, sum(principal)
  FROM (SELECT r.station_id, l->>'period' AS period, coalesce(l->>'principalFen', l->>'principal_fen')::bigint AS principal
          FROM station_rows r CROSS JOIN LATERAL jsonb_array_elements(coalesce(r.row->'lines', '[]'::jsonb)) l
         WHERE r.entity = 'settlement' AND r.op = 'insert' AND r.row->>'kind' = 'prepaid'
        UNION ALL
        SELECT v.station_id, l->>'period', -(l->>'principal_fen')::bigint
          FROM station_rows v
          JOIN hq_payments p ON p.station_id = v.station_id AND p.id = coalesce(v.row->>'paymentId', v.row->>'payment_id')
         CROSS JOIN LATERAL jsonb_array_elements(p.settled) l
         WHERE v.entity = 'payment_reversal' AND v.op = 'insert') x
 WHERE period ~ '^[0-9]{4}-[0-9]{2}$'
 GROUP BY station_id, period
ON CONFLICT (station_id, period) DO UPDATE SET settled_fen = m.settled_fen + excluded.settled_fen;

-- Appraisal scores (绩效考核) come from the appraisal desk's signed sheets: outbox entity
-- `appraisal` (one signed version of one staff member's month: period, staffId, totalCenti, …).
-- A revision signed later replaces the earlier signature for that staff member and month, so the
-- month's average counts each person once, at their latest signed total.
CREATE TABLE hq_appraisals (
  station_id  text NOT NULL,
  period      text NOT NULL,
  staff_id    text NOT NULL,
  version_id  text NOT NULL,
  total_centi bigint NOT NULL,
  epoch       integer NOT NULL,
  seq         bigint NOT NULL,
  PRIMARY KEY (station_id, period, staff_id)
);

INSERT INTO hq_appraisals (station_id, period, staff_id, version_id, total_centi, epoch, seq)
SELECT DISTINCT ON (station_id, row->>'period', row->>'staffId')
       station_id, row->>'period', row->>'staffId', entity_id, (row->>'totalCenti')::bigint, epoch, seq
  FROM station_rows
 WHERE entity = 'appraisal' AND op = 'insert' AND row->>'period' ~ '^[0-9]{4}-[0-9]{2}$' AND row->>'staffId' IS NOT NULL AND row ? 'totalCenti'
 ORDER BY station_id, row->>'period', row->>'staffId', epoch DESC, seq DESC;

-- The roll-up's score columns were summed from any `apprais…` row: recount them from the sheets.
UPDATE station_month SET appraisal_sum = 0, appraisal_count = 0;
INSERT INTO station_month AS m (station_id, period, appraisal_sum, appraisal_count)
SELECT station_id, period, sum(total_centi) / 100.0, count(*) FROM hq_appraisals GROUP BY station_id, period
ON CONFLICT (station_id, period) DO UPDATE SET appraisal_sum = excluded.appraisal_sum, appraisal_count = excluded.appraisal_count;
