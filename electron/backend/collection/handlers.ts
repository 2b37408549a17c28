import { hasPermission } from '../../../shared/permissions';
import { shanghaiDate } from '../../../shared/time';
import { sql } from '../db/sql';
import { refuse } from '../errors';
import type { Call, HandlerGroup } from '../handler';
import { verifyApprover } from './approver';
import { arrearsFilters, arrearsList, arrearsTotals, issueNotice, issueReminders, noticeView, reminderBatch } from './arrears';
import { counterBalance, findCustomer } from './balance';
import { closeDay, closingReport, dayView, listClosings, signOffClosing, stationDay } from './closing';
import { arrearsWorkbook, closingWorkbook } from './exports';
import { listPayments, postPayment, type Backdating, type Clerk } from './payments';
import './hooks';
import { receiptView, recordPrint } from './receipts';
import { approveReversal, listReversals, rejectReversal, requestReversal } from './reversals';
import { waivePenalty } from './waivers';

// Who is who at the counter. The clerk is the logged-in staff member whose drawer takes the
// money; the CLI operator acts for the station but has no drawer, so clerk actions need --staff.

function clerkOf(call: Call): Clerk {
  if (!call.staff) throw refuse('collection.noClerk');
  return { id: call.staff.id, staffNo: call.staff.staffNo, name: call.staff.name };
}

/** The station head in their own session (approving from the queue, signing off). */
function headOf(call: Call): Clerk {
  if (!call.staff) throw refuse('collection.needsHead', {}, 'forbidden');
  return clerkOf(call);
}

/** Whether the caller sees every clerk's days (the station head, the station's operator). */
function seesAllClerks(call: Call): boolean {
  return call.staff === null || hasPermission(call.staff.roles, 'collection.approve');
}

function staffClerk(call: Call, staffId: string): Clerk {
  const row = call.backend.store.read.get<Clerk>(sql`SELECT id, staff_no AS staffNo, name FROM staff WHERE id = ${staffId}`);
  if (!row) throw refuse('error.not_found', { what: staffId }, 'not_found');
  return row;
}

