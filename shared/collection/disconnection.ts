// Disconnection for arrears (欠费停电), 电力供应与使用条例 art. 39 with local rules: a customer may
// be given a disconnection notice (停电通知) once the oldest unpaid bill is more than 30 days
// overdue and an arrears reminder (催费通知单) has been issued; power may then be cut no earlier
// than 7 days after the notice for residents, 3 days for others. The numbers are policy.

import { z } from 'zod';
import type { Fen } from '../money';
import { addDays, daysBetween, type DateString } from '../time';
import { requireCount, requireDate, requireFen } from './guards';
import { field, isResidential, type CustomerClass } from './types';

const count = z.number().int().min(0);

export const disconnectionPolicySchema = z.object({
  /** Eligible only when overdue by more than this many days (超过30天). */
  overdueDaysMoreThan: count,
  /** Days from the notice to the earliest disconnection for residents (居民提前7天). */
  residentialNoticeDays: count,
  /** The same for every other class (其他用户提前3天书面通知). */
  otherNoticeDays: count,
});
export type DisconnectionPolicy = z.infer<typeof disconnectionPolicySchema>;

export const DEFAULT_DISCONNECTION_POLICY: Readonly<DisconnectionPolicy> = Object.freeze({
  overdueDaysMoreThan: 30,
  residentialNoticeDays: 7,
  otherNoticeDays: 3,
});

function validateDisconnectionPolicy(policy: DisconnectionPolicy): void {
  requireCount(policy.overdueDaysMoreThan, field('overdueDaysMoreThan'));
  requireCount(policy.residentialNoticeDays, field('residentialNoticeDays'));
  requireCount(policy.otherNoticeDays, field('otherNoticeDays'));
}

/** A customer's arrears as the disconnection check needs them. */
export interface ArrearsCase {
  customerClass: CustomerClass;
  /** Due date of the oldest bill with principal still unpaid. */
  oldestDueDate: DateString;
  /** Unpaid electricity charges (principal). */
  arrearsFen: Fen;
  /** When the arrears reminder (催费通知单) was issued, if it was. */
  reminderDate?: DateString | null;
}

export type DisconnectionBlock = 'no_arrears' | 'not_overdue_long_enough' | 'not_reminded';

export interface DisconnectionCheck {
  eligible: boolean;
  /** Days since the oldest due date (0 when not yet due). */
  daysOverdue: number;
  /** Why a notice may not be issued yet; empty when eligible. */
  blocks: DisconnectionBlock[];
  /** Earliest disconnection date if the notice is issued today; absent when not eligible. */
  earliestDisconnectionDate?: DateString;
}

/** Notice period in days for the customer's class. */
export function noticeDays(customerClass: CustomerClass, policy: DisconnectionPolicy = DEFAULT_DISCONNECTION_POLICY): number {
  validateDisconnectionPolicy(policy);
  return isResidential(customerClass) ? policy.residentialNoticeDays : policy.otherNoticeDays;
}

/**
 * First day power may be cut after a notice given on `noticeDate`: the notice date plus the
 * notice days (a resident noticed on 1 March may be cut from 8 March).
 */
export function earliestDisconnectionDate(
  customerClass: CustomerClass,
  noticeDate: DateString,
  policy: DisconnectionPolicy = DEFAULT_DISCONNECTION_POLICY,
): DateString {
  requireDate(noticeDate, field('noticeDate'));
  return addDays(noticeDate, noticeDays(customerClass, policy));
}

/**
 * May a disconnection notice be issued on `today`? Needs arrears, the oldest due date more
 * than `overdueDaysMoreThan` days back, and a reminder issued after the due date (a notice
 * sent before the bill was overdue is not a reminder) and no later than today.
 */
export function disconnectionEligibility(
  arrears: ArrearsCase,
  today: DateString,
  policy: DisconnectionPolicy = DEFAULT_DISCONNECTION_POLICY,
): DisconnectionCheck {
  validateDisconnectionPolicy(policy);
  requireDate(today, field('today'));
  requireDate(arrears.oldestDueDate, field('oldestDueDate'));
  requireFen(arrears.arrearsFen, field('arrearsFen'));
  const daysOverdue = Math.max(0, daysBetween(arrears.oldestDueDate, today));
  const blocks: DisconnectionBlock[] = [];
  if (arrears.arrearsFen === 0) blocks.push('no_arrears');
  if (daysOverdue <= policy.overdueDaysMoreThan) blocks.push('not_overdue_long_enough');
  const reminder = arrears.reminderDate ? requireDate(arrears.reminderDate, field('reminderDate')) : null;
  if (reminder === null || daysBetween(arrears.oldestDueDate, reminder) <= 0 || daysBetween(reminder, today) < 0) {
    blocks.push('not_reminded');
  }
  const eligible = blocks.length === 0;
  return {
    eligible,
    daysOverdue,
    blocks,
    ...(eligible ? { earliestDisconnectionDate: earliestDisconnectionDate(arrears.customerClass, today, policy) } : {}),
  };
}
