import Database from 'better-sqlite3';
import { SYSTEM_ACTOR } from '../../electron/backend/audit/record';
import { Backend } from '../../electron/backend/context';
import { sql } from '../../electron/backend/db/sql';
import { dispatch } from '../../electron/backend/dispatch';
import { createHandlers } from '../../electron/backend/handlers';
import { computeSegments } from '../../electron/backend/service/segments';
import { addMonths } from '../../shared/time';
import { demoStationCopy } from './customers';
import { measure, ratio, stats, type Bench } from './harness';

// Customer-service figures (issue 22), on the demo station of `ctx.customers` customers:
// - computing the month's segments for the whole station (the aggregates, the rules per
//   customer, the run written with its rows and the changes to the outbox), median of 5, beside
//   the bare aggregate queries it stands on (12 months of kWh per customer, late months in the
//   window, the last power factor of large industry, the customers' classes) on a raw
//   connection, alternately; target ≤ 3×;
// - the due-soon and overdue list (`service.orders.due` through dispatch as the head) with
//   50,000 orders on file (10% open, their due times spread over 6 days around now), p95 of 50;
//   target < 100 ms.

const NOW = Date.parse('2026-11-26T02:00:00Z');
const ORDERS = 50_000;

function bareAggregates(db: Database.Database, period: string, today: string) {
  const from12 = addMonths(period, -11);
  const fromLate = addMonths(period, -5);
  db.prepare(`SELECT b.customer_id, b.period, sum(b.kwh) / 100.0 FROM bills b WHERE b.period BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM bills n WHERE n.replaces_bill_id = b.id) GROUP BY b.customer_id, b.period`).all(from12, period);
  db.prepare(`SELECT b.customer_id, count(DISTINCT b.period) FROM bills b JOIN bill_issues i ON i.bill_id = b.id WHERE b.period BETWEEN ? AND ?
    AND (EXISTS (SELECT 1 FROM settlement_lines l WHERE l.bill_id = b.id AND l.days_late > 0) OR (i.due_date < ? AND coalesce((SELECT sum(l.principal_fen) FROM settlement_lines l WHERE l.bill_id = b.id), 0) < b.total_fen))
    GROUP BY b.customer_id`).all(fromLate, period, today);
  db.prepare(`SELECT b.customer_id, json_extract(b.details, '$.powerFactor.value') FROM bills b JOIN customers c ON c.id = b.customer_id WHERE c.customer_class = 'large_industry'`).all();
  db.prepare(`SELECT id, customer_class FROM customers WHERE status <> 'closed'`).all();
}

export const serviceBench: Bench = {
  name: 'service',
  async run(ctx) {
    const file = await demoStationCopy(ctx, 'service-run');
    const backend = new Backend({ db: file, now: () => NOW });
    try {
      const period = backend.store.read.value<string>(sql`SELECT max(period) FROM bills`) ?? '2026-10';
      const today = '2026-11-26';
      const bare = new Database(file, { readonly: true });
      const computeMs: number[] = [];
      const bareMs: number[] = [];
      let last: ReturnType<typeof computeSegments> | undefined;
      bareAggregates(bare, period, today); // warm both
      for (let i = 0; i < 5; i++) {
        let t = performance.now();
        bareAggregates(bare, period, today);
        bareMs.push(performance.now() - t);
        t = performance.now();
        last = backend.write(SYSTEM_ACTOR, (unit) => computeSegments(unit, period));
        computeMs.push(performance.now() - t);
        ctx.log(`service: segments ${Math.round(computeMs.at(-1)!)} ms, bare ${Math.round(bareMs.at(-1)!)} ms`);
      }
      bare.close();
      const compute = stats(computeMs);
      const baseline = stats(bareMs);

      // 50,000 orders on file, made straight in the store (the list reads the state records).
      const t0 = performance.now();
      backend.store.write((tx) => {
        tx.run(sql`
          WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ORDERS}),
          -- SQLite refuses an outer column in LIMIT/OFFSET: the customers are numbered and joined instead.
          c(k, id) AS (SELECT row_number() OVER (ORDER BY account_no) - 1, id FROM customers)
          INSERT INTO work_orders (id, station_id, order_no, kind, source, customer_id, content, received_at, created_at)
          SELECT 'bench-wo-' || i, (SELECT id FROM station), 'BENCH-WO-' || printf('%06d', i),
                 CASE i % 4 WHEN 0 THEN 'repair' WHEN 1 THEN 'complaint' WHEN 2 THEN 'meter_query' ELSE 'consultation' END,
                 CASE i % 3 WHEN 0 THEN 'counter' WHEN 1 THEN 'phone' ELSE 'dispatch95598' END,
                 c.id, '基准工单', ${NOW} - (i % 90) * 86400000, ${NOW}
          FROM n JOIN c ON c.k = (n.i * 7) % (SELECT count(*) FROM customers)`);
        tx.run(sql`
          INSERT INTO work_order_state (order_id, state, assignee_id, next_due_at, alert_at, final_due_at, closed_at, on_time, updated_at)
          SELECT o.id, CASE WHEN rowid % 10 = 0 THEN 'assigned' ELSE 'closed' END, (SELECT id FROM staff LIMIT 1),
                 CASE WHEN rowid % 10 = 0 THEN ${NOW} + ((rowid * 7919) % 518400000) - 259200000 END,
                 CASE WHEN rowid % 10 = 0 THEN ${NOW} + ((rowid * 7919) % 518400000) - 259200000 - 1800000 END,
                 ${NOW}, CASE WHEN rowid % 10 = 0 THEN NULL ELSE ${NOW} END, CASE WHEN rowid % 10 = 0 THEN NULL ELSE 1 END, ${NOW}
          FROM work_orders o`);
      });
      ctx.log(`service: ${ORDERS} orders seeded in ${Math.round(performance.now() - t0)} ms`);
      const head = backend.store.read.value<string>(sql`SELECT s.id FROM staff s JOIN staff_roles r ON r.staff_id = s.id AND r.role = 'station_head' ORDER BY s.staff_no LIMIT 1`)!;
      const token = backend.sessions.start(head).token;
      const handlers = createHandlers();
      let listed = 0;
      const due = await measure(50, async () => {
        const r = await dispatch(backend, handlers, 'service.orders.due', {}, { token, locale: 'zh-CN', setSessionToken: () => {} });
        if (!r.ok) throw new Error(r.error.message);
        listed = (r.value as { rows: unknown[] }).rows.length;
      }, 5);
      const orders = backend.store.read.value<number>(sql`SELECT count(*) FROM work_orders`);
      return {
        customers: ctx.customers,
        period,
        segments: { ...compute, result: last ? { counts: last.counts, added: last.added, removed: last.removed } : null },
        bareAggregates: baseline,
        segmentsRatio: ratio(compute.median, baseline.median),
        segmentsTarget: '≤ 3× the bare aggregates',
        orders,
        dueListRows: listed,
        dueListCall: due,
        dueListTarget: 'p95 < 100 ms with 50,000 orders',
      };
    } finally {
      backend.close();
    }
  },
};
