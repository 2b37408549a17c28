// Customer segments (客户画像): computed monthly from the station's bills and payments by the
// segment policy (shared/service/segments.ts), plus the manual tags staff set with a reason.
// Three aggregate queries over the window's bills read the whole station once; the rules run in
// JS per customer; the run and its rows are facts, and the changes since the last run go to head
// office in the batch.
import { addMonths, periodMonth, shanghaiDate } from '../../../shared/time';
import { classify, isManualTag, MANUAL_TAGS, needsHeadApprovalToDisconnect, SEGMENT_SERVICE, type SegmentCode } from '../../../shared/service';
import type { Unit } from '../audit/record';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError, refuse } from '../errors';
import { customerByAccount } from './orders';
import { segmentRulesFor } from './policy';

export interface SegmentAggregates {
  kwh: { customer_id: string; period: string; kwh: number }[];
  late: { customer_id: string; months: number }[];
  pf: { customer_id: string; pf: number | null }[];
  classes: { id: string; customer_class: string }[];
}

/**
 * The bare aggregate queries the computation stands on (the bench times them alone as the
 * baseline): kWh per customer and month over 12 months, late months in the arrears window,
 * the newest power factor of large-industry customers, and every active customer's class.
 */
export function segmentAggregates(db: ReadableDB, period: string, today: string): SegmentAggregates {
  const policy = segmentRulesFor(db, period);
  const from12 = addMonths(period, -11);
  const fromLate = addMonths(period, -(policy.arrearsRisk.windowMonths - 1));
  // The bill in force for each customer and month: not replaced by an issued correction.
  const kwh = db.all<{ customer_id: string; period: string; kwh: number }>(sql`
    SELECT b.customer_id, b.period, sum(b.kwh) / 100.0 AS kwh FROM bills b
    WHERE b.period BETWEEN ${from12} AND ${period}
      AND NOT EXISTS (SELECT 1 FROM bills n WHERE n.replaces_bill_id = b.id)
    GROUP BY b.customer_id, b.period`);
  // Late in a month: a settlement line of the month's bill counted days late, or the bill is past
  // due today and not fully paid.
  const late = db.all<{ customer_id: string; months: number }>(sql`
    SELECT b.customer_id, count(DISTINCT b.period) AS months
    FROM bills b JOIN bill_issues i ON i.bill_id = b.id
    WHERE b.period BETWEEN ${fromLate} AND ${period}
      AND (EXISTS (SELECT 1 FROM settlement_lines l WHERE l.bill_id = b.id AND l.days_late > 0)
           OR (i.due_date < ${today} AND coalesce((SELECT sum(l.principal_fen) FROM settlement_lines l WHERE l.bill_id = b.id), 0) < b.total_fen
               AND NOT EXISTS (SELECT 1 FROM bills n WHERE n.replaces_bill_id = b.id)))
    GROUP BY b.customer_id`);
  const pf = db.all<{ customer_id: string; pf: number | null }>(sql`
    SELECT b.customer_id, json_extract(b.details, '$.powerFactor.value') AS pf
    FROM bills b JOIN customers c ON c.id = b.customer_id
    WHERE c.customer_class = 'large_industry' AND b.period = (SELECT max(x.period) FROM bills x WHERE x.customer_id = b.customer_id AND x.period <= ${period})`);
  const classes = db.all<{ id: string; customer_class: string }>(sql`SELECT id, customer_class FROM customers WHERE status <> 'closed'`);
  return { kwh, late, pf, classes };
}

