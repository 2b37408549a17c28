import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../db/sql';
import { addMeters } from '../readings/fixtures';
import { households, makeReadingStation, moreStaff, type ReadingStation } from '../readings/test-station';

// The segments screen's head (service.segments.summary) against a real station file: the month's
// newest run, customers per segment (computed ones from the run, manual ones from the tags in
// force), and the months computed lately. The test clock stands at 2026-11-26 10:00 (Shanghai).

let rs: ReadingStation;
afterEach(() => rs?.station.close());

describe('the segments screen\'s summary (画像概览)', () => {
  it('says a month is not computed, then counts each segment from the newest run and the manual tags in force', async () => {
    rs = await makeReadingStation();
    const counter = await moreStaff(rs, 'C001', ['clerk'], '周营业');
    const points = addMeters(rs.station.backend, households(3));
    const accounts = households(3).map((h) => h.accountNo);
    const customer = points[0]!.customerId;
    rs.station.backend.store.write((tx) => {
      for (const [n, period, due] of [[1, '2026-09', '2026-10-15'], [2, '2026-10', '2026-11-15']] as const) {
        tx.run(sql`INSERT INTO bills (id, station_id, bill_no, customer_id, period, tariff_code, tariff_effective_from, kwh, total_fen, created_at)
                   VALUES (${`b${n}`}, (SELECT id FROM station), ${`GD01-B-${n}`}, ${customer}, ${period}, 'R', '2026-01', 10000, 5000, 0)`);
        tx.run(sql`INSERT INTO bill_issues (bill_id, issued_at, due_date) VALUES (${`b${n}`}, 0, ${due})`);
      }
    });

    const before = await counter.call('service.segments.summary', { period: '2026-11' });
    expect(before.run).toBeNull();
    expect(before.runs).toEqual([]);
    const byCode = (s: typeof before) => Object.fromEntries(s.segments.map((g) => [g.code, g.customers]));
    expect(byCode(before)).toMatchObject({ arrears_risk: null, zero_consumption: null, elderly_alone: 0, low_income: 0 });
    // Each segment carries its service: arrears risk is reminded, elderly living alone also visited and protected.
    expect(before.segments.find((g) => g.code === 'arrears_risk')).toMatchObject({ manual: false, remind: true, visit: false, protect: false });
    expect(before.segments.find((g) => g.code === 'elderly_alone')).toMatchObject({ manual: true, remind: true, visit: true, protect: true });

    await rs.head.call('service.segments.compute', { period: '2026-11' });
    await counter.call('service.tags.set', { accountNo: accounts[1]!, code: 'low_income', op: 'set', reason: '低保户，民政局证明' });
    await counter.call('service.tags.set', { accountNo: accounts[2]!, code: 'low_income', op: 'set', reason: '五保户' });
    rs.station.clock.advance(60_000);
    await counter.call('service.tags.set', { accountNo: accounts[2]!, code: 'low_income', op: 'clear', reason: '已迁出本村' });

    const after = await counter.call('service.segments.summary', { period: '2026-11' });
    expect(after.run).toMatchObject({ by: 'H001 李所长', policyVersion: 'default-1' });
    expect(byCode(after)).toMatchObject({ arrears_risk: 1, high_consumption: 0, zero_consumption: 0, elderly_alone: 0, low_income: 1, medical_equipment: 0 });
    expect(after.runs).toEqual([expect.objectContaining({ period: '2026-11', by: 'H001 李所长' })]);
    // Another month is not computed by this run.
    expect((await counter.call('service.segments.summary', { period: '2026-10' })).run).toBeNull();
  });
});
