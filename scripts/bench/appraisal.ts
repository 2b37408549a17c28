import Database from 'better-sqlite3';
import { SYSTEM_ACTOR } from '../../electron/backend/audit/record';
import { computeMonth } from '../../electron/backend/appraisal/appraisals';
import { Backend } from '../../electron/backend/context';
import { sql } from '../../electron/backend/db/sql';
import { dispatch } from '../../electron/backend/dispatch';
import { createHandlers } from '../../electron/backend/handlers';
import { insertStaff, prepareStaff } from '../../electron/backend/staff/staff';
import type { Role } from '../../shared/permissions';
import { demoStationCopy } from './customers';
import { measure, ratio, stats, type Bench } from './harness';

// Staff appraisal figures (issue "Staff appraisal"), on the demo station of `ctx.customers`
// customers with 30 staff (the demo's 8 and 22 more, the books shared among 15 readers):
// - computing a month's appraisal for the whole station (every KPI of every person, the drafts
//   written with audit), median of 5, beside the bare aggregate queries over the same rows
//   (reading_due, readings, bills with their settlement lines, closings, payments per clerk)
//   measured in the same run, alternately; target ≤ 3×;
// - the summary screen's back-end call (`appraisal.summary` through dispatch as the head), p95
//   of 50; target < 200 ms.

const PERIOD = '2026-10';
const TODAY = '2026-11-26';

function bareAggregates(db: Database.Database, staff: { id: string; clerk: boolean }[]) {
  const one = (q: string, ...args: unknown[]) => db.prepare(q).all(...args);
  one(`SELECT b.reader_id, count(*) FROM reading_due d JOIN books b ON b.id = d.book_id WHERE d.period = ? GROUP BY b.reader_id`, PERIOD);
  one(`SELECT r.kind, count(*) FROM readings r WHERE r.period = ? GROUP BY r.kind`, PERIOD);
  one(`SELECT coalesce(read_by, entered_by), count(*) FROM readings WHERE period = ? AND supersedes IS NULL GROUP BY 1`, PERIOD);
  one(`SELECT d.book_id, count(*), max(r.reading_date) FROM reading_due d JOIN readings r ON r.period = d.period AND r.point_id = d.point_id WHERE d.period = ? GROUP BY d.book_id`, PERIOD);
  one(`SELECT bk.reader_id, sum(b.total_fen), sum(l.principal_fen) FROM bills b JOIN books bk ON bk.id = b.book_id LEFT JOIN settlement_lines l ON l.bill_id = b.id WHERE b.period = ? GROUP BY bk.reader_id`, PERIOD);
  one(`SELECT clerk_id, count(*), sum(abs(difference_fen)) FROM day_closings WHERE business_date BETWEEN ? AND ? GROUP BY clerk_id`, `${PERIOD}-01`, `${PERIOD}-31`);
  const perClerk = db.prepare(`SELECT count(*) FROM payments WHERE clerk_id = ? AND business_date BETWEEN ? AND ?`);
  for (const s of staff) perClerk.get(s.id, `${PERIOD}-01`, `${PERIOD}-31`);
}

export const appraisalBench: Bench = {
  name: 'appraisal',
  async run(ctx) {
    const file = await demoStationCopy(ctx, 'appraisal-run');
    const backend = new Backend({ db: file, now: () => Date.parse(`${TODAY}T03:00:00Z`) });
    try {
      // 22 more staff: 12 readers, 5 clerks, 3 billing clerks, 2 heads → 30 in all.
      const roles: Role[] = [...Array<Role>(12).fill('meter_reader'), ...Array<Role>(5).fill('clerk'), ...Array<Role>(3).fill('billing_clerk'), ...Array<Role>(2).fill('station_head')];
      const base = await prepareStaff({ staffNo: 'X', name: 'X', roles: [], password: 'bench1234', mustChangePassword: false });
      backend.write(SYSTEM_ACTOR, (unit) => {
        roles.forEach((role, i) => insertStaff(unit, { ...base, id: `bench-staff-${i}`, staffNo: `BS${String(i + 1).padStart(3, '0')}`, name: `基准员工${i + 1}`, roles: [role] }));
        unit.run(sql`INSERT INTO appraisal_staff_start (id, staff_id, start_date, set_at) SELECT 'bench-start-' || id, id, '2020-01-01', 0 FROM staff`);
      });
      const readers = backend.store.read.column<string>(sql`SELECT s.id FROM staff s JOIN staff_roles r ON r.staff_id = s.id AND r.role = 'meter_reader' ORDER BY s.staff_no`);
      const books = backend.store.read.column<string>(sql`SELECT id FROM books ORDER BY book_no`);
      backend.store.write((tx) => books.forEach((id, i) => tx.run(sql`UPDATE books SET reader_id = ${readers[i % readers.length] ?? null} WHERE id = ${id}`)));
      const staff = backend.store.read.all<{ id: string; clerk: number }>(sql`SELECT s.id, EXISTS (SELECT 1 FROM staff_roles r WHERE r.staff_id = s.id AND r.role = 'clerk') AS clerk FROM staff s`);
      const bare = new Database(file, { readonly: true });
      const people = staff.map((s) => ({ id: s.id, clerk: s.clerk === 1 }));
      const computeMs: number[] = [];
      const bareMs: number[] = [];
      let last: ReturnType<typeof computeMonth> | undefined;
      bareAggregates(bare, people); // warm both
      for (let i = 0; i < 5; i++) {
        let t = performance.now();
        bareAggregates(bare, people);
        bareMs.push(performance.now() - t);
        t = performance.now();
        last = backend.write(SYSTEM_ACTOR, (unit) => computeMonth(unit, PERIOD, 'KPI100', TODAY));
        computeMs.push(performance.now() - t);
        ctx.log(`appraisal: compute ${Math.round(computeMs.at(-1)!)} ms, bare ${Math.round(bareMs.at(-1)!)} ms`);
      }
      bare.close();
      const compute = stats(computeMs);
      const baseline = stats(bareMs);

      const head = backend.store.read.value<string>(sql`SELECT s.id FROM staff s JOIN staff_roles r ON r.staff_id = s.id AND r.role = 'station_head' ORDER BY s.staff_no LIMIT 1`)!;
      const token = backend.sessions.start(head).token;
      const handlers = createHandlers();
      const summary = await measure(50, async () => {
        const r = await dispatch(backend, handlers, 'appraisal.summary', { period: PERIOD }, { token, locale: 'zh-CN', setSessionToken: () => {} });
        if (!r.ok) throw new Error(r.error.message);
      }, 5);
      return {
        customers: ctx.customers,
        staff: staff.length,
        period: PERIOD,
        compute: { ...compute, result: last ? { drafted: last.drafted, recomputed: last.recomputed, unchanged: last.unchanged, signed: last.signed } : null },
        bareAggregates: baseline,
        computeRatio: ratio(compute.median, baseline.median),
        computeTarget: '≤ 3× the bare aggregates',
        summaryCall: summary,
        summaryTarget: 'p95 < 200 ms',
      };
    } finally {
      backend.close();
    }
  },
};
