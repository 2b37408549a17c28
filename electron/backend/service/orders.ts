// Work orders (工单): logged at the counter or from a phone call, or dispatched by 95598; assigned
// by the head; answered by the assignee in steps with their times; suspended and resumed with a
// reason; closed with a result. Orders and steps are facts; `work_order_state` keeps where each
// order stands and its next due time for the lists, and goes to head office with every change.
import { alertMinutesOf, orderLimits, suspensionsOf, worstStatus, type LimitStatus, type OrderKind, type OrderLimitView, type OrderSource, type OrderState, type StepKind } from '../../../shared/service';
import { COMPLAINT_KINDS } from '../../../shared/service';
import type { Unit } from '../audit/record';
import { nextNumber } from '../counters';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError, refuse } from '../errors';
import { loadCalendar } from './calendar';
import { serviceLimitsOn, serviceLimitsVersion } from './policy';
import { shanghaiDate } from '../../../shared/time';

export interface NewOrder {
  kind: OrderKind;
  source: OrderSource;
  accountNo?: string | null;
  contactName?: string;
  contactPhone?: string;
  content: string;
  /** When the customer called or came (defaults to now): a phone order may be logged a little later. */
  receivedAt?: number;
  dispatchNo?: string | null;
  /** 被投诉人: the member of staff a complaint names. */
  aboutStaffNo?: string | null;
  /** Data of the customer, when the caller already looked it up (dispatch import). */
  customer?: { id: string; customer_class: string } | null;
}

export function customerByAccount(db: ReadableDB, accountNo: string): { id: string; customer_class: string; account_no: string; name: string } | undefined {
  return db.get(sql`SELECT id, customer_class, account_no, name FROM customers WHERE account_no = ${accountNo}`);
}

export function staffIdByNo(db: ReadableDB, staffNo: string): string {
  const id = db.value<string>(sql`SELECT id FROM staff WHERE staff_no = ${staffNo}`);
  if (!id) throw new AppError('not_found', 'service.err.unknownStaff', { staffNo });
  return id;
}

export function createOrder(unit: Unit, o: NewOrder): { id: string; orderNo: string } {
  const content = o.content.trim();
  if (!content) throw refuse('service.err.contentRequired');
  let customer = o.customer ?? null;
  if (!customer && o.accountNo?.trim()) {
    customer = customerByAccount(unit, o.accountNo.trim()) ?? null;
    if (!customer) throw new AppError('not_found', 'service.err.unknownCustomer', { accountNo: o.accountNo.trim() });
  }
  const receivedAt = o.receivedAt ?? unit.at;
  if (receivedAt > unit.at + 5 * 60_000) throw refuse('service.err.receivedInFuture');
  const aboutStaffId = o.aboutStaffNo?.trim() ? staffIdByNo(unit, o.aboutStaffNo.trim()) : null;
  const code = unit.value<string>(sql`SELECT code FROM station`) ?? '';
  const orderNo = `${code}-WO-${String(nextNumber(unit, 'work_order')).padStart(6, '0')}`;
  const id = uuidv7(unit.at);
  const residential = customer ? customer.customer_class === 'residential' : true;
  // The limits in force on the day the customer called (受理日) are recorded on the order: a version
  // head office sends later never moves this order's due times.
  const limitsVersion = serviceLimitsOn(unit, shanghaiDate(receivedAt)).version;
  unit.run(sql`
    INSERT INTO work_orders (id, station_id, order_no, kind, source, dispatch_no, customer_id, residential, contact_name, contact_phone, content, about_staff_id, received_at, created_at, created_by, limits_version)
    VALUES (${id}, ${unit.stationId()}, ${orderNo}, ${o.kind}, ${o.source}, ${o.dispatchNo ?? null}, ${customer?.id ?? null}, ${residential ? 1 : 0},
            ${o.contactName ?? ''}, ${o.contactPhone ?? ''}, ${content}, ${aboutStaffId}, ${receivedAt}, ${unit.at}, ${unit.actor.staffId}, ${limitsVersion})`);
  const stepId = insertStep(unit, id, { kind: 'create', at: unit.at });
  unit.record({
    action: 'service.order.create',
    entity: 'work_order',
    entityId: id,
    op: 'insert',
    summary: { orderNo, kind: o.kind, source: o.source, dispatchNo: o.dispatchNo ?? null, limitsVersion },
    payload: { id, orderNo, kind: o.kind, source: o.source, dispatchNo: o.dispatchNo ?? null, customerId: customer?.id ?? null, residential, contactName: o.contactName ?? '', contactPhone: o.contactPhone ?? '', content, aboutStaffId, receivedAt, createdAt: unit.at, createdBy: unit.actor.staffId, stepId, limitsVersion },
  });
  refreshState(unit, id);
  return { id, orderNo };
}

