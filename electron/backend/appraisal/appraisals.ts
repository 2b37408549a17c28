// The month's appraisals (月度绩效考核): compute drafts, the head's points with reasons, the staff
// member's acknowledgement or dispute, the head's signature, a revision of a signed one. Every
// row is a fact (migration 0008); a version is scored from its own stored figures and entries,
// so a signed version reads the same for ever.
import {
  APPRAISED_ROLES,
  appraisedInPeriod,
  entryOutOfBounds,
  formatPoints,
  itemsForRoles,
  KPI_CODES,
  rank,
  scoreSheet,
  splitPay,
  type ItemResult,
  type KpiCode,
  type KpiValue,
  type PayRule,
  type ScoreSheet,
} from '../../../shared/appraisal';
import { addMonths, periodOf, shanghaiDate } from '../../../shared/time';
import type { Unit } from '../audit/record';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError, refuse } from '../errors';
import { computeKpis } from './kpis';
import { sheetInForce, sheetVersion } from './sheets';

/** Written as the reason of a version recomputed because the data changed before signing. */
export const RECOMPUTE_REASON = '数据变化后重算 (data changed since the draft)';

export interface StaffLite {
  id: string;
  staffNo: string;
  name: string;
  roles: string[];
  startDate: string;
}

/** Active staff with a role the sheets appraise (an administrator only is the IT person, not appraised). */
export function appraisedStaff(db: ReadableDB): StaffLite[] {
  const rows = db.all<{ id: string; staff_no: string; name: string; roles: string | null; created_at: number; start: string | null }>(sql`
    SELECT s.id, s.staff_no, s.name, s.created_at,
           (SELECT group_concat(role) FROM staff_roles r WHERE r.staff_id = s.id) AS roles,
           (SELECT start_date FROM appraisal_staff_start a WHERE a.staff_id = s.id ORDER BY a.set_at DESC, a.id DESC LIMIT 1) AS start
    FROM staff s WHERE s.active = 1 ORDER BY s.staff_no`);
  return rows
    .map((r) => ({
      id: r.id,
      staffNo: r.staff_no,
      name: r.name,
      roles: (r.roles ?? '').split(',').filter((x) => (APPRAISED_ROLES as readonly string[]).includes(x)).sort(),
      startDate: r.start ?? shanghaiDate(r.created_at),
    }))
    .filter((s) => s.roles.length > 0);
}

export function staffByNo(db: ReadableDB, staffNo: string): { id: string; staffNo: string; name: string } {
  const row = db.get<{ id: string; staff_no: string; name: string }>(sql`SELECT id, staff_no, name FROM staff WHERE staff_no = ${staffNo}`);
  if (!row) throw new AppError('not_found', 'appraisal.err.unknownStaff', { staffNo });
  return { id: row.id, staffNo: row.staff_no, name: row.name };
}

interface VersionRow {
  id: string;
  period: string;
  staff_id: string;
  version_no: number;
  kind: 'draft' | 'recompute' | 'revision';
  reason: string;
  sheet_code: string;
  sheet_effective_from: string;
  roles: string;
  kpis: string;
  computed_at: number;
  computed_by_name: string | null;
  signed_by_label: string | null;
  signed_at: number | null;
}

const VERSION_SELECT = sql`
  SELECT v.id, v.period, v.staff_id, v.version_no, v.kind, v.reason, v.sheet_code, v.sheet_effective_from, v.roles, v.kpis, v.computed_at,
         cs.name AS computed_by_name, g.signed_by_label, g.signed_at
  FROM appraisal_versions v LEFT JOIN staff cs ON cs.id = v.computed_by LEFT JOIN appraisal_signatures g ON g.version_id = v.id`;

function latestVersion(db: ReadableDB, period: string, staffId: string): VersionRow | undefined {
  return db.get<VersionRow>(sql`${VERSION_SELECT} WHERE v.period = ${period} AND v.staff_id = ${staffId} ORDER BY v.version_no DESC LIMIT 1`);
}

function kpiText(kpis: ReadonlyMap<KpiCode, KpiValue>): string {
  return JSON.stringify(KPI_CODES.map((code) => kpis.get(code) ?? { code, value: null, numerator: null, denominator: null }));
}

