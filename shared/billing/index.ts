// Tariffs and bill calculation: pure rules, shared by the back end and the browser.
export { BillingError } from './errors';
export {
  CUSTOMER_CLASSES,
  TOU_PERIODS,
  TariffFileError,
  checkTariffFile,
  energyPricesSchema,
  isTimeOfUse,
  parseTariffFile,
  priceSchema,
  tariffInForce,
  tariffPeriods,
  tariffVersionSchema,
  tierBoundsEntrySchema,
  tierBoundsSchema,
  tierSchemeSchema,
} from './tariff';
export type {
  CustomerClass,
  EnergyPrices,
  TariffFileCheck,
  TariffVersion,
  TierBounds,
  TierBoundsEntry,
  TierScheme,
  TouPeriod,
} from './tariff';
export { proRateBounds, splitTiers, splitTiersCumulative, tierBoundsFor, tierYearMonths, tierYearStart } from './tiers';
export type { AppliedTierBounds, TierContext, TierKwh } from './tiers';
export {
  NATIONAL_POWER_FACTOR_TABLES,
  POWER_FACTOR_STANDARDS,
  formatBasisPoints,
  formatPowerFactor,
  monthlyPowerFactor,
  powerFactorAdjustment,
  powerFactorAdjustmentBp,
  powerFactorTableSchema,
  standardHundredths,
} from './powerFactor';
export type {
  BasisPoints,
  PowerFactorAdjustment,
  PowerFactorHundredths,
  PowerFactorPenaltyBand,
  PowerFactorStandard,
  PowerFactorTable,
} from './powerFactor';
export { computeBill } from './bill';
export type { AppliedTiers, Bill, BillInput, BillLine, BillLineKind, BillUnit, PowerFactorDetail, TierNumber } from './bill';
export { BILL_FLAG_CODES, billFlags } from './flags';
export type { BillFlag, BillFlagCode, BillHistory, FlagInput } from './flags';
export { DEFAULT_BILLING_POLICY, billingPolicySchema, checkReferenceFile, highBillFactorHundredths, policyInForce } from './policy';
export type { BillingPolicy, ReferenceFileCheck } from './policy';
export { billLineLabel } from './labels';
export type { LabelledLine } from './labels';
