import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSignedFile } from '../backend/sync/signedFile';
import { importBatch, importPaths } from './importer';
import { enrolStation } from './stations';
import { backends, CodecStation, openTestHq, requireRealServerInCi, type TestHq } from './testing';

requireRealServerInCi();

// The import has two paths (importer.ts applyBatchRows): the direct one (one COPY straight into
// the journal, types and roll-up done in Node) and the staged one (COPY into a jsonb staging
// table, INSERT … SELECT … ON CONFLICT DO NOTHING, projections in SQL), which takes over whenever
// the direct one gives up. The same batches through each must leave every table the same.

type Row = { entity: string; id: string; op?: string; row: Record<string, unknown>; table?: string; children?: Record<string, unknown> };

/** A month's rows in every shape the projections read (snake and camel case, children, records). */
function firstBatch(seq: number): Row {
  const i = seq;
  switch (i % 16) {
    case 0:
      return { entity: 'reading', id: `r-${i}`, table: 'readings', row: { id: `r-${i}`, period: '2026-02', point_id: `p-${i}`, kind: i % 3 ? 'actual' : 'estimated', needs_review: i % 5 === 0 ? 1 : 0, supersedes: null, read_by: 's1' } };
    case 1:
      return { entity: 'readings', id: `r-${i}`, row: { id: `r-${i}`, period: '2026-02', pointId: `p-${i}`, kind: 'actual', needsReview: true, supersedes: `r-${i - 1}`, readBy: 's2' } };
    case 2:
      return { entity: 'bill', id: `b-${i}`, table: 'bills', row: { id: `b-${i}`, customer_id: `c-${i % 5}`, period: '2026-02', kind: 'regular', kwh: 12_000 + i, total_fen: 6_300 + i }, children: { bill_lines: [{ bill_id: `b-${i}`, line_no: 1, amount_fen: 6_300 + i }] } };
    case 3:
      return { entity: 'bills', id: `b-${i}`, row: { id: `b-${i}`, customerId: `c-${i % 5}`, period: '2026-02', kind: 'supplement', kwh: 100, totalFen: 53 } };
    case 4:
      return { entity: 'bill_issue', id: `b-${i - 2}`, table: 'bill_issues', row: { bill_id: `b-${i - 2}` }, children: { ledger_entries: [{ id: `le-${i}`, entry_type: 'bill', amount_fen: 6_300 + i - 2, period: '2026-02' }, { id: `le2-${i}`, entry_type: 'bill', amount_fen: 7, period: '2026-02' }] } };
    case 5:
      return {
        entity: 'payment', id: `pay-${i}`, table: 'payments', row: { id: `pay-${i}`, customer_id: `c-${i % 5}`, amount_fen: 5_000 + i, pay_date: '2026-03-04', channel: 'cash', clerk_id: 's1' },
        children: { settlements: [{ id: `st-${i}`, payment_id: `pay-${i}`, children: { settlement_lines: [{ settlement_id: `st-${i}`, line_no: 1, bill_id: `b-${i - 3}`, period: '2026-02', principal_fen: 4_000 + i, penalty_fen: 0 }, { settlement_id: `st-${i}`, line_no: 2, period: '2026-01', principal_fen: 1_000, penalty_fen: 5 }] } }], ledger_entries: [{ id: `lp-${i}`, entry_type: 'payment', amount_fen: -(5_000 + i) }] },
      };
    case 6:
      return { entity: 'payments', id: `pay-${i}`, row: { id: `pay-${i}`, customerId: `c-${i % 5}`, amountFen: 800, payDate: '2026-02-27', channel: 'wechat', clerkId: 's2' } };
    case 7:
      return { entity: 'customer', id: `c-${i % 5}`, op: i % 2 ? 'update' : 'insert', row: { id: `c-${i % 5}`, name: `张三 ${i}\t"引号" \\ 反斜杠\n换行`, status: 'active', ...(i % 3 ? { phone: `138${i}` } : {}) } };
    case 8:
      return { entity: 'customer', id: `c-${i % 5}`, op: 'update', row: { id: `c-${i % 5}`, address: `村 ${i}` } };
    case 9:
      return { entity: 'meter', id: `m-${i % 4}`, op: 'update', row: { id: `m-${i % 4}`, lastRead: '2026-02' } };
    case 10:
      return { entity: 'staff', id: `s-${i % 3}`, op: 'update', row: { id: `s-${i % 3}`, name: `抄表员 ${i}` } };
    case 11:
      return { entity: 'ledger_entries', id: `le-x-${i}`, row: { id: `le-x-${i}`, entry_type: i % 2 ? 'bill_credit' : 'adjustment', amount_fen: -120, period: '2026-02' } };
    case 12:
      return { entity: 'settlement_lines', id: `sl-${i}`, row: { settlement_id: `sx-${i}`, line_no: 1, period: '2026-02', principal_fen: 333 } };
    case 13:
      return { entity: 'settlement', id: `sp-${i}`, row: { id: `sp-${i}`, kind: 'prepaid', lines: [{ period: '2026-02', principalFen: 210 }, { period: '2026-01', principal_fen: 90 }] } };
    case 14:
      return { entity: 'appraisal', id: `ap-${i}`, row: { period: '2026-02', staffId: `s-${i % 3}`, totalCenti: 8_000 + i } };
    default:
      return { entity: 'book', id: `bk-${i % 2}`, op: 'update', row: { id: `bk-${i % 2}`, readerId: `s-${i % 3}`, period: 'not-a-period' } };
  }
}

