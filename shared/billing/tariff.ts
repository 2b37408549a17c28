// Head-office tariff files (电价文件): schema, types and readable validation.
//
// A tariff version is identified by code + effectiveFrom; head office sends new versions, never
// edits old ones. Prices are decimal strings (yuan per unit, up to 8 places) so that a published
// price such as 0.59886875 survives JSON untouched; a JSON number is refused because it may
// already have lost digits.
//
// Shapes (DOMAIN.md "Residential tiered pricing" and "Other tariffs"):
// - single price:            energy: { flat }
// - time of use (分时):       energy: { peak, valley, flat?, criticalPeak?, deepValley? }
// - tiers on top (阶梯):      tiers: { basis, bounds, increments: [i1, i2, i3] } — added to the
//                             energy price(s); with time of use this is 先分时、后阶梯.
// - a price per tier:        tiers: { basis, bounds, prices: [P1, P2, P3] } and no `energy`,
//                             each P shaped like `energy` ({ flat } or { peak, valley, ... }) —
//                             for provinces that publish a peak and a valley price per tier.
// - two-part (两部制):        capacityCharge (yuan/kVA/month) or demandCharge (yuan/kW/month),
//                             optionally powerFactorStandard for the 力调 adjustment.

import { z } from 'zod';
import { renderMessage, type CodedMessage } from '../i18n/coded';
import { MoneyError, parsePrice } from '../money';
import { clerkIssues, fieldPlace, fileMessage, issue, issueMessage, issueOf, problemAt } from '../referenceFile';
import { isDate, type DateString } from '../time';
import { POWER_FACTOR_STANDARDS } from './powerFactor';

import { CUSTOMER_CLASSES, type CustomerClass } from '../customers/classes';
export { CUSTOMER_CLASSES, type CustomerClass };

/** Time-of-use periods in the order a notice lists them: 尖峰, 峰, 平, 谷, 深谷. */
export const TOU_PERIODS = ['criticalPeak', 'peak', 'flat', 'valley', 'deepValley'] as const;
export type TouPeriod = (typeof TOU_PERIODS)[number];

const DECIMAL_PLACES = /^\s*[+-]?\d+\.(\d+)\s*$/;

/** Why a price text is unacceptable (a coded message's JSON, see shared/referenceFile.ts), or null. Parsing itself is money.ts's parsePrice. */
function priceProblem(text: string): string | null {
  let value: bigint;
  try {
    value = parsePrice(text);
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    const places = DECIMAL_PLACES.exec(text)?.[1]?.length;
    return places !== undefined ? issue('tariff.pricePlaces', { text, places }) : issue('tariff.priceNotDecimal', { text });
  }
  if (value < 0n) return issue('tariff.priceNegative', { text });
  return null;
}

