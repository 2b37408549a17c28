import { addDays, type DateString } from '../../../shared/time';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';

/**
 * The clerk's day a payment taken on `today` belongs to (日结): today, unless the clerk has
 * already closed it — then the first day after it they have not closed (takings after the
 * cut-off are kept in the safe and banked next day).
 */
export function currentBusinessDate(db: ReadableDB, clerkId: string, today: DateString): DateString {
  const closed = new Set(
    db.column<string>(sql`SELECT business_date FROM day_closings WHERE clerk_id = ${clerkId} AND business_date >= ${today}`),
  );
  let day = today;
  while (closed.has(day)) day = addDays(day, 1);
  return day;
}
