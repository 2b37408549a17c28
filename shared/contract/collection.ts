import { z } from 'zod';
import { CUSTOMER_CLASSES } from '../customers/classes';
import { channel } from './define';
import { passwordSchema } from './platform';

// Counter fee collection (电费收缴) and arrears (欠费催收): the counter balance, payments and
// receipts, reversals (冲正) with approval, penalty waivers, daily closing (日结), the arrears
// list, reminders (催费通知单) and disconnection notices (停电通知). Money is integer fen.

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'collection.badDate' });
const fen = z.number().int();
/** An amount a clerk types: positive, whole fen, at most 100 million yuan. */
const amountFen = z.number().int().min(1, { message: 'collection.amountPositive' }).max(10_000_000_000);
const id = z.string().min(1).max(64);

/** Channels a clerk takes money by (预存扣款 is the system's own, never typed at the counter). */
export const COUNTER_CHANNELS = ['cash', 'card', 'qr', 'transfer'] as const;
export const counterChannelSchema = z.enum(COUNTER_CHANNELS);
export type CounterChannel = z.infer<typeof counterChannelSchema>;

/**
 * The station head's own login typed at the clerk's screen (on-the-spot approval). Checked like a
 * login: wrong passwords count towards the lock-out.
 */
export const approverSchema = z.object({ staffNo: z.string().trim().min(1).max(20), password: passwordSchema });
export type Approver = z.infer<typeof approverSchema>;

const staffRef = z.object({ id: z.string().nullable(), staffNo: z.string(), name: z.string() });

export const counterCustomerSchema = z.object({
  id: z.string(),
  accountNo: z.string(),
  name: z.string(),
  phone: z.string(),
  address: z.string(),
  village: z.string(),
  transformerArea: z.string(),
  customerClass: z.enum(CUSTOMER_CLASSES),
  status: z.string(),
});
export type CounterCustomer = z.infer<typeof counterCustomerSchema>;

export const billDueSchema = z.object({
  billId: z.string(),
  billNo: z.string(),
  period: z.string(),
  dueDate: z.string(),
  principalFen: fen,
  penaltyFen: fen,
  totalFen: fen,
  daysLate: z.number().int(),
  /** The 1-yuan minimum raised this bill's penalty (不足1元按1元). */
  minimumApplied: z.boolean(),
  penaltyAccruedFen: fen,
  penaltyWaivedFen: fen,
  /** The station head waived this bill's whole penalty, including what would still accrue. */
  penaltyWaivedWhole: z.boolean(),
});
export type BillDueView = z.infer<typeof billDueSchema>;

export const paymentStatusSchema = z.enum(['posted', 'reversal_pending', 'reversed']);

export const paymentRowSchema = z.object({
  paymentId: z.string(),
  receiptNo: z.string(),
  postedAt: z.number(),
  payDate: z.string(),
  businessDate: z.string(),
  customerId: z.string(),
  accountNo: z.string(),
  customerName: z.string(),
  amountFen: fen,
  channel: counterChannelSchema,
  clerk: staffRef,
  status: paymentStatusSchema,
});
export type PaymentRow = z.infer<typeof paymentRowSchema>;

export const counterBalanceSchema = z.object({
  customer: counterCustomerSchema,
  /** Penalties are counted to this day (today, Asia/Shanghai). */
  payDate: z.string(),
  /** The caller's day a payment taken now is closed in (after their closing: the next day). */
  businessDate: z.string().nullable(),
  bills: z.array(billDueSchema),
  principalFen: fen,
  penaltyFen: fen,
  arrearsFen: fen,
  /** Prepaid balance held (预存余额). */
  prepaidFen: fen,
  prepaidOffsetFen: fen,
  /** To pay today (应缴合计). */
  totalDueFen: fen,
  /** The ledger balance (> 0 owed, < 0 prepaid); penalties not yet settled are not in it. */
  ledgerBalanceFen: fen,
  recentPayments: z.array(paymentRowSchema),
  /** Counter policy in force: cash more than this over the amount needs a confirmation. */
  largeTenderOverFen: fen,
});
export type CounterBalanceView = z.infer<typeof counterBalanceSchema>;

