import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billsDue } from '../../../shared/collection';
import { Backend } from '../context';
import { sql } from '../db/sql';
import { buildDemoStation, demoOptions } from '../demo/build';
import { INVARIANTS } from '../invariants';
import { loadAccount } from './account';
import { penaltyPolicyOn } from './policy';

// The whole demo station (every desk's step) with its payment history on top of the bills.

let dir: string;
let backend: Backend;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddesk-demo-pay-'));
  const file = join(dir, 'demo.db');
  await buildDemoStation(file, demoOptions({ customers: 300, seed: 5, asOf: '2026-11-26' }), { tick: async () => {} });
  backend = new Backend({ db: file, now: () => Date.parse('2026-11-26T03:00:00Z') });
}, 240_000);
afterAll(() => {
  backend.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo station’s payments', () => {
  it('pays most issued bills at the counter before they are due, with receipt numbers in the order taken', () => {
    const db = backend.store.read;
    const payments = db.value<number>(sql`SELECT count(*) FROM payments`) ?? 0;
    const issued = db.value<number>(sql`SELECT count(*) FROM bills_in_force b JOIN bill_issues i ON i.bill_id = b.id WHERE b.total_fen > 0`) ?? 0;
    expect(payments).toBeGreaterThan(issued * 0.8);
    expect(payments).toBeLessThan(issued);
    expect(db.value(sql`SELECT value FROM counters WHERE name = 'receipt'`)).toBe(payments);
    // Receipt numbers follow the time of payment; every payment was before the demo's today and by a clerk.
    expect(db.value(sql`SELECT count(*) FROM payments a JOIN payments b ON b.receipt_seq = a.receipt_seq + 1 WHERE b.posted_at < a.posted_at`)).toBe(0);
    expect(db.value<string>(sql`SELECT max(pay_date) FROM payments`) ?? '9999').toMatch(/^2026-11-(0\d|1\d|2[0-5])$/);
    expect(db.column(sql`SELECT DISTINCT s.staff_no FROM payments p JOIN staff s ON s.id = p.clerk_id ORDER BY 1`)).toEqual(['C001', 'C002']);
    expect(db.value(sql`SELECT count(*) FROM settlement_lines WHERE penalty_fen > 0`)).toBe(0);
  });

  it('leaves customers in arrears with penalties accruing, and a few holding prepaid balance', () => {
    const db = backend.store.read;
    const policy = penaltyPolicyOn(db, '2026-11-26');
    const customers = db.column<string>(sql`SELECT id FROM customers WHERE status <> 'closed' ORDER BY account_no`);
    const accounts = customers.map((id) => loadAccount(db, id, '2026-11-26', policy));
    const due = accounts.map((a) => billsDue(a.openBills, '2026-11-26', policy));
    const inArrears = due.filter((bills) => bills.some((b) => b.penalty.daysLate > 0));
    expect(inArrears.length).toBeGreaterThan(customers.length * 0.04);
    expect(inArrears.some((bills) => bills.some((b) => b.penaltyFen >= 100))).toBe(true);
    expect(accounts.filter((a) => a.prepaidFen > 0).length).toBeGreaterThan(0);
  });

  it('breaks none of the station’s invariants', () => {
    expect(INVARIANTS.flatMap((i) => i.check(backend))).toEqual([]);
  });
});
