import type { KpiValue } from './kpis';
import { itemsForRoles, type PayRule, type ScoreSheet, type Scoring, type SheetItem } from './sheet';

// The pure formulas of an appraisal. Scores are kept in centi-points (1 point = 100) so that
// sums and prints are exact; a sheet's points are whole numbers.

/** Half up to a whole centi-point. */
function centi(value: number): number {
  return Math.floor(value * 100 + 0.5 + 1e-9);
}

/**
 * Linear scale (线性计分): full points at the target, none at the floor, in proportion between.
 * Works both ways: floor < target when higher is better (实抄率), floor > target when lower is
 * better (差错率).
 */
export function linearScore(points: number, floor: number, target: number, value: number): number {
  const higherBetter = target > floor;
  if (higherBetter ? value >= target : value <= target) return points * 100;
  if (higherBetter ? value <= floor : value >= floor) return 0;
  return centi((points * (value - floor)) / (target - floor));
}

/** Step table (分档计分): the band [min, max) holding the value gives its points; none: 0. */
export function stepScore(steps: readonly { min: number; max?: number | undefined; score: number }[], value: number): number {
  const step = steps.find((s) => value >= s.min && (s.max === undefined || value < s.max));
  return step ? step.score * 100 : 0;
}

/** Per-occurrence deduction with a cap (按次扣分，扣完为止): points − min(cap, count × per), never below 0. */
export function deductionScore(points: number, perOccurrence: number, cap: number, occurrences: number): number {
  const taken = Math.min(cap * 100, centi(occurrences * perOccurrence));
  return Math.max(0, points * 100 - taken);
}

/** Ratio × weight (比率计分): a rate in percent times the item's points, the rate capped to 0..100. */
export function ratioScore(points: number, percent: number): number {
  return centi((points * Math.min(100, Math.max(0, percent))) / 100);
}

export interface ItemResult {
  itemId: string;
  areaId: string;
  points: number;
  kind: Scoring['kind'];
  kpi: string | null;
  /** The KPI's figure behind a computed item (null for a manual item). */
  data: KpiValue | null;
  /** Score in centi-points before the head's entries on this item; null = not measured. */
  computedCenti: number | null;
  /** Score in centi-points after them; null = not measured. */
  scoreCenti: number | null;
}

/** Scores one item from its KPI (computed) or the head's entries (manual, within its bounds). */
export function scoreItem(item: SheetItem, areaId: string, kpis: ReadonlyMap<string, KpiValue>, manualDeltaCenti = 0): ItemResult {
  const s = item.scoring;
  const base = { itemId: item.id, areaId, points: item.points, kind: s.kind };
  if (s.kind === 'manual') {
    const start = (s.default ?? s.max) * 100;
    return { ...base, kpi: null, data: null, computedCenti: start, scoreCenti: start + manualDeltaCenti };
  }
  const data = kpis.get(s.kpi) ?? { code: s.kpi as KpiValue['code'], value: null, numerator: null, denominator: null };
  if (data.value === null) return { ...base, kpi: s.kpi, data, computedCenti: null, scoreCenti: null };
  const v = data.value;
  const score =
    s.kind === 'linear' ? linearScore(item.points, s.floor, s.target, v)
    : s.kind === 'steps' ? stepScore(s.steps, v)
    : s.kind === 'deduction' ? deductionScore(item.points, s.perOccurrence, s.cap, v)
    : ratioScore(item.points, v);
  return { ...base, kpi: s.kpi, data, computedCenti: score, scoreCenti: score };
}

/**
 * The appraisal's total in centi-points: the measured items' scores out of their points, scaled to
 * the full score (so a KPI that is not measured neither costs nor earns points, and a person with
 * two roles, whose items add up to more than the full score, is scored on the same scale), plus
 * the head's bonus and deduction points (加减分), never below 0.
 */
export function sheetTotal(fullScore: number, items: readonly ItemResult[], adjustmentsCenti: number): { itemsCenti: number; totalCenti: number; measuredPoints: number } {
  let scored = 0;
  let measured = 0;
  for (const i of items) {
    if (i.scoreCenti === null) continue;
    scored += i.scoreCenti;
    measured += i.points;
  }
  const itemsCenti = measured === 0 ? 0 : measured === fullScore ? scored : Math.floor((scored * fullScore) / measured + 0.5);
  return { itemsCenti, totalCenti: Math.max(0, itemsCenti + adjustmentsCenti), measuredPoints: measured };
}

/** Scores a whole sheet for a person with these roles. */
export function scoreSheet(
  sheet: ScoreSheet,
  roles: readonly string[],
  kpis: ReadonlyMap<string, KpiValue>,
  entries: readonly { itemId: string | null; pointsCenti: number }[],
): { items: ItemResult[]; adjustmentsCenti: number; itemsCenti: number; totalCenti: number } {
  const perItem = new Map<string, number>();
  let adjustmentsCenti = 0;
  for (const e of entries) {
    if (e.itemId === null) adjustmentsCenti += e.pointsCenti;
    else perItem.set(e.itemId, (perItem.get(e.itemId) ?? 0) + e.pointsCenti);
  }
  const items = itemsForRoles(sheet, roles).map(({ area, item }) => scoreItem(item, area.id, kpis, perItem.get(item.id) ?? 0));
  const { itemsCenti, totalCenti } = sheetTotal(sheet.fullScore, items, adjustmentsCenti);
  return { items, adjustmentsCenti, itemsCenti, totalCenti };
}