export const settledLineSchema = z.object({
  billNo: z.string(),
  period: z.string(),
  penaltyFen: fen,
  principalFen: fen,
  daysLate: z.number().int(),
});
export type SettledLine = z.infer<typeof settledLineSchema>;

export const paymentPostedSchema = z.object({
  paymentId: z.string(),
  receiptNo: z.string(),
  customerId: z.string(),
  accountNo: z.string(),
  customerName: z.string(),
  amountFen: fen,
  channel: counterChannelSchema,
  tenderedFen: fen,
  changeFen: fen,
  lines: z.array(settledLineSchema),
  prepaidUsedFen: fen,
  toPrepaidFen: fen,
  balanceBeforeFen: fen,
  balanceAfterFen: fen,
  payDate: z.string(),
  businessDate: z.string(),
  postedAt: z.number(),
  /** True when this key was posted before: nothing new was written (a retry or a double Enter). */
  duplicate: z.boolean(),
});
export type PaymentPosted = z.infer<typeof paymentPostedSchema>;

export const receiptViewSchema = paymentPostedSchema.omit({ duplicate: true }).extend({
  station: z.object({ code: z.string(), name: z.string() }),
  clerk: staffRef,
  address: z.string(),
  reference: z.string(),
  /** 0 for the original print, 1, 2 … for copies (副本); null when only shown, not printed. */
  copyNo: z.number().int().nullable(),
  printCount: z.number().int(),
  reversed: z
    .object({ at: z.number(), reason: z.string(), approvedBy: z.string(), businessDate: z.string() })
    .nullable(),
  reversalPending: z.boolean(),
});
export type ReceiptView = z.infer<typeof receiptViewSchema>;

export const reversalRowSchema = z.object({
  requestId: z.string(),
  paymentId: z.string(),
  receiptNo: z.string(),
  accountNo: z.string(),
  customerName: z.string(),
  amountFen: fen,
  channel: counterChannelSchema,
  postedAt: z.number(),
  paymentClerk: staffRef,
  reason: z.string(),
  requestedBy: z.string(),
  requestedAt: z.number(),
  status: z.enum(['pending', 'approved', 'rejected']),
  decidedBy: z.string().nullable(),
  decidedAt: z.number().nullable(),
  note: z.string(),
});
export type ReversalRow = z.infer<typeof reversalRowSchema>;

export const channelTotalsSchema = z.object({
  channel: z.enum(['cash', 'card', 'qr', 'transfer', 'prepaid']),
  paymentCount: z.number().int(),
  paymentsFen: fen,
  reversalCount: z.number().int(),
  reversalsFen: fen,
  netFen: fen,
});

export const dayReversalSchema = z.object({
  reversalId: z.string(),
  receiptNo: z.string(),
  accountNo: z.string(),
  customerName: z.string(),
  amountFen: fen,
  channel: counterChannelSchema,
  reason: z.string(),
  approvedBy: z.string(),
  approvedAt: z.number(),
  /** The payment was taken on another day (its own closing already counted it). */
  paymentBusinessDate: z.string(),
});

export const closingSummarySchema = z.object({
  closingId: z.string(),
  clerk: staffRef,
  businessDate: z.string(),
  paymentCount: z.number().int(),
  paymentsFen: fen,
  reversalCount: z.number().int(),
  reversalsFen: fen,
  netFen: fen,
  byChannel: z.array(channelTotalsSchema),
  firstReceiptNo: z.string().nullable(),
  lastReceiptNo: z.string().nullable(),
  openingFloatFen: fen,
  expectedCashFen: fen,
  countedCashFen: fen,
  differenceFen: fen,
  reason: z.string(),
  closedAt: z.number(),
  status: z.enum(['balanced', 'awaiting_sign_off', 'signed_off']),
  signedOff: z.object({ by: z.string(), at: z.number(), note: z.string() }).nullable(),
});
export type ClosingSummary = z.infer<typeof closingSummarySchema>;

export const closingReportSchema = closingSummarySchema.extend({
  station: z.object({ code: z.string(), name: z.string() }),
  payments: z.array(paymentRowSchema),
  reversals: z.array(dayReversalSchema),
});
export type ClosingReport = z.infer<typeof closingReportSchema>;

