import { sql } from '../db/sql';
import type { Invariant } from '../invariants';

// What must hold for the collection desk (griddesk check): receipt numbers neither reused nor
// skipped, every payment and reversal in the ledger, every settlement adding up.
export const collectionInvariants: Invariant[] = [
  {
    name: 'receipt numbers',
    check: ({ store }) => {
      const { n, max } = store.read.get<{ n: number; max: number | null }>(sql`SELECT count(*) AS n, max(receipt_seq) AS max FROM payments`) ?? { n: 0, max: null };
      const counter = store.read.value<number>(sql`SELECT value FROM counters WHERE name = 'receipt'`) ?? 0;
      const problems: string[] = [];
      if ((max ?? 0) !== n) problems.push(`${n} payments but the highest receipt number is ${max ?? 0}: receipt numbers are missing`);
      if (counter !== (max ?? 0)) problems.push(`the receipt counter stands at ${counter} but the highest receipt is ${max ?? 0}`);
      return problems;
    },
  },
  {
    name: 'payments in the ledger',
    check: ({ store }) =>
      store.read
        .column<string>(sql`
          SELECT p.receipt_no FROM payments p
          WHERE (SELECT coalesce(sum(l.amount_fen), 0) FROM ledger_entries l WHERE l.ref_id = p.id AND l.entry_type = 'payment') <> -p.amount_fen
             OR (SELECT coalesce(sum(l.amount_fen), 0) FROM ledger_entries l WHERE l.ref_id = p.id AND l.entry_type = 'penalty')
                <> (SELECT coalesce(sum(sl.penalty_fen), 0) FROM settlements s JOIN settlement_lines sl ON sl.settlement_id = s.id WHERE s.payment_id = p.id)
          LIMIT 20`)
        .map((no) => `payment ${no} does not match its ledger entries`),
  },
  {
    name: 'settlements add up',
    check: ({ store }) =>
      store.read
        .column<string>(sql`
          SELECT coalesce(p.receipt_no, 'prepaid draw ' || s.id) FROM settlements s LEFT JOIN payments p ON p.id = s.payment_id
          WHERE coalesce(p.amount_fen, 0) + s.prepaid_used_fen - s.to_prepaid_fen
                <> (SELECT coalesce(sum(sl.penalty_fen + sl.principal_fen), 0) FROM settlement_lines sl WHERE sl.settlement_id = s.id)
          LIMIT 20`)
        .map((what) => `${what}: what it settled does not add up to the money applied`),
  },
  {
    name: 'reversals in the ledger',
    check: ({ store }) =>
      store.read
        .column<string>(sql`
          SELECT p.receipt_no FROM payment_reversals r JOIN payments p ON p.id = r.payment_id
          WHERE (SELECT coalesce(sum(l.amount_fen), 0) FROM ledger_entries l WHERE l.ref_id = r.id AND l.entry_type = 'payment_reversal') <> p.amount_fen
          LIMIT 20`)
        .map((no) => `the reversal of ${no} does not match its ledger entry`),
  },
];