function kpiMap(text: string): Map<string, KpiValue> {
  return new Map((JSON.parse(text) as KpiValue[]).map((k) => [k.code, k]));
}

function resolveSheet(db: ReadableDB, period: string, code: string | undefined): ScoreSheet {
  const chosen =
    code ??
    db.value<string>(sql`SELECT sheet_code FROM appraisal_versions ORDER BY computed_at DESC, id DESC LIMIT 1`) ??
    db.value<string>(sql`SELECT code FROM appraisal_sheets WHERE effective_from <= ${period} ORDER BY code LIMIT 1`);
  if (!chosen) throw refuse('appraisal.err.noSheet', { period });
  const sheet = sheetInForce(db, chosen, period);
  if (!sheet) throw refuse('appraisal.err.sheetNotInForce', { code: chosen, period });
  return sheet;
}

function insertVersion(unit: Unit, args: { period: string; staff: StaffLite | { id: string; roles: string[] }; versionNo: number; kind: VersionRow['kind']; reason: string; sheet: ScoreSheet; kpis: string }): string {
  const id = uuidv7(unit.at);
  unit.run(sql`
    INSERT INTO appraisal_versions (id, station_id, period, staff_id, version_no, kind, reason, sheet_code, sheet_effective_from, roles, kpis, computed_at, computed_by)
    VALUES (${id}, ${unit.stationId()}, ${args.period}, ${args.staff.id}, ${args.versionNo}, ${args.kind}, ${args.reason}, ${args.sheet.code}, ${args.sheet.effectiveFrom},
            ${JSON.stringify(args.staff.roles)}, ${args.kpis}, ${unit.at}, ${unit.actor.staffId})`);
  return id;
}

/** A new version takes the head's entries of the one before, so points given are not lost. */
function carryEntries(unit: Unit, fromVersionId: string, toVersionId: string): void {
  unit.run(sql`
    INSERT INTO appraisal_entries (id, version_id, item_id, points_centi, reason, entered_by, entered_at, carried_from)
    SELECT 'c' || ${toVersionId} || '-' || e.rowid, ${toVersionId}, e.item_id, e.points_centi, e.reason, e.entered_by, e.entered_at, e.id
    FROM appraisal_entries e WHERE e.version_id = ${fromVersionId}`);
}

function assertPeriodNotFuture(period: string, today: string): void {
  if (period > periodOf(today)) throw refuse('appraisal.err.futurePeriod', { period });
}

export interface ComputeResult {
  period: string;
  sheet: { code: string; effectiveFrom: string; name: string };
  drafted: number;
  recomputed: number;
  unchanged: number;
  signed: number;
  notAppraised: { staffNo: string; name: string; startDate: string }[];
}

/** Every appraised person's KPI figures, by staff id (computeKpis' answer). */
export type StaffKpis = ReadonlyMap<string, ReadonlyMap<KpiCode, KpiValue>>;

/**
 * Computes the month's drafts for the whole station (or refreshes unsigned ones whose figures changed).
 * `kpis`: the figures read beforehand, outside the write (computeKpis over the same data, for at
 * least everyone appraised this month), so the transaction only writes (the demo builder, whose
 * file nobody else writes; issue 18). Without them they are read here, in the transaction, as the
 * office's compute does.
 */
