// The customer list (客户列表): filtered by place, transformer area, class, status and reading
// book, in account-number order, read a page at a time (the UI scrolls a virtual list).
import type { CustomerFilter, CustomerSummary } from '../../../shared/contract';
import { sql, type SqlFragment } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { summariesOf } from './rows';
import { searchCustomers } from './search';

export function filterWhere(filter: CustomerFilter): SqlFragment {
  const where = [sql`1 = 1`];
  if (filter.township) where.push(sql`c.township = ${filter.township}`);
  if (filter.village) where.push(sql`c.village = ${filter.village}`);
  if (filter.transformerArea) where.push(sql`c.transformer_area = ${filter.transformerArea}`);
  if (filter.customerClass) where.push(sql`c.customer_class = ${filter.customerClass}`);
  if (filter.status) where.push(sql`c.status = ${filter.status}`);
  if (filter.bookId) {
    where.push(sql`c.id IN (SELECT p.customer_id FROM book_points bp JOIN metering_points p ON p.id = bp.point_id WHERE bp.book_id = ${filter.bookId})`);
  }
  return sql.join(where, sql` AND `);
}

/** A page of the list. With a search query, the ranked hits (at most 50) filtered the same way. */
export function listCustomers(db: ReadableDB, filter: CustomerFilter, offset: number, limit: number): { rows: CustomerSummary[]; total: number } {
  if (filter.query?.trim()) {
    const hits = searchCustomers(db, filter.query, { limit: 50 });
    const allowed = new Set(db.column<string>(sql`SELECT c.id FROM customers c WHERE c.id IN ${sql.list(hits.map((h) => h.id))} AND ${filterWhere(filter)}`));
    const rows = hits.filter((h) => allowed.has(h.id)).map(({ matchedBy: _m, ...line }) => line);
    return { rows: rows.slice(offset, offset + limit), total: rows.length };
  }
  const where = filterWhere(filter);
  const total = db.value<number>(sql`SELECT count(*) FROM customers c WHERE ${where}`) ?? 0;
  const ids = db.column<string>(sql`SELECT c.id FROM customers c WHERE ${where} ORDER BY c.account_no LIMIT ${limit} OFFSET ${offset}`);
  return { rows: summariesOf(db, ids), total };
}

export function filterOptions(db: ReadableDB) {
  const hasBooks = db.value(sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'books'`);
  return {
    places: db.all<{ township: string; village: string }>(sql`SELECT township, village FROM customer_places ORDER BY township, village`),
    transformerAreas: db.column<string>(sql`SELECT DISTINCT transformer_area FROM customers ORDER BY transformer_area`),
    books: hasBooks ? db.all<{ id: string; bookNo: string; name: string }>(sql`SELECT id, book_no AS bookNo, name FROM books WHERE active = 1 ORDER BY book_no`) : [],
  };
}
