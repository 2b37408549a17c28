// One customer's bill for one period (电费计算), as lines a notice (电费通知单) can print.
//
// Rules (DESIGN.md "Money and quantities"): quantities in hundredths, prices as exact BigInt,
// each line rounded half up to the fen once (money.ts lineAmount), total = sum of the lines.
//
// Line order follows a State Grid notice: basic charge (基本电费), energy (电度电费) by period
// and/or tier, tier increments, then the power-factor adjustment (力调电费).

import { formatCenti, formatScaled, lineAmount, parsePrice as parsePriceText, PRICE_PLACES, sumFen, type Centi, type Fen } from '../money';
import { addDays, addMonths, isPeriod, type DateString, type Period } from '../time';
import { BillingError, periodWord, quantity } from './errors';
import type { CodedMessage } from '../i18n/coded';
import {
  formatBasisPoints,
  formatPowerFactor,
  monthlyPowerFactor,
  NATIONAL_POWER_FACTOR_TABLES,
  powerFactorAdjustment,
  standardHundredths,
  type BasisPoints,
  type PowerFactorStandard,
  type PowerFactorTable,
} from './powerFactor';
import { isTimeOfUse, tariffPeriods, TOU_PERIODS, type EnergyPrices, type TariffVersion, type TouPeriod } from './tariff';
import { splitTiers, splitTiersCumulative, tierBoundsFor, type AppliedTierBounds, type TierKwh } from './tiers';

export type BillLineKind = 'energy' | 'tier_increment' | 'capacity' | 'demand' | 'power_factor';
export type BillUnit = 'kWh' | 'kVA' | 'kW';
export type TierNumber = 1 | 2 | 3;

export interface PowerFactorDetail {
  /** Monthly average power factor, two decimals ('0.60'). */
  value: string;
  standard: PowerFactorStandard;
  /** Table percentage in hundredths of a percent; positive = surcharge (增收), negative = credit (减收). */
  adjustmentBp: BasisPoints;
  /** The same as a percent string for notices ('25.00', '-0.75'). */
  percent: string;
  /** Basic + energy charges the percentage applies to (sum of those rounded lines). */
  baseFen: Fen;
  kwh: Centi;
  kvarh: Centi;
}

export interface BillLine {
  kind: BillLineKind;
  /** Stable code for the printed label: 'energy', 'peak', 'tier2', 'tier2_peak', 'tier3_increment', 'capacity', ... */
  labelKey: string;
  tier: TierNumber | null;
  period: TouPeriod | null;
  /** Hundredths of the unit: kWh for energy lines, kVA for capacity, kW for demand; null for power factor. */
  quantity: Centi | null;
  unit: BillUnit | null;
  /** Yuan per unit as a decimal string (at least 2 places); null for power factor. */
  unitPrice: string | null;
  /** quantity × unitPrice rounded half up to the fen — once. */
  amountFen: Fen;
  /** Only on the power_factor line. */
  powerFactor?: PowerFactorDetail;
}

export interface BillInput {
  /** The tariff version in force for the period (see tariffInForce). */
  tariff: TariffVersion;
  /** Billing period 'YYYY-MM'. */
  period: Period;
  /** Total billed consumption (结算电量), hundredths of a kWh. */
  consumption: Centi;
  /**
   * Time-of-use meters: consumption per register, hundredths of a kWh. The balancing period
   * (flat, or valley for a peak/valley-only tariff) is derived as total − the others, so its own
   * register may be left out; reading checks flag registers that do not add up.
   */
  registers?: Partial<Record<TouPeriod, Centi>>;
  /** 多人口家庭: bill on the tariff's multi-person tier bounds. */
  multiPerson?: boolean;
  /** Annual tiers: consumption already billed in this tier year before this bill. */
  cumulativeBefore?: Centi;
  /** Annual tiers: the customer's start date, to pro-rate the bounds of a part tier year. */
  customerStart?: DateString;
  /** Capacity charge: contracted capacity (合同容量), hundredths of a kVA. */
  capacityKva?: Centi;
  /** Demand charge: billed maximum demand (最大需量), hundredths of a kW. */
  maxDemandKw?: Centi;
  /** Reactive consumption for the power factor, hundredths of a kvarh. */
  kvarh?: Centi;
  /** Overrides the tariff's power-factor standard for this customer. */
  powerFactorStandard?: PowerFactorStandard;
  /** Head-office policy tables replacing the national defaults. */
  powerFactorTables?: Partial<Record<PowerFactorStandard, PowerFactorTable>>;
}

