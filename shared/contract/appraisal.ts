import { z } from 'zod';
import { KPI_CODES, payRuleSchema, scoreSheetSchema } from '../appraisal';
import { DATE_RE, PERIOD_RE } from '../time';
import { channel } from './define';

// Staff appraisal (绩效考核). A person is named by their staff number. Staff with
// `appraisal.read` only reach their own sheets (the back end checks it on every call);
// `appraisal.manage` (the station head) reaches everyone's.

const period = z.string().regex(PERIOD_RE, { message: 'reading.periodFormat' });
const staffNo = z.string().min(1).max(20);
const kpiCode = z.enum(KPI_CODES);
const status = z.enum(['draft', 'acknowledged', 'disputed', 'signed']);

export const kpiValueSchema = z.object({ code: kpiCode, value: z.number().nullable(), numerator: z.number().nullable(), denominator: z.number().nullable() });

const sheetPlanSchema = z.object({
  ok: z.boolean(),
  problems: z.array(z.string()),
  sheets: z.array(z.object({ code: z.string(), effectiveFrom: z.string(), name: z.string(), fullScore: z.number(), status: z.enum(['new', 'same', 'conflict']) })),
});

export const appraisalItemSchema = z.object({
  itemId: z.string(),
  areaId: z.string(),
  areaName: z.string(),
  areaNameEn: z.string().nullable(),
  name: z.string(),
  nameEn: z.string().nullable(),
  standard: z.string(),
  points: z.number(),
  kind: z.enum(['linear', 'steps', 'deduction', 'ratio', 'manual']),
  kpi: z.string().nullable(),
  data: kpiValueSchema.nullable(),
  computedCenti: z.number().nullable(),
  scoreCenti: z.number().nullable(),
});

export const appraisalVersionSchema = z.object({
  versionNo: z.number(),
  kind: z.enum(['draft', 'recompute', 'revision']),
  reason: z.string(),
  computedAt: z.number(),
  computedBy: z.string().nullable(),
  sheetCode: z.string(),
  sheetEffectiveFrom: z.string(),
  roles: z.array(z.string()),
  items: z.array(appraisalItemSchema),
  entries: z.array(z.object({ id: z.string(), itemId: z.string().nullable(), itemName: z.string().nullable(), pointsCenti: z.number(), reason: z.string(), by: z.string().nullable(), at: z.number() })),
  responses: z.array(z.object({ kind: z.enum(['acknowledge', 'dispute']), note: z.string(), at: z.number(), by: z.string() })),
  adjustmentsCenti: z.number(),
  itemsCenti: z.number(),
  totalCenti: z.number(),
  signature: z.object({ by: z.string(), at: z.number() }).nullable(),
});
export type AppraisalVersion = z.infer<typeof appraisalVersionSchema>;

export const appraisalSchema = z.object({
  period: z.string(),
  station: z.object({ code: z.string(), name: z.string() }),
  staff: z.object({ id: z.string(), staffNo: z.string(), name: z.string() }),
  sheet: z.object({ code: z.string(), effectiveFrom: z.string(), name: z.string(), nameEn: z.string().nullable(), fullScore: z.number(), adjustments: z.object({ min: z.number(), max: z.number() }), pay: payRuleSchema }),
  manualItems: z.array(z.object({ itemId: z.string(), name: z.string() })),
  status,
  payFen: z.number().nullable(),
  rank: z.number().nullable(),
  ranked: z.number(),
  /** Newest first; the first is the current one. */
  versions: z.array(appraisalVersionSchema),
});
export type Appraisal = z.infer<typeof appraisalSchema>;

export const appraisalSummaryRowSchema = z.object({
  staffId: z.string(),
  staffNo: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  versionNo: z.number(),
  versions: z.number(),
  status,
  itemsCenti: z.number(),
  adjustmentsCenti: z.number(),
  totalCenti: z.number(),
  rank: z.number(),
  payFen: z.number(),
  sheetCode: z.string(),
});
export type AppraisalSummaryRow = z.infer<typeof appraisalSummaryRowSchema>;

const drillSchema = z.object({
  kpi: kpiCode,
  columns: z.array(z.object({ key: z.string(), kind: z.enum(['text', 'number', 'fen', 'date', 'time']) })),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
  total: z.number(),
  truncated: z.boolean(),
});
export type AppraisalDrill = z.infer<typeof drillSchema>;

const file = z.object({ fileName: z.string(), base64: z.string() });

