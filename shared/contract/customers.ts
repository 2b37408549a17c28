import { z } from 'zod';
import { CUSTOMER_CLASSES } from '../customers/classes';
import { CUSTOMER_STATUSES } from '../customers/rules';
import { MATCH_KINDS } from '../customers/matchKinds';
import { channel } from './define';
import { jobStartedSchema, jobStateSchema } from './platform';

// Customer files (客户档案): customers, metering points (计量点), meters (表计), the search box,
// the history timeline, spreadsheet import/export and the demo station.
// Formats (phone, ID number, dates) are checked by shared/customers/rules.ts in the back end, so
// the clerk gets one message per field in words of the office, not zod's.

const dateText = z.string().trim();
const optionalInt = z.number().int().nullable();

export const customerClassSchema = z.enum(CUSTOMER_CLASSES);
export const customerStatusSchema = z.enum(CUSTOMER_STATUSES);

export const customerFieldsSchema = z.object({
  name: z.string(),
  phone: z.string().default(''),
  phone2: z.string().default(''),
  idCard: z.string().default(''),
  township: z.string(),
  village: z.string(),
  addressDetail: z.string().default(''),
  transformerArea: z.string(),
  customerClass: customerClassSchema,
  tariffCode: z.string().nullable().default(null),
  householdSize: optionalInt.default(null),
  multiPerson: z.boolean().default(false),
  capacityKva: optionalInt.default(null),
  openedDate: dateText,
  notes: z.string().default(''),
});

/** TOU start/final registers (峰/平/谷 …) in hundredths. */
export const registersSchema = z.record(z.string(), z.number().int()).nullable();

export const meterFieldsSchema = z.object({
  meterNo: z.string().trim(),
  digits: z.number().int(),
  multiplier: z.number().int(),
  tou: z.boolean().default(false),
  installDate: dateText,
  /** 起码 in hundredths. */
  startReading: z.number().int(),
  startRegisters: registersSchema.default(null),
});

export const meterViewSchema = z.object({
  id: z.string(),
  pointId: z.string(),
  meterNo: z.string(),
  digits: z.number(),
  multiplier: z.number(),
  tou: z.boolean(),
  installDate: z.string(),
  startReading: z.number(),
  startRegisters: registersSchema,
  removedDate: z.string().nullable(),
  finalReading: z.number().nullable(),
  finalRegisters: registersSchema,
  removedReason: z.string(),
  replacedBy: z.string().nullable(),
  /** The meter this one replaced on the same point (换表), if any. */
  replaces: z.string().nullable(),
});
export type MeterView = z.infer<typeof meterViewSchema>;

export const pointViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  active: z.boolean(),
  /** Newest first: the installed meter (if any), then the ones it replaced. */
  meters: z.array(meterViewSchema),
});
export type PointView = z.infer<typeof pointViewSchema>;

