import { hasPermission } from '../../../shared/permissions';
import { AppError } from '../errors';
import type { CallStaff } from '../handler';

// Row-level rules of the reading desk (the channel's permission is checked by dispatch first):
// a meter reader enters and imports readings only in the books assigned to them; whoever
// manages books may enter in any book; a closed period takes only a reviewer's correction.
// `staff` is null for the local operator (the CLI without --staff), who may do anything.

export interface EntryActor {
  staff: CallStaff | null;
  /** Entering as a reviewer (the review channel's correction). */
  asReviewer?: boolean;
}

export function mayEnterInBook(actor: EntryActor, readerId: string | null): boolean {
  const { staff } = actor;
  if (!staff) return true;
  if (actor.asReviewer && hasPermission(staff.roles, 'readings.review')) return true;
  if (hasPermission(staff.roles, 'readings.manage')) return true;
  return readerId !== null && readerId === staff.id;
}

export function assertMayEnterInBook(actor: EntryActor, book: { readerId: string | null; bookNo: string }): void {
  if (!mayEnterInBook(actor, book.readerId)) throw new AppError('forbidden', 'reading.notYourBook', { bookNo: book.bookNo });
}

/** In a closed period only a correction by a reviewer (or the local operator) is taken. */
export function mayCorrectClosedPeriod(actor: EntryActor): boolean {
  return actor.staff === null || hasPermission(actor.staff.roles, 'readings.review');
}
