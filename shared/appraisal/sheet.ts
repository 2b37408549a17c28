import { z } from 'zod';
import { codedList, type CodedMessage, type CodedParam } from '../i18n/coded';
import { clerkIssues, fileMessage, issueMessage, issueOf, problemAt } from '../referenceFile';
import { isKpiCode, KPI_CODES, type KpiCode } from './kpis';

// Score sheets (考核方案) are head-office policy, versioned like tariffs: a sheet (code +
// effectiveFrom) once loaded never changes; a change is a new version. The JSON format is
// documented in docs/appraisal.md. `checkScoreSheetFile` checks a whole file and names the
// sheet, item and field of every problem; a file with any problem loads nothing.

export const APPRAISED_ROLES = ['meter_reader', 'clerk', 'billing_clerk', 'station_head'] as const;
export type AppraisedRole = (typeof APPRAISED_ROLES)[number];

const points = z.number().int().min(0).max(10000);

const linear = z.object({
  kind: z.literal('linear'),
  kpi: z.string(),
  /** Full points at (or beyond) `target`, zero at (or beyond) `floor`; floor > target for a KPI where lower is better. */
  floor: z.number(),
  target: z.number(),
});
const steps = z.object({
  kind: z.literal('steps'),
  kpi: z.string(),
  /** Half-open bands [min, max) of the KPI value → points; max omitted = no upper end. */
  steps: z.array(z.object({ min: z.number(), max: z.number().optional(), score: points })).min(1),
});
const deduction = z.object({
  kind: z.literal('deduction'),
  kpi: z.string(),
  /** Points taken off per occurrence (per unit of the KPI), up to `cap`. */
  perOccurrence: z.number().positive(),
  cap: points,
});
const ratio = z.object({ kind: z.literal('ratio'), kpi: z.string() });
const manual = z.object({
  kind: z.literal('manual'),
  min: z.number().int(),
  max: z.number().int(),
  /** The score before the head enters one (default: max). */
  default: z.number().int().optional(),
});

export const scoringSchema = z.discriminatedUnion('kind', [linear, steps, deduction, ratio, manual]);
export type Scoring = z.infer<typeof scoringSchema>;

export const sheetItemSchema = z.object({
  id: z.string().min(1).max(40),
  name: z.string().min(1),
  nameEn: z.string().optional(),
  roles: z.union([z.literal('all'), z.array(z.enum(APPRAISED_ROLES)).min(1)]),
  points,
  scoring: scoringSchema,
  /** What the item checks, printed on the sheet (考核标准). */
  standard: z.string().optional(),
});
export type SheetItem = z.infer<typeof sheetItemSchema>;

export const sheetAreaSchema = z.object({
  id: z.string().min(1).max(40),
  name: z.string().min(1),
  nameEn: z.string().optional(),
  items: z.array(sheetItemSchema).min(1),
});

export const payRuleSchema = z.discriminatedUnion('method', [
  /** points × (base ÷ full score), per person. */
  z.object({ method: z.literal('points'), baseFen: z.number().int().min(0) }),
  /** A pool shared in proportion to points. */
  z.object({ method: z.literal('pool'), poolFen: z.number().int().min(0) }),
]);
export type PayRule = z.infer<typeof payRuleSchema>;

export const scoreSheetSchema = z.object({
  code: z.string().regex(/^[A-Z0-9][A-Z0-9_-]{1,30}$/, issueOf('sheet.badCode')),
  effectiveFrom: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, issueOf('sheet.badFrom')),
  name: z.string().min(1),
  nameEn: z.string().optional(),
  fullScore: z.number().int().positive().max(10000),
  /** Bounds of the head's bonus and deduction points (加减分) on one appraisal, in total. */
  adjustments: z.object({ min: z.number().int().max(0), max: z.number().int().min(0) }),
  pay: payRuleSchema,
  areas: z.array(sheetAreaSchema).min(1),
});
export type ScoreSheet = z.infer<typeof scoreSheetSchema>;

/** A checked file: the sheets, or every problem as a coded message naming the sheet, area, item and field. */
export type SheetFileCheck = { ok: true; sheets: ScoreSheet[] } | { ok: false; problems: CodedMessage[] };

function scoringKpi(s: Scoring): string | null {
  return s.kind === 'manual' ? null : s.kpi;
}

/** Items that apply to a role ('all' applies to every appraised role). */
export function itemsForRoles(sheet: ScoreSheet, roles: readonly string[]): { area: ScoreSheet['areas'][number]; item: SheetItem }[] {
  const out: { area: ScoreSheet['areas'][number]; item: SheetItem }[] = [];
  for (const area of sheet.areas) {
    for (const item of area.items) {
      if (item.roles === 'all' || item.roles.some((r) => roles.includes(r))) out.push({ area, item });
    }
  }
  return out;
}

