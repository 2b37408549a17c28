// The customer-service figures of the staff appraisal (shared/appraisal/kpis.ts), per member of
// staff and month, from the orders and return visits:
// - 有效投诉: complaints closed as valid (投诉属实) in the month and attributed to the person, each order once;
// - 回访满意率: return visits of the month on orders assigned to the person, satisfied (4–5) ÷ reached;
// - 业扩时限达标率: new-connection orders of the person closed in the month, within every limit ÷ closed.
import { count, rate, type KpiValue } from '../../../shared/appraisal';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';

export function serviceKpis(db: ReadableDB, startMs: number, endMs: number): Map<string, KpiValue[]> {
  const out = new Map<string, KpiValue[]>();
  const complaints = new Map(db.all<{ who: string; n: number }>(sql`
    SELECT attributed_to AS who, count(DISTINCT order_id) AS n FROM work_order_steps
    WHERE attributed_to IS NOT NULL AND valid_complaint = 1 AND kind = 'close' AND at >= ${startMs} AND at < ${endMs} GROUP BY attributed_to`).map((r) => [r.who, r.n]));
  const satisfaction = new Map(db.all<{ who: string; reached: number; satisfied: number }>(sql`
    SELECT s.assignee_id AS who, count(*) AS reached, sum(r.satisfaction >= 4) AS satisfied
    FROM return_visit_results r JOIN return_visits v ON v.id = r.visit_id JOIN work_order_state s ON s.order_id = v.order_id
    WHERE r.reached = 1 AND r.at >= ${startMs} AND r.at < ${endMs} AND s.assignee_id IS NOT NULL GROUP BY s.assignee_id`).map((r) => [r.who, r]));
  const timeliness = new Map(db.all<{ who: string; closed: number; on_time: number }>(sql`
    SELECT s.assignee_id AS who, count(*) AS closed, sum(s.on_time) AS on_time
    FROM work_order_state s JOIN work_orders o ON o.id = s.order_id
    WHERE o.kind = 'new_connection' AND s.state = 'closed' AND s.closed_at >= ${startMs} AND s.closed_at < ${endMs} AND s.assignee_id IS NOT NULL GROUP BY s.assignee_id`).map((r) => [r.who, r]));
  const ids = new Set([...complaints.keys(), ...satisfaction.keys(), ...timeliness.keys()]);
  for (const id of ids) {
    const sat = satisfaction.get(id);
    const t = timeliness.get(id);
    out.set(id, [count('service.complaints', complaints.get(id) ?? 0), rate('service.satisfaction', sat?.satisfied ?? 0, sat?.reached ?? 0), rate('service.newConnectionTimeliness', t?.on_time ?? 0, t?.closed ?? 0)]);
  }
  return out;
}

/** For someone with no service rows this month: no complaints (a count of 0), rates not measured. */
export function serviceKpisOf(map: Map<string, KpiValue[]>, staffId: string): KpiValue[] {
  return map.get(staffId) ?? [count('service.complaints', 0), rate('service.satisfaction', 0, 0), rate('service.newConnectionTimeliness', 0, 0)];
}

/** The orders behind a person's service figure, for the appraisal drill. */
export function serviceDrillRows(db: ReadableDB, kpi: 'service.complaints' | 'service.satisfaction' | 'service.newConnectionTimeliness', staffId: string, startMs: number, endMs: number): (string | number | null)[][] {
  if (kpi === 'service.complaints') {
    return db.rows(sql`
      SELECT st.at, o.order_no, o.source, coalesce(c.account_no, ''), o.content, st.note
      FROM work_order_steps st JOIN work_orders o ON o.id = st.order_id LEFT JOIN customers c ON c.id = o.customer_id
      WHERE st.attributed_to = ${staffId} AND st.valid_complaint = 1 AND st.kind = 'close' AND st.at >= ${startMs} AND st.at < ${endMs} ORDER BY st.at`);
  }
  if (kpi === 'service.satisfaction') {
    return db.rows(sql`
      SELECT r.at, o.order_no, o.kind, coalesce(c.account_no, ''), r.satisfaction, r.comments
      FROM return_visit_results r JOIN return_visits v ON v.id = r.visit_id JOIN work_orders o ON o.id = v.order_id
      JOIN work_order_state s ON s.order_id = o.id LEFT JOIN customers c ON c.id = o.customer_id
      WHERE r.reached = 1 AND s.assignee_id = ${staffId} AND r.at >= ${startMs} AND r.at < ${endMs} ORDER BY r.at`);
  }
  return db.rows(sql`
    SELECT s.closed_at, o.order_no, coalesce(c.account_no, ''), s.final_due_at, CASE s.on_time WHEN 1 THEN 'yes' ELSE 'no' END, ''
    FROM work_order_state s JOIN work_orders o ON o.id = s.order_id LEFT JOIN customers c ON c.id = o.customer_id
    WHERE o.kind = 'new_connection' AND s.state = 'closed' AND s.assignee_id = ${staffId} AND s.closed_at >= ${startMs} AND s.closed_at < ${endMs} ORDER BY s.closed_at`);
}
