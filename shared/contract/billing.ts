import { z } from 'zod';
import { CUSTOMER_CLASSES } from '../customers/classes';
import { PERIOD_RE } from '../time';
import { channel } from './define';
import { jobStartedSchema } from './platform';

// Tariffs and billing (电价与核算): the tariff catalogue, the billing run, review before issue,
// issue to the ledger, corrections approved by the station head, notices and period totals.
// Amounts are integer fen, quantities integer hundredths (centi), prices decimal strings.

const periodSchema = z.string().regex(PERIOD_RE, { message: 'billing.periodFormat' });
const customerClassSchema = z.enum(CUSTOMER_CLASSES);
const note = z.string().trim().max(200);
const reason = z.string().trim().min(2, { message: 'billing.reasonRequired' }).max(200);

export const billStatusSchema = z.enum(['draft', 'issued', 'voided', 'corrected']);
export type BillStatus = z.infer<typeof billStatusSchema>;

export const billLineSchema = z.object({
  lineNo: z.number(),
  kind: z.string(),
  labelKey: z.string(),
  tier: z.number().nullable(),
  touPeriod: z.string().nullable(),
  /** Hundredths of the unit (kWh, kVA, kW); null for the power-factor line. */
  quantity: z.number().nullable(),
  unit: z.string().nullable(),
  unitPrice: z.string().nullable(),
  amountFen: z.number(),
});
export type BillLineView = z.infer<typeof billLineSchema>;

export const billFlagSchema = z.object({ code: z.string(), params: z.record(z.string(), z.union([z.number(), z.string()])) });
export type BillFlagView = z.infer<typeof billFlagSchema>;

/** What the bill's calculation used beyond its lines (stored with the bill, for explaining it). */
export const billDetailsSchema = z.object({
  tiers: z
    .object({
      basis: z.enum(['monthly', 'annual']),
      bounds: z.tuple([z.number(), z.number()]),
      household: z.enum(['standard', 'multi']),
      tierYearStart: z.string().nullable(),
      months: z.number().nullable(),
      /** kWh (centi) in tiers 1, 2, 3 on this bill. */
      kwh: z.tuple([z.number(), z.number(), z.number()]),
      /** Annual tiers: kWh (centi) billed earlier in the tier year. */
      cumulativeBefore: z.number().nullable(),
    })
    .nullable(),
  touKwh: z.record(z.string(), z.number()).nullable(),
  powerFactor: z
    .object({ value: z.string(), standard: z.string(), percent: z.string(), baseFen: z.number(), kwh: z.number(), kvarh: z.number() })
    .nullable(),
  capacityKva: z.number().nullable(),
  maxDemandKw: z.number().nullable(),
});
export type BillDetails = z.infer<typeof billDetailsSchema>;

export const billRowSchema = z.object({
  id: z.string(),
  billNo: z.string(),
  customerId: z.string(),
  accountNo: z.string(),
  customerName: z.string(),
  customerClass: customerClassSchema,
  period: z.string(),
  kind: z.enum(['regular', 'correction']),
  replacesBillId: z.string().nullable(),
  tariffCode: z.string(),
  tariffEffectiveFrom: z.string(),
  tariffName: z.string(),
  kwh: z.number(),
  totalFen: z.number(),
  status: billStatusSchema,
  flags: z.array(billFlagSchema),
  reviewed: z.boolean(),
  createdAt: z.number(),
  issuedAt: z.number().nullable(),
  dueDate: z.string().nullable(),
  bookNo: z.string().nullable(),
  seq: z.number().nullable(),
  lines: z.array(billLineSchema).optional(),
});
export type BillRow = z.infer<typeof billRowSchema>;

export const billReadingSchema = z.object({
  readingId: z.string(),
  pointId: z.string(),
  pointLabel: z.string(),
  meterNo: z.string(),
  multiplier: z.number(),
  readingDate: z.string(),
  kind: z.string(),
  previousValue: z.number().nullable(),
  value: z.number().nullable(),
  consumption: z.number(),
  touConsumption: z.record(z.string(), z.number()).nullable(),
});
export type BillReading = z.infer<typeof billReadingSchema>;