/** A price: a quoted decimal string, yuan per unit, 0 to 8 decimal places. */
export const priceSchema = z.string().superRefine((text, ctx) => {
  const problem = priceProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Prices by time-of-use period; `{ flat }` alone is a single-price tariff. */
export const energyPricesSchema = z
  .strictObject({
    criticalPeak: priceSchema.optional(),
    peak: priceSchema.optional(),
    flat: priceSchema.optional(),
    valley: priceSchema.optional(),
    deepValley: priceSchema.optional(),
  })
  .superRefine((energy, ctx) => {
    const periods = TOU_PERIODS.filter((p) => energy[p] !== undefined);
    if (periods.length === 0) {
      ctx.addIssue({ code: 'custom', message: issue('tariff.noPrice', { example: '{ "flat": "0.5" }' }) });
    } else if (!(periods.length === 1 && periods[0] === 'flat') && (energy.peak === undefined || energy.valley === undefined)) {
      ctx.addIssue({ code: 'custom', message: issue('tariff.touNeedsPeakValley', { peak: 'peak', valley: 'valley', flat: 'flat' }) });
    }
  });
export type EnergyPrices = z.output<typeof energyPricesSchema>;

const month = z.number().refine((n) => Number.isInteger(n) && n >= 1 && n <= 12, {
  error: (item) => issue('tariff.notMonth', { value: JSON.stringify(item.input) ?? String(item.input) }),
});
const wholeKwh = z.number().refine((n) => Number.isInteger(n) && n > 0, {
  error: (item) => issue('tariff.notBound', { value: JSON.stringify(item.input) ?? String(item.input) }),
});

/** Upper bounds of tier 1 and tier 2 in whole kWh, e.g. [260, 600]. */
export const tierBoundsSchema = z.tuple([wholeKwh, wholeKwh]).superRefine(([t1, t2], ctx) => {
  if (t1 >= t2) ctx.addIssue({ code: 'custom', message: issue('tariff.boundsOrder', { t1, t2 }) });
});
export type TierBounds = readonly [t1: number, t2: number];

export const tierBoundsEntrySchema = z.strictObject({
  /** Monthly basis: the calendar months these bounds apply to. Annual basis: leave out. */
  months: z.array(month).optional(),
  /** Ordinary households. */
  standard: tierBoundsSchema,
  /** Multi-person households (多人口家庭), if the province gives them larger bounds. */
  multi: tierBoundsSchema.optional(),
});
export type TierBoundsEntry = z.output<typeof tierBoundsEntrySchema>;

export const tierSchemeSchema = z
  .strictObject({
    /** monthly: bounds per calendar month; annual: bounds per tier year on cumulative usage. */
    basis: z.enum(['monthly', 'annual']),
    /** Annual basis only: the month a tier year starts (default 1 = January). */
    yearStartMonth: month.optional(),
    bounds: z.array(tierBoundsEntrySchema).min(1),
    /** Added to every energy price for kWh in tier 1, 2, 3 (usually "0", "0.05", "0.30"). */
    increments: z.tuple([priceSchema, priceSchema, priceSchema]).optional(),
    /** Instead of increments: the full price(s) of each tier; then the tariff has no `energy`. */
    prices: z.tuple([energyPricesSchema, energyPricesSchema, energyPricesSchema]).optional(),
  })
  .superRefine((tiers, ctx) => {
    if ((tiers.increments === undefined) === (tiers.prices === undefined)) {
      ctx.addIssue({ code: 'custom', message: issue('tariff.incrementsOrPrices', { increments: 'increments', prices: 'prices' }) });
    }
    if (tiers.prices) {
      const periodsOf = (e: EnergyPrices) => TOU_PERIODS.filter((p) => e[p] !== undefined).join(', ');
      const first = periodsOf(tiers.prices[0]);
      tiers.prices.forEach((prices, i) => {
        if (i > 0 && periodsOf(prices) !== first) {
          ctx.addIssue({ code: 'custom', path: ['prices', i], message: issue('tariff.samePeriods', { first }) });
        }
      });
    }
    const withMulti = tiers.bounds.filter((b) => b.multi !== undefined).length;
    if (withMulti !== 0 && withMulti !== tiers.bounds.length) {
      ctx.addIssue({ code: 'custom', path: ['bounds'], message: issue('tariff.multiAllOrNone') });
    }
    if (tiers.basis === 'annual') {
      if (tiers.bounds.length !== 1 || tiers.bounds[0]?.months !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['bounds'],
          message: issue('tariff.annualOneEntry', { months: 'months' }),
        });
      }
      return;
    }
    if (tiers.yearStartMonth !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['yearStartMonth'], message: issue('tariff.yearStartAnnualOnly') });
    }
    const seen = new Map<number, number>();
    tiers.bounds.forEach((entry, i) => {
      if (entry.months === undefined || entry.months.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['bounds', i, 'months'], message: issue('tariff.monthlyNeedsMonths') });
        return;
      }
      for (const m of entry.months) {
        const other = seen.get(m);
        if (other !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['bounds', i, 'months'],
            message: issue('tariff.monthTwice', { month: m, entry: other + 1 }),
          });
        } else {
          seen.set(m, i);
        }
      }
    });
    const missing = Array.from({ length: 12 }, (_, i) => i + 1).filter((m) => !seen.has(m));
    if (missing.length > 0 && seen.size > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['bounds'],
        message: issue(missing.length > 1 ? 'tariff.monthsMissing' : 'tariff.monthMissing', { months: missing.join(', ') }),
      });
    }
  });
export type TierScheme = z.output<typeof tierSchemeSchema>;

export const tariffVersionSchema = z
  .strictObject({
    /** Tariff code, stable across versions (e.g. RES-GD). */
    code: z.string().trim().min(1).max(40),
    /** Name as printed on notices (居民生活用电). */
    name: z.string().trim().min(1),
    class: z.enum(CUSTOMER_CLASSES),
    /** First day (Asia/Shanghai) this version applies. */
    effectiveFrom: z.string().refine(isDate, issueOf('tariff.notDate')),
    /** The published document the prices come from (文号), for the record. */
    source: z.string().optional(),
    energy: energyPricesSchema.optional(),
    tiers: tierSchemeSchema.optional(),
    /** 基本电费 by capacity: yuan per kVA of contracted capacity per month. */
    capacityCharge: priceSchema.optional(),
    /** 基本电费 by demand: yuan per kW of maximum demand per month. */
    demandCharge: priceSchema.optional(),
    /** 功率因数考核标准; customers without it are not assessed. */
    powerFactorStandard: z.enum(POWER_FACTOR_STANDARDS).optional(),
  })
  .superRefine((tariff, ctx) => {
    const perTier = tariff.tiers?.prices !== undefined;
    if (tariff.energy === undefined && !perTier) {
      ctx.addIssue({ code: 'custom', path: ['energy'], message: issue('tariff.energyMissing', { tierPrices: 'tiers.prices' }) });
    }
    if (tariff.energy !== undefined && perTier) {
      ctx.addIssue({ code: 'custom', path: ['energy'], message: issue('tariff.energyWithTierPrices', { tierPrices: 'tiers.prices' }) });
    }
    if (tariff.capacityCharge !== undefined && tariff.demandCharge !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['demandCharge'],
        message: issue('tariff.capacityOrDemand'),
      });
    }
  });
