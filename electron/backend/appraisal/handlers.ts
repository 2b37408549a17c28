import { renderMessage } from '../../../shared/i18n/coded';
import { hasPermission } from '../../../shared/permissions';
import { shanghaiDate } from '../../../shared/time';
import { AppError, refuse } from '../errors';
import type { Call, HandlerGroup } from '../handler';
import { addEntry, computeMonth, getAppraisal, listOfStaff, periodSummary, respond, revise, setStartDate, sign, staffByNo, trendOf } from './appraisals';
import { exportDrill, exportMonth } from './export';
import { drillKpi } from './kpis';
import { listSheets, loadScoreSheet, planSheetFile } from './sheets';

/** The person a read is about: anyone for the station head (and the CLI operator), else only oneself — enforced here, not only hidden in the UI. */
function personFor(call: Call, staffNo: string | undefined) {
  const db = call.backend.store.read;
  const manager = call.staff === null || hasPermission(call.staff.roles, 'appraisal.manage');
  if (staffNo === undefined) {
    if (!call.staff) throw refuse('appraisal.err.onlyOwn');
    return { id: call.staff.id, staffNo: call.staff.staffNo, name: call.staff.name };
  }
  const person = staffByNo(db, staffNo);
  if (!manager && person.id !== call.staff?.id) throw new AppError('forbidden', 'appraisal.err.notYours');
  return person;
}

const today = (call: Call) => shanghaiDate(call.backend.now());

export const appraisalHandlers = {
  'appraisal.sheets.list': (_input, call) => ({ rows: listSheets(call.backend.store.read, today(call).slice(0, 7)) }),
  'appraisal.sheets.check': (input, { backend, locale }) => {
    const plan = planSheetFile(backend.store.read, input.text);
    return { ok: plan.ok, problems: plan.problems.map((p) => renderMessage(locale, p)), sheets: plan.sheets.map(({ sheet, status }) => ({ code: sheet.code, effectiveFrom: sheet.effectiveFrom, name: sheet.name, fullScore: sheet.fullScore, status })) };
  },
  'appraisal.sheets.import': (input, call) => call.backend.write(call.actor, (unit) => loadScoreSheet(unit, input.text, input.fileName)),

  'appraisal.compute': (input, call) => call.backend.write(call.actor, (unit) => computeMonth(unit, input.period, input.sheetCode, today(call))),
  'appraisal.summary': (input, { backend }) => {
    const station = backend.requireStation();
    return { ...periodSummary(backend.store.read, input.period), station: { code: station.code, name: station.name } };
  },
  'appraisal.list': (input, call) => {
    const person = personFor(call, input.staffNo);
    return { staff: { staffNo: person.staffNo, name: person.name }, rows: listOfStaff(call.backend.store.read, person.id) };
  },
  'appraisal.get': (input, call) => {
    const person = personFor(call, input.staffNo);
    const station = call.backend.requireStation();
    return { ...getAppraisal(call.backend.store.read, input.period, person.id), station: { code: station.code, name: station.name } };
  },
  'appraisal.drill': (input, call) => {
    const person = personFor(call, input.staffNo);
    return drillKpi(call.backend.store.read, input.period, person.id, input.kpi, today(call));
  },
  'appraisal.exportDrill': (input, call) => {
    const person = personFor(call, input.staffNo);
    return exportDrill(drillKpi(call.backend.store.read, input.period, person.id, input.kpi, today(call)), person.staffNo, input.period, call.locale);
  },
  'appraisal.adjust': (input, call) => {
    const person = staffByNo(call.backend.store.read, input.staffNo);
    call.backend.write(call.actor, (unit) => addEntry(unit, { period: input.period, staffId: person.id, itemId: input.itemId, pointsCenti: input.pointsCenti, reason: input.reason }));
    return { done: true as const };
  },
  'appraisal.respond': (input, call) => {
    if (!call.staff) throw refuse('appraisal.err.onlyOwn');
    const staffId = call.staff.id;
    call.backend.write(call.actor, (unit) => respond(unit, { period: input.period, staffId, kind: input.kind, note: input.note }));
    return { done: true as const };
  },
  'appraisal.sign': (input, call) => {
    const person = staffByNo(call.backend.store.read, input.staffNo);
    const result = call.backend.write(call.actor, (unit) => sign(unit, { period: input.period, staffId: person.id, versionNo: input.versionNo }, today(call)));
    return result.signed ? { signed: true, versionNo: result.versionNo, changes: [] } : result;
  },
  'appraisal.revise': (input, call) => {
    const person = staffByNo(call.backend.store.read, input.staffNo);
    return call.backend.write(call.actor, (unit) => revise(unit, { period: input.period, staffId: person.id, reason: input.reason }, today(call)));
  },
  'appraisal.trend': (input, call) => {
    const person = personFor(call, input.staffNo);
    return { staff: { staffNo: person.staffNo, name: person.name }, ...trendOf(call.backend.store.read, person.id, input.to, input.months) };
  },
  'appraisal.export': (input, { backend, locale }) => exportMonth(backend.store.read, input.period, locale),
  'appraisal.setStartDate': (input, call) => {
    const person = staffByNo(call.backend.store.read, input.staffNo);
    call.backend.write(call.actor, (unit) => setStartDate(unit, person.id, input.date));
    return { done: true as const };
  },
} satisfies HandlerGroup;
