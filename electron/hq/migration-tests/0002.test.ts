import { describe, expect, it } from 'vitest';
import { loadHqMigrations, migrateHq } from '../context';
import { addStationPartitions } from '../partitions';
import { backends, openTestHq, requireRealServerInCi } from '../testing';

// Head-office migration 0002: payments keep the principal they settled per period; the roll-ups
// of batches imported before it get their prepaid draws added and reversed payments taken back.

requireRealServerInCi();

describe.each(backends())('hq migration 0002 on %s', (backend) => {
  it('backfills payments\' settled lines, corrects the settled roll-up for draws and reversals, recounts scores from signed sheets', async () => {
    const t = await openTestHq(backend);
    try {
      const db = t.hq.db;
      await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      expect(await migrateHq(db, loadHqMigrations(), 1)).toBe(1);
      await db.tx((q) => addStationPartitions(q, 'st-1'));
      const pay = { settlements: [{ id: 's1', children: { settlement_lines: [{ line_no: 1, period: '2026-08', principal_fen: 7000 }, { line_no: 2, period: '2026-09', principal_fen: 3000 }] } }] };
      await db.query(
        `INSERT INTO station_rows (station_id, epoch, seq, entity, entity_id, op, row, children) VALUES
           ('st-1', 1, 1, 'payment', 'p1', 'insert', '{"id":"p1"}', $1),
           ('st-1', 1, 2, 'settlement', 'd1', 'insert', '{"id":"d1","kind":"prepaid","lines":[{"period":"2026-10","principalFen":1500}]}', NULL),
           ('st-1', 1, 3, 'payment_reversal', 'v1', 'insert', '{"id":"v1","paymentId":"p1"}', NULL),
           ('st-1', 1, 4, 'appraisal_sheet', 'KPI100', 'insert', '{"code":"KPI100","score":100}', NULL),
           ('st-1', 1, 5, 'appraisal', 'av1', 'insert', '{"period":"2026-11","staffId":"m1","totalCenti":6943}', NULL),
           ('st-1', 1, 6, 'appraisal', 'av2', 'insert', '{"period":"2026-11","staffId":"m1","totalCenti":7443}', NULL)`,
        [JSON.stringify(pay)],
      );
      await db.query(`INSERT INTO hq_payments (station_id, id, customer_id, amount_fen, pay_date, channel) VALUES ('st-1', 'p1', 'c1', 10000, '2026-10-05', 'cash')`);
      // As 0001's import left it: the payment's lines counted, the draw and the reversal not.
      await db.query(`INSERT INTO station_month (station_id, period, settled_fen) VALUES ('st-1', '2026-08', 7000), ('st-1', '2026-09', 3000)`);
      await db.query(`INSERT INTO station_month (station_id, period, appraisal_sum, appraisal_count) VALUES ('st-1', '2026-11', 100, 1)`);

      await migrateHq(db);
      expect(await db.query(`SELECT settled FROM hq_payments WHERE id = 'p1'`)).toEqual([{ settled: pay.settlements[0]!.children.settlement_lines }]);
      expect(await db.query(`SELECT period, settled_fen FROM station_month ORDER BY period`)).toEqual([
        { period: '2026-08', settled_fen: 0 },
        { period: '2026-09', settled_fen: 0 },
        { period: '2026-10', settled_fen: 1500 },
        { period: '2026-11', settled_fen: 0 },
      ]);
      // Scores: only the signed sheets, each person once at their latest signature.
      expect(await db.query(`SELECT version_id, total_centi FROM hq_appraisals`)).toEqual([{ version_id: 'av2', total_centi: 7443 }]);
      expect(await db.query(`SELECT appraisal_sum::float8 AS appraisal_sum, appraisal_count::int AS appraisal_count FROM station_month WHERE period = '2026-11'`)).toEqual([{ appraisal_sum: 74.43, appraisal_count: 1 }]);
    } finally {
      await t.close();
    }
  }, 120_000);
});