/** One tariff version as head office publishes it (validated). */
export type TariffVersion = z.output<typeof tariffVersionSchema>;

/** The prices that decide which time-of-use periods a tariff has. */
export function tariffPeriods(tariff: TariffVersion): TouPeriod[] {
  const prices = tariff.energy ?? tariff.tiers?.prices?.[0] ?? {};
  return TOU_PERIODS.filter((p) => prices[p] !== undefined);
}

/** True when the tariff prices periods separately (not a single `flat` price). */
export function isTimeOfUse(tariff: TariffVersion): boolean {
  const periods = tariffPeriods(tariff);
  return !(periods.length === 1 && periods[0] === 'flat');
}

// ---------------------------------------------------------------------------------------------
// Reading a file, with messages an admin can act on.

/** A tariff file refused; `problems` are coded (render them in the reader's language), `message` is English for logs. */
export class TariffFileError extends Error {
  override name = 'TariffFileError';
  constructor(readonly problems: CodedMessage[]) {
    super(`The tariff file has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n- ${problems.map((p) => renderMessage('en', p)).join('\n- ')}`);
  }
}

/** A checked file: the tariffs, or every problem as a coded message naming the tariff and the field. */
export type TariffFileCheck = { ok: true; tariffs: TariffVersion[] } | { ok: false; problems: CodedMessage[] };

function tariffLabel(raw: unknown, position: number | null): CodedMessage {
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const code = typeof record.code === 'string' && record.code.trim() ? record.code.trim() : null;
  const from = typeof record.effectiveFrom === 'string' ? record.effectiveFrom : null;
  if (position === null) {
    if (!code) return fileMessage('where.theTariff');
    return from ? fileMessage('where.oneTariffCodeFrom', { code, from }) : fileMessage('where.oneTariffCode', { code });
  }
  const n = position + 1;
  if (!code) return fileMessage('where.tariff', { n });
  return from ? fileMessage('where.tariffCodeFrom', { n, code, from }) : fileMessage('where.tariffCode', { n, code });
}

function checkVersion(raw: unknown, position: number | null, problems: CodedMessage[]): TariffVersion | null {
  const result = tariffVersionSchema.safeParse(raw, { error: clerkIssues });
  if (result.success) return result.data;
  const label = tariffLabel(raw, position);
  for (const item of result.error.issues) problems.push(problemAt(label, fieldPlace(item.path), issueMessage(item)));
  return null;
}

/**
 * Checks a parsed tariff file: one tariff object, an array of them, or { "tariffs": [...] }.
 * Reports every problem it finds, each naming the tariff and the field.
 */
export function checkTariffFile(data: unknown): TariffFileCheck {
  const problems: CodedMessage[] = [];
  let list: unknown[];
  let numbered = true;
  if (Array.isArray(data)) {
    list = data;
  } else if (typeof data === 'object' && data !== null && 'tariffs' in data) {
    const { tariffs, ...rest } = data as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length) problems.push(fileMessage(extra.length > 1 ? 'tariff.unknownBesideMany' : 'tariff.unknownBeside', { fields: extra.map((k) => `"${k}"`).join(', '), tariffs: '"tariffs"' }));
    if (!Array.isArray(tariffs)) return { ok: false, problems: [...problems, fileMessage('tariff.notList', { tariffs: '"tariffs"' })] };
    list = tariffs;
  } else if (typeof data === 'object' && data !== null) {
    list = [data];
    numbered = false;
  } else {
    return { ok: false, problems: [fileMessage('tariff.fileShape', { example: '{ "tariffs": [ ... ] }' })] };
  }
  if (list.length === 0) problems.push(fileMessage('tariff.noTariffs'));

  const tariffs: TariffVersion[] = [];
  const firstSeen = new Map<string, number>();
  list.forEach((raw, i) => {
    const tariff = checkVersion(raw, numbered ? i : null, problems);
    if (!tariff) return;
    const identity = `${tariff.code}\u0000${tariff.effectiveFrom}`;
    const earlier = firstSeen.get(identity);
    if (earlier !== undefined) {
      problems.push(fileMessage('tariff.duplicate', { n: i + 1, code: tariff.code, from: tariff.effectiveFrom, earlier: earlier + 1 }));
    } else {
      firstSeen.set(identity, i);
    }
    tariffs.push(tariff);
  });
  return problems.length ? { ok: false, problems } : { ok: true, tariffs };
}

/** Like checkTariffFile, but throws a TariffFileError listing every problem. */
export function parseTariffFile(data: unknown): TariffVersion[] {
  const result = checkTariffFile(data);
  if (!result.ok) throw new TariffFileError(result.problems);
  return result.tariffs;
}

/** The version of `code` in force on `date`: the latest effectiveFrom on or before it. */
export function tariffInForce(versions: readonly TariffVersion[], code: string, date: DateString): TariffVersion | undefined {
  let best: TariffVersion | undefined;
  for (const v of versions) {
    if (v.code !== code || v.effectiveFrom > date) continue;
    if (!best || v.effectiveFrom > best.effectiveFrom) best = v;
  }
  return best;
}
