// Words shared by the counter fee-collection rules (收费). Pure: no I/O, runs in the browser too.

// Customer class (用电类别): residents pay the residential penalty rate and get the longer
// disconnection notice; every other class uses the non-residential figures.
export { CUSTOMER_CLASSES, isResidential, type CustomerClass } from '../customers/classes';

/**
 * A collection rule refused its input (tendered cash short of the amount, a negative payment,
 * a malformed date). `code` is the stable API error code the back end answers with; `rule` says
 * which check failed, for programs and tests.
 */
export class CollectionError extends Error {
  override name = 'CollectionError';
  readonly code = 'validation' as const;
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}