/** Computes the month's segments: a new run; the month's segments are its newest run's. */
export function computeSegments(unit: Unit, period: string): { runId: string; period: string; counts: Record<string, number>; added: number; removed: number } {
  const today = shanghaiDate(unit.at);
  // The rules in force on the month's first day (head office's newest version by then), recorded on the run.
  const policy = segmentRulesFor(unit, period);
  const agg = segmentAggregates(unit, period, today);
  const months = Array.from({ length: 12 }, (_, i) => addMonths(period, i - 11));
  const monthIndex = new Map(months.map((p, i) => [p, i]));
  const monthOf = months.map((p) => periodMonth(p));
  const kwh = new Map<string, (number | null)[]>();
  for (const r of agg.kwh) {
    let arr = kwh.get(r.customer_id);
    if (!arr) kwh.set(r.customer_id, (arr = months.map(() => null)));
    const i = monthIndex.get(r.period);
    if (i !== undefined) arr[i] = r.kwh;
  }
  const late = new Map(agg.late.map((r) => [r.customer_id, r.months]));
  const pf = new Map(agg.pf.map((r) => [r.customer_id, r.pf]));
  const empty = months.map(() => null);
  const rows: { code: string; customer_id: string }[] = [];
  const counts: Record<string, number> = {};
  for (const c of agg.classes) {
    const codes = classify({ customerClass: c.customer_class, lateMonths: late.get(c.id) ?? 0, kwhByMonth: kwh.get(c.id) ?? empty, monthOf, powerFactor: pf.get(c.id) ?? null }, policy);
    for (const code of codes) {
      rows.push({ code, customer_id: c.id });
      counts[code] = (counts[code] ?? 0) + 1;
    }
  }
  const previous = unit.value<string>(sql`SELECT id FROM segment_runs ORDER BY computed_at DESC, rowid DESC LIMIT 1`);
  const runId = uuidv7(unit.at);
  unit.run(sql`INSERT INTO segment_runs (id, period, policy_version, computed_at, computed_by, counts) VALUES (${runId}, ${period}, ${policy.version}, ${unit.at}, ${unit.actor.staffId}, ${JSON.stringify(counts)})`);
  for (let i = 0; i < rows.length; i += 300) {
    const chunk = rows.slice(i, i + 300);
    unit.run(sql`INSERT INTO customer_segments (run_id, code, customer_id) VALUES ${chunk.map((r) => sql`(${runId}, ${r.code}, ${r.customer_id})`).reduce((a, b) => sql`${a}, ${b}`)}`);
  }
  // What changed since the last run travels to head office (segment changes, 画像变化).
  const changes: { customer_id: string; code: string; change: 'added' | 'removed' }[] = previous
    ? [
        ...unit.all<{ customer_id: string; code: string }>(sql`SELECT customer_id, code FROM customer_segments WHERE run_id = ${runId} EXCEPT SELECT customer_id, code FROM customer_segments WHERE run_id = ${previous}`).map((r) => ({ ...r, change: 'added' as const })),
        ...unit.all<{ customer_id: string; code: string }>(sql`SELECT customer_id, code FROM customer_segments WHERE run_id = ${previous} EXCEPT SELECT customer_id, code FROM customer_segments WHERE run_id = ${runId}`).map((r) => ({ ...r, change: 'removed' as const })),
      ]
    : rows.map((r) => ({ ...r, change: 'added' as const }));
  unit.outboxAll(changes.map((c) => ({ entity: 'customer_segment', entityId: `${runId}:${c.customer_id}:${c.code}`, op: 'insert' as const, payload: { runId, period, customerId: c.customer_id, code: c.code, change: c.change } })));
  unit.record({ action: 'service.segments.compute', entity: 'segment_run', entityId: runId, op: 'insert', summary: { period, counts, changes: changes.length }, payload: { id: runId, period, policyVersion: policy.version, computedAt: unit.at, counts } });
  return { runId, period, counts, added: changes.filter((c) => c.change === 'added').length, removed: changes.filter((c) => c.change === 'removed').length };
}

/** The newest run of a month (or of any month, when none was computed for it). */
export function runOf(db: ReadableDB, period?: string): { id: string; period: string } | undefined {
  return period
    ? db.get(sql`SELECT id, period FROM segment_runs WHERE period = ${period} ORDER BY computed_at DESC, rowid DESC LIMIT 1`)
    : db.get(sql`SELECT id, period FROM segment_runs ORDER BY period DESC, computed_at DESC, rowid DESC LIMIT 1`);
}

export function setTag(unit: Unit, accountNo: string, code: string, op: 'set' | 'clear', reason: string): { done: true } {
  if (!isManualTag(code)) throw refuse('service.err.badTag', { code });
  const why = reason.trim();
  if (!why) throw refuse('service.err.tagReason');
  const customer = customerByAccount(unit, accountNo);
  if (!customer) throw new AppError('not_found', 'service.err.unknownCustomer', { accountNo });
  const id = uuidv7(unit.at);
  unit.run(sql`INSERT INTO customer_tags (id, customer_id, code, op, reason, at, by_staff) VALUES (${id}, ${customer.id}, ${code}, ${op}, ${why}, ${unit.at}, ${unit.actor.staffId})`);
  unit.record({ action: `service.tag.${op}`, entity: 'customer_tag', entityId: id, op: 'insert', summary: { accountNo, code, reason: why }, payload: { id, customerId: customer.id, code, op, reason: why, at: unit.at, by: unit.actor.staffId } });
  return { done: true };
}