/** The rules zod cannot say: KPIs known, steps not overlapping, bounds inside the points, points adding up per role. */
export function sheetProblems(sheet: ScoreSheet): CodedMessage[] {
  const problems: CodedMessage[] = [];
  const sheetPlace = fileMessage('where.sheetVersion', { code: sheet.code, from: sheet.effectiveFrom });
  const ids = new Set<string>();
  for (const area of sheet.areas) {
    for (const item of area.items) {
      const where = codedList('path', [sheetPlace, fileMessage('where.area', { id: area.id }), fileMessage('where.item', { id: item.id })]);
      const add = (field: string, what: CodedMessage) => problems.push(problemAt(where, field, what));
      if (ids.has(item.id)) add('id', fileMessage('sheet.idTwice', { id: item.id }));
      ids.add(item.id);
      const s = item.scoring;
      const kpi = scoringKpi(s);
      if (kpi !== null && !isKpiCode(kpi)) add('scoring.kpi', fileMessage('sheet.unknownKpi', { kpi, known: KPI_CODES.join(', ') }));
      if (s.kind === 'linear' && s.floor === s.target) add('scoring.floor', fileMessage('sheet.floorIsTarget', { floor: 'floor', target: 'target', value: s.floor }));
      if (s.kind === 'deduction' && s.cap > item.points) add('scoring.cap', fileMessage('sheet.capOverPoints', { cap: s.cap, points: item.points }));
      if (s.kind === 'manual') {
        if (s.min > s.max) add('scoring.min', fileMessage('sheet.minAboveMax', { min: s.min, max: s.max }));
        if (s.max > item.points) add('scoring.max', fileMessage('sheet.maxOverPoints', { max: s.max, points: item.points }));
        if (s.min < 0) add('scoring.min', fileMessage('sheet.minBelowZero'));
        if (s.default !== undefined && (s.default < s.min || s.default > s.max)) add('scoring.default', fileMessage('sheet.defaultOutside', { value: s.default, min: s.min, max: s.max }));
      }
      if (s.kind === 'steps') {
        const sorted = s.steps.map((step, index) => ({ ...step, index })).sort((a, b) => a.min - b.min);
        for (const step of sorted) {
          if (step.max !== undefined && step.max <= step.min) add(`scoring.steps[${step.index}].max`, fileMessage('sheet.stepMaxNotAbove', { max: step.max, min: step.min }));
          if (step.score > item.points) add(`scoring.steps[${step.index}].score`, fileMessage('sheet.stepScoreOver', { score: step.score, points: item.points }));
        }
        for (let i = 1; i < sorted.length; i++) {
          const prev = sorted[i - 1]!;
          const cur = sorted[i]!;
          if (prev.max === undefined || prev.max > cur.min) {
            const max: CodedParam = prev.max ?? fileMessage('sheet.noUpperEnd');
            add(`scoring.steps[${cur.index}].min`, fileMessage('sheet.stepsOverlap', { from: cur.min, step: prev.index, min: prev.min, max }));
          }
        }
      }
    }
  }
  for (const role of APPRAISED_ROLES) {
    const applicable = itemsForRoles(sheet, [role]);
    if (applicable.length === 0) continue; // the sheet does not appraise this role
    const total = applicable.reduce((sum, { item }) => sum + item.points, 0);
    if (total !== sheet.fullScore) {
      problems.push(problemAt(sheetPlace, 'fullScore', fileMessage('sheet.roleTotal', { role: { key: `role.${role}` }, total, full: sheet.fullScore })));
    }
  }
  return problems;
}

/** Checks a sheet file: one sheet object, an array of sheets, or { sheets: [...] }. All or nothing. */
export function checkScoreSheetFile(data: unknown): SheetFileCheck {
  const list: unknown[] = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { sheets?: unknown }).sheets) ? (data as { sheets: unknown[] }).sheets : [data];
  if (list.length === 0) return { ok: false, problems: [fileMessage('sheet.noSheet')] };
  const problems: CodedMessage[] = [];
  const sheets: ScoreSheet[] = [];
  const seen = new Set<string>();
  list.forEach((raw, index) => {
    const parsed = scoreSheetSchema.safeParse(raw, { error: clerkIssues });
    const label = raw && typeof raw === 'object' && typeof (raw as { code?: unknown }).code === 'string' ? fileMessage('where.sheet', { code: (raw as { code: string }).code }) : fileMessage('where.sheetNumber', { n: index + 1 });
    if (!parsed.success) {
      for (const item of parsed.error.issues) {
        const { places, field } = describePath(raw, item.path);
        problems.push(problemAt(places.length ? codedList('path', [label, ...places]) : label, field, issueMessage(item)));
      }
      return;
    }
    const key = `${parsed.data.code}@${parsed.data.effectiveFrom}`;
    if (seen.has(key)) problems.push(problemAt(label, '', fileMessage('sheet.twice', { key })));
    seen.add(key);
    problems.push(...sheetProblems(parsed.data));
    sheets.push(parsed.data);
  });
  return problems.length ? { ok: false, problems } : { ok: true, sheets };
}

/** Area and item (by their ids) and the field ("scoring.floor") of a zod path; no field when the problem is the sheet's own. */
function describePath(raw: unknown, path: readonly PropertyKey[]): { places: CodedMessage[]; field: string } {
  const places: CodedMessage[] = [];
  let node: unknown = raw;
  let rest: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const next = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    const prev = path[i - 1];
    if (prev === 'areas' && typeof key === 'number') {
      const id = idOf(next);
      places.push(id === undefined ? fileMessage('where.areaNumber', { n: key + 1 }) : fileMessage('where.area', { id }));
      rest = [];
    } else if (prev === 'items' && typeof key === 'number') {
      const id = idOf(next);
      places.push(id === undefined ? fileMessage('where.itemNumber', { n: key + 1 }) : fileMessage('where.item', { id }));
      rest = [];
    } else if (key !== 'areas' && key !== 'items') {
      rest.push(typeof key === 'number' ? `[${key}]` : String(key));
    }
    node = next;
  }
  const field = rest.join('.').replace(/\.\[/g, '[');
  return { places, field };
}

function idOf(node: unknown): string | undefined {
  return node && typeof node === 'object' && typeof (node as { id?: unknown }).id === 'string' ? (node as { id: string }).id : undefined;
}

export type { KpiCode };
