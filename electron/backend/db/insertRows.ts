// Many rows in few statements: bulk work (an import's commit, the demo station) writes tens of
// thousands of rows, and one multi-row INSERT per few hundred rows costs far less than a
// statement per row (one call into SQLite, one statement to step). Each chunk size is one cached
// prepared statement.
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
  for (let i = 0; i < rows.length; i += perStatement) {
    tx.run(sql`${into} VALUES ${sql.rows(rows.slice(i, i + perStatement))}${suffix}`);
  }
}
