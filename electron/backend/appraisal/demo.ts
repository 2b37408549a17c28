// The demo station's appraisals: both shipped score sheets loaded, twelve months appraised with the
// 100-point sheet — the eleven past months signed by the station head (with a few bonus and
// deduction points, each with its reason, and the staff's acknowledgements), one staff member's
// dispute left open, and the current month a draft.
import { addMonths, addDays, periodOf } from '../../../shared/time';
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { Random } from '../demo/random';
import kpi100 from '../../../docs/appraisal/kpi-100.json';
import area310 from '../../../docs/appraisal/area-310.json';
import { appraisedInPeriod } from '../../../shared/appraisal';
import { yieldToLoop } from '../jobs/runner';
import { addEntry, appraisedStaff, computeMonth, respond, sign } from './appraisals';
import { computeKpis } from './kpis';
import { loadScoreSheet } from './sheets';

const REASONS: [number, string][] = [
  [-200, '抄表数据上传不及时，所长提醒后补传'],
  [-100, '营业厅值班迟到一次'],
  [200, '配合完成台区线损治理，表现突出'],
  [100, '获客户书面表扬'],
  [-300, '安全工器具未按规定存放'],
];

export async function buildAppraisalDemo(backend: Backend, actor: Actor, random: Random, asOf: string, progress: (done: number, total: number) => Promise<void>): Promise<{ months: number; signed: number }> {
  backend.write(actor, (unit) => {
    loadScoreSheet(unit, kpi100, 'docs/appraisal/kpi-100.json');
    loadScoreSheet(unit, area310, 'docs/appraisal/area-310.json');
  });
  const head = backend.store.read.get<{ id: string; staff_no: string; name: string }>(sql`
    SELECT s.id, s.staff_no, s.name FROM staff s JOIN staff_roles r ON r.staff_id = s.id AND r.role = 'station_head' WHERE s.active = 1 ORDER BY s.staff_no LIMIT 1`);
  if (!head) throw new Error('demo appraisal: no station head');
  const headActor: Actor = { staffId: head.id, label: `${head.staff_no} ${head.name}` };
  const staff = appraisedStaff(backend.store.read);
  // The demo's staff have been at the station for years, though their logins were made today.
  backend.write(actor, (unit) => {
    for (const s of staff) unit.run(sql`INSERT INTO appraisal_staff_start (id, staff_id, start_date, set_at) VALUES (${uuidv7(unit.at)}, ${s.id}, ${addDays(asOf, -3 * 365)}, ${unit.at})`);
  });
  const appraised = appraisedStaff(backend.store.read); // with the start dates just written
  const current = periodOf(asOf);
  const periods = Array.from({ length: 12 }, (_, i) => addMonths(current, i - 11));
  const disputer = staff.find((s) => s.roles.includes('meter_reader')) ?? staff[0];
  const disputedPeriod = addMonths(current, -1);
  let signed = 0;
  for (const [index, period] of periods.entries()) {
    // The month's figures read first, outside the write (issue 18: computing them held the
    // transaction); the drafts and the signatures below take them, so each write only writes.
    // Nothing the figures count changes in this step (points, answers and signatures are not counted).
    const kpis = computeKpis(backend.store.read, period, appraised.filter((s) => appraisedInPeriod(s.startDate, period)).map((s) => s.id), asOf);
    await yieldToLoop();
    backend.write(headActor, (unit) => computeMonth(unit, period, 'KPI100', asOf, kpis));
    if (period !== current) {
      for (const s of staff) {
        if (random.chance(0.3)) {
          const [points, reason] = REASONS[random.int(0, REASONS.length - 1)]!;
          backend.write(headActor, (unit) => addEntry(unit, { period, staffId: s.id, itemId: null, pointsCenti: points, reason }));
        }
        const own: Actor = { staffId: s.id, label: `${s.staffNo} ${s.name}` };
        if (s.id === disputer?.id && period === disputedPeriod) {
          backend.write(own, (unit) => respond(unit, { period, staffId: s.id, kind: 'dispute', note: '本月有两本因道路施工顺延抄表，申请不计入及时率' }));
          continue; // left open: the head has not signed it yet
        }
        backend.write(own, (unit) => respond(unit, { period, staffId: s.id, kind: 'acknowledge', note: '' }));
        const result = backend.write(headActor, (unit) => sign(unit, { period, staffId: s.id, versionNo: 1 }, asOf, kpis.get(s.id)));
        if (result.signed) signed += 1;
      }
    }
    await progress(index + 1, periods.length);
  }
  return { months: periods.length, signed };
}
