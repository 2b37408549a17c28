import { sql } from '../db/sql';
import type { Invariant } from '../invariants';

// What must always hold in the billing tables (checked by `griddesk check`).
export const billingInvariants: Invariant[] = [
  {
    name: 'bill totals',
    check: ({ store }) =>
      store.read
        .all<{ bill_no: string; total_fen: number; lines: number | null }>(sql`
          SELECT b.bill_no, b.total_fen, (SELECT sum(l.amount_fen) FROM bill_lines l WHERE l.bill_id = b.id) AS lines
          FROM bills b WHERE b.total_fen <> coalesce((SELECT sum(l.amount_fen) FROM bill_lines l WHERE l.bill_id = b.id), 0)
          LIMIT 20`)
        .map((r) => `bill ${r.bill_no}: total ${r.total_fen} fen but its lines add up to ${r.lines ?? 0} fen`),
  },
  {
    name: 'issued bills on the ledger',
    check: ({ store }) =>
      store.read
        .all<{ bill_no: string; total_fen: number; charged: number | null; entries: number }>(sql`
          SELECT b.bill_no, b.total_fen, sum(e.amount_fen) AS charged, count(e.id) AS entries
          FROM bills b JOIN bill_issues i ON i.bill_id = b.id
          LEFT JOIN ledger_entries e ON e.bill_id = b.id AND e.entry_type = 'bill'
          GROUP BY b.id HAVING entries <> 1 OR charged <> b.total_fen
          LIMIT 20`)
        .map((r) => `issued bill ${r.bill_no} (${r.total_fen} fen) has ${r.entries} ledger charge(s) totalling ${r.charged ?? 0} fen; expected one of ${r.total_fen}`),
  },
  {
    name: 'one bill per customer and period',
    check: ({ store }) =>
      store.read
        .all<{ account_no: string; period: string; n: number }>(sql`
          SELECT c.account_no, b.period, count(*) AS n FROM bills_in_force b JOIN customers c ON c.id = b.customer_id
          GROUP BY b.period, b.customer_id HAVING n > 1 LIMIT 20`)
        .map((r) => `customer ${r.account_no} has ${r.n} bills in force for ${r.period}`),
  },
  {
    // A customer's bills are found through bill_periods (migration 0006): a bill of an unlisted
    // period would be missing from the customer's page and from what the counter collects.
    name: 'bill periods listed',
    check: ({ store }) =>
      store.read
        .all<{ period: string; n: number }>(sql`
          SELECT period, count(*) AS n FROM bills WHERE period NOT IN (SELECT period FROM bill_periods) GROUP BY period LIMIT 20`)
        .map((r) => `${r.n} bill(s) of ${r.period}, a period missing from bill_periods: the customers' pages and the counter do not see them`),
  },
  {
    name: 'corrections credited',
    check: ({ store }) =>
      store.read
        .all<{ bill_no: string; total_fen: number; credit: number | null }>(sql`
          SELECT b.bill_no, b.total_fen, e.amount_fen AS credit
          FROM bill_correction_decisions d
          JOIN bill_corrections c ON c.id = d.correction_id
          JOIN bills b ON b.id = c.bill_id
          LEFT JOIN ledger_entries e ON e.id = d.credit_entry_id
          WHERE d.decision = 'approved' AND (e.amount_fen IS NULL OR e.amount_fen <> -b.total_fen)
          LIMIT 20`)
        .map((r) => `corrected bill ${r.bill_no} (${r.total_fen} fen) was credited ${r.credit ?? 'nothing'}; expected ${-r.total_fen}`),
  },
];
