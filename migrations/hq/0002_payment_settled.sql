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
