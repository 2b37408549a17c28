import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from './audit/record';
import { DEMO_TARIFFS_TEXT } from './demo/billingStep';
import { fieldsOf, updateCustomer } from './customers/customers';
import { customerRow } from './customers/rows';
import { sql } from './db/sql';
import { INVARIANTS } from './invariants';
import { addMeters } from './readings/fixtures';
import { bookWith, history, households, makeReadingStation, moreStaff, openPeriod, type ReadingStation } from './readings/test-station';

// A month at the station across the desks, through the same channels the screens call: the meter
// reader enters the book, the billing clerk decides the flagged reading, the station head closes
// the period, the billing clerk bills and issues, and the counter clerk takes the money.

let rs: ReadingStation;
afterEach(() => rs?.station.close());

describe('a month at the station', () => {
  it('readings entered in the book become exact bills that the counter collects to a zero balance', async () => {
    rs = await makeReadingStation();
    const { backend } = rs.station;
    const admin = await moreStaff(rs, 'A002', ['admin'], '孙管理');
    const counter = await moreStaff(rs, 'C001', ['clerk'], '王营业');
    await admin.call('tariffs.import', { text: DEMO_TARIFFS_TEXT, fileName: 'demo-tariffs.json' });
    const points = addMeters(backend, households(3));
    backend.write(SYSTEM_ACTOR, (unit) => {
      for (const p of points) updateCustomer(unit, p.customerId, { ...fieldsOf(customerRow(unit, p.customerId)), tariffCode: 'RES' });
    });
    await bookWith(rs, points, 'M001');
    // Two months of history at 100 kWh a month, billed, issued and paid as they went.
    await history(rs, points, '2026-08', 2, 100);
    let keys = 0;
    for (const period of ['2026-08', '2026-09']) {
      for (const channel of ['billing.run', 'billing.issue'] as const) {
        expect((await backend.jobs.finished((await rs.clerk.call(channel, { period })).jobId)).status).toBe('succeeded');
      }
      for (const p of points) {
        const due = await counter.call('collection.balance', { customerId: p.customerId });
        await counter.call('collection.pay', { customerId: p.customerId, amountFen: due.totalDueFen, channel: 'qr', idempotencyKey: `history-${++keys}` });
      }
    }

    // October: the reader keys in the book; the third house jumped tenfold and is flagged.
    await openPeriod(rs, '2026-10');
    const values = ['300', '320', '1200'];
    const saved = [];
    for (const [i, p] of points.entries()) {
      saved.push(await rs.reader.call('readings.save', { period: '2026-10', pointId: p.pointId, value: values[i], readingDate: '2026-10-25' }));
    }
    expect(saved.map((s) => s.outcome)).toEqual(['saved', 'saved', 'saved']);
    const flagged = saved[2];
    if (flagged?.outcome !== 'saved') throw new Error('not saved');
    expect(flagged.reading.flags.length).toBeGreaterThan(0);
    const refused = await rs.head.fail('periods.close', { period: '2026-10' });
    expect(refused.message).toMatch(/还不能关账.*1 条待复核/);
    await rs.clerk.call('readings.review', { readingId: flagged.reading.id, decision: 'accept', note: '上门核实，新装空调' });
    await rs.head.call('periods.close', { period: '2026-10' });

    // Billing: every reviewed reading of the month billed; consumption carried to the fen.
    const runJob = await backend.jobs.finished((await rs.clerk.call('billing.run', { period: '2026-10' })).jobId);
    expect(runJob.status).toBe('succeeded');
    const { rows: drafts } = await rs.clerk.call('bills.list', { period: '2026-10', includeLines: true });
    expect(drafts.map((b) => b.kwh).sort((a, b) => a - b)).toEqual([10_000, 12_000, 100_000]);
    for (const bill of drafts) expect(bill.totalFen).toBe((bill.lines ?? []).reduce((s, l) => s + l.amountFen, 0));
    // The 1,000 kWh month is over ×3 the customer's average: held for review before issue.
    const high = drafts.find((b) => b.kwh === 100_000);
    if (!high) throw new Error('no high bill');
    await rs.clerk.call('bills.review', { billId: high.id, note: '抄表已复核' });
    const issueJob = await backend.jobs.finished((await rs.clerk.call('billing.issue', { period: '2026-10' })).jobId);
    expect(issueJob.status).toBe('succeeded');

    // The counter: the house with the big month pays exactly what it owes, and owes nothing after.
    const balance = await counter.call('collection.balance', { customerId: high.customerId });
    expect(balance.bills.map((b) => [b.period, b.principalFen])).toEqual([['2026-10', high.totalFen]]);
    const paid = await counter.call('collection.pay', {
      customerId: high.customerId,
      amountFen: balance.totalDueFen,
      channel: 'cash',
      tenderedFen: Math.ceil(balance.totalDueFen / 10_000) * 10_000,
      idempotencyKey: 'station-month-1',
    });
    expect(paid.lines).toEqual([expect.objectContaining({ period: '2026-10', principalFen: high.totalFen, penaltyFen: 0 })]);
    expect(paid.balanceAfterFen).toBe(0);
    expect((await counter.call('collection.balance', { customerId: high.customerId })).totalDueFen).toBe(0);
    expect(backend.store.read.value(sql`SELECT sum(amount_fen) FROM ledger_entries WHERE customer_id = ${high.customerId}`)).toBe(0);
    expect(INVARIANTS.flatMap((i) => i.check(backend))).toEqual([]);
  });
});
