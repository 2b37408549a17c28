import type { ReadableDB } from '../db/store';
import type { AppError } from '../errors';

// Extension points for the desks that come after customer files.

/**
 * Checks run before an account is closed (销户). Collection appends one that refuses a non-zero
 * balance (`customers.err.closeBalance`): closing needs every bill paid and any prepayment
 * refunded. Each returns the refusal, or null to let the closing go on.
 */
export type CloseAccountCheck = (db: ReadableDB, customer: { id: string; accountNo: string }) => AppError | null;

export const closeAccountChecks: CloseAccountCheck[] = [];
