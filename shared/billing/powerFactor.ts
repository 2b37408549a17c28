// Power-factor adjustment (功率因数调整电费, 力调电费) — DOMAIN.md "Other tariffs".
//
// - The monthly average power factor is cos φ = kWh / √(kWh² + kvarh²), rounded half up to two
//   decimals (功率因数取小数点后两位，四舍五入). It is kept as integer hundredths (0.60 → 60).
// - The adjustment is a table percentage of (basic + energy charges); percentages are integer
//   basis points, i.e. hundredths of a percent (0.15% → 15, 25% → 2500), so that every published
//   figure is exact. Positive = surcharge (增收), negative = credit (减收).
// - The tables are a policy (head office may publish its own), so they are data with national
//   defaults, not code paths.

import { z } from 'zod';
import { divRoundHalfUp, formatScaled, type Centi, type Fen } from '../money';
import type { CodedMessage } from '../i18n/coded';
import { issue } from '../referenceFile';
import { BillingError, quantity } from './errors';

export const POWER_FACTOR_STANDARDS = ['0.90', '0.85', '0.80'] as const;
/** 考核标准: 0.90 (160 kVA+ high-voltage industry), 0.85 (other 100 kVA+), 0.80 (agricultural). */
export type PowerFactorStandard = (typeof POWER_FACTOR_STANDARDS)[number];

/** Power factor in integer hundredths, 0..100 (0.60 → 60). */
export type PowerFactorHundredths = number;
/** Hundredths of a percent (0.15% → 15; 25% → 2500). */
export type BasisPoints = number;

export interface PowerFactorPenaltyBand {
  /** The band covers each 0.01 step down to and including this power factor (hundredths). */
  downTo: PowerFactorHundredths;
  /** Surcharge per 0.01 step inside the band. */
  bpPerStep: BasisPoints;
}

export interface PowerFactorTable {
  /** The standard the table is built around (hundredths): 90, 85 or 80. */
  standard: PowerFactorHundredths;
  /**
   * Credits (减收) for standard + 0.01, + 0.02, ... as positive basis points; the last value
   * applies to every higher power factor (e.g. 0.95–1.00 for the 0.90 table).
   */
  credits: readonly BasisPoints[];
  /** Surcharge bands (增收) below the standard, from the standard downwards. */
  penaltyBands: readonly PowerFactorPenaltyBand[];
  /** Surcharge per 0.01 step below the last band, all the way down to 0. */
  penaltyBeyondBpPerStep: BasisPoints;
}

/**
 * The national tables of 功率因数调整电费办法 (水电部、物价局 1983). The 0.90 and 0.85 tables
 * match two independent public copies; the 0.80 credits (-1.15% at 0.91, -1.30% from 0.92) are
 * from the commonly published table and not confirmed from a primary source [unverified].
 * Note that the surcharge bands move with the standard: the 0.5%-per-0.01 band always spans 20
 * steps and the 1% band 5 steps (0.85: 1% from 0.64 to 0.60, 2% from 0.59 down).
 */
export const NATIONAL_POWER_FACTOR_TABLES: Readonly<Record<PowerFactorStandard, PowerFactorTable>> = {
  '0.90': {
    standard: 90,
    credits: [15, 30, 45, 60, 75],
    penaltyBands: [
      { downTo: 70, bpPerStep: 50 },
      { downTo: 65, bpPerStep: 100 },
    ],
    penaltyBeyondBpPerStep: 200,
  },
  '0.85': {
    standard: 85,
    credits: [10, 20, 30, 40, 50, 65, 80, 95, 110],
    penaltyBands: [
      { downTo: 65, bpPerStep: 50 },
      { downTo: 60, bpPerStep: 100 },
    ],
    penaltyBeyondBpPerStep: 200,
  },
  '0.80': {
    standard: 80,
    credits: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 115, 130],
    penaltyBands: [
      { downTo: 60, bpPerStep: 50 },
      { downTo: 55, bpPerStep: 100 },
    ],
    penaltyBeyondBpPerStep: 200,
  },
};

/** The standard '0.90' → 90. */
export function standardHundredths(standard: PowerFactorStandard): PowerFactorHundredths {
  return Number(standard.slice(2));
}

/** 60 → '0.60'; 100 → '1.00'. */
export function formatPowerFactor(pf: PowerFactorHundredths): string {
  return formatScaled(BigInt(pf), 2, 2);
}

/** 2500 → '25.00'; -75 → '-0.75' (percent, for notices). */
export function formatBasisPoints(bp: BasisPoints): string {
  return formatScaled(BigInt(bp), 2, 2);
}

function assertReading(value: Centi, what: CodedMessage): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new BillingError('notHundredths', { what, value });
  }
  return BigInt(value);
}