export interface AppliedTiers extends AppliedTierBounds {
  /** This bill's kWh (hundredths) in tier 1, 2, 3. */
  kwh: TierKwh;
}

export interface Bill {
  lines: BillLine[];
  totalFen: Fen;
  /** The tier bounds used and the split, for the notice and for review; null without tiers. */
  tiers: AppliedTiers | null;
  /** kWh (hundredths) billed per time-of-use period, balancing period derived; null for a single price. */
  touKwh: Partial<Record<TouPeriod, Centi>> | null;
  powerFactor: PowerFactorDetail | null;
}

const TIER_NUMBERS: readonly TierNumber[] = [1, 2, 3];

// A billing run computes the same few prices a hundred thousand times: parse and format each
// price text once. The caches hold one entry per distinct published price.
const parsedPrices = new Map<string, bigint>();
const formattedPrices = new Map<bigint, string>();

function parsePrice(text: string): bigint {
  let price = parsedPrices.get(text);
  if (price === undefined) {
    price = parsePriceText(text);
    if (parsedPrices.size < 10_000) parsedPrices.set(text, price);
  }
  return price;
}

function formatPrice(price: bigint): string {
  let text = formattedPrices.get(price);
  if (text === undefined) {
    text = formatScaled(price, PRICE_PLACES, 2);
    if (formattedPrices.size < 10_000) formattedPrices.set(price, text);
  }
  return text;
}

function checkQuantity(value: Centi | undefined, what: CodedMessage): Centi {
  if (value === undefined) throw new BillingError('missing', { what });
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new BillingError('notHundredths', { what, value });
  }
  return value;
}

function pricedLine(
  kind: BillLineKind,
  labelKey: string,
  tier: TierNumber | null,
  period: TouPeriod | null,
  quantity: Centi,
  unit: BillUnit,
  price: bigint,
): BillLine {
  return { kind, labelKey, tier, period, quantity, unit, unitPrice: formatPrice(price), amountFen: lineAmount(quantity, price) };
}

function parsePrices(prices: EnergyPrices): Partial<Record<TouPeriod, bigint>> {
  const out: Partial<Record<TouPeriod, bigint>> = {};
  for (const p of TOU_PERIODS) {
    const text = prices[p];
    if (text !== undefined) out[p] = parsePrice(text);
  }
  return out;
}

function priceOf(prices: Partial<Record<TouPeriod, bigint>>, period: TouPeriod): bigint {
  const price = prices[period];
  if (price === undefined) throw new BillingError('noPeriodPrice', { period: periodWord(period) });
  return price;
}

/**
 * kWh per priced period. The total register is authoritative (tiers are split on it), so the
 * balancing period takes total − the others (平 = 总 − 尖 − 峰 − 谷 − 深谷); registers for periods
 * the tariff does not price fold into their parent period (尖峰 into 峰, 深谷 into 谷).
 */
function timeOfUseKwh(tariff: TariffVersion, total: Centi, registers: BillInput['registers']): Partial<Record<TouPeriod, Centi>> | null {
  if (!isTimeOfUse(tariff)) return null;
  if (!registers) {
    throw new BillingError('touNeedsRegisters', { tariff: tariff.code });
  }
  const priced = tariffPeriods(tariff);
  const read: Partial<Record<TouPeriod, Centi>> = {};
  for (const p of TOU_PERIODS) {
    const value = registers[p];
    if (value !== undefined) read[p] = checkQuantity(value, quantity('registerConsumption', { period: periodWord(p) }));
  }
  if (!priced.includes('criticalPeak') && read.criticalPeak) read.peak = (read.peak ?? 0) + read.criticalPeak;
  if (!priced.includes('deepValley') && read.deepValley) read.valley = (read.valley ?? 0) + read.deepValley;
  const balancing: TouPeriod = priced.includes('flat') ? 'flat' : 'valley';
  if (!priced.includes('flat') && read.flat) {
    throw new BillingError('noFlatPrice', { tariff: tariff.code });
  }
  const out: Partial<Record<TouPeriod, Centi>> = {};
  let others = 0;
  for (const p of priced) {
    if (p === balancing) continue;
    const kwh = read[p] ?? 0;
    out[p] = kwh;
    others += kwh;
  }
  if (others > total) {
    throw new BillingError('touExceedsTotal', { balancing: periodWord(balancing), others: formatCenti(others), total: formatCenti(total) });
  }
  out[balancing] = total - others;
  // Keep the notice order.
  return Object.fromEntries(priced.map((p) => [p, out[p] ?? 0])) as Partial<Record<TouPeriod, Centi>>;
}