export const dayViewSchema = z.object({
  clerk: staffRef,
  today: z.string(),
  /** The day shown. */
  businessDate: z.string(),
  /** Where a payment taken now goes. */
  currentBusinessDate: z.string(),
  closing: closingSummarySchema.nullable(),
  paymentCount: z.number().int(),
  paymentsFen: fen,
  reversalCount: z.number().int(),
  reversalsFen: fen,
  netFen: fen,
  byChannel: z.array(channelTotalsSchema),
  cashTakingsFen: fen,
  firstReceiptNo: z.string().nullable(),
  lastReceiptNo: z.string().nullable(),
  payments: z.array(paymentRowSchema),
  reversals: z.array(dayReversalSchema),
  /** Earlier days with takings this clerk has not closed yet. */
  unclosedDays: z.array(z.string()),
});
export type DayView = z.infer<typeof dayViewSchema>;

/** The station's day across clerks (全所收费日报): the station head's view of the day. */
export const stationDaySchema = z.object({
  station: z.object({ code: z.string(), name: z.string() }),
  today: z.string(),
  businessDate: z.string(),
  clerks: z.array(
    z.object({
      clerk: staffRef,
      paymentCount: z.number().int(),
      paymentsFen: fen,
      reversalCount: z.number().int(),
      reversalsFen: fen,
      netFen: fen,
      cashTakingsFen: fen,
      byChannel: z.array(channelTotalsSchema),
      firstReceiptNo: z.string().nullable(),
      lastReceiptNo: z.string().nullable(),
      closing: closingSummarySchema.nullable(),
      reversals: z.array(dayReversalSchema),
    }),
  ),
  paymentCount: z.number().int(),
  paymentsFen: fen,
  reversalCount: z.number().int(),
  reversalsFen: fen,
  netFen: fen,
  cashTakingsFen: fen,
  byChannel: z.array(channelTotalsSchema),
  closedCount: z.number().int(),
  unclosedCount: z.number().int(),
  /** Sum of the closed days' differences (counted − expected). */
  differenceFen: fen,
  awaitingSignOff: z.number().int(),
});
export type StationDayView = z.infer<typeof stationDaySchema>;

export const fileSchema = z.object({ fileName: z.string(), base64: z.string() });

export const arrearsFilterSchema = z.object({
  township: z.string().max(40).optional(),
  village: z.string().max(40).optional(),
  transformerArea: z.string().max(40).optional(),
  bookId: z.string().max(64).optional(),
  minDaysOverdue: z.number().int().min(0).optional(),
  minAmountFen: z.number().int().min(0).optional(),
  /** Only accounts a disconnection notice may be issued to (over 30 days and reminded). */
  eligibleOnly: z.boolean().optional(),
});
export type ArrearsFilter = z.infer<typeof arrearsFilterSchema>;

export const arrearsRowSchema = z.object({
  customerId: z.string(),
  accountNo: z.string(),
  name: z.string(),
  phone: z.string(),
  address: z.string(),
  township: z.string(),
  village: z.string(),
  transformerArea: z.string(),
  customerClass: z.enum(CUSTOMER_CLASSES),
  book: z.object({ id: z.string(), bookNo: z.string(), name: z.string() }).nullable(),
  periods: z.array(z.string()),
  principalFen: fen,
  penaltyFen: fen,
  totalFen: fen,
  prepaidFen: fen,
  oldestDueDate: z.string(),
  daysOverdue: z.number().int(),
  lastReminderDate: z.string().nullable(),
  lastNoticeDate: z.string().nullable(),
  /** A disconnection notice may be issued (停电通知), under policy. */
  eligible: z.boolean(),
  blocks: z.array(z.enum(['no_arrears', 'not_overdue_long_enough', 'not_reminded'])),
});
export type ArrearsRow = z.infer<typeof arrearsRowSchema>;

export const reminderViewSchema = z.object({
  reminderId: z.string(),
  accountNo: z.string(),
  name: z.string(),
  address: z.string(),
  phone: z.string(),
  bookNo: z.string().nullable(),
  periods: z.array(z.string()),
  principalFen: fen,
  penaltyFen: fen,
  oldestDueDate: z.string(),
  reminderDate: z.string(),
  payByDate: z.string(),
});

