import { z } from 'zod';
import { COMPUTED_SEGMENTS, MANUAL_TAGS, ORDER_KINDS, STEP_KINDS } from '../service';
import { PERIOD_RE } from '../time';
import { channel } from './define';

// Customer service (客户服务): work orders with their time limits, return visits and surveys,
// the working-day calendar, customer segments and manual tags, reports. Anyone at the station
// with `service.read` sees the orders; `service.log` logs orders and records visits (the counter);
// `service.answer` adds steps to the orders assigned to oneself; `service.manage` (the head)
// assigns, re-opens, takes 95598 dispatches, computes segments and approves disconnections.

const period = z.string().regex(PERIOD_RE, { message: 'reading.periodFormat' });
const kind = z.enum(ORDER_KINDS);
const state = z.enum(['new', 'assigned', 'suspended', 'closed']);
const listStatus = z.enum(['ok', 'dueSoon', 'overdue', 'paused', 'metOnTime', 'metLate', 'closedOnTime', 'closedLate']);
const segmentCode = z.enum([...COMPUTED_SEGMENTS, ...MANUAL_TAGS]);
const file = z.object({ fileName: z.string(), base64: z.string() });

export const serviceOrderRowSchema = z.object({
  orderNo: z.string(),
  kind,
  source: z.enum(['counter', 'phone', 'dispatch95598']),
  dispatchNo: z.string().nullable(),
  accountNo: z.string().nullable(),
  customerName: z.string().nullable(),
  content: z.string(),
  receivedAt: z.number(),
  state,
  assignee: z.object({ staffNo: z.string(), name: z.string() }).nullable(),
  nextDueAt: z.number().nullable(),
  finalDueAt: z.number().nullable(),
  status: listStatus,
  escalated: z.boolean(),
  reopened: z.number(),
});
export type ServiceOrderRow = z.infer<typeof serviceOrderRowSchema>;

const orderDetailSchema = serviceOrderRowSchema.extend({
  contactName: z.string(),
  contactPhone: z.string(),
  aboutStaff: z.string().nullable(),
  limits: z.array(z.object({ milestone: z.string(), due: z.number().nullable(), metAt: z.number().nullable(), status: listStatus })),
  /** The time-limits version the order was opened under (the receipt day's; `default-2023` is the built-in baseline). */
  limitsVersion: z.string(),
  suspended: z.array(z.object({ from: z.number(), to: z.number().nullable() })),
  steps: z.array(z.object({ kind: z.enum(STEP_KINDS), at: z.number(), by: z.string().nullable(), assignee: z.string().nullable(), note: z.string(), validComplaint: z.boolean().nullable(), attributedTo: z.string().nullable() })),
  visits: z.array(z.object({ visitId: z.string(), createdAt: z.number(), done: z.boolean(), reached: z.boolean().nullable(), satisfaction: z.number().nullable(), comments: z.string(), outcome: z.string().nullable() })),
});
export type ServiceOrderDetail = z.infer<typeof orderDetailSchema>;

const visitRowSchema = z.object({
  visitId: z.string(),
  kind: z.string(),
  orderNo: z.string().nullable(),
  orderKind: z.string().nullable(),
  accountNo: z.string().nullable(),
  customerName: z.string().nullable(),
  phone: z.string().nullable(),
  survey: z.string().nullable(),
  createdAt: z.number(),
  reached: z.boolean().nullable(),
  satisfaction: z.number().nullable(),
  comments: z.string().nullable(),
  outcome: z.string().nullable(),
});
export type ServiceVisitRow = z.infer<typeof visitRowSchema>;

const alertsSchema = z.object({ overdue: z.number(), dueSoon: z.number(), escalated: z.number(), visitsWaiting: z.number(), open: z.number(), top: z.array(serviceOrderRowSchema) });
export type ServiceAlerts = z.infer<typeof alertsSchema>;

const listRowSchema = z.object({ accountNo: z.string(), name: z.string(), address: z.string(), phone: z.string(), codes: z.array(z.string()), balanceFen: z.number() });

