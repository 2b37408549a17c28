import { z } from 'zod';
import { READING_FLAG_CODES, READING_KINDS, READING_STATUSES, REVIEW_DECISIONS, TOU_REGISTERS } from '../readings';
import { isDate, PERIOD_RE } from '../time';
import { channel } from './define';
import { jobStartedSchema } from './platform';

// Meter reading (抄表): books, periods, keyboard entry, checks and reviews, handheld files.
// Register values and consumptions travel as integer hundredths (0.01 kWh / register unit);
// what a person types travels as the decimal text they typed ("12345.67"), parsed once in the
// back end.

export const periodSchema = z.string().regex(PERIOD_RE, { message: 'reading.periodFormat' });
export const readingDateSchema = z.string().refine(isDate, { message: 'reading.dateFormat' });
/** A register as typed: up to 12 whole digits and 2 decimals, no sign. */
export const registerTextSchema = z.string().trim().regex(/^\d{1,12}(\.\d{1,2})?$/, { message: 'reading.valueFormat' });
export const readingKindSchema = z.enum(READING_KINDS);
const touRegisterSchema = z.enum(TOU_REGISTERS);
const registersTextSchema = z.partialRecord(touRegisterSchema, registerTextSchema);
const centiRegistersSchema = z.partialRecord(touRegisterSchema, z.number().int());
const reasonSchema = z.string().trim().max(200);

export const readingFlagSchema = z.object({
  code: z.enum(READING_FLAG_CODES),
  severity: z.enum(['error', 'warning']),
  params: z.record(z.string(), z.union([z.number(), z.string()])),
});
export type ReadingFlagView = z.infer<typeof readingFlagSchema>;

export const reviewSchema = z.object({
  id: z.string(),
  decision: z.enum(REVIEW_DECISIONS),
  note: z.string(),
  reviewedBy: z.string(),
  reviewedByName: z.string(),
  reviewedAt: z.number(),
});
export type ReviewView = z.infer<typeof reviewSchema>;

export const readingSchema = z.object({
  id: z.string(),
  period: z.string(),
  pointId: z.string(),
  meterId: z.string(),
  meterNo: z.string(),
  readingDate: z.string(),
  kind: readingKindSchema,
  value: z.number().nullable(),
  registers: centiRegistersSchema.nullable(),
  previousValue: z.number().nullable(),
  previousDate: z.string().nullable(),
  multiplier: z.number().nullable(),
  consumption: z.number().nullable(),
  touConsumption: centiRegistersSchema.nullable(),
  rollover: z.boolean(),
  flags: z.array(readingFlagSchema),
  needsReview: z.boolean(),
  reason: z.string(),
  supersedes: z.string().nullable(),
  /** True once a correction replaced this reading (history views only). */
  superseded: z.boolean(),
  source: z.enum(['keyboard', 'import', 'remote']),
  enteredBy: z.string().nullable(),
  enteredByName: z.string().nullable(),
  readBy: z.string().nullable(),
  enteredAt: z.number(),
  replacedMeterId: z.string().nullable(),
  /** The latest review decision, if any. */
  review: reviewSchema.nullable(),
  status: z.enum(READING_STATUSES),
});
export type ReadingView = z.infer<typeof readingSchema>;

export const bookSchema = z.object({
  id: z.string(),
  bookNo: z.string(),
  name: z.string(),
  readerId: z.string().nullable(),
  readerNo: z.string().nullable(),
  readerName: z.string().nullable(),
  readingDay: z.number().int(),
  active: z.boolean(),
  points: z.number().int(),
});
export type BookView = z.infer<typeof bookSchema>;

/** A metering point as the book screens show it. */
export const bookPointSchema = z.object({
  pointId: z.string(),
  seq: z.number().int().nullable(),
  customerId: z.string(),
  accountNo: z.string(),
  customerName: z.string(),
  address: z.string(),
  pointLabel: z.string(),
  meterNo: z.string().nullable(),
});
export type BookPointView = z.infer<typeof bookPointSchema>;