export const customerViewSchema = z.object({
  id: z.string(),
  accountNo: z.string(),
  name: z.string(),
  nameInitials: z.string(),
  phone: z.string(),
  phone2: z.string(),
  /** The full number only for roles with `customers.idcard`; otherwise masked (3301**********123X). */
  idCard: z.string(),
  idCardMasked: z.boolean(),
  township: z.string(),
  village: z.string(),
  addressDetail: z.string(),
  address: z.string(),
  transformerArea: z.string(),
  customerClass: customerClassSchema,
  tariffCode: z.string().nullable(),
  householdSize: z.number().nullable(),
  multiPerson: z.boolean(),
  capacityKva: z.number().nullable(),
  status: customerStatusSchema,
  statusDate: z.string(),
  openedDate: z.string(),
  notes: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type CustomerView = z.infer<typeof customerViewSchema>;

export const customerDetailSchema = z.object({ customer: customerViewSchema, points: z.array(pointViewSchema) });
export type CustomerDetail = z.infer<typeof customerDetailSchema>;

/** One line of the customer list or the search box. */
export const customerSummarySchema = z.object({
  id: z.string(),
  accountNo: z.string(),
  name: z.string(),
  phone: z.string(),
  address: z.string(),
  transformerArea: z.string(),
  customerClass: customerClassSchema,
  status: customerStatusSchema,
  /** Installed meters' numbers. */
  meterNos: z.array(z.string()),
});
export type CustomerSummary = z.infer<typeof customerSummarySchema>;

export const searchHitSchema = customerSummarySchema.extend({ matchedBy: z.enum(MATCH_KINDS) });
export type SearchHit = z.infer<typeof searchHitSchema>;

export const customerFilterSchema = z.object({
  township: z.string().optional(),
  village: z.string().optional(),
  transformerArea: z.string().optional(),
  customerClass: customerClassSchema.optional(),
  status: customerStatusSchema.optional(),
  bookId: z.string().optional(),
  /** The search box's text: the list shows its hits (ranked) instead of the whole station. */
  query: z.string().max(100).optional(),
});
export type CustomerFilter = z.infer<typeof customerFilterSchema>;

export const timelineEventSchema = z.object({
  id: z.number(),
  at: z.number(),
  actor: z.string(),
  staffName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

/** One problem of an import row: spreadsheet row number (as Excel shows it), column header, message. */
export const importIssueSchema = z.object({ row: z.number(), column: z.string(), message: z.string() });
export type ImportIssue = z.infer<typeof importIssueSchema>;

export const importPreviewSchema = z.object({
  importId: z.string(),
  fileName: z.string(),
  rows: z.number(),
  validRows: z.number(),
  invalidRows: z.number(),
  /** Customers the valid rows make (rows of one account number make one customer with several meters). */
  customers: z.number(),
  issues: z.array(importIssueSchema),
  /** The first valid customers, as they will be filed. */
  sample: z.array(z.object({ row: z.number(), accountNo: z.string(), name: z.string(), address: z.string(), meterNo: z.string() })),
  /** The same file's import stopped part-way (issue 18): its customers filed then, left out of this check; committing finishes it. */
  resumes: z.object({ importId: z.string(), startedAt: z.number(), customers: z.number(), rows: z.number() }).optional(),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

const base64 = z.string().max(64 * 1024 * 1024);
const statusChange = z.object({ customerId: z.string(), date: dateText, reason: z.string().max(200).default('') });

export const customersChannels = {
  /** The one search box: account number, name part, pinyin initials, phone tail, meter number, address words. */
  'customers.search': channel({
    input: z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(50).default(20) }),
    output: z.object({ hits: z.array(searchHitSchema) }),
    access: 'customers.read',
  }),
  'customers.list': channel({
    input: customerFilterSchema.extend({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }),
    output: z.object({ rows: z.array(customerSummarySchema), total: z.number() }),
    access: 'customers.read',
  }),
  /** The values the list's filters offer: townships and villages, transformer areas, books. */
  'customers.filterOptions': channel({
    input: z.object({}),
    output: z.object({
      places: z.array(z.object({ township: z.string(), village: z.string() })),
      transformerAreas: z.array(z.string()),
      books: z.array(z.object({ id: z.string(), bookNo: z.string(), name: z.string() })),
    }),
    access: 'customers.read',
  }),
  /** A customer file by id or by account number. */
  'customers.get': channel({
    input: z.object({ customerId: z.string().optional(), accountNo: z.string().optional() }),
    output: customerDetailSchema,
    access: 'customers.read',
  }),
  'customers.history': channel({
    input: z.object({ customerId: z.string() }),
    output: z.object({ events: z.array(timelineEventSchema) }),
    access: 'customers.read',
  }),
  /** 新装: a new customer, with the meter(s) installed on the same day if given. */
  'customers.create': channel({
    input: customerFieldsSchema.extend({
      points: z.array(z.object({ label: z.string().max(20).default(''), meter: meterFieldsSchema })).max(10).default([]),
    }),
    output: customerDetailSchema,
    access: 'customers.write',
  }),
  'customers.update': channel({
    input: customerFieldsSchema.extend({
      customerId: z.string(),
      /** The updatedAt the form was loaded with: a newer save in between is refused, not overwritten. */
      expectedUpdatedAt: z.number().int().optional(),
    }),
    output: customerDetailSchema,
    access: 'customers.write',
  }),
  /** 暂停 */
  'customers.suspend': channel({ input: statusChange, output: customerDetailSchema, access: 'customers.write' }),
  /** 恢复供电 after a suspension */
  'customers.resume': channel({ input: statusChange, output: customerDetailSchema, access: 'customers.write' }),
  /** 销户: no installed meter, and (once billing and collection exist) a zero balance. */
  'customers.close': channel({ input: statusChange, output: customerDetailSchema, access: 'customers.write' }),
  /** 装表 on a new metering point of the customer. */
  'meters.install': channel({
    input: z.object({ customerId: z.string(), label: z.string().max(20).default(''), meter: meterFieldsSchema }),
    output: customerDetailSchema,
    access: 'customers.write',
  }),
  /** 换表: the old meter's final reading and the new meter's start reading on one date. */
  'meters.replace': channel({
    input: z.object({
      meterId: z.string(),
      finalReading: z.number().int(),
      finalRegisters: registersSchema.default(null),
      reason: z.string().max(100).default(''),
      meter: meterFieldsSchema,
    }),
    output: customerDetailSchema,
    access: 'customers.write',
  }),
  /** 拆表: the meter comes off with its final reading; the point stops being read. */
  'meters.remove': channel({
    input: z.object({
      meterId: z.string(),
      date: dateText,
      finalReading: z.number().int(),
      finalRegisters: registersSchema.default(null),
      reason: z.string().max(100).default(''),
    }),
    output: customerDetailSchema,
    access: 'customers.write',
  }),

  /** Reads a workbook (base64) in a sandboxed worker and checks every row; writes nothing. */
  'customers.importPreview': channel({
    input: z.object({ fileName: z.string().max(200), base64 }),
    output: jobStartedSchema,
    access: 'customers.write',
  }),
  /** Files the valid rows of a preview, all in one transaction (a job with progress). */
  'customers.importCommit': channel({ input: z.object({ importId: z.string() }), output: jobStartedSchema, access: 'customers.write' }),
  /** The customer list (with the current filter) as an xlsx workbook, base64 (a job). */
  'customers.export': channel({ input: customerFilterSchema, output: jobStartedSchema, access: 'customers.read' }),
  'customers.template': channel({ input: z.object({}), output: z.object({ fileName: z.string(), base64: z.string() }), access: 'customers.write' }),

  /**
   * First run only: builds a demo station (staff with documented passwords, customers, and the
   * later desks' steps) instead of an empty one. Refused once a station exists.
   */
  'demo.build': channel({
    input: z.object({
      customers: z.number().int().min(10).max(200_000).default(2000),
      months: z.number().int().min(0).max(36).default(13),
      seed: z.number().int().min(0).default(1),
    }),
    output: jobStartedSchema,
    access: 'public',
  }),
  /** Follows a demo build from the first-run screen (no one is logged in yet): a long poll like jobs.watch. */
  'demo.watch': channel({
    input: z.object({ jobId: z.string(), afterVersion: z.number().int() }),
    output: jobStateSchema,
    access: 'public',
  }),
};