interface StepInput {
  kind: StepKind;
  at: number;
  note?: string;
  assigneeId?: string | null;
  validComplaint?: boolean | null;
  attributedTo?: string | null;
}

function insertStep(unit: Unit, orderId: string, s: StepInput): string {
  const id = uuidv7(unit.at);
  unit.run(sql`
    INSERT INTO work_order_steps (id, order_id, kind, at, by_staff, assignee_id, note, valid_complaint, attributed_to)
    VALUES (${id}, ${orderId}, ${s.kind}, ${s.at}, ${unit.actor.staffId}, ${s.assigneeId ?? null}, ${s.note ?? ''},
            ${s.validComplaint === undefined || s.validComplaint === null ? null : s.validComplaint ? 1 : 0}, ${s.attributedTo ?? null})`);
  return id;
}

interface OrderRow {
  id: string;
  order_no: string;
  kind: OrderKind;
  source: OrderSource;
  dispatch_no: string | null;
  customer_id: string | null;
  residential: number;
  contact_name: string;
  contact_phone: string;
  content: string;
  about_staff_id: string | null;
  received_at: number;
  created_at: number;
  limits_version: string | null;
}

/** The time limits an order was opened under. */
export const orderPolicy = (db: ReadableDB, order: Pick<OrderRow, 'limits_version'>) => serviceLimitsVersion(db, order.limits_version);

export function orderByNo(db: ReadableDB, orderNo: string): OrderRow {
  const row = db.get<OrderRow>(sql`SELECT * FROM work_orders WHERE order_no = ${orderNo}`);
  if (!row) throw new AppError('not_found', 'service.err.unknownOrder', { orderNo });
  return row;
}

interface StepRow {
  id: string;
  kind: StepKind;
  at: number;
  by_staff: string | null;
  assignee_id: string | null;
  note: string;
  valid_complaint: number | null;
  attributed_to: string | null;
}

function stepsOf(db: ReadableDB, orderId: string): StepRow[] {
  return db.all<StepRow>(sql`SELECT id, kind, at, by_staff, assignee_id, note, valid_complaint, attributed_to FROM work_order_steps WHERE order_id = ${orderId} ORDER BY at, rowid`);
}

/** Where an order stands, from its steps: closed after its last close (and no later re-open), suspended while a suspension is open, assigned once it has someone. */
export function stateOf(steps: readonly Pick<StepRow, 'kind' | 'assignee_id'>[]): { state: OrderState; assigneeId: string | null } {
  let state: OrderState = 'new';
  let assigneeId: string | null = null;
  for (const s of steps) {
    if (s.kind === 'assign') {
      assigneeId = s.assignee_id;
      if (state !== 'suspended') state = 'assigned';
    } else if (s.kind === 'suspend') state = 'suspended';
    else if (s.kind === 'resume' || s.kind === 'reopen') state = assigneeId ? 'assigned' : 'new';
    else if (s.kind === 'close') state = 'closed';
  }
  return { state, assigneeId };
}

export function limitsOf(db: ReadableDB, order: OrderRow, steps: readonly StepRow[], now: number): OrderLimitView[] {
  return orderLimits({ kind: order.kind, receivedAt: order.received_at, residential: order.residential === 1, steps, policy: orderPolicy(db, order), calendar: loadCalendar(db), now });
}