export const appraisalChannels = {
  /** Every score-sheet version loaded, which is in force this month. */
  'appraisal.sheets.list': channel({
    input: z.object({}),
    output: z.object({
      rows: z.array(z.object({ code: z.string(), effectiveFrom: z.string(), name: z.string(), fullScore: z.number(), areas: z.number(), items: z.number(), pay: payRuleSchema, importedAt: z.number(), importedBy: z.string().nullable(), inForce: z.boolean(), definition: scoreSheetSchema })),
    }),
    access: 'session',
  }),
  /** Checks a sheet file without loading it: every problem named with its sheet, item and field. */
  'appraisal.sheets.check': channel({ input: z.object({ text: z.string().max(2_000_000) }), output: sheetPlanSchema, access: 'appraisal.sheets' }),
  /** Loads a sheet file: all of it, or nothing. */
  'appraisal.sheets.import': channel({
    input: z.object({ text: z.string().max(2_000_000), fileName: z.string().optional() }),
    output: z.object({ loaded: z.number(), unchanged: z.number(), sheets: z.array(z.object({ code: z.string(), effectiveFrom: z.string(), status: z.enum(['new', 'same', 'conflict']) })) }),
    access: 'appraisal.sheets',
  }),
  /** The head computes the month's drafts (and refreshes unsigned ones whose figures changed). */
  'appraisal.compute': channel({
    input: z.object({ period, sheetCode: z.string().optional() }),
    output: z.object({
      period: z.string(),
      sheet: z.object({ code: z.string(), effectiveFrom: z.string(), name: z.string() }),
      drafted: z.number(),
      recomputed: z.number(),
      unchanged: z.number(),
      signed: z.number(),
      notAppraised: z.array(z.object({ staffNo: z.string(), name: z.string(), startDate: z.string() })),
    }),
    access: 'appraisal.manage',
  }),
  /** The station's month (考核汇总表): ranked, with pay. */
  'appraisal.summary': channel({
    input: z.object({ period }),
    output: z.object({
      period: z.string(),
      station: z.object({ code: z.string(), name: z.string() }),
      sheets: z.array(z.object({ code: z.string(), effectiveFrom: z.string(), name: z.string(), fullScore: z.number(), pay: payRuleSchema, remainderFen: z.number() })),
      rows: z.array(appraisalSummaryRowSchema),
      totals: z.object({ payFen: z.number(), signed: z.number(), disputed: z.number() }),
      notAppraised: z.array(z.object({ staffNo: z.string(), name: z.string(), startDate: z.string() })),
      notComputed: z.array(z.object({ staffNo: z.string(), name: z.string() })),
    }),
    access: 'appraisal.manage',
  }),
  /** A person's appraisals month by month (without staffNo: the caller's own). */
  'appraisal.list': channel({
    input: z.object({ staffNo: staffNo.optional() }),
    output: z.object({
      staff: z.object({ staffNo: z.string(), name: z.string() }),
      rows: z.array(z.object({ period: z.string(), versionNo: z.number(), status, totalCenti: z.number(), fullScore: z.number(), sheetCode: z.string() })),
    }),
    access: 'appraisal.read',
  }),
  /** One person's sheet for a month, every version. */
  'appraisal.get': channel({ input: z.object({ period, staffNo }), output: appraisalSchema, access: 'appraisal.read' }),
  /** The rows behind one KPI of one person's month. */
  'appraisal.drill': channel({ input: z.object({ period, staffNo, kpi: kpiCode }), output: drillSchema, access: 'appraisal.read' }),
  /** The head's bonus or deduction points (加减分), or points on a manual item, with a reason. */
  'appraisal.adjust': channel({
    input: z.object({ period, staffNo, itemId: z.string().nullable(), pointsCenti: z.number().int().min(-100000).max(100000), reason: z.string().max(500) }),
    output: z.object({ done: z.literal(true) }),
    access: 'appraisal.manage',
  }),
  /** The staff member acknowledges their sheet, or disputes it with a note (their own only). */
  'appraisal.respond': channel({
    input: z.object({ period, kind: z.enum(['acknowledge', 'dispute']), note: z.string().max(1000).default('') }),
    output: z.object({ done: z.literal(true) }),
    access: 'appraisal.read',
  }),
  /** The head signs the version they looked at; if the data changed, a recomputed version and the changes come back instead. */
  'appraisal.sign': channel({
    input: z.object({ period, staffNo, versionNo: z.number().int().positive() }),
    output: z.object({
      signed: z.boolean(),
      versionNo: z.number(),
      changes: z.array(z.object({ code: kpiCode, before: kpiValueSchema, after: kpiValueSchema })),
    }),
    access: 'appraisal.manage',
  }),
  /** A change to a signed appraisal: a new version with the reason; the signed one is kept. */
  'appraisal.revise': channel({ input: z.object({ period, staffNo, reason: z.string().max(500) }), output: z.object({ versionNo: z.number() }), access: 'appraisal.manage' }),
  /** A person's total and every KPI over 12 months to `to`. */
  'appraisal.trend': channel({
    input: z.object({ staffNo, to: period, months: z.number().int().min(2).max(36).default(12) }),
    output: z.object({
      staff: z.object({ staffNo: z.string(), name: z.string() }),
      periods: z.array(z.string()),
      totals: z.array(z.object({ period: z.string(), totalCenti: z.number().nullable(), fullScore: z.number().nullable(), status: status.nullable() })),
      kpis: z.array(z.object({ code: kpiCode, values: z.array(z.number().nullable()) })),
    }),
    access: 'appraisal.read',
  }),
  /** The month as a workbook: summary, items, points entered, KPI figures. */
  'appraisal.export': channel({ input: z.object({ period }), output: file, access: 'appraisal.manage' }),
  /** The rows behind a KPI as a workbook. */
  'appraisal.exportDrill': channel({ input: z.object({ period, staffNo, kpi: kpiCode }), output: file, access: 'appraisal.read' }),
  /** The day a member of staff started at the station (the mid-month rule reads it). */
  'appraisal.setStartDate': channel({
    input: z.object({ staffNo, date: z.string().regex(DATE_RE, { message: 'reading.dateFormat' }) }),
    output: z.object({ done: z.literal(true) }),
    access: 'appraisal.manage',
  }),
};