const staffStamp = z.object({ at: z.number(), staffName: z.string().nullable() });

export const correctionSchema = z.object({
  id: z.string(),
  billId: z.string(),
  billNo: z.string(),
  accountNo: z.string(),
  customerName: z.string(),
  period: z.string(),
  reason: z.string(),
  originalTotalFen: z.number(),
  expectedTotalFen: z.number(),
  requestedAt: z.number(),
  requestedBy: z.string().nullable(),
  status: z.enum(['pending', 'approved', 'rejected']),
  decidedAt: z.number().nullable(),
  decidedBy: z.string().nullable(),
  decisionNote: z.string(),
  newBillId: z.string().nullable(),
  newBillNo: z.string().nullable(),
});
export type Correction = z.infer<typeof correctionSchema>;

export const billDetailSchema = billRowSchema.extend({
  lines: z.array(billLineSchema),
  details: billDetailsSchema,
  readings: z.array(billReadingSchema),
  createdBy: z.string().nullable(),
  reviews: z.array(staffStamp.extend({ note: z.string() })),
  voided: staffStamp.extend({ reason: z.string() }).nullable(),
  issuedBy: z.string().nullable(),
  replacedBy: z.object({ billId: z.string(), billNo: z.string() }).nullable(),
  replaces: z.object({ billId: z.string(), billNo: z.string() }).nullable(),
  corrections: z.array(correctionSchema),
});
export type BillDetail = z.infer<typeof billDetailSchema>;

export const billNoticeSchema = z.object({
  billId: z.string(),
  billNo: z.string(),
  period: z.string(),
  kind: z.enum(['regular', 'correction']),
  /** A correction's notice names the bill it replaces. */
  replacesBillNo: z.string().nullable(),
  accountNo: z.string(),
  customerName: z.string(),
  address: z.string(),
  customerClass: customerClassSchema,
  tariffCode: z.string(),
  tariffName: z.string(),
  bookNo: z.string().nullable(),
  bookName: z.string().nullable(),
  seq: z.number().nullable(),
  readings: z.array(billReadingSchema),
  kwh: z.number(),
  lines: z.array(billLineSchema),
  details: billDetailsSchema,
  totalFen: z.number(),
  /** Balance carried from before this bill (上期结欠; negative = prepaid 预存). */
  arrearsFen: z.number(),
  /** What the customer is asked to pay by the due date (never below zero). */
  amountDueFen: z.number(),
  issuedAt: z.number(),
  dueDate: z.string(),
});
export type BillNotice = z.infer<typeof billNoticeSchema>;

export const tariffVersionRowSchema = z.object({
  code: z.string(),
  effectiveFrom: z.string(),
  name: z.string(),
  customerClass: customerClassSchema,
  /** The validated head-office definition (shared/billing/tariff.ts). */
  definition: z.record(z.string(), z.unknown()),
  importedAt: z.number(),
  importedBy: z.string().nullable(),
  /** The version bills of the current month use. */
  inForce: z.boolean(),
  customers: z.number(),
});
export type TariffVersionRow = z.infer<typeof tariffVersionRowSchema>;

export const billingPolicyRowSchema = z.object({
  effectiveFrom: z.string(),
  dueDays: z.number(),
  highBillFactor: z.string(),
  averageMonths: z.number(),
  paymentChannels: z.array(z.string()),
  importedAt: z.number().nullable(),
  inForce: z.boolean(),
});

const importStatus = z.enum(['new', 'same', 'conflict']);

const countsSchema = z.object({
  /** Metering points due for reading in the period. */
  due: z.number(),
  /** Customers whose readings are all reviewed and billable. */
  ready: z.number(),
  /** Customers still waiting for a reading or its review. */
  waiting: z.number(),
  /** Customers billable but not billed yet (what a run would bill). */
  unbilled: z.number(),
  draft: z.number(),
  issued: z.number(),
  flaggedUnreviewed: z.number(),
  problems: z.number(),
  draftFen: z.number(),
  issuedFen: z.number(),
});
export type BillingCounts = z.infer<typeof countsSchema>;