/** Recomputes the order's state record and sends it to head office. */
export function refreshState(unit: Unit, orderId: string): void {
  const order = unit.get<OrderRow>(sql`SELECT * FROM work_orders WHERE id = ${orderId}`);
  if (!order) throw new Error(`work order ${orderId} vanished`);
  const steps = stepsOf(unit, orderId);
  const { state, assigneeId } = stateOf(steps);
  const limits = limitsOf(unit, order, steps, unit.at);
  const policy = orderPolicy(unit, order);
  const rules = policy.limits[order.kind];
  const open = limits.map((l, i) => ({ l, rule: rules[i] })).filter((x) => x.l.metAt === null && x.l.due !== null && x.rule);
  const next = open.sort((a, b) => (a.l.due as number) - (b.l.due as number))[0];
  const nextDue = state === 'closed' || state === 'suspended' || !next ? null : (next.l.due as number);
  const alertAt = nextDue === null || !next?.rule ? null : nextDue - alertMinutesOf(next.rule, policy) * 60_000;
  const lastClose = steps.filter((s) => s.kind === 'close').at(-1)?.at ?? null;
  const onTime = state === 'closed' ? (limits.every((l) => l.status === 'metOnTime') ? 1 : 0) : null;
  const escalated = steps.some((s) => s.kind === 'escalate') ? 1 : 0;
  const reopened = steps.filter((s) => s.kind === 'reopen').length;
  const finalDue = limits.at(-1)?.due ?? null;
  const row = { orderId, state, assigneeId, nextDueAt: nextDue, alertAt, finalDueAt: finalDue, closedAt: state === 'closed' ? lastClose : null, onTime, escalated, reopened, updatedAt: unit.at };
  unit.run(sql`
    INSERT INTO work_order_state (order_id, state, assignee_id, next_due_at, alert_at, final_due_at, closed_at, on_time, escalated, reopened, updated_at)
    VALUES (${orderId}, ${state}, ${assigneeId}, ${nextDue}, ${alertAt}, ${finalDue}, ${row.closedAt}, ${onTime}, ${escalated}, ${reopened}, ${unit.at})
    ON CONFLICT (order_id) DO UPDATE SET state = excluded.state, assignee_id = excluded.assignee_id, next_due_at = excluded.next_due_at, alert_at = excluded.alert_at,
      final_due_at = excluded.final_due_at, closed_at = excluded.closed_at, on_time = excluded.on_time, escalated = excluded.escalated, reopened = excluded.reopened, updated_at = excluded.updated_at`);
  unit.outbox({ entity: 'work_order_state', entityId: orderId, op: 'update', payload: row });
}

export interface StepRequest {
  kind: Exclude<StepKind, 'create'>;
  note?: string;
  assigneeStaffNo?: string;
  /** Close of a complaint: 投诉属实 (a valid complaint), and whom it counts against (default: the staff it names). */
  validComplaint?: boolean;
  attributedStaffNo?: string;
}

const NEEDS_NOTE: Partial<Record<StepKind, 'service.err.reasonRequired' | 'service.err.resultRequired'>> = {
  suspend: 'service.err.reasonRequired',
  resume: 'service.err.reasonRequired',
  reopen: 'service.err.reasonRequired',
  escalate: 'service.err.reasonRequired',
  close: 'service.err.resultRequired',
};

/**
 * Adds a step to an order. `manager` is the head (assigns, re-opens, escalates, acts on any
 * order); anyone else acts only on the orders assigned to them.
 */
export function addStep(unit: Unit, orderNo: string, req: StepRequest, who: { staffId: string | null; manager: boolean }): { orderNo: string; state: OrderState; visitId: string | null } {
  const order = orderByNo(unit, orderNo);
  const steps = stepsOf(unit, order.id);
  const { state, assigneeId } = stateOf(steps);
  const note = (req.note ?? '').trim();
  const needs = NEEDS_NOTE[req.kind];
  if (needs && !note) throw refuse(needs, { orderNo });
  if ((req.kind === 'assign' || req.kind === 'reopen') && !who.manager) throw new AppError('forbidden', 'service.err.headOnly', { orderNo });
  if (!who.manager && req.kind !== 'escalate' && assigneeId !== who.staffId) throw new AppError('forbidden', 'service.err.notYours', { orderNo });
  if (req.kind === 'reopen') {
    if (state !== 'closed') throw refuse('service.err.notClosed', { orderNo }, 'conflict');
  } else if (state === 'closed' && req.kind !== 'escalate') {
    throw refuse('service.err.closed', { orderNo }, 'conflict');
  }
  if (req.kind === 'suspend' && state === 'suspended') throw refuse('service.err.alreadySuspended', { orderNo }, 'conflict');
  if (req.kind === 'resume' && state !== 'suspended') throw refuse('service.err.notSuspended', { orderNo }, 'conflict');
  if (req.kind === 'close' && state === 'suspended') throw refuse('service.err.resumeFirst', { orderNo }, 'conflict');
  let assignee: string | null = null;
  if (req.kind === 'assign') {
    if (!req.assigneeStaffNo) throw refuse('service.err.assigneeRequired', { orderNo });
    assignee = staffIdByNo(unit, req.assigneeStaffNo);
  }
  let valid: boolean | null = null;
  let attributed: string | null = null;
  if (req.kind === 'close' && COMPLAINT_KINDS.includes(order.kind)) {
    valid = req.validComplaint ?? false;
    attributed = valid ? (req.attributedStaffNo ? staffIdByNo(unit, req.attributedStaffNo) : order.about_staff_id) : null;
    if (valid && !attributed) throw refuse('service.err.attributeRequired', { orderNo });
  }
  const stepId = insertStep(unit, order.id, { kind: req.kind, at: unit.at, note, assigneeId: assignee, validComplaint: valid, attributedTo: attributed });
  unit.record({
    action: `service.order.${req.kind}`,
    entity: 'work_order_step',
    entityId: stepId,
    op: 'insert',
    summary: { orderNo, kind: req.kind, note, assignee: req.assigneeStaffNo ?? null, validComplaint: valid },
    payload: { id: stepId, orderId: order.id, kind: req.kind, at: unit.at, by: unit.actor.staffId, assigneeId: assignee, note, validComplaint: valid, attributedTo: attributed },
  });
  let visitId: string | null = null;
  if (req.kind === 'close') {
    // A closed order gets its return visit (回访), one per close.
    visitId = uuidv7(unit.at);
    unit.run(sql`INSERT INTO return_visits (id, station_id, kind, order_id, close_step, customer_id, created_at, created_by)
                 VALUES (${visitId}, ${unit.stationId()}, 'order', ${order.id}, ${stepId}, ${order.customer_id}, ${unit.at}, ${unit.actor.staffId})`);
    unit.outbox({ entity: 'return_visit', entityId: visitId, op: 'insert', payload: { id: visitId, kind: 'order', orderId: order.id, closeStep: stepId, customerId: order.customer_id, createdAt: unit.at } });
  }
  refreshState(unit, order.id);
  return { orderNo, state: stateOf(stepsOf(unit, order.id)).state, visitId };
}