export function computeMonth(unit: Unit, period: string, sheetCode: string | undefined, today: string, kpis?: StaffKpis): ComputeResult {
  assertPeriodNotFuture(period, today);
  const sheet = resolveSheet(unit, period, sheetCode);
  const everyone = appraisedStaff(unit);
  const notAppraised = everyone.filter((s) => !appraisedInPeriod(s.startDate, period));
  const staff = everyone.filter((s) => appraisedInPeriod(s.startDate, period));
  const figures = kpis ?? computeKpis(unit, period, staff.map((s) => s.id), today);
  const result: ComputeResult = { period, sheet: { code: sheet.code, effectiveFrom: sheet.effectiveFrom, name: sheet.name }, drafted: 0, recomputed: 0, unchanged: 0, signed: 0, notAppraised: notAppraised.map((s) => ({ staffNo: s.staffNo, name: s.name, startDate: s.startDate })) };
  for (const s of staff) {
    const text = kpiText(figures.get(s.id) ?? new Map());
    const latest = latestVersion(unit, period, s.id);
    if (!latest) {
      insertVersion(unit, { period, staff: s, versionNo: 1, kind: 'draft', reason: '', sheet, kpis: text });
      result.drafted += 1;
    } else if (latest.signed_at !== null) {
      result.signed += 1; // a signed appraisal changes only by a revision with a reason
    } else if (latest.kpis !== text || latest.sheet_code !== sheet.code || latest.sheet_effective_from !== sheet.effectiveFrom || latest.roles !== JSON.stringify(s.roles)) {
      const id = insertVersion(unit, { period, staff: s, versionNo: latest.version_no + 1, kind: 'recompute', reason: RECOMPUTE_REASON, sheet, kpis: text });
      carryEntries(unit, latest.id, id);
      result.recomputed += 1;
    } else {
      result.unchanged += 1;
    }
  }
  unit.audit({ action: 'appraisal.compute', entity: 'appraisal_month', entityId: period, summary: { period, sheet: `${sheet.code}@${sheet.effectiveFrom}`, drafted: result.drafted, recomputed: result.recomputed, unchanged: result.unchanged, notAppraised: result.notAppraised.map((s) => s.staffNo) } });
  return result;
}

function openVersion(db: ReadableDB, period: string, staffId: string): VersionRow {
  const v = latestVersion(db, period, staffId);
  if (!v) throw refuse('appraisal.err.notComputed', { period }, 'not_found');
  if (v.signed_at !== null) throw refuse('appraisal.err.signed', { by: v.signed_by_label ?? '', at: shanghaiDate(v.signed_at) }, 'conflict');
  return v;
}

function versionSheet(db: ReadableDB, v: { sheet_code: string; sheet_effective_from: string }): ScoreSheet {
  const sheet = sheetVersion(db, v.sheet_code, v.sheet_effective_from);
  if (!sheet) throw new Error(`appraisal: sheet ${v.sheet_code}@${v.sheet_effective_from} is missing`);
  return sheet;
}

/** The head's points (加减分) on the person's current version: a manual item or bonus/deduction, with a reason, within bounds. */
export function addEntry(unit: Unit, input: { period: string; staffId: string; itemId: string | null; pointsCenti: number; reason: string }): void {
  const v = openVersion(unit, input.period, input.staffId);
  const sheet = versionSheet(unit, v);
  const reason = input.reason.trim();
  if (!reason) throw refuse('appraisal.err.reasonRequired');
  if (input.pointsCenti === 0) throw refuse('appraisal.err.zeroPoints');
  let item = null;
  if (input.itemId !== null) {
    item = itemsForRoles(sheet, JSON.parse(v.roles) as string[]).find((x) => x.item.id === input.itemId)?.item ?? null;
    if (!item) throw refuse('appraisal.err.unknownItem', { item: input.itemId, sheet: sheet.code });
    if (item.scoring.kind !== 'manual') throw refuse('appraisal.err.computedItem', { item: `${item.id} ${item.name}` });
  }
  const current = unit.value<number>(sql`SELECT coalesce(sum(points_centi), 0) FROM appraisal_entries WHERE version_id = ${v.id} AND item_id IS ${input.itemId}`) ?? 0;
  const broken = entryOutOfBounds(sheet, item, current, input.pointsCenti);
  if (broken) {
    throw refuse(item ? 'appraisal.err.itemBounds' : 'appraisal.err.adjustBounds', { item: item ? `${item.id} ${item.name}` : '', min: broken.min, max: broken.max, current: formatPoints(current), points: formatPoints(input.pointsCenti) });
  }
  const id = uuidv7(unit.at);
  unit.run(sql`INSERT INTO appraisal_entries (id, version_id, item_id, points_centi, reason, entered_by, entered_at) VALUES (${id}, ${v.id}, ${input.itemId}, ${input.pointsCenti}, ${reason}, ${unit.actor.staffId}, ${unit.at})`);
  unit.audit({ action: 'appraisal.adjust', entity: 'appraisal', entityId: v.id, summary: { period: input.period, staffId: input.staffId, version: v.version_no, item: input.itemId, points: formatPoints(input.pointsCenti), reason } });
}

