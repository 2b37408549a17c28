// Words shared by the counter fee-collection rules (收费). Pure: no I/O, runs in the browser too.
import { RuleError, type CodedMessage, type CodedParam } from '../i18n/coded';

// Customer class (用电类别): residents pay the residential penalty rate and get the longer
// disconnection notice; every other class uses the non-residential figures.
export { CUSTOMER_CLASSES, isResidential, type CustomerClass } from '../customers/classes';

/** Every reason a collection rule refuses its input: `collection.reason.<code>` in the dictionary. */
export const COLLECTION_REASONS = ['badChannel', 'badEntry', 'tenderedShort', 'badPriorYearRule', 'accruedPair', 'badDate', 'badPeriod', 'badAmount', 'badCount'] as const;
export type CollectionReason = (typeof COLLECTION_REASONS)[number];

/** The inputs a reason can name (`collection.field.<code>`), in the office's words. */
export const COLLECTION_FIELDS = [
  'payDate', 'dueDate', 'paymentAmount', 'reversalAmount', 'prepaidBalance', 'billAmount', 'openingFloat', 'countedCash', 'cashTendered', 'amountPosted',
  'overdueDaysMoreThan', 'residentialNoticeDays', 'otherNoticeDays', 'noticeDate', 'today', 'oldestDueDate', 'arrearsFen', 'reminderDate',
  'residentialDailyBp', 'currentYearDailyBp', 'priorYearDailyBp', 'minimumFen', 'graceDays', 'penaltyFrom', 'period', 'principalFen',
  'penaltyAccruedFen', 'penaltyPaidFen', 'penaltyWaivedFen', 'penaltyAccruedTo',
] as const;
export type CollectionField = (typeof COLLECTION_FIELDS)[number];

/** A field as a reason's parameter. */
export function field(name: CollectionField): CodedMessage {
  return { key: `collection.field.${name}` };
}

/**
 * A collection rule refused its input (tendered cash short of the amount, a negative payment,
 * a malformed date). `code` is the stable API error code the back end answers with; `rule` says
 * which check failed, for programs and tests; the message is a dictionary key with parameters
 * (`collection.reason.<reason>`), shown in the reader's language.
 */
export class CollectionError extends RuleError {
  override name = 'CollectionError';
  readonly code = 'validation' as const;
  constructor(
    readonly rule: string,
    readonly reason: CollectionReason,
    params?: Readonly<Record<string, CodedParam>>,
  ) {
    super(`collection.reason.${reason}`, params);
  }
}