/** The next month: reversals (of a payment in an earlier batch and one in this one), a closed
 * customer, records changed again, an appraisal revised. */
function secondBatch(seq: number): Row {
  switch (seq % 6) {
    case 0:
      return { entity: 'payment', id: `pay-${seq}`, row: { id: `pay-${seq}`, customer_id: 'c-1', amount_fen: 2_000, pay_date: '2026-03-10', channel: 'cash', clerk_id: 's1' }, children: { settlements: [{ id: `st-${seq}`, children: { settlement_lines: [{ period: '2026-02', principal_fen: 2_000 }] } }] } };
    case 1:
      return { entity: 'payment_reversal', id: `rev-${seq}`, row: { payment_id: `pay-${seq - 1}`, business_date: '2026-03-11' } };
    case 2:
      return { entity: 'payment_reversal', id: `rev-${seq}`, row: { paymentId: 'pay-5', businessDate: '2026-03-12' } };
    case 3:
      return { entity: 'customer', id: 'c-2', op: 'update', row: { id: 'c-2', status: 'closed' } };
    case 4:
      return { entity: 'appraisal', id: `ap2-${seq}`, row: { period: '2026-02', staffId: 's-1', totalCenti: 9_100 } };
    default:
      return { entity: 'meter', id: 'm-1', op: 'update', row: { id: 'm-1', lastRead: '2026-03', seal: 'A1' } };
  }
}

const TABLES: [string, string][] = [
  ['station_rows', 'epoch, seq'],
  ['hq_bills', 'id'],
  ['hq_payments', 'id'],
  ['hq_readings', 'id'],
  ['hq_records', 'entity, id'],
  ['station_month', 'period'],
  ['hq_appraisals', 'period, staff_id'],
  ['stations', 'station_id'],
];

async function contents(t: TestHq, stationId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, key] of TABLES) {
    const rows = await t.hq.db.query<{ j: Record<string, unknown> }>(`SELECT to_jsonb(x) AS j FROM ${table} x WHERE station_id = $1 ORDER BY ${key}`, [stationId]);
    out[table] = rows.map((r) => {
      const { last_batch_at: _a, enrolled_at: _b, ...rest } = r.j;
      return rest;
    });
  }
  return out;
}