export interface OrderListRow {
  orderNo: string;
  kind: OrderKind;
  source: OrderSource;
  dispatchNo: string | null;
  accountNo: string | null;
  customerName: string | null;
  content: string;
  receivedAt: number;
  state: OrderState;
  assignee: { staffNo: string; name: string } | null;
  nextDueAt: number | null;
  finalDueAt: number | null;
  status: LimitStatus | 'closedOnTime' | 'closedLate';
  escalated: boolean;
  reopened: number;
}

interface ListRow {
  order_no: string;
  kind: OrderKind;
  source: OrderSource;
  dispatch_no: string | null;
  account_no: string | null;
  customer_name: string | null;
  content: string;
  received_at: number;
  state: OrderState;
  staff_no: string | null;
  staff_name: string | null;
  next_due_at: number | null;
  alert_at: number | null;
  final_due_at: number | null;
  on_time: number | null;
  escalated: number;
  reopened: number;
}

function toListRow(r: ListRow, now: number): OrderListRow {
  let status: OrderListRow['status'];
  if (r.state === 'closed') status = r.on_time ? 'closedOnTime' : 'closedLate';
  else if (r.state === 'suspended' || r.next_due_at === null) status = 'paused';
  else if (now > r.next_due_at) status = 'overdue';
  else if (r.alert_at !== null && now >= r.alert_at) status = 'dueSoon';
  else status = 'ok';
  return {
    orderNo: r.order_no,
    kind: r.kind,
    source: r.source,
    dispatchNo: r.dispatch_no,
    accountNo: r.account_no,
    customerName: r.customer_name,
    content: r.content,
    receivedAt: r.received_at,
    state: r.state,
    assignee: r.staff_no ? { staffNo: r.staff_no, name: r.staff_name ?? '' } : null,
    nextDueAt: r.next_due_at,
    finalDueAt: r.final_due_at,
    status,
    escalated: r.escalated === 1,
    reopened: r.reopened,
  };
}

const LIST_COLUMNS = sql`
  o.order_no, o.kind, o.source, o.dispatch_no, c.account_no, c.name AS customer_name, o.content, o.received_at,
  s.state, st.staff_no, st.name AS staff_name, s.next_due_at, s.alert_at, s.final_due_at, s.on_time, s.escalated, s.reopened`;

/**
 * The due-soon and overdue list (临期与超期工单): open orders whose alert time has come, most
 * urgent first. Read from the state records' alert index: a few rows out of tens of thousands.
 */
export function dueList(db: ReadableDB, now: number, assigneeId?: string | null, limit = 500): OrderListRow[] {
  const rows = db.all<ListRow>(sql`
    SELECT ${LIST_COLUMNS}
    FROM work_order_state s JOIN work_orders o ON o.id = s.order_id
    LEFT JOIN customers c ON c.id = o.customer_id LEFT JOIN staff st ON st.id = s.assignee_id
    WHERE s.alert_at IS NOT NULL AND s.alert_at <= ${now} ${assigneeId ? sql`AND s.assignee_id = ${assigneeId}` : sql``}
    ORDER BY s.next_due_at LIMIT ${limit}`);
  return rows.map((r) => toListRow(r, now));
}