/** The staff member's own answer to their current version: acknowledge, or dispute with a note. */
export function respond(unit: Unit, input: { period: string; staffId: string; kind: 'acknowledge' | 'dispute'; note: string }): void {
  const v = openVersion(unit, input.period, input.staffId);
  const note = input.note.trim();
  if (input.kind === 'dispute' && !note) throw refuse('appraisal.err.disputeNote');
  unit.run(sql`INSERT INTO appraisal_responses (id, version_id, staff_id, kind, note, at) VALUES (${uuidv7(unit.at)}, ${v.id}, ${input.staffId}, ${input.kind}, ${note}, ${unit.at})`);
  unit.audit({ action: `appraisal.${input.kind}`, entity: 'appraisal', entityId: v.id, summary: { period: input.period, version: v.version_no, note } });
}

export type SignResult = { signed: true; versionNo: number } | { signed: false; versionNo: number; changes: { code: KpiCode; before: KpiValue; after: KpiValue }[] };

/**
 * The head signs the version they looked at. If the figures changed since it was computed, a new
 * version is computed instead and the changes are returned, to be looked at and signed. A
 * version already signed (by anyone) is refused. `kpis`: the person's figures read beforehand,
 * outside the write, from the same data (the demo builder; see computeMonth); without them they
 * are read here, in the transaction.
 */
export function sign(unit: Unit, input: { period: string; staffId: string; versionNo: number }, today: string, kpis?: ReadonlyMap<KpiCode, KpiValue>): SignResult {
  const latest = latestVersion(unit, input.period, input.staffId);
  if (!latest) throw refuse('appraisal.err.notComputed', { period: input.period }, 'not_found');
  const target = latest.version_no === input.versionNo ? latest : unit.get<VersionRow>(sql`${VERSION_SELECT} WHERE v.period = ${input.period} AND v.staff_id = ${input.staffId} AND v.version_no = ${input.versionNo}`);
  if (target?.signed_at != null) throw refuse('appraisal.err.alreadySigned', { version: input.versionNo, by: target.signed_by_label ?? '', at: shanghaiDate(target.signed_at) }, 'conflict');
  if (!target || latest.version_no !== input.versionNo) throw refuse('appraisal.err.staleVersion', { version: input.versionNo, latest: latest.version_no }, 'conflict');
  const staff = appraisedStaff(unit).find((s) => s.id === input.staffId) ?? { id: input.staffId, roles: JSON.parse(latest.roles) as string[] };
  const fresh = kpiText(kpis ?? computeKpis(unit, input.period, [input.staffId], today).get(input.staffId) ?? new Map());
  const sheet = versionSheet(unit, latest);
  if (fresh !== latest.kpis) {
    const before = kpiMap(latest.kpis);
    const after = kpiMap(fresh);
    const changes = KPI_CODES.filter((c) => JSON.stringify(before.get(c)) !== JSON.stringify(after.get(c))).map((code) => ({ code, before: before.get(code)!, after: after.get(code)! }));
    const id = insertVersion(unit, { period: input.period, staff: { id: input.staffId, roles: JSON.parse(latest.roles) as string[] }, versionNo: latest.version_no + 1, kind: 'recompute', reason: RECOMPUTE_REASON, sheet, kpis: fresh });
    carryEntries(unit, latest.id, id);
    unit.audit({ action: 'appraisal.recompute', entity: 'appraisal', entityId: id, summary: { period: input.period, staffId: input.staffId, version: latest.version_no + 1, changed: changes.map((c) => c.code) } });
    return { signed: false, versionNo: latest.version_no + 1, changes };
  }
  void staff;
  const view = versionView(unit, latest);
  unit.run(sql`
    INSERT INTO appraisal_signatures (version_id, period, staff_id, signed_by, signed_by_label, signed_at, total_centi, snapshot)
    VALUES (${latest.id}, ${input.period}, ${input.staffId}, ${unit.actor.staffId}, ${unit.actor.label}, ${unit.at}, ${view.totalCenti}, ${JSON.stringify(view)})`);
  const staffNo = unit.value<string>(sql`SELECT staff_no FROM staff WHERE id = ${input.staffId}`) ?? '';
  unit.record({
    action: 'appraisal.sign',
    entity: 'appraisal',
    entityId: latest.id,
    op: 'insert',
    summary: { period: input.period, staffNo, version: latest.version_no, total: formatPoints(view.totalCenti) },
    payload: { ...view, period: input.period, staffId: input.staffId, staffNo, signedBy: unit.actor.label, signedAt: unit.at, sheet: `${sheet.code}@${sheet.effectiveFrom}` },
  });
  return { signed: true, versionNo: latest.version_no };
}

