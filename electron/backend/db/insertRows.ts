// Many rows in few statements: bulk work (an import's commit, the demo station) writes tens of
// thousands of rows, and one multi-row INSERT per few hundred rows costs far less than a
// statement per row (one call into SQLite, one statement to step). Each chunk size is one cached
// prepared statement, and there are few sizes: the full chunk and powers of two.
import { sql, type SqlArg, type SqlFragment } from './sql';
import type { WritableDB } from './store';

/** Bound values per statement: well below SQLite's limit of 32,766, and enough to amortise a call. */
const VALUES_PER_STATEMENT = 8000;

/**
 * `into` is the statement up to VALUES (sql`INSERT INTO t (a, b)`); each row gives its values in
 * that order; `suffix` follows the values (sql` ON CONFLICT DO NOTHING`).
 */
export function insertRows(tx: WritableDB, into: SqlFragment, rows: readonly (readonly SqlArg[])[], suffix: SqlFragment = sql``): void {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(VALUES_PER_STATEMENT / (rows[0] as readonly SqlArg[]).length));
  // Full chunks, then what is left in chunks of powers of two (issue 18): a job writing in slices
  // of varying sizes would otherwise prepare a new statement for every slice's remainder (preparing
  // a few hundred rows' statement costs more than running it), inside its write transaction.
  let i = 0;
  while (i < rows.length) {
    const left = rows.length - i;
    const size = left >= perStatement ? perStatement : 2 ** Math.floor(Math.log2(left));
    tx.run(sql`${into} VALUES ${sql.rows(rows.slice(i, i + size))}${suffix}`);
    i += size;
  }
}