export const collectionHandlers = {
  'collection.balance': (input, call) => {
    const db = call.backend.store.read;
    const takesMoney = call.staff !== null && hasPermission(call.staff.roles, 'collection.pay');
    return counterBalance(db, findCustomer(db, input), call.backend.now(), takesMoney ? (call.staff?.id ?? null) : null, input.asOf);
  },
  'collection.pay': async (input, call) => {
    const clerk = clerkOf(call);
    const station = call.backend.requireStation();
    let backdating: Backdating | undefined;
    const today = shanghaiDate(call.backend.now());
    if (input.payDate !== undefined && input.payDate !== today) {
      if (input.payDate > today) throw refuse('balance.payFuture', { date: input.payDate, today });
      // The station head backdates in their own session, or approves a clerk's with their login.
      const head = call.staff && hasPermission(call.staff.roles, 'collection.approve') && !input.approver ? clerk : input.approver ? await verifyApprover(call.backend, input.approver) : undefined;
      if (!head) throw refuse('balance.backdateNeedsHead', { date: input.payDate }, 'forbidden');
      backdating = { payDate: input.payDate, approvedBy: { id: head.id, staffNo: head.staffNo, name: head.name } };
    }
    return call.backend.write(call.actor, (unit) => postPayment(unit, station.code, input, clerk, backdating));
  },
  'collection.receipt': (input, call) => {
    const station = call.backend.requireStation();
    const copyNo = input.print ? call.backend.write(call.actor, (unit) => recordPrint(unit, input.receiptNo)) : null;
    return receiptView(call.backend.store.read, station, input.receiptNo, copyNo);
  },
  'collection.payments': (input, call) => {
    const where = input.receiptNo
      ? sql`p.receipt_no = ${input.receiptNo.toUpperCase()}`
      : input.customerId
        ? sql`p.customer_id = ${input.customerId}`
        : seesAllClerks(call)
          ? sql`1 = 1`
          : sql`p.clerk_id = ${clerkOf(call).id}`;
    return { rows: listPayments(call.backend.store.read, where, sql`p.receipt_seq DESC`, input.limit) };
  },

  'collection.requestReversal': async (input, call) => {
    const head = input.approver ? await verifyApprover(call.backend, input.approver, { by: call.actor, via: 'collection.requestReversal' }) : null;
    const requester = call.staff ? clerkOf(call) : null;
    return call.backend.write(call.actor, (unit) => {
      const requestId = requestReversal(unit, input.receiptNo, input.reason, requester);
      if (!head) return { requestId, status: 'pending' as const };
      approveReversal(unit, requestId, head);
      return { requestId, status: 'approved' as const };
    });
  },
  'collection.reversals': (input, call) => ({ rows: listReversals(call.backend.store.read, input.status, input.limit) }),
  'collection.decideReversal': (input, call) => {
    const head = headOf(call);
    return call.backend.write(call.actor, (unit) => {
      if (input.approve) approveReversal(unit, input.requestId, head, input.note ?? '');
      else rejectReversal(unit, input.requestId, head, input.note ?? '');
      return { status: input.approve ? ('approved' as const) : ('rejected' as const) };
    });
  },

  'collection.waivePenalty': async (input, call) => {
    let head: Clerk;
    if (input.approver) head = await verifyApprover(call.backend, input.approver, { by: call.actor, via: 'collection.waivePenalty' });
    else if (call.staff && hasPermission(call.staff.roles, 'collection.approve')) head = clerkOf(call);
    else throw refuse('collection.waiverNeedsHead', {}, 'forbidden');
    const requestedBy = call.staff && call.staff.id !== head.id ? call.staff.id : null;
    return call.backend.write(call.actor, (unit) => waivePenalty(unit, input.billId, input.reason, input.whole, head, requestedBy));
  },

  'collection.day': (input, call) => {
    const clerk = input.staffId && input.staffId !== call.staff?.id ? staffClerk(call, input.staffId) : clerkOf(call);
    if (clerk.id !== call.staff?.id && !seesAllClerks(call)) throw refuse('collection.otherClerksDay', {}, 'forbidden');
    const today = shanghaiDate(call.backend.now());
    return dayView(call.backend.store.read, clerk, input.businessDate ?? today, today);
  },
  'collection.stationDay': (input, call) => {
    const today = shanghaiDate(call.backend.now());
    return stationDay(call.backend.store.read, call.backend.requireStation(), input.businessDate ?? today, today);
  },
  'collection.closeDay': async (input, call) => {
    const clerk = clerkOf(call);
    const signer = input.approver ? await verifyApprover(call.backend, input.approver, { by: call.actor, via: 'collection.closeDay' }) : null;
    return call.backend.write(call.actor, (unit) => closeDay(unit, clerk, input, signer));
  },
  'collection.closings': (input, call) => {
    const where = [sql`1 = 1`];
    if (input.businessDate) where.push(sql`d.business_date = ${input.businessDate}`);
    if (!seesAllClerks(call)) where.push(sql`d.clerk_id = ${clerkOf(call).id}`);
    else if (input.staffId) where.push(sql`d.clerk_id = ${input.staffId}`);
    if (input.awaitingSignOff) where.push(sql`d.difference_fen <> 0 AND NOT EXISTS (SELECT 1 FROM closing_signoffs so WHERE so.closing_id = d.id)`);
    return { rows: listClosings(call.backend.store.read, sql.join(where, sql` AND `), input.limit) };
  },
  'collection.closing': (input, call) => {
    const report = closingReport(call.backend.store.read, call.backend.requireStation(), input.closingId);
    if (report.clerk.id !== call.staff?.id && !seesAllClerks(call)) throw refuse('collection.otherClerksDay', {}, 'forbidden');
    return report;
  },
  'collection.signOffClosing': (input, call) => {
    const head = headOf(call);
    return call.backend.write(call.actor, (unit) => signOffClosing(unit, input.closingId, head, input.note ?? ''));
  },
  'collection.exportClosing': async (input, call) => {
    const report = closingReport(call.backend.store.read, call.backend.requireStation(), input.closingId);
    if (report.clerk.id !== call.staff?.id && !seesAllClerks(call)) throw refuse('collection.otherClerksDay', {}, 'forbidden');
    return await closingWorkbook(report, call.locale);
  },

  'arrears.filters': (_input, call) => arrearsFilters(call.backend.store.read),
  'arrears.list': async (input, call) => {
    const asOf = shanghaiDate(call.backend.now());
    const { limit, offset, ...filter } = input;
    const cases = await arrearsList(call.backend.store.read, asOf, filter);
    return {
      asOf,
      rows: cases.slice(offset, offset + limit),
      total: cases.length,
      ...arrearsTotals(cases),
    };
  },
  'arrears.export': async (input, call) => {
    const asOf = shanghaiDate(call.backend.now());
    return await arrearsWorkbook(await arrearsList(call.backend.store.read, asOf, input), asOf, call.locale);
  },
  'arrears.remind': (input, call) =>
    call.backend.write(call.actor, (unit) => issueReminders(unit, { bookId: input.bookId, customerIds: input.customerIds }, input.payWithinDays)),
  'arrears.reminders': (input, call) => reminderBatch(call.backend.store.read, call.backend.requireStation(), input.batchId),
  'arrears.issueNotice': (input, call) => ({ noticeId: call.backend.write(call.actor, (unit) => issueNotice(unit, input.customerId)) }),
  'arrears.notice': (input, call) => noticeView(call.backend.store.read, call.backend.requireStation(), input.noticeId),
} satisfies HandlerGroup;