/** A change to a signed appraisal: a new version, recomputed from today's data, with the reason; the signed one stays. */
export function revise(unit: Unit, input: { period: string; staffId: string; reason: string }, today: string): { versionNo: number } {
  const latest = latestVersion(unit, input.period, input.staffId);
  if (!latest) throw refuse('appraisal.err.notComputed', { period: input.period }, 'not_found');
  if (latest.signed_at === null) throw refuse('appraisal.err.notSignedYet', { version: latest.version_no }, 'conflict');
  const reason = input.reason.trim();
  if (!reason) throw refuse('appraisal.err.reasonRequired');
  const fresh = kpiText(computeKpis(unit, input.period, [input.staffId], today).get(input.staffId) ?? new Map());
  const id = insertVersion(unit, { period: input.period, staff: { id: input.staffId, roles: JSON.parse(latest.roles) as string[] }, versionNo: latest.version_no + 1, kind: 'revision', reason, sheet: versionSheet(unit, latest), kpis: fresh });
  carryEntries(unit, latest.id, id);
  unit.audit({ action: 'appraisal.revise', entity: 'appraisal', entityId: id, summary: { period: input.period, staffId: input.staffId, version: latest.version_no + 1, reason } });
  return { versionNo: latest.version_no + 1 };
}

export function setStartDate(unit: Unit, staffId: string, date: string): void {
  unit.run(sql`INSERT INTO appraisal_staff_start (id, staff_id, start_date, set_by, set_at) VALUES (${uuidv7(unit.at)}, ${staffId}, ${date}, ${unit.actor.staffId}, ${unit.at})`);
  unit.audit({ action: 'appraisal.startDate', entity: 'staff', entityId: staffId, summary: { startDate: date } });
}

// ---- reading -------------------------------------------------------------------------------

export interface VersionView {
  versionNo: number;
  kind: VersionRow['kind'];
  reason: string;
  computedAt: number;
  computedBy: string | null;
  sheetCode: string;
  sheetEffectiveFrom: string;
  roles: string[];
  items: (ItemResult & { areaName: string; name: string; standard: string; nameEn: string | null; areaNameEn: string | null })[];
  entries: { id: string; itemId: string | null; itemName: string | null; pointsCenti: number; reason: string; by: string | null; at: number }[];
  responses: { kind: 'acknowledge' | 'dispute'; note: string; at: number; by: string }[];
  adjustmentsCenti: number;
  itemsCenti: number;
  totalCenti: number;
  signature: { by: string; at: number } | null;
}