export interface OrderFilter {
  state?: 'open' | OrderState;
  kind?: OrderKind;
  assigneeId?: string | null;
  customerId?: string | null;
  escalated?: boolean;
  limit?: number;
}

export function listOrders(db: ReadableDB, now: number, f: OrderFilter): OrderListRow[] {
  const where = [sql`1 = 1`];
  if (f.state === 'open') where.push(sql`s.state <> 'closed'`);
  else if (f.state) where.push(sql`s.state = ${f.state}`);
  if (f.kind) where.push(sql`o.kind = ${f.kind}`);
  if (f.assigneeId) where.push(sql`s.assignee_id = ${f.assigneeId}`);
  if (f.customerId) where.push(sql`o.customer_id = ${f.customerId}`);
  if (f.escalated) where.push(sql`s.escalated = 1`);
  const cond = where.reduce((a, b) => sql`${a} AND ${b}`);
  const rows = db.all<ListRow>(sql`
    SELECT ${LIST_COLUMNS}
    FROM work_orders o JOIN work_order_state s ON s.order_id = o.id
    LEFT JOIN customers c ON c.id = o.customer_id LEFT JOIN staff st ON st.id = s.assignee_id
    WHERE ${cond} ORDER BY o.received_at DESC LIMIT ${f.limit ?? 500}`);
  return rows.map((r) => toListRow(r, now));
}

export function getOrder(db: ReadableDB, orderNo: string, now: number) {
  const order = orderByNo(db, orderNo);
  const [row] = db.all<ListRow>(sql`
    SELECT ${LIST_COLUMNS}
    FROM work_orders o JOIN work_order_state s ON s.order_id = o.id
    LEFT JOIN customers c ON c.id = o.customer_id LEFT JOIN staff st ON st.id = s.assignee_id
    WHERE o.id = ${order.id}`);
  if (!row) throw new AppError('not_found', 'service.err.unknownOrder', { orderNo });
  const steps = stepsOf(db, order.id);
  const staff = new Map(db.all<{ id: string; staff_no: string; name: string }>(sql`SELECT id, staff_no, name FROM staff`).map((s) => [s.id, s]));
  const label = (id: string | null) => (id && staff.get(id) ? `${staff.get(id)?.staff_no} ${staff.get(id)?.name}` : null);
  const visits = db.all<{ id: string; created_at: number; reached: number | null; satisfaction: number | null; comments: string | null; outcome: string | null; at: number | null }>(sql`
    SELECT v.id, v.created_at, r.reached, r.satisfaction, r.comments, r.outcome, r.at
    FROM return_visits v LEFT JOIN return_visit_results r ON r.visit_id = v.id WHERE v.order_id = ${order.id} ORDER BY v.created_at`);
  return {
    ...toListRow(row, now),
    contactName: order.contact_name,
    contactPhone: order.contact_phone,
    aboutStaff: label(order.about_staff_id),
    limits: limitsOf(db, order, steps, now),
    limitsVersion: orderPolicy(db, order).version,
    suspended: suspensionsOf(steps),
    steps: steps.map((s) => ({ kind: s.kind, at: s.at, by: label(s.by_staff), assignee: label(s.assignee_id), note: s.note, validComplaint: s.valid_complaint === null ? null : s.valid_complaint === 1, attributedTo: label(s.attributed_to) })),
    visits: visits.map((v) => ({ visitId: v.id, createdAt: v.created_at, done: v.at !== null, reached: v.reached === null ? null : v.reached === 1, satisfaction: v.satisfaction, comments: v.comments ?? '', outcome: v.outcome })),
  };
}

/** What the head sees on the home page: overdue, due soon, escalated and unsatisfied, and what waits for a return visit. */
export function alerts(db: ReadableDB, now: number, assigneeId?: string | null) {
  const due = dueList(db, now, assigneeId, 2000);
  const overdue = due.filter((r) => r.status === 'overdue').length;
  const dueSoon = due.filter((r) => r.status === 'dueSoon').length;
  const escalated = db.value<number>(sql`SELECT count(*) FROM work_order_state WHERE escalated = 1 AND state <> 'closed'`) ?? 0;
  const visitsWaiting = db.value<number>(sql`SELECT count(*) FROM return_visits v WHERE NOT EXISTS (SELECT 1 FROM return_visit_results r WHERE r.visit_id = v.id)`) ?? 0;
  const open = db.value<number>(sql`SELECT count(*) FROM work_order_state WHERE state <> 'closed' ${assigneeId ? sql`AND assignee_id = ${assigneeId}` : sql``}`) ?? 0;
  return { overdue, dueSoon, escalated, visitsWaiting, open, top: due.slice(0, 5) };
}

export { worstStatus };
