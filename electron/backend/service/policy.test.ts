import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../audit/record';
import { sql } from '../db/sql';
import { addMeters } from '../readings/fixtures';
import { households, makeReadingStation, moreStaff, type ReadingStation } from '../readings/test-station';
import { generateKeyPair, publicKeyToBase64, signedFileBytes } from '../sync/signedFile';
import { applyReference, installHqKey } from '../sync/station';

// The service policy as versions from head office's reference pack: the time limits per kind
// and the segment rules. The test clock stands at 2026-11-26 10:00 (Shanghai), a Thursday.

let rs: ReadingStation;
afterEach(() => rs?.station.close());

const hq = generateKeyPair();
const DAY = 24 * 60 * 60_000;

async function station() {
  rs = await makeReadingStation();
  const counter = await moreStaff(rs, 'C001', ['clerk'], '周营业');
  const points = addMeters(rs.station.backend, households(3));
  installHqKey(rs.station.backend, SYSTEM_ACTOR, publicKeyToBase64(hq.publicKey), 'HQ-TEST');
  return { counter, accounts: households(3).map((h) => h.accountNo), customerIds: points.map((p) => p.customerId) };
}

async function pack(version: number, rows: Record<string, unknown>[]) {
  return (await signedFileBytes({ kind: 'reference', manifest: { version, hqId: 'HQ-TEST' }, payloadLines: rows }, hq.privateKey, hq.keyId)).bytes;
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
const END_OF = (date: string) => new Date(`${date}T00:00:00+08:00`).getTime() + DAY; // 24:00 of a Beijing day

describe('service time limits as policy versions (服务时限政策)', () => {
  it('a pack with a shorter complaint limit changes the due time of an order opened after it takes effect, not of one opened before', async () => {
    const { counter } = await station();
    const backend = rs.station.backend;
    // Before: the built-in limits (complaint answered within 7 working days).
    const old = await counter.call('service.orders.create', { kind: 'complaint', source: 'counter', content: '营业厅排队太久' });
    const oldBefore = await counter.call('service.orders.get', { orderNo: old.orderNo });
    expect(oldBefore.limitsVersion).toBe('default-2023');
    // Fri 27, Mon 30, Tue 1, Wed 2, Thu 3, Fri 4, Mon 7: 24:00 on Monday 7 December.
    expect(iso(oldBefore.limits[1]!.due)).toBe(iso(END_OF('2026-12-07')));

    // Head office's province promises an answer within 3 working days from 1 December.
    const shorter = { type: 'policy', data: { kind: 'serviceLimits', effectiveFrom: '2026-12-01', definition: { limits: { complaint: { answer: { workingDays: 3 } } } } } };
    const applied = await applyReference(backend, SYSTEM_ACTOR, await pack(2, [shorter]));
    expect(applied.loaded).toMatchObject({ policy: 1 });

    // Loaded but not in force yet: an order taken today still gets the built-in limits.
    const early = await counter.call('service.orders.create', { kind: 'complaint', source: 'counter', content: '抄表不准' });
    expect((await counter.call('service.orders.get', { orderNo: early.orderNo })).limitsVersion).toBe('default-2023');
    expect((await counter.call('service.policy', {})).limits).toMatchObject({ version: 'default-2023', builtIn: true });

    rs.station.clock.advance(5 * DAY); // Tuesday 1 December, 10:00 (yesterday's sessions have ended: the day's staff sign in)
    const clerk = await moreStaff(rs, 'C002', ['clerk'], '吴营业');
    const head = await moreStaff(rs, 'H002', ['station_head'], '赵所长');
    const fresh = await clerk.call('service.orders.create', { kind: 'complaint', source: 'counter', content: '电费单看不懂' });
    const freshDetail = await clerk.call('service.orders.get', { orderNo: fresh.orderNo });
    expect(freshDetail.limitsVersion).toBe('2026-12-01');
    // Wed 2, Thu 3, Fri 4: 24:00 on Friday 4 December; the first contact stays at 1 working day.
    expect(iso(freshDetail.limits[1]!.due)).toBe(iso(END_OF('2026-12-04')));
    expect(iso(freshDetail.limits[0]!.due)).toBe(iso(END_OF('2026-12-02')));

    // The old order keeps its limits, also when a step recomputes its state.
    await head.call('service.orders.step', { orderNo: old.orderNo, kind: 'assign', assigneeStaffNo: 'M001' });
    const oldAfter = await clerk.call('service.orders.get', { orderNo: old.orderNo });
    expect(oldAfter.limitsVersion).toBe('default-2023');
    expect(iso(oldAfter.limits[1]!.due)).toBe(iso(END_OF('2026-12-07')));
    expect(iso(oldAfter.finalDueAt)).toBe(iso(END_OF('2026-12-07')));

    const inForce = await clerk.call('service.policy', {});
    expect(inForce.limits).toMatchObject({ version: '2026-12-01', builtIn: false });
    expect(inForce.limits.keys).toEqual(expect.arrayContaining([{ key: 'limits.complaint.answer.workingDays', value: 3 }, { key: 'limits.repair.arrival.minutes', value: 90 }, { key: 'limits.repair.restore.minutes', value: 240 }]));
    expect(inForce.versions).toEqual([expect.objectContaining({ kind: 'serviceLimits', effectiveFrom: '2026-12-01' })]);
    // The order's version travels to head office with the order.
    const payload = backend.store.read.value<string>(sql`SELECT payload FROM outbox WHERE entity = 'work_order' ORDER BY seq DESC LIMIT 1`);
    expect(JSON.parse(payload!)).toMatchObject({ limitsVersion: '2026-12-01' });
  });

  it('an older pack, a loaded version sent again with other limits, and a limit on an unknown milestone are refused whole, nothing changed', async () => {
    const { counter } = await station();
    const backend = rs.station.backend;
    const row = (definition: unknown, effectiveFrom = '2026-11-01') => ({ type: 'policy', data: { kind: 'serviceLimits', effectiveFrom, definition } });
    await applyReference(backend, SYSTEM_ACTOR, await pack(3, [row({ limits: { repair: { arrival: { minutes: 60 } } } })]));
    const count = () => backend.store.read.value<number>(sql`SELECT count(*) FROM service_policies`);
    expect(count()).toBe(1);

    // An older pack (version 2 after 3) is refused as for every policy.
    await expect(applyReference(backend, SYSTEM_ACTOR, await pack(2, [row({ limits: { repair: { arrival: { minutes: 120 } } } }, '2026-10-01')]))).rejects.toMatchObject({ key: 'sync.refOlder' });
    // The same effective day with other numbers: a loaded version never changes.
    await expect(applyReference(backend, SYSTEM_ACTOR, await pack(4, [row({ limits: { repair: { arrival: { minutes: 45 } } } })]))).rejects.toMatchObject({ key: 'sync.refRow.changed' });
    // A key that is not a limit of that kind names the key.
    const bad = await applyReference(backend, SYSTEM_ACTOR, await pack(4, [row({ limits: { complaint: { arrival: { minutes: 30 } } } }, '2026-12-01')])).catch((e: Error) => e);
    expect(bad).toMatchObject({ key: 'sync.refRow.invalid' });
    expect((bad as Error).message).toContain('limits.complaint.arrival');
    // Minutes on a working-day limit are refused too.
    await expect(applyReference(backend, SYSTEM_ACTOR, await pack(4, [row({ limits: { complaint: { answer: { minutes: 30 } } } }, '2026-12-01')]))).rejects.toMatchObject({ key: 'sync.refRow.invalid' });
    expect(count()).toBe(1);

    // The 60-minute arrival of version 2026-11-01 is in force: a repair now is due in an hour.
    const { orderNo } = await counter.call('service.orders.create', { kind: 'repair', source: 'phone', content: '停电' });
    const detail = await counter.call('service.orders.get', { orderNo });
    expect(detail.limitsVersion).toBe('2026-11-01');
    expect((detail.limits[0]!.due ?? 0) - detail.receivedAt).toBe(60 * 60_000);
    expect((detail.limits[1]!.due ?? 0) - (detail.limits[0]!.due ?? 0)).toBe(240 * 60_000);
  });
});

describe('segment rules as policy versions (画像规则)', () => {
  it('a pack with a different arrears-risk rule changes next month\'s segments; the month computed keeps its version, recorded with the run', async () => {
    const { counter, accounts, customerIds } = await station();
    const backend = rs.station.backend;
    // One unpaid bill past its due date: late in 1 of the last 6 months.
    backend.store.write((tx) => {
      tx.run(sql`INSERT INTO bills (id, station_id, bill_no, customer_id, period, tariff_code, tariff_effective_from, kwh, total_fen, created_at)
                 VALUES ('b1', (SELECT id FROM station), 'GD01-B-1', ${customerIds[0]!}, '2026-10', 'R', '2026-01', 10000, 5000, 0)`);
      tx.run(sql`INSERT INTO bill_issues (bill_id, issued_at, due_date) VALUES ('b1', 0, '2026-11-15')`);
    });
    expect((await rs.head.call('service.segments.compute', { period: '2026-11' })).counts).toEqual({});

    // From December, late once in the last 6 months is an arrears risk.
    const rule = { type: 'policy', data: { kind: 'segmentRules', effectiveFrom: '2026-12-01', definition: { arrearsRisk: { lateMonths: 1 } } } };
    await applyReference(backend, SYSTEM_ACTOR, await pack(2, [rule]));
    // November is computed by the rules of 1 November: unchanged.
    expect((await rs.head.call('service.segments.compute', { period: '2026-11' })).counts).toEqual({});
    expect((await counter.call('service.segments.summary', { period: '2026-11' })).run?.policyVersion).toBe('default-1');

    const december = await rs.head.call('service.segments.compute', { period: '2026-12' });
    expect(december.counts).toEqual({ arrears_risk: 1 });
    expect((await counter.call('service.segments.summary', { period: '2026-12' })).run?.policyVersion).toBe('2026-12-01');
    expect((await counter.call('service.segments.list', { period: '2026-12', purpose: 'remind' })).rows.map((r) => r.accountNo)).toEqual([accounts[0]]);
    const policy = await counter.call('service.policy', { period: '2026-12' });
    expect(policy.segments).toMatchObject({ period: '2026-12', version: '2026-12-01', builtIn: false });
    expect(policy.segments.keys).toEqual(expect.arrayContaining([{ key: 'arrearsRisk.lateMonths', value: '1' }, { key: 'arrearsRisk.windowMonths', value: '6' }]));

    // More late months than the window holds is refused, naming the key.
    const bad = await applyReference(backend, SYSTEM_ACTOR, await pack(3, [{ type: 'policy', data: { kind: 'segmentRules', effectiveFrom: '2027-01-01', definition: { arrearsRisk: { lateMonths: 7 } } } }])).catch((e: Error) => e);
    expect(bad).toMatchObject({ key: 'sync.refRow.invalid' });
    expect((bad as Error).message).toContain('arrearsRisk.lateMonths');
  });
});