/**
 * Price-per-tier time-of-use: how much of each tier's kWh was peak, valley... Each tier takes
 * its kWh from what is left of every period in proportion (largest remainder, ties in notice
 * order), so tiers add up to the tier split and periods add up to the registers exactly.
 */
function apportionTiers(tierKwh: TierKwh, touKwh: Partial<Record<TouPeriod, Centi>>, periods: readonly TouPeriod[]): Centi[][] {
  const remaining = periods.map((p) => BigInt(touKwh[p] ?? 0));
  return tierKwh.map((q) => {
    const pool = remaining.reduce((a, b) => a + b, 0n);
    if (q === 0 || pool === 0n) return periods.map(() => 0);
    const want = BigInt(q);
    const shares = remaining.map((r) => (want * r) / pool);
    const rests = remaining.map((r) => (want * r) % pool);
    let left = want - shares.reduce((a, b) => a + b, 0n);
    const order = periods.map((_, i) => i).sort((a, b) => {
      const ra = rests[a] ?? 0n;
      const rb = rests[b] ?? 0n;
      return ra === rb ? a - b : ra > rb ? -1 : 1;
    });
    for (const i of order) {
      if (left === 0n) break;
      shares[i] = (shares[i] ?? 0n) + 1n;
      left -= 1n;
    }
    shares.forEach((s, i) => {
      remaining[i] = (remaining[i] ?? 0n) - s;
    });
    return shares.map(Number);
  });
}

function energyLines(
  tariff: TariffVersion,
  consumption: Centi,
  touKwh: Partial<Record<TouPeriod, Centi>> | null,
  tierKwh: TierKwh | null,
): BillLine[] {
  const periods = tariffPeriods(tariff);
  // Tier 1 always shows (so a zero bill still has its energy line); tiers 2 and 3 once reached.
  const shownTiers = tierKwh ? TIER_NUMBERS.filter((n) => n === 1 || (tierKwh[n - 1] ?? 0) > 0) : [];
  const kwhOfTier = (n: TierNumber): Centi => tierKwh?.[n - 1] ?? 0;

  if (tariff.energy) {
    const base = parsePrices(tariff.energy);
    if (!tierKwh) {
      if (!touKwh) return [pricedLine('energy', 'energy', null, null, consumption, 'kWh', priceOf(base, 'flat'))];
      return periods.map((p) => pricedLine('energy', p, null, p, touKwh[p] ?? 0, 'kWh', priceOf(base, p)));
    }
    const incrementTexts = tariff.tiers?.increments;
    if (!incrementTexts) throw new BillingError('tiersWithoutIncrements', { tariff: tariff.code });
    const increments = incrementTexts.map(parsePrice);
    const incrementOf = (n: TierNumber): bigint => increments[n - 1] ?? 0n;
    if (!touKwh) {
      // Flat + tiers: one line per tier at base + increment, as notices print 第一档/第二档/第三档.
      return shownTiers.map((n) => pricedLine('energy', `tier${n}`, n, null, kwhOfTier(n), 'kWh', priceOf(base, 'flat') + incrementOf(n)));
    }
    // 先分时、后阶梯: every period at its price, then the increments on the tier kWh.
    return [
      ...periods.map((p) => pricedLine('energy', p, null, p, touKwh[p] ?? 0, 'kWh', priceOf(base, p))),
      ...TIER_NUMBERS.filter((n) => kwhOfTier(n) > 0 && incrementOf(n) !== 0n).map((n) =>
        pricedLine('tier_increment', `tier${n}_increment`, n, null, kwhOfTier(n), 'kWh', incrementOf(n)),
      ),
    ];
  }

  const perTier = tariff.tiers?.prices;
  if (!perTier || !tierKwh) throw new BillingError('noEnergyPrices', { tariff: tariff.code });
  const tierPrices = perTier.map(parsePrices);
  const pricesOfTier = (n: TierNumber) => tierPrices[n - 1] ?? {};
  if (!touKwh) {
    return shownTiers.map((n) => pricedLine('energy', `tier${n}`, n, null, kwhOfTier(n), 'kWh', priceOf(pricesOfTier(n), 'flat')));
  }
  const split = apportionTiers(tierKwh, touKwh, periods);
  return shownTiers.flatMap((n) =>
    periods.map((p, i) => pricedLine('energy', `tier${n}_${p}`, n, p, split[n - 1]?.[i] ?? 0, 'kWh', priceOf(pricesOfTier(n), p))),
  );
}