/**
 * Whether the head may enter `deltaCenti` more on an item or as bonus/deduction: a manual item's
 * score stays within its min..max; the bonus and deduction points in total stay within the
 * sheet's bounds. Returns the bounds broken, or null.
 */
export function entryOutOfBounds(
  sheet: ScoreSheet,
  item: SheetItem | null,
  currentCenti: number,
  deltaCenti: number,
): { min: number; max: number } | null {
  if (item) {
    if (item.scoring.kind !== 'manual') return { min: 0, max: 0 };
    const start = (item.scoring.default ?? item.scoring.max) * 100;
    const after = start + currentCenti + deltaCenti;
    return after < item.scoring.min * 100 || after > item.scoring.max * 100 ? { min: item.scoring.min, max: item.scoring.max } : null;
  }
  const after = currentCenti + deltaCenti;
  return after < sheet.adjustments.min * 100 || after > sheet.adjustments.max * 100 ? sheet.adjustments : null;
}

export interface PayShare {
  staffNo: string;
  scoreCenti: number;
  payFen: number;
}

/**
 * Performance pay (绩效工资), exact to the fen.
 * - points: points × (base ÷ full score) per person, rounded half up to the fen (each amount
 *   stands alone, so there is no remainder).
 * - pool: the pool shared in proportion to points; everyone gets the fen rounded down, and the
 *   fen left over go one each to the largest fractions (ties: the higher score, then the lower
 *   staff number), so the shares add up to the pool exactly. Nobody scored: nothing is paid.
 */
export function splitPay(rule: PayRule, fullScore: number, people: readonly { staffNo: string; scoreCenti: number }[]): { shares: PayShare[]; remainderFen: number } {
  if (rule.method === 'points') {
    const full = BigInt(fullScore * 100);
    return {
      shares: people.map((p) => ({ ...p, payFen: Number((BigInt(rule.baseFen) * BigInt(p.scoreCenti) * 2n + full) / (2n * full)) })),
      remainderFen: 0,
    };
  }
  const total = people.reduce((s, p) => s + BigInt(p.scoreCenti), 0n);
  if (total === 0n) return { shares: people.map((p) => ({ ...p, payFen: 0 })), remainderFen: 0 };
  const pool = BigInt(rule.poolFen);
  const parts = people.map((p, index) => {
    const exact = pool * BigInt(p.scoreCenti);
    return { index, floor: exact / total, fraction: exact % total, p };
  });
  let left = pool - parts.reduce((s, x) => s + x.floor, 0n);
  const remainderFen = Number(left);
  const order = [...parts].sort((a, b) =>
    a.fraction !== b.fraction ? (b.fraction > a.fraction ? 1 : -1) : b.p.scoreCenti !== a.p.scoreCenti ? b.p.scoreCenti - a.p.scoreCenti : a.p.staffNo.localeCompare(b.p.staffNo),
  );
  const extra = new Map<number, bigint>();
  for (const x of order) {
    if (left <= 0n) break;
    extra.set(x.index, 1n);
    left -= 1n;
  }
  return { shares: parts.map((x) => ({ ...x.p, payFen: Number(x.floor + (extra.get(x.index) ?? 0n)) })), remainderFen };
}

/** Ranks people by score, highest first; equal scores share a rank (1, 2, 2, 4). */
export function rank<T extends { scoreCenti: number }>(rows: readonly T[]): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => b.scoreCenti - a.scoreCenti);
  return sorted.map((r) => ({ ...r, rank: sorted.findIndex((x) => x.scoreCenti === r.scoreCenti) + 1 }));
}

/**
 * The mid-month rule (月中入职): a member of staff who started on or before the 16th of the
 * month is appraised for that month in full; one who started later is not appraised until the
 * next month. Returns whether `startDate` (YYYY-MM-DD) is appraised in `period` (YYYY-MM).
 */
export function appraisedInPeriod(startDate: string, period: string): boolean {
  const startPeriod = startDate.slice(0, 7);
  if (startPeriod < period) return true;
  if (startPeriod > period) return false;
  return Number(startDate.slice(8, 10)) <= 16;
}

export function formatPoints(centiPoints: number): string {
  const sign = centiPoints < 0 ? '-' : '';
  const abs = Math.abs(centiPoints);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  return `${sign}${whole}${frac ? `.${String(frac).padStart(2, '0').replace(/0$/, '')}` : ''}`;
}

/** "-2", "1.5" → centi-points; null when not a number with at most 2 decimals. */
export function parsePoints(text: string): number | null {
  const m = /^\s*([+-]?)(\d{1,4})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const value = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -value : value;
}
