// A bill that cannot be computed from what it was given (missing register, reading below zero,
// tariff not yet in force...). The reason is a dictionary key (`billing.reason.<code>`) with its
// parameters, never an English sentence, so the billing clerk (核算员) reads it in the app's
// language on the exceptions list (异常清单) and in the CLI.
import { RuleError, type CodedMessage, type CodedParam } from '../i18n/coded';
import type { TouPeriod } from './tariff';

/** Every reason a bill cannot be computed: `billing.reason.<code>` in the dictionary. */
export const BILLING_REASONS = [
  'missing', // {what} is missing (what: a billing.quantity.* phrase)
  'notHundredths', // {what} is not a whole, non-negative number of hundredths ({value})
  'notHundredthsKwh', // the same, said of kWh (tier split)
  'noPeriodPrice', // the tariff has no price for a time-of-use period
  'touNeedsRegisters', // a time-of-use tariff and a reading without period registers
  'noFlatPrice', // flat consumption on a peak/valley-only tariff
  'touExceedsTotal', // the period registers add up to more than the total
  'tiersWithoutIncrements',
  'noEnergyPrices',
  'badPeriod',
  'notYetInForce', // the tariff version takes effect after the period
  'pfTableMismatch', // a power-factor table given for the wrong standard
  'badTierBounds',
  'badTierYearStart',
  'badCustomerStart',
  'startedAfterPeriod',
  'badMonths',
  'noMultiPersonBounds',
  'noBoundsForMonth',
  'noBounds',
  'badPowerFactor',
  'chargesNotWholeFen',
] as const;
export type BillingReason = (typeof BILLING_REASONS)[number];

/** The quantities a reason can name (`billing.quantity.<code>`). */
export const BILLING_QUANTITIES = ['consumption', 'registerConsumption', 'capacity', 'maxDemand', 'cumulative', 'priorUsage', 'kvarh', 'activeKwh', 'reactiveKvarh'] as const;
export type BillingQuantity = (typeof BILLING_QUANTITIES)[number];

export class BillingError extends RuleError {
  override name = 'BillingError';
  constructor(
    readonly reason: BillingReason,
    params?: Readonly<Record<string, CodedParam>>,
  ) {
    super(`billing.reason.${reason}`, params);
  }
}

/** A quantity phrase as a reason's parameter: `quantity('kvarh', { standard: '0.90' })`. */
export function quantity(code: BillingQuantity, params?: Readonly<Record<string, CodedParam>>): CodedMessage {
  return params ? { key: `billing.quantity.${code}`, params } : { key: `billing.quantity.${code}` };
}

/** A time-of-use period as a word in a reason (峰 / peak). */
export function periodWord(period: TouPeriod): CodedMessage {
  return { key: `billing.touWord.${period}` };
}
