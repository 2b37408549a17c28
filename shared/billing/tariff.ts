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
import { MoneyError, parsePrice } from '../money';
import { isDate, type DateString } from '../time';
import { POWER_FACTOR_STANDARDS } from './powerFactor';

import { CUSTOMER_CLASSES, type CustomerClass } from '../customers/classes';
export { CUSTOMER_CLASSES, type CustomerClass };

/** Time-of-use periods in the order a notice lists them: 尖峰, 峰, 平, 谷, 深谷. */
export const TOU_PERIODS = ['criticalPeak', 'peak', 'flat', 'valley', 'deepValley'] as const;
export type TouPeriod = (typeof TOU_PERIODS)[number];

const DECIMAL_PLACES = /^\s*[+-]?\d+\.(\d+)\s*$/;

/** Why a price text is unacceptable, or null. Parsing itself is money.ts's parsePrice. */
function priceProblem(text: string): string | null {
  let value: bigint;
  try {
    value = parsePrice(text);
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    const places = DECIMAL_PLACES.exec(text)?.[1]?.length;
    return places !== undefined
      ? `"${text}" has ${places} decimal places; a price may have at most 8`
      : `"${text}" is not a decimal number`;
  }
  if (value < 0n) return `"${text}" is negative; prices cannot be below zero`;
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
      ctx.addIssue({ code: 'custom', message: 'gives no price: write { "flat": "0.5" } or time-of-use prices' });
    } else if (!(periods.length === 1 && periods[0] === 'flat') && (energy.peak === undefined || energy.valley === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'a time-of-use tariff needs at least a peak and a valley price (a single-price tariff gives flat only)',
      });
    }
  });
export type EnergyPrices = z.output<typeof energyPricesSchema>;

const month = z.number().refine((n) => Number.isInteger(n) && n >= 1 && n <= 12, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a month (1–12)`,
});
const wholeKwh = z.number().refine((n) => Number.isInteger(n) && n > 0, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a bound: write whole kWh above 0`,
});

/** Upper bounds of tier 1 and tier 2 in whole kWh, e.g. [260, 600]. */
export const tierBoundsSchema = z.tuple([wholeKwh, wholeKwh]).superRefine(([t1, t2], ctx) => {
  if (t1 >= t2) ctx.addIssue({ code: 'custom', message: `the tier-1 bound (${t1}) must be below the tier-2 bound (${t2})` });
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
      ctx.addIssue({ code: 'custom', message: 'give either increments (added to the energy prices) or prices per tier, not both' });
    }
    if (tiers.prices) {
      const periodsOf = (e: EnergyPrices) => TOU_PERIODS.filter((p) => e[p] !== undefined).join(', ');
      const first = periodsOf(tiers.prices[0]);
      tiers.prices.forEach((prices, i) => {
        if (i > 0 && periodsOf(prices) !== first) {
          ctx.addIssue({ code: 'custom', path: ['prices', i], message: `must price the same periods as tier 1 (${first})` });
        }
      });
    }
    const withMulti = tiers.bounds.filter((b) => b.multi !== undefined).length;
    if (withMulti !== 0 && withMulti !== tiers.bounds.length) {
      ctx.addIssue({ code: 'custom', path: ['bounds'], message: 'give multi-person bounds in every entry or in none' });
    }
    if (tiers.basis === 'annual') {
      if (tiers.bounds.length !== 1 || tiers.bounds[0]?.months !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['bounds'],
          message: 'annual tiers take a single bounds entry without months (annual kWh for the whole tier year)',
        });
      }
      return;
    }
    if (tiers.yearStartMonth !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['yearStartMonth'], message: 'only applies to annual tiers' });
    }
    const seen = new Map<number, number>();
    tiers.bounds.forEach((entry, i) => {
      if (entry.months === undefined || entry.months.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['bounds', i, 'months'], message: 'monthly tiers need the months each entry applies to' });
        return;
      }
      for (const m of entry.months) {
        const other = seen.get(m);
        if (other !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['bounds', i, 'months'],
            message: `month ${m} is already covered by entry ${other + 1}; each month must appear exactly once`,
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
        message: `month${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not covered; every month 1–12 needs bounds`,
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
    effectiveFrom: z.string().refine(isDate, { message: 'must be a date written YYYY-MM-DD' }),
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
      ctx.addIssue({ code: 'custom', path: ['energy'], message: 'is missing; give energy prices (or tiers.prices for a price per tier)' });
    }
    if (tariff.energy !== undefined && perTier) {
      ctx.addIssue({ code: 'custom', path: ['energy'], message: 'must be left out when tiers.prices gives the price of every tier' });
    }
    if (tariff.capacityCharge !== undefined && tariff.demandCharge !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['demandCharge'],
        message: 'give a capacity charge or a demand charge, not both (make two tariffs if customers may choose)',
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

export class TariffFileError extends Error {
  override name = 'TariffFileError';
  constructor(readonly problems: string[]) {
    super(`The tariff file has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n- ${problems.join('\n- ')}`);
  }
}

export type TariffFileCheck = { ok: true; tariffs: TariffVersion[] } | { ok: false; problems: string[] };

const KIND_NAMES: Record<string, string> = {
  string: 'text in quotes',
  number: 'a number',
  int: 'a whole number',
  array: 'a list [ ... ]',
  object: 'a group { ... }',
  tuple: 'a list [ ... ]',
};

function isTuple(schema: unknown): boolean {
  return schema instanceof z.ZodTuple;
}

/** Messages for zod's built-in checks; our own checks already carry theirs. */
const clerkMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is missing';
      if (issue.expected === 'string' && typeof issue.input === 'number') {
        return `must be written in quotes, e.g. "${String(issue.input)}" (a bare number may lose decimal places)`;
      }
      return `must be ${KIND_NAMES[issue.expected] ?? issue.expected}, not ${JSON.stringify(issue.input)}`;
    case 'invalid_value':
      if (issue.input === undefined) return `is missing (one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')})`;
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(issue.input)}`;
    case 'unrecognized_keys':
      return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling)`;
    case 'too_small':
      if (isTuple(issue.inst)) return `must list exactly ${issue.minimum} values`;
      if (issue.origin === 'array') return issue.exact ? `must list exactly ${issue.minimum} values` : `needs at least ${issue.minimum} entr${issue.minimum === 1 ? 'y' : 'ies'}`;
      if (issue.origin === 'string') return 'must not be empty';
      return issue.inclusive === false ? `must be more than ${issue.minimum}` : `must be at least ${issue.minimum}`;
    case 'too_big':
      if (isTuple(issue.inst)) return `must list exactly ${issue.maximum} values`;
      if (issue.origin === 'array') return `must list ${issue.exact ? 'exactly' : 'at most'} ${issue.maximum} values`;
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return `must be at most ${issue.maximum}`;
    default:
      return undefined;
  }
};