/** Manual tags in force for a customer: the newest row per tag is a 'set'. */
function manualTagsOf(db: ReadableDB, customerId: string): { code: string; reason: string; at: number }[] {
  return db.all<{ code: string; op: string; reason: string; at: number }>(sql`
    SELECT t.code, t.op, t.reason, t.at FROM customer_tags t
    WHERE t.customer_id = ${customerId} AND t.at = (SELECT max(x.at) FROM customer_tags x WHERE x.customer_id = t.customer_id AND x.code = t.code)
    ORDER BY t.code`).filter((t) => t.op === 'set');
}

/** A customer's tags at a glance (the counter shows them): the newest month's segments and the manual tags. */
export function customerTags(db: ReadableDB, accountNo: string) {
  const customer = customerByAccount(db, accountNo);
  if (!customer) throw new AppError('not_found', 'service.err.unknownCustomer', { accountNo });
  const run = db.get<{ id: string; period: string }>(sql`
    SELECT r.id, r.period FROM segment_runs r ORDER BY r.period DESC, r.computed_at DESC, r.rowid DESC LIMIT 1`);
  const computed = run ? db.column<string>(sql`SELECT code FROM customer_segments WHERE customer_id = ${customer.id} AND run_id = ${run.id} ORDER BY code`) : [];
  const manual = manualTagsOf(db, customer.id);
  const codes = [...computed, ...manual.map((m) => m.code)];
  return { accountNo, period: run?.period ?? null, computed, manual, needsHeadApproval: needsHeadApprovalToDisconnect(codes) };
}

export interface ServiceListRow {
  accountNo: string;
  name: string;
  address: string;
  phone: string;
  codes: string[];
  balanceFen: number;
}

/**
 * A service list (服务清单) for the month: who to remind before the due date, who to visit, or
 * who must not be disconnected without the head's approval, from the month's segments and the
 * manual tags in force.
 */
export function serviceList(db: ReadableDB, period: string, purpose: 'remind' | 'visit' | 'protect', code?: SegmentCode): { period: string; runAt: number | null; rows: ServiceListRow[] } {
  const wanted = (Object.keys(SEGMENT_SERVICE) as SegmentCode[]).filter((c) => (code ? c === code : true) && SEGMENT_SERVICE[c][purpose === 'protect' ? 'protectFromDisconnection' : purpose]);
  const run = runOf(db, period);
  const byCustomer = new Map<string, Set<string>>();
  const add = (id: string, c: string) => (byCustomer.get(id) ?? byCustomer.set(id, new Set()).get(id))?.add(c);
  if (run) {
    for (const r of db.all<{ customer_id: string; code: string }>(sql`SELECT customer_id, code FROM customer_segments WHERE run_id = ${run.id}`)) if (wanted.includes(r.code as SegmentCode)) add(r.customer_id, r.code);
  }
  const manualWanted = wanted.filter((c) => (MANUAL_TAGS as readonly string[]).includes(c));
  if (manualWanted.length) {
    for (const r of db.all<{ customer_id: string; code: string; op: string }>(sql`
      SELECT t.customer_id, t.code, t.op FROM customer_tags t
      WHERE t.rowid = (SELECT x.rowid FROM customer_tags x WHERE x.customer_id = t.customer_id AND x.code = t.code ORDER BY x.at DESC, x.rowid DESC LIMIT 1)`)) {
      if (r.op === 'set' && manualWanted.includes(r.code as SegmentCode)) add(r.customer_id, r.code);
    }
  }
  const ids = [...byCustomer.keys()];
  const rows: ServiceListRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const c of db.all<{ id: string; account_no: string; name: string; township: string; village: string; address_detail: string; phone: string; balance: number | null }>(sql`
      SELECT c.id, c.account_no, c.name, c.township, c.village, c.address_detail, c.phone,
             (SELECT sum(l.amount_fen) FROM ledger_entries l WHERE l.customer_id = c.id) AS balance
      FROM customers c WHERE c.id IN (${chunk.map((id) => sql`${id}`).reduce((a, b) => sql`${a}, ${b}`)})`)) {
      rows.push({ accountNo: c.account_no, name: c.name, address: `${c.township}${c.village}${c.address_detail}`, phone: c.phone, codes: [...(byCustomer.get(c.id) ?? [])].sort(), balanceFen: c.balance ?? 0 });
    }
  }
  rows.sort((a, b) => a.accountNo.localeCompare(b.accountNo));
  return { period, runAt: run ? (db.value<number>(sql`SELECT computed_at FROM segment_runs WHERE id = ${run.id}`) ?? null) : null, rows };
}

