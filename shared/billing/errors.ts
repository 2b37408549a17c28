// A bill that cannot be computed from what it was given (missing register, reading below zero,
// tariff not yet in force...). The message names the problem in office terms so the billing
// clerk (核算员) can put it on the exceptions list rather than see a stack trace.
export class BillingError extends Error {
  override name = 'BillingError';
}