describe.each(backends())('the direct and the staged import paths on %s', (backend) => {
  let direct: TestHq;
  let staged: TestHq;
  let dir: string;
  beforeAll(async () => {
    direct = await openTestHq(backend);
    staged = await openTestHq(backend);
    dir = mkdtempSync(join(tmpdir(), 'hq-paths-'));
  }, 180_000); // two PGlite stores: a minute and more on a loaded machine
  afterAll(async () => {
    await direct?.close();
    await staged?.close();
  });

  const both = async (file: string) => {
    const before = { ...importPaths };
    const a = await importBatch(direct.hq, file, 'cli');
    const took = { direct: importPaths.direct - before.direct, staged: importPaths.staged - before.staged };
    process.env.GRIDDESK_HQ_IMPORT = 'staged';
    try {
      const b = await importBatch(staged.hq, file, 'cli');
      expect(b.outcome).toBe(a.outcome);
    } finally {
      delete process.env.GRIDDESK_HQ_IMPORT;
    }
    return { outcome: a.outcome, took };
  };

  it('leave every table the same, batch after batch, including a re-cut overlap and a batch only the staged path takes', async () => {
    const st = new CodecStation(dir);
    const enrol = await st.enrolment();
    await enrolStation(direct.hq, enrol, 'test');
    await enrolStation(staged.hq, enrol, 'test');

    const b1 = await both((await st.batch(1, 160, firstBatch)).file);
    expect(b1).toEqual({ outcome: 'applied', took: { direct: 1, staged: 0 } });
    const b2 = await both((await st.batch(161, 190, secondBatch)).file);
    expect(b2).toEqual({ outcome: 'applied', took: { direct: 1, staged: 0 } });
    // A re-export overlapping applied rows: only the new part (201–… past the cursor) is applied.
    st.lastSha = null;
    const recut = await both((await st.batch(181, 220, (s) => (s <= 190 ? secondBatch(s) : firstBatch(s)), { previousBatchSha256: null })).file);
    expect(recut).toEqual({ outcome: 'applied', took: { direct: 1, staged: 0 } });

    // Lines the direct path leaves to the server: a number longer than a JavaScript number keeps
    // its digits, and a seq repeated in one batch keeps its first row, as the staged path does.
    const lines = [
      JSON.stringify({ seq: 221, entity: 'reading', id: 'r-big', op: 'insert', row: { id: 'r-big', period: '2026-03', point_id: 'p-big', kind: 'actual', value: 1 } }).replace('"value":1', '"value":123456789012345678901234'),
      JSON.stringify({ seq: 222, entity: 'payment', id: 'pay-222', op: 'insert', row: { id: 'pay-222', customer_id: 'c-1', amount_fen: 100, pay_date: '2026-03-20', channel: 'cash' } }),
      JSON.stringify({ seq: 222, entity: 'payment', id: 'pay-222b', op: 'insert', row: { id: 'pay-222b', customer_id: 'c-1', amount_fen: 999, pay_date: '2026-03-20', channel: 'cash' } }),
    ];
    const odd = join(dir, 'odd.gdsync');
    await writeSignedFile(
      odd,
      { kind: 'batch', manifest: { stationId: st.stationId, stationCode: st.code, schemaVersion: 6, appVersion: '0.1.0', epoch: 1, fromSeq: 221, toSeq: 223, count: 3, previousBatchSha256: null, referenceVersion: null }, payloadLines: lines as never },
      st.key.privateKey,
      st.key.keyId,
    );
    expect(await both(odd)).toEqual({ outcome: 'applied', took: { direct: 0, staged: 1 } });
    const big = await direct.hq.db.query<{ v: string }>(`SELECT row->>'value' AS v FROM station_rows WHERE station_id = $1 AND seq = 221`, [st.stationId]);
    expect(big[0]!.v).toBe('123456789012345678901234');

    // Lines the direct path reads in other ways than the ordinary one (plainSpans, flatFields,
    // JSON.parse): a row holding an object, a row given twice (the last wins, also when null),
    // spaces between tokens, an unread number longer than a JavaScript number (kept as sent), an
    // unread fraction (the careful way; kept as sent), a key named row inside children, a key
    // ending with another key's name, braces and colons inside strings.
    const readers = [
      '{"entity":"bill","id":"b-n1","op":"insert","row":{"customer_id":"c-1","id":"b-n1","kind":"regular","kwh":500,"meta":{"x":[1,2]},"period":"2026-03","total_fen":260},"seq":224}',
      '{"entity":"reading","id":"r-dup","op":"insert","row":{"id":"r-dup","kind":"estimated","period":"2026-03"},"row":{"id":"r-dup","kind":"actual","period":"2026-03","point_id":"p-9"},"seq":225}',
      '{"entity": "payment", "id": "pay-sp", "op": "insert", "row": {"amount_fen": 700, "channel": "cash", "customer_id": "c-2", "pay_date": "2026-03-21"}, "seq": 226, "children": {"settlements": [{"children": {"settlement_lines": [{"period": "2026-02", "principal_fen": 700}]}}]}}',
      '{"entity":"reading","id":"r-long","op":"insert","row":{"id":"r-long","kind":"actual","note":"a{b}[c],d:e","period":"2026-03","point_id":"p-l","value":123456789012345678901234},"seq":227}',
      '{"entity":"meter","id":"m-1","op":"update","row":{"id":"m-1","reading":1.50,"seal":"B2"},"seq":228}',
      '{"children":{"row":{"x":1}},"entity":"bill_issue","id":"b-n1","op":"insert","row":{"bill_id":"b-n1"},"seq":229}',
      '{"entity":"ledger_entries","id":"le-z","op":"insert","row":{"amount_fen":-5,"entry_type":"bill_credit","period":"2026-03","xperiod":"2026-01"},"seq":230}',
      '{"entity":"customer","id":"c-3","op":"update","row":{"id":"c-3","status":"closed"},"row":null,"seq":231}',
    ];
    const readersFile = join(dir, 'readers.gdsync');
    await writeSignedFile(
      readersFile,
      { kind: 'batch', manifest: { stationId: st.stationId, stationCode: st.code, schemaVersion: 6, appVersion: '0.1.0', epoch: 1, fromSeq: 224, toSeq: 231, count: 8, previousBatchSha256: null, referenceVersion: null }, payloadLines: readers as never },
      st.key.privateKey,
      st.key.keyId,
    );
    expect(await both(readersFile)).toEqual({ outcome: 'applied', took: { direct: 1, staged: 0 } });
    const kept = await direct.hq.db.query<{ seq: number; v: string | null; r: string | null }>(
      `SELECT seq, row->>'value' AS v, row->>'reading' AS r FROM station_rows WHERE station_id = $1 AND seq IN (227, 228) ORDER BY seq`,
      [st.stationId],
    );
    expect(kept).toEqual([{ seq: 227, v: '123456789012345678901234', r: null }, { seq: 228, v: null, r: '1.50' }]);

    const a = await contents(direct, st.stationId);
    const b = await contents(staged, st.stationId);
    expect(a.station_rows).toHaveLength(230);
    expect(a.hq_records!.length).toBeGreaterThan(5);
    expect(a.station_month!.length).toBeGreaterThanOrEqual(3);
    expect((a.stations![0] as { customers: number }).customers).toBe(4);
    for (const [table] of TABLES) expect({ table, rows: a[table] }).toEqual({ table, rows: b[table] });
  }, 120_000);
});