export const noticeViewSchema = z.object({
  noticeId: z.string(),
  station: z.object({ code: z.string(), name: z.string() }),
  accountNo: z.string(),
  name: z.string(),
  address: z.string(),
  customerClass: z.enum(CUSTOMER_CLASSES),
  principalFen: fen,
  penaltyFen: fen,
  oldestDueDate: z.string(),
  daysOverdue: z.number().int(),
  reminderDate: z.string(),
  noticeDate: z.string(),
  earliestDisconnectionDate: z.string(),
  noticeDays: z.number().int(),
  issuedBy: z.string(),
});

export const collectionChannels = {
  /** The counter balance (应缴): open bills by period, penalties to today, prepaid, total due. */
  'collection.balance': channel({
    input: z.object({
      customerId: id.optional(),
      accountNo: z.string().trim().max(32).optional(),
      /** Quote for a later day (today or after): penalties run to that day (CLI `balance --as-of`). */
      asOf: dateSchema.optional(),
    }),
    output: counterBalanceSchema,
    access: 'collection.read',
  }),
  /**
   * Posts a payment (收费): settles penalties and bills oldest first, the rest to prepaid balance,
   * one receipt number. The same idempotency key posted again returns the first payment.
   */
  'collection.pay': channel({
    input: z.object({
      customerId: id,
      amountFen,
      channel: counterChannelSchema,
      /** Cash handed over (现金实收); change = tendered − amount. Cash only. */
      tenderedFen: z.number().int().min(0).max(10_000_000_000).optional(),
      /** Cash more than the counter policy's margin over the amount was confirmed by the clerk. */
      confirmedLargeTender: z.boolean().optional(),
      reference: z.string().trim().max(64).optional(),
      idempotencyKey: z.string().trim().min(8).max(100),
      /** 补录: the day the money was received, before today; the station head's approval (CLI `pay --date`). */
      payDate: dateSchema.optional(),
      approver: approverSchema.optional(),
    }),
    output: paymentPostedSchema,
    access: 'collection.pay',
  }),
  /** A receipt (收据); with `print` the print is recorded and every print after the first is a copy. */
  'collection.receipt': channel({
    input: z.object({ receiptNo: z.string().trim().min(1).max(32), print: z.boolean().optional() }),
    output: receiptViewSchema,
    access: 'collection.read',
  }),
  'collection.payments': channel({
    input: z.object({
      customerId: id.optional(),
      receiptNo: z.string().trim().max(32).optional(),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    output: z.object({ rows: z.array(paymentRowSchema) }),
    access: 'collection.read',
  }),

  /** A clerk asks for a reversal (冲正); with the station head's login typed in, it is approved at once. */
  'collection.requestReversal': channel({
    input: z.object({
      receiptNo: z.string().trim().min(1).max(32),
      reason: z.string().trim().min(2, { message: 'collection.reasonRequired' }).max(200),
      approver: approverSchema.optional(),
    }),
    output: z.object({ requestId: z.string(), status: z.enum(['pending', 'approved']) }),
    access: 'collection.pay',
  }),
  'collection.reversals': channel({
    input: z.object({ status: z.enum(['pending', 'all']).default('pending'), limit: z.number().int().min(1).max(500).default(100) }),
    output: z.object({ rows: z.array(reversalRowSchema) }),
    access: 'collection.read',
  }),
  /** The station head approves or rejects a reversal from the queue. */
  'collection.decideReversal': channel({
    input: z.object({ requestId: id, approve: z.boolean(), note: z.string().trim().max(200).optional() }),
    output: z.object({ status: z.enum(['approved', 'rejected']) }),
    access: 'collection.approve',
  }),

  /**
   * Waives a bill's penalty (违约金减免) with a reason: by the station head in their own session, or
   * at the counter with the station head's login typed in.
   */
  'collection.waivePenalty': channel({
    input: z.object({
      billId: id,
      reason: z.string().trim().min(2, { message: 'collection.reasonRequired' }).max(200),
      whole: z.boolean().default(false),
      approver: approverSchema.optional(),
    }),
    output: z.object({ waivedFen: fen, whole: z.boolean() }),
    access: 'collection.read',
  }),

  /** A clerk's day (own day; the station head may look at anyone's). */
  'collection.day': channel({
    input: z.object({ staffId: id.optional(), businessDate: dateSchema.optional() }),
    output: dayViewSchema,
    access: 'collection.read',
  }),
  /** Every clerk's day at once, for the station head (全所收费日报). */
  'collection.stationDay': channel({
    input: z.object({ businessDate: dateSchema.optional() }),
    output: stationDaySchema,
    access: 'collection.approve',
  }),
  /** Daily closing (日结) of the caller's own day, with the cash counted. */
  'collection.closeDay': channel({
    input: z.object({
      businessDate: dateSchema,
      countedCashFen: z.number().int().min(0).max(10_000_000_000),
      openingFloatFen: z.number().int().min(0).max(10_000_000_000).default(0),
      reason: z.string().trim().max(200).optional(),
      approver: approverSchema.optional(),
    }),
    output: closingSummarySchema,
    access: 'collection.pay',
  }),
  'collection.closings': channel({
    input: z.object({
      businessDate: dateSchema.optional(),
      staffId: id.optional(),
      awaitingSignOff: z.boolean().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ rows: z.array(closingSummarySchema) }),
    access: 'collection.read',
  }),
  /** The daily closing report (日结报表): totals, every receipt and reversal. */
  'collection.closing': channel({
    input: z.object({ closingId: id }),
    output: closingReportSchema,
    access: 'collection.read',
  }),
  'collection.signOffClosing': channel({
    input: z.object({ closingId: id, note: z.string().trim().max(200).optional() }),
    output: closingSummarySchema,
    access: 'collection.approve',
  }),
  'collection.exportClosing': channel({
    input: z.object({ closingId: id }),
    output: fileSchema,
    access: 'collection.read',
  }),

  'arrears.filters': channel({
    input: z.object({}),
    output: z.object({
      townships: z.array(z.string()),
      villages: z.array(z.object({ township: z.string(), village: z.string() })),
      transformerAreas: z.array(z.string()),
      books: z.array(z.object({ id: z.string(), bookNo: z.string(), name: z.string() })),
    }),
    access: 'arrears.read',
  }),
  /** Customers in arrears (欠费清单), with penalties to today and whether a notice may be issued. */
  'arrears.list': channel({
    input: arrearsFilterSchema.extend({
      limit: z.number().int().min(1).max(1000).default(200),
      offset: z.number().int().min(0).default(0),
    }),
    output: z.object({
      asOf: z.string(),
      rows: z.array(arrearsRowSchema),
      total: z.number().int(),
      principalFen: fen,
      penaltyFen: fen,
    }),
    access: 'arrears.read',
  }),
  'arrears.export': channel({ input: arrearsFilterSchema, output: fileSchema, access: 'arrears.read' }),
  /** Issues arrears reminders (催费通知单) to every account in arrears in a book, or to chosen accounts. */
  'arrears.remind': channel({
    input: z.object({
      bookId: id.optional(),
      customerIds: z.array(id).max(5000).optional(),
      payWithinDays: z.number().int().min(1).max(60).default(7),
    }),
    output: z.object({ batchId: z.string(), count: z.number().int() }),
    access: 'arrears.notify',
  }),
  'arrears.reminders': channel({
    input: z.object({ batchId: id }),
    output: z.object({
      station: z.object({ code: z.string(), name: z.string() }),
      batchId: z.string(),
      book: z.object({ bookNo: z.string(), name: z.string() }).nullable(),
      rows: z.array(reminderViewSchema),
    }),
    access: 'arrears.read',
  }),
  /** Issues a disconnection notice (停电通知) to an eligible account. Nothing is cut automatically. */
  'arrears.issueNotice': channel({
    input: z.object({ customerId: id }),
    output: z.object({ noticeId: z.string() }),
    access: 'arrears.notify',
  }),
  'arrears.notice': channel({
    input: z.object({ noticeId: id }),
    output: noticeViewSchema,
    access: 'arrears.read',
  }),
};