const lastDays = new Map<Period, DateString>();

/** The last day of a period, to see whether a tariff version has taken effect by then. */
function lastDayOf(period: Period): DateString {
  let day = lastDays.get(period);
  if (day === undefined) {
    day = addDays(`${addMonths(period, 1)}-01`, -1);
    if (lastDays.size < 10_000) lastDays.set(period, day);
  }
  return day;
}

/** Computes one bill: lines each rounded once to the fen, and their sum. */
export function computeBill(input: BillInput): Bill {
  const { tariff, period } = input;
  if (!isPeriod(period)) throw new BillingError('badPeriod', { period });
  if (tariff.effectiveFrom > lastDayOf(period)) {
    throw new BillingError('notYetInForce', { tariff: tariff.code, from: tariff.effectiveFrom, period });
  }
  const consumption = checkQuantity(input.consumption, quantity('consumption'));
  const lines: BillLine[] = [];

  // 基本电费 (two-part tariffs), a whole month: part-month rules are for the caller.
  if (tariff.capacityCharge !== undefined) {
    const kva = checkQuantity(input.capacityKva, quantity('capacity', { tariff: tariff.code }));
    lines.push(pricedLine('capacity', 'capacity', null, null, kva, 'kVA', parsePrice(tariff.capacityCharge)));
  }
  if (tariff.demandCharge !== undefined) {
    const kw = checkQuantity(input.maxDemandKw, quantity('maxDemand', { tariff: tariff.code }));
    lines.push(pricedLine('demand', 'demand', null, null, kw, 'kW', parsePrice(tariff.demandCharge)));
  }

  const touKwh = timeOfUseKwh(tariff, consumption, input.registers);
  let tiers: AppliedTiers | null = null;
  if (tariff.tiers) {
    const applied = tierBoundsFor(tariff.tiers, input);
    const kwh =
      applied.basis === 'annual'
        ? splitTiersCumulative(
            checkQuantity(input.cumulativeBefore, quantity('cumulative', { tariff: tariff.code })),
            consumption,
            applied.bounds,
          )
        : splitTiers(consumption, applied.bounds);
    tiers = { ...applied, kwh };
  }
  lines.push(...energyLines(tariff, consumption, touKwh, tiers?.kwh ?? null));

  // 力调电费 on (basic + energy charges) as billed, i.e. the sum of those rounded lines.
  let powerFactor: PowerFactorDetail | null = null;
  const standard = input.powerFactorStandard ?? tariff.powerFactorStandard;
  if (standard !== undefined) {
    const kvarh = checkQuantity(input.kvarh, quantity('kvarh', { standard }));
    const pf = monthlyPowerFactor(consumption, kvarh);
    if (pf !== null) {
      const table = input.powerFactorTables?.[standard] ?? NATIONAL_POWER_FACTOR_TABLES[standard];
      if (table.standard !== standardHundredths(standard)) {
        throw new BillingError('pfTableMismatch', { standard, built: formatPowerFactor(table.standard) });
      }
      const adjustment = powerFactorAdjustment(sumFen(lines.map((l) => l.amountFen)), pf, table);
      powerFactor = {
        value: formatPowerFactor(pf),
        standard,
        adjustmentBp: adjustment.adjustmentBp,
        percent: formatBasisPoints(adjustment.adjustmentBp),
        baseFen: adjustment.baseFen,
        kwh: consumption,
        kvarh,
      };
      lines.push({
        kind: 'power_factor',
        labelKey: 'power_factor',
        tier: null,
        period: null,
        quantity: null,
        unit: null,
        unitPrice: null,
        amountFen: adjustment.amountFen,
        powerFactor,
      });
    }
  }

  return { lines, totalFen: sumFen(lines.map((l) => l.amountFen)), tiers, touKwh, powerFactor };
}