/** One row of the entry grid: a meter due in the period, in book order, with its reading. */
export const entryRowSchema = bookPointSchema.extend({
  seq: z.number().int(),
  meterId: z.string(),
  meterNo: z.string(),
  digits: z.number().int(),
  multiplier: z.number().int(),
  tou: z.boolean(),
  registerNames: z.array(touRegisterSchema),
  previous: z.number(),
  previousRegisters: centiRegistersSchema.nullable(),
  previousDate: z.string().nullable(),
  /** 换表 since the previous reading: the old meter's number and final reading. */
  replacement: z.object({ oldMeterNo: z.string(), oldFinal: z.number(), oldMultiplier: z.number().int(), newStart: z.number() }).nullable(),
  reading: readingSchema.nullable(),
  /** How many readings of this meter in this period were corrected. */
  corrections: z.number().int(),
  status: z.enum(READING_STATUSES),
});
export type EntryRow = z.infer<typeof entryRowSchema>;

export const periodRowSchema = z.object({
  period: z.string(),
  status: z.enum(['open', 'closed']),
  openedAt: z.number(),
  openedByName: z.string().nullable(),
  closedAt: z.number().nullable(),
  closedByName: z.string().nullable(),
  due: z.number().int(),
  entered: z.number().int(),
  awaitingReview: z.number().int(),
});
export type PeriodRow = z.infer<typeof periodRowSchema>;

const wrapSchema = z.object({ span: z.string(), previous: z.number(), current: z.number(), digits: z.number(), advance: z.number() });

/** What saving a reading answers: saved, a rollover to confirm, or refused with the reasons. */
export const entryOutcomeSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('saved'), reading: readingSchema }),
  z.object({ outcome: z.literal('confirm'), consumption: z.number(), wraps: z.array(wrapSchema) }),
  z.object({ outcome: z.literal('refused'), errors: z.array(readingFlagSchema) }),
]);
export type EntryOutcome = z.infer<typeof entryOutcomeSchema>;

/** A reading as entered by keyboard (or a reviewer's correction). */
const readingEntrySchema = z.object({
  kind: readingKindSchema.default('actual'),
  /** 止码 as typed; not for "no access". */
  value: registerTextSchema.optional(),
  /** 分时 registers as typed (TOU meters). */
  registers: registersTextSchema.optional(),
  readingDate: readingDateSchema,
  /** Why: required for an estimate, no access and every correction. */
  reason: reasonSchema.default(''),
  /** The user confirmed the rollover (满码翻转) offered by the previous answer. */
  confirmedRollover: z.boolean().default(false),
});

function requireValue(entry: { kind: string; value?: string | undefined }, ctx: z.RefinementCtx): void {
  if (entry.kind !== 'no_access' && !entry.value) ctx.addIssue({ code: 'custom', path: ['value'], message: 'reading.valueRequired' });
}

export const saveReadingInputSchema = readingEntrySchema
  .extend({
    period: periodSchema,
    pointId: z.string().min(1),
    /** The reading this one corrects (the one in force now); null for the first reading. */
    supersedes: z.string().nullable().default(null),
  })
  .superRefine(requireValue);

export const readingImportLineSchema = z.object({
  /** Row number in the sheet (as Excel shows it). */
  row: z.number().int(),
  accountNo: z.string(),
  meterNo: z.string(),
  value: z.string(),
  readingDate: z.string(),
  status: z.enum(['ok', 'flagged', 'confirm', 'error']),
  /** Per-cell problems: which column and what is wrong. */
  errors: z.array(z.object({ column: z.string(), message: z.string() })),
  flags: z.array(readingFlagSchema),
  consumption: z.number().nullable(),
});
export type ReadingImportLine = z.infer<typeof readingImportLineSchema>;

/** The result of an import preview job: counts, and every line that is not simply fine. */
export const readingImportPreviewSchema = z.object({
  previewId: z.string(),
  fileName: z.string(),
  period: z.string(),
  sheet: z.string(),
  rows: z.number().int(),
  ok: z.number().int(),
  flagged: z.number().int(),
  confirm: z.number().int(),
  errors: z.number().int(),
  /** Lines with errors, warnings or a rollover to confirm, in sheet order. */
  lines: z.array(readingImportLineSchema),
});
export type ReadingImportPreview = z.infer<typeof readingImportPreviewSchema>;

export const readingImportCommitResultSchema = z.object({ saved: z.number().int(), skipped: z.number().int(), rolloversConfirmed: z.number().int() });
export type ReadingImportCommitResult = z.infer<typeof readingImportCommitResultSchema>;