function versionView(db: ReadableDB, v: VersionRow): VersionView {
  const sheet = versionSheet(db, v);
  const roles = JSON.parse(v.roles) as string[];
  const entries = db.all<{ id: string; item_id: string | null; points_centi: number; reason: string; by: string | null; entered_at: number }>(sql`
    SELECT e.id, e.item_id, e.points_centi, e.reason, s.name AS by, e.entered_at FROM appraisal_entries e LEFT JOIN staff s ON s.id = e.entered_by
    WHERE e.version_id = ${v.id} ORDER BY e.entered_at, e.id`);
  const scored = scoreSheet(sheet, roles, kpiMap(v.kpis), entries.map((e) => ({ itemId: e.item_id, pointsCenti: e.points_centi })));
  const meta = new Map(itemsForRoles(sheet, roles).map(({ area, item }) => [item.id, { area, item }]));
  const responses = db.all<{ kind: 'acknowledge' | 'dispute'; note: string; at: number; by: string }>(sql`
    SELECT r.kind, r.note, r.at, s.staff_no || ' ' || s.name AS by FROM appraisal_responses r JOIN staff s ON s.id = r.staff_id WHERE r.version_id = ${v.id} ORDER BY r.at, r.id`);
  return {
    versionNo: v.version_no,
    kind: v.kind,
    reason: v.reason,
    computedAt: v.computed_at,
    computedBy: v.computed_by_name,
    sheetCode: v.sheet_code,
    sheetEffectiveFrom: v.sheet_effective_from,
    roles,
    items: scored.items.map((i) => {
      const m = meta.get(i.itemId);
      return { ...i, areaName: m?.area.name ?? '', areaNameEn: m?.area.nameEn ?? null, name: m?.item.name ?? i.itemId, nameEn: m?.item.nameEn ?? null, standard: m?.item.standard ?? '' };
    }),
    entries: entries.map((e) => ({ id: e.id, itemId: e.item_id, itemName: e.item_id ? meta.get(e.item_id)?.item.name ?? e.item_id : null, pointsCenti: e.points_centi, reason: e.reason, by: e.by, at: e.entered_at })),
    responses,
    adjustmentsCenti: scored.adjustmentsCenti,
    itemsCenti: scored.itemsCenti,
    totalCenti: scored.totalCenti,
    signature: v.signed_at === null ? null : { by: v.signed_by_label ?? '', at: v.signed_at },
  };
}

export type AppraisalStatus = 'draft' | 'acknowledged' | 'disputed' | 'signed';

function statusOf(view: VersionView): AppraisalStatus {
  if (view.signature) return 'signed';
  const last = view.responses.at(-1);
  return last ? (last.kind === 'acknowledge' ? 'acknowledged' : 'disputed') : 'draft';
}

/** One person's appraisal for a month: every version (newest first), the status and pay. */
export function getAppraisal(db: ReadableDB, period: string, staffId: string) {
  const versions = db.all<VersionRow>(sql`${VERSION_SELECT} WHERE v.period = ${period} AND v.staff_id = ${staffId} ORDER BY v.version_no DESC`);
  if (versions.length === 0) throw refuse('appraisal.err.notComputed', { period }, 'not_found');
  const staff = db.get<{ id: string; staff_no: string; name: string }>(sql`SELECT id, staff_no, name FROM staff WHERE id = ${staffId}`)!;
  const views = versions.map((v) => versionView(db, v));
  const current = views[0]!;
  const sheet = versionSheet(db, versions[0]!);
  const summary = periodSummary(db, period);
  const mine = summary.rows.find((r) => r.staffId === staffId);
  return {
    period,
    staff: { id: staff.id, staffNo: staff.staff_no, name: staff.name },
    sheet: { code: sheet.code, effectiveFrom: sheet.effectiveFrom, name: sheet.name, nameEn: sheet.nameEn ?? null, fullScore: sheet.fullScore, adjustments: sheet.adjustments, pay: sheet.pay },
    manualItems: current.items.filter((i) => i.kind === 'manual').map((i) => ({ itemId: i.itemId, name: i.name })),
    status: statusOf(current),
    payFen: mine?.payFen ?? null,
    rank: mine?.rank ?? null,
    ranked: summary.rows.length,
    versions: views,
  };
}

export interface SummaryRow {
  staffId: string;
  staffNo: string;
  name: string;
  roles: string[];
  versionNo: number;
  versions: number;
  status: AppraisalStatus;
  itemsCenti: number;
  adjustmentsCenti: number;
  totalCenti: number;
  scoreCenti: number;
  rank: number;
  payFen: number;
  sheetCode: string;
}