/** The head's approval to serve a disconnection notice on a protected customer (停电审批). */
export function approveDisconnection(unit: Unit, accountNo: string, reason: string): { done: true } {
  const customer = customerByAccount(unit, accountNo);
  if (!customer) throw new AppError('not_found', 'service.err.unknownCustomer', { accountNo });
  const why = reason.trim();
  if (!why) throw refuse('service.err.reasonRequired', { orderNo: accountNo });
  const id = uuidv7(unit.at);
  unit.run(sql`INSERT INTO disconnection_approvals (id, customer_id, reason, approved_by, approved_at) VALUES (${id}, ${customer.id}, ${why}, ${unit.actor.staffId}, ${unit.at})`);
  unit.record({ action: 'service.disconnection.approve', entity: 'disconnection_approval', entityId: id, op: 'insert', summary: { accountNo, reason: why }, payload: { id, customerId: customer.id, reason: why, approvedBy: unit.actor.staffId, approvedAt: unit.at } });
  return { done: true };
}

/**
 * Refuses a disconnection notice for a protected customer (elderly living alone, low-income,
 * medical equipment at home) unless the head approved it since the last notice was served.
 * Called where disconnection notices are made (collection/arrears.ts).
 */
export function requireDisconnectionApproval(db: ReadableDB, customerId: string, accountNo: string): void {
  const tags = manualTagsOf(db, customerId).map((t) => t.code);
  if (!needsHeadApprovalToDisconnect(tags)) return;
  const approved = db.value<number>(sql`
    SELECT 1 FROM disconnection_approvals a WHERE a.customer_id = ${customerId}
      AND a.approved_at > coalesce((SELECT max(n.issued_at) FROM disconnection_notices n WHERE n.customer_id = ${customerId}), 0) LIMIT 1`);
  if (!approved) throw new AppError('conflict', 'service.err.protectedCustomer', { accountNo });
}

export interface SegmentSummaryRow {
  code: SegmentCode;
  manual: boolean;
  /** Customers in the segment: the month's newest run for a computed one (null when not computed), the tags in force for a manual one. */
  customers: number | null;
  remind: boolean;
  visit: boolean;
  protect: boolean;
}

/**
 * The segments screen's head (画像概览): the month's newest run (when, by whom, under which policy),
 * how many customers each segment holds and what service follows, and the months computed lately.
 */
export function segmentSummary(db: ReadableDB, period: string) {
  const run = db.get<{ id: string; policy_version: string; computed_at: number; counts: string; staff_no: string | null; name: string | null }>(sql`
    SELECT r.id, r.policy_version, r.computed_at, r.counts, s.staff_no, s.name
    FROM segment_runs r LEFT JOIN staff s ON s.id = r.computed_by
    WHERE r.period = ${period} ORDER BY r.computed_at DESC, r.rowid DESC LIMIT 1`);
  const counts = run ? (JSON.parse(run.counts) as Record<string, number>) : {};
  // Manual tags in force today: the newest row per customer and tag is a 'set'.
  const manual = new Map(
    db
      .all<{ code: string; n: number }>(sql`
        SELECT t.code, count(*) AS n FROM customer_tags t
        WHERE t.op = 'set' AND t.rowid = (SELECT x.rowid FROM customer_tags x WHERE x.customer_id = t.customer_id AND x.code = t.code ORDER BY x.at DESC, x.rowid DESC LIMIT 1)
        GROUP BY t.code`)
      .map((r) => [r.code, r.n]),
  );
  const segments: SegmentSummaryRow[] = (Object.keys(SEGMENT_SERVICE) as SegmentCode[]).map((code) => {
    const isManual = isManualTag(code);
    const service = SEGMENT_SERVICE[code];
    return { code, manual: isManual, customers: isManual ? (manual.get(code) ?? 0) : run ? (counts[code] ?? 0) : null, remind: service.remind, visit: service.visit, protect: service.protectFromDisconnection };
  });
  const runs = db.all<{ period: string; computedAt: number; staffNo: string | null; name: string | null }>(sql`
    SELECT r.period, r.computed_at AS computedAt, s.staff_no AS staffNo, s.name
    FROM segment_runs r LEFT JOIN staff s ON s.id = r.computed_by
    WHERE r.rowid = (SELECT x.rowid FROM segment_runs x WHERE x.period = r.period ORDER BY x.computed_at DESC, x.rowid DESC LIMIT 1)
    ORDER BY r.period DESC LIMIT 12`);
  return {
    period,
    run: run ? { computedAt: run.computed_at, by: run.staff_no ? `${run.staff_no} ${run.name ?? ''}`.trim() : null, policyVersion: run.policy_version } : null,
    segments,
    runs: runs.map((r) => ({ period: r.period, computedAt: r.computedAt, by: r.staffNo ? `${r.staffNo} ${r.name ?? ''}`.trim() : null })),
  };
}