export const openPeriodResultSchema = z.object({ period: z.string(), books: z.number().int(), due: z.number().int() });

export const overviewBookSchema = z.object({
  bookId: z.string(),
  bookNo: z.string(),
  name: z.string(),
  readerId: z.string().nullable(),
  readerName: z.string().nullable(),
  readingDay: z.number().int(),
  scheduledDate: z.string(),
  due: z.number().int(),
  entered: z.number().int(),
  actual: z.number().int(),
  estimated: z.number().int(),
  noAccess: z.number().int(),
  flagged: z.number().int(),
  reviewed: z.number().int(),
  awaitingReview: z.number().int(),
  complete: z.boolean(),
  late: z.boolean(),
});
export type OverviewBook = z.infer<typeof overviewBookSchema>;

export const readingsChannels = {
  'books.list': channel({
    input: z.object({ includeInactive: z.boolean().default(false), mine: z.boolean().default(false) }),
    output: z.object({ rows: z.array(bookSchema) }),
    access: 'readings.read',
  }),
  'books.get': channel({
    input: z.object({ bookId: z.string() }),
    output: z.object({ book: bookSchema, points: z.array(bookPointSchema) }),
    access: 'readings.read',
  }),
  'books.create': channel({
    input: z.object({
      /** 抄表本号; made from the station's counter when left empty. */
      bookNo: z.string().trim().regex(/^[A-Za-z0-9-]{1,20}$/, { message: 'book.noFormat' }).optional(),
      name: z.string().trim().min(1).max(40),
      readerId: z.string().nullable().default(null),
      readingDay: z.number().int().min(1).max(31),
    }),
    output: z.object({ book: bookSchema }),
    access: 'readings.manage',
  }),
  'books.update': channel({
    input: z.object({
      bookId: z.string(),
      name: z.string().trim().min(1).max(40).optional(),
      readerId: z.string().nullable().optional(),
      readingDay: z.number().int().min(1).max(31).optional(),
      active: z.boolean().optional(),
    }),
    output: z.object({ book: bookSchema }),
    access: 'readings.manage',
  }),
  /** Moves metering points into a book (at its end), out of whatever book held them. */
  'books.movePoints': channel({
    input: z.object({ pointIds: z.array(z.string()).min(1).max(5000), toBookId: z.string() }),
    output: z.object({ book: bookSchema }),
    access: 'readings.manage',
  }),
  /** Sets the reading order (抄表序号) of a whole book. */
  'books.reorder': channel({
    input: z.object({ bookId: z.string(), pointIds: z.array(z.string()).max(5000) }),
    output: z.object({ book: bookSchema }),
    access: 'readings.manage',
  }),
  /** Active metering points with an installed meter that are in no active book. */
  'books.unassigned': channel({
    input: z.object({ limit: z.number().int().min(1).max(5000).default(500) }),
    output: z.object({ total: z.number().int(), rows: z.array(bookPointSchema) }),
    access: 'readings.read',
  }),

  'periods.list': channel({ input: z.object({}), output: z.object({ rows: z.array(periodRowSchema) }), access: 'readings.read' }),
  /** Opens a period: for each book, the meters due with their previous reading (a job). */
  'periods.open': channel({ input: z.object({ period: periodSchema }), output: jobStartedSchema, access: 'readings.manage' }),
  'periods.close': channel({ input: z.object({ period: periodSchema }), output: z.object({ period: periodRowSchema }), access: 'readings.manage' }),

  /** The entry grid of one book in one period. */
  'readings.book': channel({
    input: z.object({ period: periodSchema, bookId: z.string() }),
    output: z.object({
      book: bookSchema,
      period: periodRowSchema,
      rows: z.array(entryRowSchema),
      /** The caller may enter readings in this book now. */
      canEnter: z.boolean(),
      scheduledDate: z.string(),
      window: z.object({ daysBefore: z.number().int(), daysAfter: z.number().int() }),
      today: z.string(),
    }),
    access: 'readings.read',
  }),
  'readings.save': channel({ input: saveReadingInputSchema, output: entryOutcomeSchema, access: 'readings.enter' }),
  /** A review decision (复核); "correct" may carry the corrected reading, entered at once. */
  'readings.review': channel({
    input: z.object({
      readingId: z.string(),
      decision: z.enum(REVIEW_DECISIONS),
      note: reasonSchema.default(''),
      correction: readingEntrySchema.superRefine(requireValue).optional(),
    }),
    output: z.discriminatedUnion('outcome', [
      z.object({ outcome: z.literal('saved'), review: reviewSchema, reading: readingSchema.nullable() }),
      z.object({ outcome: z.literal('confirm'), consumption: z.number(), wraps: z.array(wrapSchema) }),
      z.object({ outcome: z.literal('refused'), errors: z.array(readingFlagSchema) }),
    ]),
    access: 'readings.review',
  }),
  'readings.reviewQueue': channel({
    input: z.object({ period: periodSchema, bookId: z.string().optional(), pendingOnly: z.boolean().default(true) }),
    output: z.object({
      rows: z.array(
        z.object({
          reading: readingSchema,
          bookId: z.string(),
          bookNo: z.string(),
          bookName: z.string(),
          accountNo: z.string(),
          customerName: z.string(),
          address: z.string(),
          history: z.array(z.object({ period: z.string(), kind: readingKindSchema, consumption: z.number().nullable(), days: z.number().nullable() })),
        }),
      ),
    }),
    access: 'readings.review',
  }),
  /** The period's readings, book by book (CLI `readings list`, reports). */
  'readings.list': channel({
    input: z.object({ period: periodSchema, bookId: z.string().optional() }),
    output: z.object({
      rows: z.array(
        z.object({
          bookNo: z.string(),
          seq: z.number().int(),
          accountNo: z.string(),
          customerName: z.string(),
          meterNo: z.string(),
          previous: z.number(),
          current: z.number().nullable(),
          consumption: z.number().nullable(),
          kind: readingKindSchema.nullable(),
          status: z.enum(READING_STATUSES),
          flags: z.array(z.enum(READING_FLAG_CODES)),
          readingId: z.string().nullable(),
          readingDate: z.string().nullable(),
        }),
      ),
    }),
    access: 'readings.read',
  }),
  /** Every reading of one metering point, corrections included, newest first (customer page). */
  'readings.history': channel({
    input: z.object({ pointId: z.string().optional(), customerId: z.string().optional(), limit: z.number().int().min(1).max(500).default(60) }),
    output: z.object({ rows: z.array(readingSchema.extend({ pointLabel: z.string(), bookNo: z.string().nullable() })) }),
    access: 'readings.read',
  }),
  'readings.overview': channel({
    input: z.object({ period: periodSchema }),
    output: z.object({
      period: periodRowSchema,
      today: z.string(),
      books: z.array(overviewBookSchema),
      notRead: z.object({
        total: z.number().int(),
        rows: z.array(
          z.object({
            bookNo: z.string(),
            seq: z.number().int(),
            accountNo: z.string(),
            customerName: z.string(),
            address: z.string(),
            meterNo: z.string(),
            status: z.enum(READING_STATUSES),
            reason: z.string(),
          }),
        ),
      }),
      /** 抄表差错率: readings later corrected ÷ readings entered, per reader. */
      readers: z.array(z.object({ staffId: z.string(), staffNo: z.string(), name: z.string(), entered: z.number().int(), corrected: z.number().int() })),
    }),
    access: 'readings.read',
  }),
  /** A book's handheld workbook (xlsx) for a period. */
  'readings.export': channel({
    input: z.object({ period: periodSchema, bookId: z.string() }),
    output: z.object({ fileName: z.string(), base64: z.string(), rows: z.number().int() }),
    access: 'readings.read',
  }),
  /** Reads a handheld workbook and checks every row, writing nothing (a job; result ReadingImportPreview). */
  'readings.importPreview': channel({
    // No minimum: an empty file reaches the workbook reader, which says it is empty.
    input: z.object({ period: periodSchema, fileName: z.string().max(200), base64: z.string().max(64 * 1024 * 1024) }),
    output: jobStartedSchema,
    access: 'readings.enter',
  }),
  /** Writes the valid rows of a preview in one transaction (a job; result ReadingImportCommitResult). */
  'readings.importCommit': channel({
    input: z.object({ previewId: z.string(), confirmRollovers: z.boolean().default(false) }),
    output: jobStartedSchema,
    access: 'readings.enter',
  }),
};
