import { totalDue } from '../../../shared/collection';
import type { CounterBalanceView, CounterCustomer } from '../../../shared/contract/collection';
import { shanghaiDate } from '../../../shared/time';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { refuse } from '../errors';
import { loadAccount } from './account';
import { currentBusinessDate } from './days';
import { listPayments } from './payments';
import { counterPolicyOn, penaltyPolicyOn } from './policy';
import { customerAddress } from './receipts';

// The counter balance (柜台应缴): what the customer owes today, bill by bill.

interface CustomerDbRow {
  id: string;
  account_no: string;
  name: string;
  phone: string;
  township: string;
  village: string;
  address_detail: string;
  transformer_area: string;
  customer_class: CounterCustomer['customerClass'];
  status: string;
}

export function findCustomer(db: ReadableDB, by: { customerId?: string | undefined; accountNo?: string | undefined }): CounterCustomer {
  if (!by.customerId && !by.accountNo) throw refuse('collection.customerRequired');
  const row = db.get<CustomerDbRow>(sql`
    SELECT id, account_no, name, phone, township, village, address_detail, transformer_area, customer_class, status
    FROM customers WHERE ${by.customerId ? sql`id = ${by.customerId}` : sql`account_no = ${by.accountNo ?? ''}`}`);
  if (!row) throw refuse('collection.customerNotFound', { what: by.accountNo ?? by.customerId ?? '' }, 'not_found');
  return {
    id: row.id,
    accountNo: row.account_no,
    name: row.name,
    phone: row.phone,
    address: customerAddress(row),
    village: row.village,
    transformerArea: row.transformer_area,
    customerClass: row.customer_class,
    status: row.status,
  };
}

/**
 * The balance on `now` for a customer; `clerkId` (when the caller takes money) gives the day a
 * payment would fall in. `asOf` (today or later) quotes what the customer will owe on the day
 * they plan to pay: penalties run to that day, nothing else changes.
 */
export function counterBalance(db: ReadableDB, customer: CounterCustomer, now: number, clerkId: string | null, asOf?: string): CounterBalanceView {
  const today = shanghaiDate(now);
  if (asOf !== undefined && asOf < today) throw refuse('balance.asOfPast', { date: asOf, today });
  const payDate = asOf ?? today;
  const policy = penaltyPolicyOn(db, payDate);
  const account = loadAccount(db, customer.id, payDate, policy);
  const due = totalDue(account.openBills, payDate, policy, account.prepaidFen);
  return {
    customer,
    payDate,
    businessDate: clerkId ? currentBusinessDate(db, clerkId, payDate) : null,
    bills: due.bills.map((b) => ({
      billId: b.billId,
      billNo: b.billNo,
      period: b.period,
      dueDate: b.dueDate,
      principalFen: b.principalFen,
      penaltyFen: b.penaltyFen,
      totalFen: b.totalFen,
      daysLate: b.penalty.daysLate,
      minimumApplied: b.penalty.minimumApplied,
      penaltyAccruedFen: b.penalty.accruedFen,
      penaltyWaivedFen: b.penalty.waivedFen,
      penaltyWaivedWhole: account.openBills.find((o) => o.billId === b.billId)?.penaltyWaived === true,
    })),
    principalFen: due.principalFen,
    penaltyFen: due.penaltyFen,
    arrearsFen: due.arrearsFen,
    prepaidFen: due.prepaidFen,
    prepaidOffsetFen: due.prepaidOffsetFen,
    totalDueFen: due.totalDueFen,
    ledgerBalanceFen: account.ledgerBalanceFen,
    recentPayments: listPayments(db, sql`p.customer_id = ${customer.id}`, sql`p.receipt_seq DESC`, 5),
    largeTenderOverFen: counterPolicyOn(db, payDate).largeTenderOverFen,
  };
}