/** The station's month (考核汇总表): everyone's current version, ranked, with their pay. */
export function periodSummary(db: ReadableDB, period: string) {
  const versions = db.all<VersionRow & { staff_no: string; name: string }>(sql`
    SELECT x.*, s.staff_no, s.name FROM (${VERSION_SELECT} WHERE v.period = ${period}) x JOIN staff s ON s.id = x.staff_id
    WHERE x.version_no = (SELECT max(version_no) FROM appraisal_versions w WHERE w.period = ${period} AND w.staff_id = x.staff_id)
    ORDER BY s.staff_no`);
  const counts = new Map(db.all<{ staff_id: string; n: number }>(sql`SELECT staff_id, count(*) AS n FROM appraisal_versions WHERE period = ${period} GROUP BY staff_id`).map((r) => [r.staff_id, r.n]));
  const base = versions.map((v) => {
    const view = versionView(db, v);
    return {
      staffId: v.staff_id,
      staffNo: v.staff_no,
      name: v.name,
      roles: view.roles,
      versionNo: v.version_no,
      versions: counts.get(v.staff_id) ?? 1,
      status: statusOf(view),
      itemsCenti: view.itemsCenti,
      adjustmentsCenti: view.adjustmentsCenti,
      totalCenti: view.totalCenti,
      scoreCenti: view.totalCenti,
      sheetCode: v.sheet_code,
      sheet: versionSheet(db, v),
    };
  });
  // Pay per sheet (a month normally has one): points × base ÷ full score, or the pool by points.
  const pays = new Map<string, number>();
  const sheets = new Map<string, { sheet: ScoreSheet; remainderFen: number }>();
  for (const code of new Set(base.map((b) => b.sheetCode))) {
    const group = base.filter((b) => b.sheetCode === code);
    const sheet = group[0]!.sheet;
    const { shares, remainderFen } = splitPay(sheet.pay, sheet.fullScore, group.map((g) => ({ staffNo: g.staffNo, scoreCenti: g.totalCenti })));
    for (const s of shares) pays.set(s.staffNo, s.payFen);
    sheets.set(code, { sheet, remainderFen });
  }
  const rows: SummaryRow[] = rank(base).map(({ sheet: _sheet, ...r }) => ({ ...r, payFen: pays.get(r.staffNo) ?? 0 }));
  const all = appraisedStaff(db);
  const notAppraised = all.filter((s) => !appraisedInPeriod(s.startDate, period)).map((s) => ({ staffNo: s.staffNo, name: s.name, startDate: s.startDate }));
  const notComputed = all.filter((s) => appraisedInPeriod(s.startDate, period) && !base.some((b) => b.staffId === s.id)).map((s) => ({ staffNo: s.staffNo, name: s.name }));
  return {
    period,
    sheets: [...sheets.values()].map(({ sheet, remainderFen }) => ({ code: sheet.code, effectiveFrom: sheet.effectiveFrom, name: sheet.name, fullScore: sheet.fullScore, pay: sheet.pay as PayRule, remainderFen })),
    rows,
    totals: { payFen: rows.reduce((s, r) => s + r.payFen, 0), signed: rows.filter((r) => r.status === 'signed').length, disputed: rows.filter((r) => r.status === 'disputed').length },
    notAppraised,
    notComputed,
  };
}

/** A person's appraisals, newest month first (what staff see of themselves). */
export function listOfStaff(db: ReadableDB, staffId: string) {
  const periods = db.column<string>(sql`SELECT DISTINCT period FROM appraisal_versions WHERE staff_id = ${staffId} ORDER BY period DESC`);
  return periods.map((period) => {
    const v = latestVersion(db, period, staffId)!;
    const view = versionView(db, v);
    return { period, versionNo: v.version_no, status: statusOf(view), totalCenti: view.totalCenti, fullScore: versionSheet(db, v).fullScore, sheetCode: v.sheet_code };
  });
}

/** 12 months (or `months`) to `to`: the person's total and every KPI figure, month by month. */
export function trendOf(db: ReadableDB, staffId: string, to: string, months: number) {
  const periods = Array.from({ length: months }, (_, i) => addMonths(to, i - months + 1));
  const points = periods.map((period) => {
    const v = latestVersion(db, period, staffId);
    if (!v) return { period, totalCenti: null, fullScore: null, status: null, kpis: new Map<string, KpiValue>() };
    const view = versionView(db, v);
    return { period, totalCenti: view.totalCenti, fullScore: versionSheet(db, v).fullScore, status: statusOf(view), kpis: kpiMap(v.kpis) };
  });
  return {
    periods,
    totals: points.map((p) => ({ period: p.period, totalCenti: p.totalCenti, fullScore: p.fullScore, status: p.status })),
    kpis: KPI_CODES.map((code) => ({ code, values: points.map((p) => p.kpis.get(code)?.value ?? null) })),
  };
}