/**
 * Monthly average power factor (月平均功率因数) from active and reactive consumption, both in
 * hundredths (only their ratio matters). Null when both are zero: there is nothing to assess.
 *
 * A float gives the first guess; the answer is then settled exactly: PF rounds to k hundredths
 * iff (k − ½)/100 ≤ kWh/√S < (k + ½)/100, i.e. 40000·kWh² ≥ (2k − 1)²·S and
 * 40000·kWh² < (2k + 1)²·S with S = kWh² + kvarh², all in BigInt. An exact half cannot occur
 * with whole readings, but near-halves where a float misrounds can.
 */
export function monthlyPowerFactor(kwh: Centi, kvarh: Centi): PowerFactorHundredths | null {
  const p = assertReading(kwh, quantity('activeKwh'));
  const q = assertReading(kvarh, quantity('reactiveKvarh'));
  const s = p * p + q * q;
  if (s === 0n) return null;
  const lhs = 40000n * p * p;
  // True when the power factor is at least k − ½ hundredths.
  const atLeast = (k: number): boolean => k <= 0 || lhs >= BigInt(2 * k - 1) ** 2n * s;
  let k = Math.round((100 * kwh) / Math.hypot(kwh, kvarh));
  k = Math.min(100, Math.max(0, Number.isFinite(k) ? k : 0));
  while (k < 100 && atLeast(k + 1)) k += 1;
  while (k > 0 && !atLeast(k)) k -= 1;
  return k;
}

/**
 * The table percentage (basis points) for a rounded power factor: positive surcharge below the
 * standard, negative credit above it, 0 at the standard.
 */
export function powerFactorAdjustmentBp(pf: PowerFactorHundredths, table: PowerFactorTable): BasisPoints {
  if (!Number.isInteger(pf) || pf < 0 || pf > 100) throw new BillingError('badPowerFactor', { value: pf / 100 });
  if (pf > table.standard) {
    const credits = table.credits;
    if (credits.length === 0) return 0;
    const credit = credits[Math.min(pf - table.standard, credits.length) - 1] ?? 0;
    return credit === 0 ? 0 : -credit; // no -0 in results
  }
  let bp = 0;
  // Each 0.01 step down from the standard costs the rate of the band its new value falls in.
  for (let value = table.standard - 1; value >= pf; value -= 1) {
    const band = table.penaltyBands.find((b) => value >= b.downTo);
    bp += band ? band.bpPerStep : table.penaltyBeyondBpPerStep;
  }
  return bp;
}

export interface PowerFactorAdjustment {
  powerFactor: PowerFactorHundredths;
  adjustmentBp: BasisPoints;
  /** (basic + energy charges) the percentage applies to. */
  baseFen: Fen;
  /** baseFen × percentage, rounded half up (away from zero) to the fen once. */
  amountFen: Fen;
}

/** 功率因数调整电费 = (基本电费 + 电度电费) × table percentage, rounded half up to the fen once. */
export function powerFactorAdjustment(
  baseFen: Fen,
  powerFactor: PowerFactorHundredths,
  table: PowerFactorTable,
): PowerFactorAdjustment {
  if (!Number.isSafeInteger(baseFen)) throw new BillingError('chargesNotWholeFen', { value: baseFen });
  const adjustmentBp = powerFactorAdjustmentBp(powerFactor, table);
  const amountFen = Number(divRoundHalfUp(BigInt(baseFen) * BigInt(adjustmentBp), 10000n));
  return { powerFactor, adjustmentBp, baseFen, amountFen };
}

const hundredths = z.number().int().min(1).max(99);
const basisPoints = z.number().int().min(0).max(10000);

/**
 * A head-office power-factor policy table (for the policy import). Same shape as
 * PowerFactorTable; checks that credits never shrink as the power factor rises and that the
 * bands go downwards from the standard.
 */
export const powerFactorTableSchema = z
  .strictObject({
    standard: hundredths,
    credits: z.array(basisPoints),
    penaltyBands: z.array(z.strictObject({ downTo: z.number().int().min(0).max(99), bpPerStep: basisPoints })),
    penaltyBeyondBpPerStep: basisPoints,
  })
  .superRefine((table, ctx) => {
    table.credits.forEach((c, i) => {
      const previous = table.credits[i - 1];
      if (previous !== undefined && c < previous) {
        ctx.addIssue({ code: 'custom', path: ['credits', i], message: issue('tariff.creditShrinks') });
      }
    });
    let above = table.standard;
    table.penaltyBands.forEach((band, i) => {
      if (band.downTo >= above) {
        ctx.addIssue({ code: 'custom', path: ['penaltyBands', i, 'downTo'], message: issue('tariff.bandNotBelow', { above: formatPowerFactor(above) }) });
      }
      above = band.downTo;
    });
  });
