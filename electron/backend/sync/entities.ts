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
