import { hasPermission } from '../../../shared/permissions';
import { translate } from '../../../shared/i18n';
import { AppError } from '../errors';
import type { Call, HandlerGroup } from '../handler';
import { sql } from '../db/sql';
import { listCalendar, loadCalendarDays } from './calendar';
import { readDispatchWorkbook, takeDispatches } from './dispatch';
import { addStep, alerts, createOrder, customerByAccount, dueList, getOrder, listOrders } from './orders';
import { exportReminders, exportReport, report } from './reports';
import { approveDisconnection, computeSegments, customerTags, segmentSummary, serviceList, setTag } from './segments';
import { listVisits, recordVisit, startSurvey } from './visits';
import { policyView } from './policy';
import { periodOf, shanghaiDate } from '../../../shared/time';

/** The head (and the CLI operator) acts on every order; others on the ones assigned to them. */
const isManager = (call: Call) => call.staff === null || hasPermission(call.staff.roles, 'service.manage');

export const serviceHandlers = {
  'service.orders.create': (input, call) => call.backend.write(call.actor, (unit) => ({ orderNo: createOrder(unit, { ...input, accountNo: input.accountNo ?? null }).orderNo })),
  'service.orders.list': (input, call) => {
    const db = call.backend.store.read;
    const customer = input.accountNo ? customerByAccount(db, input.accountNo) : undefined;
    if (input.accountNo && !customer) throw new AppError('not_found', 'service.err.unknownCustomer', { accountNo: input.accountNo });
    return { rows: listOrders(db, call.backend.now(), { ...(input.state ? { state: input.state } : {}), ...(input.kind ? { kind: input.kind } : {}), assigneeId: input.mine ? (call.staff?.id ?? null) : null, customerId: customer?.id ?? null, escalated: input.escalated }) };
  },
  'service.orders.get': (input, call) => getOrder(call.backend.store.read, input.orderNo, call.backend.now()),
  'service.orders.step': (input, call) =>
    call.backend.write(call.actor, (unit) => addStep(unit, input.orderNo, { ...input }, { staffId: call.staff?.id ?? null, manager: isManager(call) })),
  'service.orders.due': (input, call) => {
    const now = call.backend.now();
    return { rows: dueList(call.backend.store.read, now, input.mine ? (call.staff?.id ?? null) : null), now };
  },
  // The head sees the station's alerts; anyone else their own orders'.
  'service.alerts': (_input, call) => alerts(call.backend.store.read, call.backend.now(), isManager(call) ? null : (call.staff?.id ?? null)),
  'service.dispatch.import': async (input, call) => {
    const rows = await readDispatchWorkbook(Buffer.from(input.base64, 'base64'), input.fileName);
    const result = call.backend.write(call.actor, (unit) => takeDispatches(unit, rows, input.fileName));
    return { taken: result.taken, refused: result.refused.map((r) => ({ row: r.row, dispatchNo: r.dispatchNo, field: r.field, message: translate(call.locale, r.problem, { row: r.row, field: translate(call.locale, `service.dispatch.field.${r.field}`), dispatchNo: r.dispatchNo }) })) };
  },
  'service.visits.list': (input, call) => ({ rows: listVisits(call.backend.store.read, input.pending) }),
  'service.visits.record': (input, call) => call.backend.write(call.actor, (unit) => recordVisit(unit, input)),
  'service.surveys.start': (input, call) => call.backend.write(call.actor, (unit) => startSurvey(unit, input.period, input.size)),
  'service.calendar.list': (input, call) => ({ rows: listCalendar(call.backend.store.read, input.year) }),
  'service.calendar.load': (input, call) => {
    let data: unknown;
    try {
      data = JSON.parse(input.text);
    } catch {
      throw new AppError('validation', 'service.calendar.shape');
    }
    return { loaded: call.backend.write(call.actor, (unit) => loadCalendarDays(unit, data, input.fileName)) };
  },
  'service.segments.compute': (input, call) => {
    const r = call.backend.write(call.actor, (unit) => computeSegments(unit, input.period));
    return { period: r.period, counts: r.counts, added: r.added, removed: r.removed };
  },
  'service.segments.summary': (input, call) => segmentSummary(call.backend.store.read, input.period),
  'service.segments.list': (input, call) => serviceList(call.backend.store.read, input.period, input.purpose, input.code),
  'service.tags.get': (input, call) => customerTags(call.backend.store.read, input.accountNo),
  'service.tags.set': (input, call) => call.backend.write(call.actor, (unit) => setTag(unit, input.accountNo, input.code, input.op, input.reason)),
  'service.reminders.export': (input, call) => exportReminders(call.backend.store.read, input.period, input.format, call.backend.requireStation().name, call.locale),
  'service.disconnection.approve': (input, call) => call.backend.write(call.actor, (unit) => approveDisconnection(unit, input.accountNo, input.reason)),
  'service.staff': (_input, call) => ({
    rows: call.backend.store.read
      .all<{ staff_no: string; name: string; roles: string | null }>(sql`
        SELECT s.staff_no, s.name, (SELECT group_concat(r.role) FROM staff_roles r WHERE r.staff_id = s.id) AS roles
        FROM staff s WHERE s.active = 1 ORDER BY s.staff_no`)
      .map((r) => ({ staffNo: r.staff_no, name: r.name, roles: r.roles ? r.roles.split(',') : [] })),
  }),
  'service.policy': (input, call) => {
    const now = call.backend.now();
    return policyView(call.backend.store.read, shanghaiDate(now), input.period ?? periodOf(shanghaiDate(now)));
  },
  'service.report': (input, call) => report(call.backend.store.read, input.from, input.to, call.backend.now()),
  'service.report.export': (input, call) => exportReport(call.backend.store.read, input.from, input.to, call.backend.now(), call.locale),
} satisfies HandlerGroup;