const problemSchema = z.object({
  customerId: z.string(),
  accountNo: z.string(),
  customerName: z.string(),
  customerClass: customerClassSchema,
  tariffCode: z.string().nullable(),
  bookNo: z.string().nullable(),
  code: z.string(),
  detail: z.string(),
});
export type BillingProblem = z.infer<typeof problemSchema>;

const totalsRow = z.object({ key: z.string(), label: z.string(), bills: z.number(), kwh: z.number(), amountFen: z.number() });
export type BillingTotalsRow = z.infer<typeof totalsRow>;

export const billingChannels = {
  'tariffs.list': channel({
    input: z.object({}),
    output: z.object({ rows: z.array(tariffVersionRowSchema), policies: z.array(billingPolicyRowSchema) }),
    access: 'tariffs.read',
  }),
  /** Checks a head-office tariff file without loading it: every problem, and what is new. */
  'tariffs.check': channel({
    input: z.object({ text: z.string().max(5_000_000) }),
    output: z.object({
      ok: z.boolean(),
      problems: z.array(z.string()),
      tariffs: z.array(z.object({ code: z.string(), effectiveFrom: z.string(), name: z.string(), customerClass: customerClassSchema, status: importStatus })),
      policies: z.array(z.object({ effectiveFrom: z.string(), status: importStatus })),
    }),
    access: 'tariffs.import',
  }),
  /** Loads a tariff file: all of it or nothing; versions already loaded unchanged are skipped. */
  'tariffs.import': channel({
    input: z.object({ text: z.string().max(5_000_000), fileName: z.string().max(260).optional() }),
    output: z.object({ imported: z.number(), unchanged: z.number(), policies: z.number() }),
    access: 'tariffs.import',
  }),

  /** Where a period stands: counts for the station and for each book. */
  'billing.status': channel({
    input: z.object({ period: periodSchema, bookId: z.string().optional() }),
    output: z.object({
      period: z.string(),
      /** The book asked about, else the whole station. */
      totals: countsSchema,
      /** Every book due in the period; ready, waiting and unbilled are filled for the scope asked about only. */
      books: z.array(countsSchema.extend({ bookId: z.string(), bookNo: z.string(), bookName: z.string() })),
      scope: z.string().nullable(),
      lastRunAt: z.number().nullable(),
    }),
    access: 'billing.read',
  }),
  /** 核算: bills every customer of the period (or book) whose readings are reviewed and not billed yet. */
  'billing.run': channel({
    input: z.object({ period: periodSchema, bookId: z.string().optional() }),
    output: jobStartedSchema,
    access: 'billing.run',
  }),
  /** The review list before issue: flagged drafts and customers that could not be billed. */
  'billing.exceptions': channel({
    input: z.object({ period: periodSchema, bookId: z.string().optional() }),
    output: z.object({ bills: z.array(billRowSchema), problems: z.array(problemSchema) }),
    access: 'billing.read',
  }),
  /** Issues the period's (or book's) drafts; flagged drafts not yet reviewed are held back. */
  'billing.issue': channel({
    input: z.object({ period: periodSchema, bookId: z.string().optional() }),
    output: jobStartedSchema,
    access: 'billing.run',
  }),
  /** Reactive energy and maximum demand of a large customer for a period (for 力调 and demand charges). */
  'billing.enterExtras': channel({
    input: z.object({
      period: periodSchema,
      customerId: z.string(),
      kvarh: z.string().regex(/^\d+(\.\d{1,2})?$/, { message: 'billing.quantityFormat' }).optional(),
      maxDemandKw: z.string().regex(/^\d+(\.\d{1,2})?$/, { message: 'billing.quantityFormat' }).optional(),
    }),
    output: z.object({ done: z.literal(true) }),
    access: 'billing.run',
  }),
  /** Totals of the period by book, customer class and tariff. */
  'billing.summary': channel({
    input: z.object({ period: periodSchema }),
    output: z.object({
      period: z.string(),
      byBook: z.array(totalsRow),
      byClass: z.array(totalsRow),
      byTariff: z.array(totalsRow),
      totals: totalsRow,
    }),
    access: 'billing.read',
  }),
  /** The period's totals as an xlsx workbook (base64); for one book, also its bills and lines. */
  'billing.export': channel({
    input: z.object({ period: periodSchema, bookId: z.string().optional() }),
    output: z.object({ fileName: z.string(), base64: z.string() }),
    access: 'billing.read',
  }),
  /** A customer's bills with their lines and the ledger balance (the customer page's section). */
  'billing.customerAccount': channel({
    input: z.object({ customerId: z.string() }),
    output: z.object({
      balanceFen: z.number(),
      bills: z.array(billRowSchema),
      /** The ledger, newest first (bills, credits, and whatever collection posts). */
      ledger: z.array(z.object({ id: z.string(), at: z.number(), entryType: z.string(), amountFen: z.number(), billNo: z.string().nullable(), period: z.string().nullable(), memo: z.string() })),
    }),
    access: 'billing.read',
  }),

  'bills.list': channel({
    input: z.object({
      period: periodSchema.optional(),
      bookId: z.string().optional(),
      customerId: z.string().optional(),
      status: billStatusSchema.optional(),
      flaggedOnly: z.boolean().optional(),
      /** Account number, bill number or name (part of it). */
      search: z.string().trim().max(40).optional(),
      includeLines: z.boolean().optional(),
      limit: z.number().int().min(1).max(200_000).default(200),
      offset: z.number().int().min(0).default(0),
    }),
    output: z.object({ rows: z.array(billRowSchema), total: z.number() }),
    access: 'billing.read',
  }),
  'bills.get': channel({
    input: z.object({ billNo: z.string().trim().min(1).max(40) }),
    output: billDetailSchema,
    access: 'billing.read',
  }),
  /** A billing clerk looked at a flagged draft and lets it go to issue. */
  'bills.review': channel({
    input: z.object({ billId: z.string(), note }),
    output: z.object({ bill: billRowSchema }),
    access: 'billing.run',
  }),
  /** Withdraws a draft before issue (e.g. the reading goes back for correction); the next run bills again. */
  'bills.void': channel({
    input: z.object({ billId: z.string(), reason }),
    output: z.object({ bill: billRowSchema }),
    access: 'billing.run',
  }),
  /** Bill notices (电费通知单) of issued bills: by bill numbers, or a period's book in book order. */
  'bills.notices': channel({
    input: z.object({
      billNos: z.array(z.string()).max(5000).optional(),
      period: periodSchema.optional(),
      bookId: z.string().optional(),
    }),
    output: z.object({
      station: z.object({ code: z.string(), name: z.string() }),
      paymentChannels: z.array(z.string()),
      notices: z.array(billNoticeSchema),
    }),
    access: 'billing.read',
  }),

  /** What a correction would give: the bill recomputed from today's readings and customer file. */
  'corrections.preview': channel({
    input: z.object({ billId: z.string() }),
    output: z.object({
      billNo: z.string(),
      originalTotalFen: z.number(),
      originalLines: z.array(billLineSchema),
      newTotalFen: z.number(),
      newLines: z.array(billLineSchema),
      newKwh: z.number(),
      differenceFen: z.number(),
      tariffCode: z.string(),
      tariffEffectiveFrom: z.string(),
    }),
    access: 'billing.read',
  }),
  'corrections.request': channel({
    input: z.object({ billId: z.string(), reason }),
    output: z.object({ correction: correctionSchema }),
    access: 'billing.run',
  }),
  'corrections.list': channel({
    input: z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional() }),
    output: z.object({ rows: z.array(correctionSchema) }),
    access: 'billing.read',
  }),
  /** The station head approves: the original is credited and the new bill issued, in one transaction. */
  'corrections.approve': channel({
    input: z.object({ correctionId: z.string(), note }),
    output: z.object({ correction: correctionSchema }),
    access: 'billing.approve',
  }),
  'corrections.reject': channel({
    input: z.object({ correctionId: z.string(), note: reason }),
    output: z.object({ correction: correctionSchema }),
    access: 'billing.approve',
  }),
};
