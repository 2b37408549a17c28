// Return visits (回访) and satisfaction surveys (满意度调查). A visit is made when an order closes;
// the caller records whether the customer was reached, the score of 1–5 and comments. An
// unsatisfied score (3 or less) re-opens the order or escalates it to the head; a survey's
// unsatisfied answer becomes an opinion order (意见工单) escalated to the head: the same path.
import { isSatisfied, surveySample } from '../../../shared/service';
import type { Unit } from '../audit/record';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError, refuse } from '../errors';
import { addStep, createOrder, stateOf } from './orders';

export interface VisitInput {
  visitId: string;
  reached: boolean;
  satisfaction?: number | null;
  comments?: string;
  /** For an unsatisfied answer: re-open the order (default) or escalate it to the head. */
  outcome?: 'reopen' | 'escalate';
}

export function recordVisit(unit: Unit, v: VisitInput): { outcome: 'none' | 'reopen' | 'escalate'; orderNo: string | null } {
  const visit = unit.get<{ id: string; kind: 'order' | 'survey'; order_id: string | null; customer_id: string | null; order_no: string | null; account_no: string | null }>(sql`
    SELECT v.id, v.kind, v.order_id, v.customer_id, o.order_no, c.account_no FROM return_visits v
    LEFT JOIN work_orders o ON o.id = v.order_id LEFT JOIN customers c ON c.id = v.customer_id WHERE v.id = ${v.visitId}`);
  if (!visit) throw new AppError('not_found', 'service.err.unknownVisit', { visitId: v.visitId });
  if (unit.value(sql`SELECT 1 FROM return_visit_results WHERE visit_id = ${v.visitId}`)) throw refuse('service.err.visitDone', { orderNo: visit.order_no ?? visit.account_no ?? '' }, 'conflict');
  if (visit.order_id) {
    const steps = unit.all<{ kind: 'assign'; assignee_id: string | null }>(sql`SELECT kind, assignee_id FROM work_order_steps WHERE order_id = ${visit.order_id} ORDER BY at, rowid`);
    if (stateOf(steps).state !== 'closed') throw refuse('service.err.visitOpenOrder', { orderNo: visit.order_no ?? '' }, 'conflict');
  }
  const score = v.reached ? (v.satisfaction ?? null) : null;
  if (v.reached && (score === null || !Number.isInteger(score) || score < 1 || score > 5)) throw refuse('service.err.scoreRequired');
  const comments = (v.comments ?? '').trim();
  const unsatisfied = score !== null && !isSatisfied(score);
  if (unsatisfied && !comments) throw refuse('service.err.commentsRequired');
  const outcome = unsatisfied ? (v.outcome ?? 'reopen') : 'none';
  unit.run(sql`INSERT INTO return_visit_results (visit_id, reached, satisfaction, comments, outcome, at, by_staff)
               VALUES (${v.visitId}, ${v.reached ? 1 : 0}, ${score}, ${comments}, ${outcome}, ${unit.at}, ${unit.actor.staffId})`);
  unit.record({
    action: 'service.visit.record',
    entity: 'return_visit_result',
    entityId: v.visitId,
    op: 'insert',
    summary: { orderNo: visit.order_no, reached: v.reached, satisfaction: score, outcome },
    payload: { visitId: v.visitId, reached: v.reached, satisfaction: score, comments, outcome, at: unit.at, by: unit.actor.staffId },
  });
  let orderNo = visit.order_no;
  if (unsatisfied) {
    const reason = `回访不满意 (${score}/5): ${comments}`;
    if (visit.order_no) {
      // Re-opening is the head's decision in a step, but a visit's unsatisfied answer re-opens by rule.
      addStep(unit, visit.order_no, { kind: outcome === 'reopen' ? 'reopen' : 'escalate', note: reason }, { staffId: unit.actor.staffId, manager: true });
    } else {
      const accountNo = visit.account_no;
      const made = createOrder(unit, { kind: 'opinion', source: 'phone', accountNo, content: reason });
      addStep(unit, made.orderNo, { kind: 'escalate', note: reason }, { staffId: unit.actor.staffId, manager: true });
      orderNo = made.orderNo;
    }
  }
  return { outcome, orderNo };
}

/** Opens a satisfaction survey over a sample of active customers (every k-th by account). */
export function startSurvey(unit: Unit, period: string, size: number): { survey: string; visits: number } {
  const survey = `${period} 满意度调查`;
  if (unit.value(sql`SELECT 1 FROM return_visits WHERE survey = ${survey} LIMIT 1`)) throw refuse('service.err.surveyExists', { survey }, 'conflict');
  const ids = unit.column<string>(sql`SELECT id FROM customers WHERE status = 'active' ORDER BY account_no`);
  const sample = surveySample(ids, size, period);
  for (const customerId of sample) {
    const id = uuidv7(unit.at);
    unit.run(sql`INSERT INTO return_visits (id, station_id, kind, customer_id, survey, created_at, created_by) VALUES (${id}, ${unit.stationId()}, 'survey', ${customerId}, ${survey}, ${unit.at}, ${unit.actor.staffId})`);
    unit.outbox({ entity: 'return_visit', entityId: id, op: 'insert', payload: { id, kind: 'survey', customerId, survey, createdAt: unit.at } });
  }
  unit.audit({ action: 'service.survey.start', entity: 'return_visit', summary: { survey, visits: sample.length } });
  return { survey, visits: sample.length };
}

/** Visits waiting for a call (or all of them, newest first). */
export function listVisits(db: ReadableDB, pendingOnly: boolean, limit = 500) {
  return db.all<{ visitId: string; kind: string; orderNo: string | null; orderKind: string | null; accountNo: string | null; customerName: string | null; phone: string | null; survey: string | null; createdAt: number; reached: number | null; satisfaction: number | null; comments: string | null; outcome: string | null }>(sql`
    SELECT v.id AS visitId, v.kind, o.order_no AS orderNo, o.kind AS orderKind, c.account_no AS accountNo, coalesce(c.name, o.contact_name) AS customerName,
           coalesce(nullif(o.contact_phone, ''), c.phone) AS phone, v.survey, v.created_at AS createdAt, r.reached, r.satisfaction, r.comments, r.outcome
    FROM return_visits v LEFT JOIN work_orders o ON o.id = v.order_id LEFT JOIN customers c ON c.id = v.customer_id
    LEFT JOIN return_visit_results r ON r.visit_id = v.id
    ${pendingOnly ? sql`WHERE r.visit_id IS NULL` : sql``}
    ORDER BY v.created_at DESC LIMIT ${limit}`).map((r) => ({ ...r, reached: r.reached === null ? null : r.reached === 1 }));
}
