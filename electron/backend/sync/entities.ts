/**
 * Which outbox entries are references (同步引用) and how the exporter reads their rows.
 *
 * A fact that is insert-only in its own table (triggers refuse UPDATE and DELETE) is the same row
 * when the batch is written as when it was recorded, so its outbox row keeps only (entity, id, op,
 * seq) and the exporter reads the row — with the child rows recorded in the same write — from the
 * table. Everything else (customer files, staff, books, …: mutable records, and any entity not
 * listed here, such as a desk added later) keeps its payload in the outbox, as before.
 *
 * Listed here are the facts that make up nearly all of a station's outbox: readings, bills, bill
 * issues and payments (docs/sync.md "The outbox").
 */
export interface ChildSpec {
  table: string;
  /** The child's column holding the parent's key. */
  column: string;
  /** Another filter on the child rows (SQL over the child's columns), e.g. one entry type. */
  where?: string;
  /** Column whose value keys this child's own children. */
  key?: string;
  /** Sort the children, so a batch is the same bytes every time. */
  orderBy: string;
  children?: ChildSpec[];
}

export interface FactSpec {
  /** The station table holding the fact (the batch row's `entity`). */
  table: string;
  /** Its key column (the outbox's entity_id). */
  key: string;
  children?: ChildSpec[];
}

export const REFERENCED_FACTS: Readonly<Record<string, FactSpec>> = {
  reading: { table: 'readings', key: 'id' },
  bill: {
    table: 'bills',
    key: 'id',
    children: [
      { table: 'bill_lines', column: 'bill_id', orderBy: 'line_no' },
      { table: 'bill_readings', column: 'bill_id', orderBy: 'reading_id' },
      { table: 'bill_flags', column: 'bill_id', orderBy: 'code' },
    ],
  },
  bill_issue: {
    table: 'bill_issues',
    key: 'bill_id',
    children: [{ table: 'ledger_entries', column: 'bill_id', where: `entry_type = 'bill'`, orderBy: 'id' }],
  },
  payment: {
    table: 'payments',
    key: 'id',
    children: [
      {
        table: 'settlements',
        column: 'payment_id',
        key: 'id',
        orderBy: 'id',
        children: [{ table: 'settlement_lines', column: 'settlement_id', orderBy: 'line_no' }],
      },
      { table: 'ledger_entries', column: 'ref_id', orderBy: 'id' },
    ],
  },
};

/** True when an outbox entry of this entity and op needs no payload: the exporter reads the row. */
export function isReferencedFact(entity: string, op: string): boolean {
  return op === 'insert' && Object.hasOwn(REFERENCED_FACTS, entity);
}

/**
 * Restore rows (重建行): what a batch carries, beside a recorded change, so head office can send a
 * replaced PC its station back (docs/sync.md "Bootstrap"). For each outbox row of these entities
 * (payload kept), the exporter adds `children`: the record's row as stored in `table` when the batch
 * is written — read in the export's one read transaction, so a batch is one consistent picture and
 * the same range re-exported is the same bytes — and its child rows. A head office journals
 * `children` as it is and sends it back in a bootstrap file; the station puts the rows back.
 *
 * Columns in `omit` never travel: staff password hashes stay on the station (a restored staff
 * member sets a new password), and the lock-out counters change without an outbox row, so they
 * would make a re-export differ.
 */
export interface RestoreSpec {
  table: string;
  key: string;
  /** The record's row can change (upsert on restore); false: insert-only (kept if there). */
  mutable: boolean;
  omit?: readonly string[];
  children?: (ChildSpec & { replace: boolean })[];
}

export const STAFF_SECRET_COLUMNS = ['password_hash', 'password_salt', 'password_params', 'must_change_password', 'failed_attempts', 'locked_until', 'locked_by', 'locked_via', 'updated_at'] as const;

export const RESTORE_ROWS: Readonly<Record<string, RestoreSpec>> = {
  station: { table: 'station', key: 'id', mutable: true },
  staff: { table: 'staff', key: 'id', mutable: true, omit: STAFF_SECRET_COLUMNS, children: [{ table: 'staff_roles', column: 'staff_id', orderBy: 'role', replace: true }] },
  customer: { table: 'customers', key: 'id', mutable: true },
  metering_point: { table: 'metering_points', key: 'id', mutable: true },
  meter: { table: 'meters', key: 'id', mutable: true },
  book: { table: 'books', key: 'id', mutable: true, children: [{ table: 'book_points', column: 'book_id', orderBy: 'seq, point_id', replace: true }] },
  reading_period: { table: 'reading_periods', key: 'period', mutable: true },
  reversal_request: { table: 'reversal_requests', key: 'id', mutable: true, children: [{ table: 'reversal_rejections', column: 'request_id', orderBy: 'request_id', replace: false }] },
  payment_reversal: { table: 'payment_reversals', key: 'id', mutable: false, children: [{ table: 'ledger_entries', column: 'ref_id', orderBy: 'id', replace: false }] },
  penalty_waiver: { table: 'penalty_waivers', key: 'id', mutable: true, children: [{ table: 'ledger_entries', column: 'ref_id', orderBy: 'id', replace: false }] },
  day_closing: { table: 'day_closings', key: 'id', mutable: true, children: [{ table: 'closing_signoffs', column: 'closing_id', orderBy: 'closing_id', replace: false }] },
};
