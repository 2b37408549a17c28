import type { JobState } from '../../../shared/contract';
import type { Fen } from '../../../shared/money';
import { addDays, shanghaiDate } from '../../../shared/time';
import type { Actor, Unit } from '../audit/record';
import type { Backend } from '../context';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { notFound, refuse } from '../errors';
import { postBillCharge, recordIssues, runIssuedHooks, type IssuedBill } from './ledger';
import { billingPolicy } from './tariffs';

// Review before issue (核算审核) and issue (发行). A draft bill with exception flags goes to issue
// only after a billing clerk reviewed it; a wrong draft is voided and billed again by the next
// run once its reading is corrected. Issuing posts the charge to the ledger with the due date of
// the billing policy in force on the issue day (default 15 days).

interface BillState {
  id: string;
  bill_no: string;
  customer_id: string;
  period: string;
  total_fen: number;
  in_force: number;
  issued: number;
  voided: number;
  flagged: number;
  reviewed: number;
}

export function billState(db: ReadableDB, billId: string): BillState {
  const row = db.get<BillState>(sql`
    SELECT b.id, b.bill_no, b.customer_id, b.period, b.total_fen,
           EXISTS (SELECT 1 FROM bills_in_force f WHERE f.id = b.id) AS in_force,
           EXISTS (SELECT 1 FROM bill_issues i WHERE i.bill_id = b.id) AS issued,
           EXISTS (SELECT 1 FROM bill_voids v WHERE v.bill_id = b.id) AS voided,
           EXISTS (SELECT 1 FROM bill_flags g WHERE g.bill_id = b.id) AS flagged,
           EXISTS (SELECT 1 FROM bill_reviews r WHERE r.bill_id = b.id) AS reviewed
    FROM bills b WHERE b.id = ${billId}`);
  if (!row) throw notFound(`bill ${billId}`);
  return row;
}

function requireDraft(bill: BillState): void {
  if (bill.issued) throw refuse('billing.alreadyIssued', { billNo: bill.bill_no }, 'conflict');
  if (!bill.in_force) throw refuse('billing.notInForce', { billNo: bill.bill_no }, 'conflict');
}

/** A billing clerk looked at a flagged draft and lets it go to issue. */
export function reviewBill(unit: Unit, billId: string, note: string): void {
  const bill = billState(unit, billId);
  requireDraft(bill);
  if (!bill.flagged) throw refuse('billing.notFlagged', { billNo: bill.bill_no }, 'conflict');
  const id = uuidv7(unit.at);
  unit.run(sql`INSERT INTO bill_reviews (id, bill_id, note, reviewed_by, reviewed_at) VALUES (${id}, ${billId}, ${note}, ${unit.actor.staffId}, ${unit.at})`);
  unit.record({
    action: 'bill.review',
    entity: 'bill_review',
    entityId: id,
    op: 'insert',
    summary: { billNo: bill.bill_no, note },
    payload: { id, billId, note, reviewedBy: unit.actor.staffId, reviewedAt: unit.at },
  });
}

/** Withdraws a draft before issue; the customer is billed again by the next run. */
export function voidBill(unit: Unit, billId: string, reason: string): void {
  const bill = billState(unit, billId);
  requireDraft(bill);
  unit.run(sql`INSERT INTO bill_voids (bill_id, reason, voided_by, voided_at) VALUES (${billId}, ${reason}, ${unit.actor.staffId}, ${unit.at})`);
  unit.record({
    action: 'bill.void',
    entity: 'bill_void',
    entityId: billId,
    op: 'insert',
    summary: { billNo: bill.bill_no, reason },
    payload: { billId, reason, voidedBy: unit.actor.staffId, voidedAt: unit.at },
  });
}

/** The due date of a bill issued at `at`: the policy's days after the issue day (Asia/Shanghai). */
export function dueDateFor(db: ReadableDB, at: number): string {
  const day = shanghaiDate(at);
  return addDays(day, billingPolicy(db, day).dueDays);
}

export interface IssueResult {
  issued: number;
  totalFen: Fen;
  /** Flagged drafts not reviewed yet: not issued. */
  held: number;
  dueDate: string;
}

/**
 * Issues the drafts of a period (or book) in one transaction, then runs the on-issue hooks.
 * `issuedAt` back-dates the issue (the demo station's history); the office always issues now.
 * `limit` issues at most that many drafts (the first in book order) and leaves the rest for the
 * next call: the demo builder issues a month a few hundred bills per transaction, calling until
 * fewer than the limit were issued (issue 18). The office's issue has no limit (all or nothing).
 */
export function issueDrafts(unit: Unit, scope: { period: string; bookId?: string | undefined }, issuedAt: number = unit.at, limit?: number): IssueResult {
  const dueDate = dueDateFor(unit, issuedAt);
  const inScope = sql`b.period = ${scope.period} ${scope.bookId ? sql`AND b.book_id = ${scope.bookId}` : sql``}`;
  const heldDraft = sql`(EXISTS (SELECT 1 FROM bill_flags g WHERE g.bill_id = b.id) AND NOT EXISTS (SELECT 1 FROM bill_reviews r WHERE r.bill_id = b.id))`;
  const drafts = unit.all<{ id: string; bill_no: string; customer_id: string; period: string; total_fen: number; held: number }>(sql`
    SELECT b.id, b.bill_no, b.customer_id, b.period, b.total_fen, ${heldDraft} AS held
    FROM bills_in_force b
    WHERE ${inScope}
      AND NOT EXISTS (SELECT 1 FROM bill_issues i WHERE i.bill_id = b.id)
      ${limit === undefined ? sql`` : sql`AND NOT ${heldDraft}`}
    ORDER BY b.book_id, b.book_seq, b.bill_no
    ${limit === undefined ? sql`` : sql`LIMIT ${limit}`}`);
  const issued: IssuedBill[] = [];
  let held = 0;
  for (const d of drafts) {
    if (d.held) {
      held += 1;
      continue;
    }
    issued.push(postBillCharge(unit, { id: d.id, billNo: d.bill_no, customerId: d.customer_id, period: d.period, totalFen: d.total_fen }, dueDate, issuedAt));
  }
  if (limit !== undefined && drafts.length < limit) {
    // The held drafts were left out of the limited choice: the last call of the loop (fewer than
    // the limit issued) counts them from the flags (a few per cent of the bills); the calls before it say 0.
    held = unit.value<number>(sql`
      SELECT count(DISTINCT b.id) FROM bill_flags g JOIN bills_in_force b ON b.id = g.bill_id
      WHERE ${inScope} AND NOT EXISTS (SELECT 1 FROM bill_reviews r WHERE r.bill_id = b.id)
        AND NOT EXISTS (SELECT 1 FROM bill_issues i WHERE i.bill_id = b.id)`) ?? 0;
  }
  recordIssues(unit, issued);
  runIssuedHooks(unit, issued);
  return { issued: issued.length, totalFen: issued.reduce((s, b) => s + b.totalFen, 0), held, dueDate };
}

export function startIssue(backend: Backend, actor: Actor, scope: { period: string; bookId?: string | undefined }): JobState {
  return backend.jobs.start('billing.issue', actor.staffId, async (progress) => {
    await progress.tick(0, 1);
    const result = backend.write(actor, (unit) => issueDrafts(unit, scope));
    await progress.tick(1, 1);
    return result;
  });
}