const reportSchema = z.object({
  from: z.string(),
  to: z.string(),
  byKind: z.array(z.object({ kind, orders: z.number(), closed: z.number(), onTime: z.number(), overdueOpen: z.number() })),
  bySource: z.array(z.object({ source: z.string(), orders: z.number() })),
  byStaff: z.array(z.object({ staffNo: z.string(), name: z.string(), assigned: z.number(), closed: z.number(), onTime: z.number(), validComplaints: z.number() })),
  satisfaction: z.array(z.object({ period: z.string(), reached: z.number(), satisfied: z.number(), notReached: z.number() })),
});
export type ServiceReport = z.infer<typeof reportSchema>;

export const serviceChannels = {
  /** The counter or a phone call logs an order (受理). */
  'service.orders.create': channel({
    input: z.object({
      kind,
      source: z.enum(['counter', 'phone']),
      accountNo: z.string().max(30).optional(),
      contactName: z.string().max(50).default(''),
      contactPhone: z.string().max(30).default(''),
      content: z.string().max(2000),
      /** When the call came in, if the order is logged later (defaults to now; never in the future). */
      receivedAt: z.number().int().optional(),
      aboutStaffNo: z.string().max(20).optional(),
    }),
    output: z.object({ orderNo: z.string() }),
    access: 'service.log',
  }),
  'service.orders.list': channel({
    input: z.object({ state: z.enum(['open', 'new', 'assigned', 'suspended', 'closed']).optional(), kind: kind.optional(), mine: z.boolean().default(false), escalated: z.boolean().default(false), accountNo: z.string().optional() }),
    output: z.object({ rows: z.array(serviceOrderRowSchema) }),
    access: 'service.read',
  }),
  'service.orders.get': channel({ input: z.object({ orderNo: z.string() }), output: orderDetailSchema, access: 'service.read' }),
  /** A step on an order: assign (head), contact, arrive, restore, note, suspend/resume (with a reason), close (with the result), reopen (head), escalate. */
  'service.orders.step': channel({
    input: z.object({
      orderNo: z.string(),
      kind: z.enum(['assign', 'contact', 'arrive', 'restore', 'note', 'suspend', 'resume', 'close', 'reopen', 'escalate']),
      note: z.string().max(2000).default(''),
      assigneeStaffNo: z.string().max(20).optional(),
      validComplaint: z.boolean().optional(),
      attributedStaffNo: z.string().max(20).optional(),
    }),
    output: z.object({ orderNo: z.string(), state, visitId: z.string().nullable() }),
    access: 'service.answer',
  }),
  /** Orders due soon and overdue (临期与超期), most urgent first. */
  'service.orders.due': channel({ input: z.object({ mine: z.boolean().default(false) }), output: z.object({ rows: z.array(serviceOrderRowSchema), now: z.number() }), access: 'service.read' }),
  /** The home page's card: counts and the most urgent orders (the head's alert; others see their own). */
  'service.alerts': channel({ input: z.object({}), output: alertsSchema, access: 'service.read' }),
  /** Takes a 95598 dispatch workbook: good rows become orders, bad rows are refused one by one. */
  'service.dispatch.import': channel({
    input: z.object({ fileName: z.string(), base64: z.string().max(40_000_000) }),
    output: z.object({ taken: z.array(z.object({ row: z.number(), dispatchNo: z.string(), orderNo: z.string() })), refused: z.array(z.object({ row: z.number(), dispatchNo: z.string(), field: z.string(), message: z.string() })) }),
    access: 'service.manage',
  }),
  'service.visits.list': channel({ input: z.object({ pending: z.boolean().default(true) }), output: z.object({ rows: z.array(visitRowSchema) }), access: 'service.read' }),
  /** The caller records a return visit: reached or not, satisfaction 1–5, comments; unsatisfied re-opens or escalates. */
  'service.visits.record': channel({
    input: z.object({ visitId: z.string(), reached: z.boolean(), satisfaction: z.number().int().min(1).max(5).optional(), comments: z.string().max(2000).default(''), outcome: z.enum(['reopen', 'escalate']).optional() }),
    output: z.object({ outcome: z.enum(['none', 'reopen', 'escalate']), orderNo: z.string().nullable() }),
    access: 'service.log',
  }),
  /** A satisfaction survey over a sample of customers (满意度调查). */
  'service.surveys.start': channel({ input: z.object({ period, size: z.number().int().min(1).max(5000) }), output: z.object({ survey: z.string(), visits: z.number() }), access: 'service.manage' }),
  'service.calendar.list': channel({ input: z.object({ year: z.string().regex(/^\d{4}$/) }), output: z.object({ rows: z.array(z.object({ date: z.string(), kind: z.string(), name: z.string(), source: z.string() })) }), access: 'service.read' }),
  /** Loads head office's calendar file (before or besides a reference pack). */
  'service.calendar.load': channel({ input: z.object({ text: z.string().max(1_000_000), fileName: z.string().default('calendar.json') }), output: z.object({ loaded: z.number() }), access: 'service.manage' }),
  /** Computes the month's segments (客户画像). */
  'service.segments.compute': channel({ input: z.object({ period }), output: z.object({ period: z.string(), counts: z.record(z.string(), z.number()), added: z.number(), removed: z.number() }), access: 'service.manage' }),
  /** The segments screen's head: the month's newest run, customers per segment and its service, the months computed lately. */
  'service.segments.summary': channel({
    input: z.object({ period }),
    output: z.object({
      period: z.string(),
      run: z.object({ computedAt: z.number(), by: z.string().nullable(), policyVersion: z.string() }).nullable(),
      segments: z.array(z.object({ code: segmentCode, manual: z.boolean(), customers: z.number().nullable(), remind: z.boolean(), visit: z.boolean(), protect: z.boolean() })),
      runs: z.array(z.object({ period: z.string(), computedAt: z.number(), by: z.string().nullable() })),
    }),
    access: 'service.read',
  }),
  /** A service list of the month: who to remind, who to visit, who is protected from disconnection. */
  'service.segments.list': channel({
    input: z.object({ period, purpose: z.enum(['remind', 'visit', 'protect']), code: segmentCode.optional() }),
    output: z.object({ period: z.string(), runAt: z.number().nullable(), rows: z.array(listRowSchema) }),
    access: 'service.read',
  }),
  /** A customer's tags at a glance (the counter). */
  'service.tags.get': channel({
    input: z.object({ accountNo: z.string() }),
    output: z.object({ accountNo: z.string(), period: z.string().nullable(), computed: z.array(z.string()), manual: z.array(z.object({ code: z.string(), reason: z.string(), at: z.number() })), needsHeadApproval: z.boolean() }),
    access: 'customers.read',
  }),
  'service.tags.set': channel({ input: z.object({ accountNo: z.string(), code: z.enum(MANUAL_TAGS), op: z.enum(['set', 'clear']), reason: z.string().max(500) }), output: z.object({ done: z.literal(true) }), access: 'service.log' }),
  /** The month's reminder list as a workbook (printable) or an SMS file for head office's gateway. */
  'service.reminders.export': channel({ input: z.object({ period, format: z.enum(['xlsx', 'sms']) }), output: file, access: 'service.read' }),
  /** The head approves serving a disconnection notice on a protected customer. */
  'service.disconnection.approve': channel({ input: z.object({ accountNo: z.string(), reason: z.string().max(500) }), output: z.object({ done: z.literal(true) }), access: 'service.manage' }),
  /** Staff an order may be assigned to. */
  'service.staff': channel({ input: z.object({}), output: z.object({ rows: z.array(z.object({ staffNo: z.string(), name: z.string(), roles: z.array(z.string()) })) }), access: 'service.read' }),
  /** The service policy in force (时限政策, 画像规则): today's limits and the month's segment rules with their keys, and every version loaded from head office. */
  'service.policy': channel({
    input: z.object({ period: period.optional() }),
    output: z.object({
      limits: z.object({ version: z.string(), builtIn: z.boolean(), keys: z.array(z.object({ key: z.string(), value: z.number() })) }),
      segments: z.object({ period: z.string(), version: z.string(), builtIn: z.boolean(), keys: z.array(z.object({ key: z.string(), value: z.string() })) }),
      versions: z.array(z.object({ kind: z.enum(['serviceLimits', 'segmentRules']), effectiveFrom: z.string(), importedAt: z.number(), by: z.string().nullable() })),
    }),
    access: 'service.read',
  }),
  'service.report': channel({ input: z.object({ from: period, to: period }), output: reportSchema, access: 'service.read' }),
  'service.report.export': channel({ input: z.object({ from: period, to: period }), output: file, access: 'service.read' }),
};
