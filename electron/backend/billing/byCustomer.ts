import { sql, type SqlFragment } from '../db/sql';

/**
 * `b.customer_id = id` for a query on bills (or bills_in_force) aliased `b`, in the form the
 * index can answer: bills are indexed (period, customer_id) so that a billing run appends to the
 * index (migration 0006), and a customer's bills are found by one probe per period that has
 * bills. A bare `customer_id = ?` would read every bill of the station.
 */
export function billsOfCustomer(customerId: string): SqlFragment {
  return sql`b.period IN (SELECT period FROM bill_periods) AND b.customer_id = ${customerId}`;
}