/** ['tiers', 'bounds', 1, 'months'] → 'tiers.bounds, entry 2, months' (entries counted from 1). */
function fieldName(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let run: string[] = [];
  for (const key of path) {
    if (typeof key === 'number') {
      if (run.length) parts.push(run.join('.'));
      run = [];
      parts.push(`entry ${key + 1}`);
    } else {
      run.push(String(key));
    }
  }
  if (run.length) parts.push(run.join('.'));
  return parts.join(', ');
}

function tariffLabel(raw: unknown, position: number | null): string {
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const code = typeof record.code === 'string' && record.code.trim() ? record.code.trim() : null;
  const from = typeof record.effectiveFrom === 'string' ? record.effectiveFrom : null;
  const where = position === null ? '' : ` #${position + 1}`;
  if (!code) return position === null ? 'The tariff (no code)' : `Tariff${where}`;
  return `Tariff${where} ${code}${from ? ` effective ${from}` : ''}`;
}

function checkVersion(raw: unknown, position: number | null, problems: string[]): TariffVersion | null {
  const label = tariffLabel(raw, position);
  const result = tariffVersionSchema.safeParse(raw, { error: clerkMessages });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const field = fieldName(issue.path);
    problems.push(field ? `${label}, ${field}: ${issue.message}` : `${label}: ${issue.message}`);
  }
  return null;
}

/**
 * Checks a parsed tariff file: one tariff object, an array of them, or { "tariffs": [...] }.
 * Reports every problem it finds, each naming the tariff and the field.
 */
export function checkTariffFile(data: unknown): TariffFileCheck {
  const problems: string[] = [];
  let list: unknown[];
  let numbered = true;
  if (Array.isArray(data)) {
    list = data;
  } else if (typeof data === 'object' && data !== null && 'tariffs' in data) {
    const { tariffs, ...rest } = data as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length) problems.push(`The file has unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')} beside "tariffs"`);
    if (!Array.isArray(tariffs)) return { ok: false, problems: [...problems, 'The file\'s "tariffs" must be a list [ ... ]'] };
    list = tariffs;
  } else if (typeof data === 'object' && data !== null) {
    list = [data];
    numbered = false;
  } else {
    return { ok: false, problems: ['The file must hold a tariff { ... }, a list of tariffs, or { "tariffs": [ ... ] }'] };
  }
  if (list.length === 0) problems.push('The file holds no tariffs');

  const tariffs: TariffVersion[] = [];
  const firstSeen = new Map<string, number>();
  list.forEach((raw, i) => {
    const tariff = checkVersion(raw, numbered ? i : null, problems);
    if (!tariff) return;
    const identity = `${tariff.code}\u0000${tariff.effectiveFrom}`;
    const earlier = firstSeen.get(identity);
    if (earlier !== undefined) {
      problems.push(`Tariff #${i + 1} ${tariff.code} effective ${tariff.effectiveFrom}: the same version is already given as tariff #${earlier + 1}`);
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
