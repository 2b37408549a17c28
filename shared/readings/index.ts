// Meter-reading plausibility checks (抄表数据校验): pure, browser-safe, no I/O.
export { checkReading } from './checkReading';
export type {
  MeterReplacement,
  ReadingCheckResult,
  ReadingInput,
  RolloverConfirmation,
  RolloverWrap,
  SpanName,
  TouReadings,
  TouRegisterReading,
} from './checkReading';
export {
  checkEstimation,
  checkHighLow,
  checkMultiplierChange,
  checkReadingWindow,
  checkTouSum,
  checkZero,
  recentBaseline,
  scheduledReadingDate,
  TOU_REGISTERS,
} from './checks';
export type { HistoryPeriod, TouRegister } from './checks';
export { describeFlag, FLAG_SEVERITY, makeFlag, needsReview, READING_FLAG_CODES, REVIEW_DECISIONS } from './flags';
export type { FlagParams, ReadingFlag, ReadingFlagCode, ReadingSeverity, ReviewDecision } from './flags';
export { DEFAULT_READING_POLICY, readingPolicySchema, resolveReadingPolicy } from './policy';
export type { ReadingPolicy } from './policy';
export {
  assessAdvance,
  consumptionWithReplacement,
  isOnRegister,
  MAX_DIGITS,
  ReadingInputError,
  registerAdvance,
  registerRange,
  spanConsumption,
} from './register';
export type { AdvanceAssessment, MeterSpan } from './register';
export { blocksClosing, errorRateBasisPoints, READING_KINDS, READING_STATUSES, readingStatus } from './status';
export type { ReadingKind, ReadingStatus } from './status';
export { flagLabel, flagMessage } from './describe';
