// Every message the shared rules can produce, rendered in both languages with sample parameters:
// English must hold no Chinese, Chinese no English sentence (units such as kWh/kvarh, formats such
// as YYYY-MM, codes and numbers are allowed). The codes come from the rules' own lists, so a new
// code without a translation (or without a sample here) fails this test.
import { describe, expect, it } from 'vitest';
import { BILL_FLAG_CODES, type BillFlagCode } from '../billing/flags';
import { BILLING_QUANTITIES, BILLING_REASONS, periodWord, quantity, type BillingReason } from '../billing/errors';
import { TOU_PERIODS } from '../billing/tariff';
import { ERROR_CODES } from '../errors';
import { COLLECTION_FIELDS, COLLECTION_REASONS, field, type CollectionReason } from '../collection/types';
import { flagLabel, flagMessage } from '../readings/describe';
import { input, READING_INPUT_REASONS, READING_INPUTS, type ReadingInputReason } from '../readings/register';
import { READING_FLAG_CODES, type FlagParams, type ReadingFlagCode } from '../readings/flags';
import { SYNC_FILE_DETAILS, fileDetail, type SyncFileDetail } from '../sync/fileDetails';
import { BACKUP_FILE_REASONS, backupFileReason, type BackupFileReason } from '../backupFile';
import { MONEY_REASONS, MONEY_WHATS, type MoneyReason } from '../money';
import { FILE_MESSAGES, clerkIssues, fileMessage, issueMessage, type FileMessage } from '../referenceFile';
import { checkTariffFile } from '../billing/tariff';
import { checkReferenceFile } from '../billing/policy';
import { checkScoreSheetFile } from '../appraisal/sheet';
import { z } from 'zod';
import { coded, codedList, readStoredMessage, renderMessage, renderStoredMessage, storeMessage, type CodedMessage } from './coded';
import { allMessages, hasMessage, translate, type Locale, type MessageKey } from './index';
import { untranslated } from './untranslated';

function check(render: (locale: Locale) => string, allowed: readonly string[] = []): string[] {
  return (['zh-CN', 'en'] as const).flatMap((locale) => untranslated(locale, render(locale), allowed));
}

// --- samples: one per code; typed so that a new code without a sample fails the type check ----

const TARIFF = 'LI-10KV';
const BILLING_SAMPLES: Record<BillingReason, CodedMessage['params']> = {
  missing: { what: quantity('kvarh', { standard: '0.90' }) },
  notHundredths: { what: quantity('registerConsumption', { period: periodWord('peak') }), value: -5 },
  notHundredthsKwh: { what: quantity('priorUsage'), value: 1.5 },
  noPeriodPrice: { period: periodWord('valley') },
  touNeedsRegisters: { tariff: TARIFF },
  noFlatPrice: { tariff: TARIFF },
  touExceedsTotal: { balancing: periodWord('flat'), others: '350', total: '300' },
  tiersWithoutIncrements: { tariff: TARIFF },
  noEnergyPrices: { tariff: TARIFF },
  badPeriod: { period: '2026-7' },
  notYetInForce: { tariff: TARIFF, from: '2026-07-15', period: '2026-06' },
  pfTableMismatch: { standard: '0.90', built: '0.85' },
  badTierBounds: { t1: 600, t2: 260 },
  badTierYearStart: { month: 13 },
  badCustomerStart: { date: '2026-02-30' },
  startedAfterPeriod: { date: '2026-07-10', period: '2026-06' },
  badMonths: { months: 0 },
  noMultiPersonBounds: undefined,
  noBoundsForMonth: { month: 7 },
  noBounds: undefined,
  badPowerFactor: { value: 1.2 },
  chargesNotWholeFen: { value: 1.5 },
};

const QUANTITY_SAMPLES = { tariff: TARIFF, standard: '0.90', period: periodWord('peak') };

const READING_SAMPLES: Record<ReadingFlagCode, FlagParams> = {
  reading_out_of_range: { field: 'peak.current', reading: 12345678, digits: 5, limit: 10000000 },
  date_not_after_previous: { currentDate: '2026-09-01', previousDate: '2026-09-02' },
  negative: { span: 'old_meter', current: 100, previous: 900000, wrappedAdvance: 9100000, maxAdvance: 500000 },
  rollover: { span: 'valley', previous: 9999000, current: 500, digits: 5, advance: 1500 },
  zero: { days: 30 },
  zero_run_site_visit: { count: 3 },
  high: { consumption: 90000, days: 30, dailyUse: 3000, thresholdPercent: 200, recentPeriods: 3, recentDailyAverage: 1000, recentRatioPercent: 300, lastYearPeriod: '2025-09', lastYearDailyAverage: 900, lastYearRatioPercent: 333 },
  low: { consumption: 100, days: 30, dailyUse: 3, thresholdPercent: 20, recentPeriods: 3, recentDailyAverage: 0, zeroHistoryDailyFloor: 50, lastYearPeriod: '2025-09', lastYearDailyAverage: 0 },
  tou_sum_mismatch: { registersSum: 29000, total: 30000, difference: 1000, tolerance: 100 },
  prolonged_estimate: { count: 2 },
  outside_window: { scheduledDate: '2026-09-05', offsetDays: 9, daysBefore: 3, daysAfter: 5 },
  multiplier_changed: { previous: 1, current: 100 },
};

const COLLECTION_SAMPLES: Record<CollectionReason, CodedMessage['params']> = {
  badChannel: { channel: 'cheque' },
  badEntry: undefined,
  tenderedShort: { tendered: '200.00', amount: '210.25' },
  badPriorYearRule: { value: 'by_month' },
  accruedPair: { bill: 'GD01-B-00000001' },
  badDate: { what: field('payDate'), value: '2026-3-18' },
  badPeriod: { what: field('period'), value: '2026-13' },
  badAmount: { what: field('paymentAmount'), value: -100 },
  badCount: { what: field('graceDays'), value: 1.5 },
};

const READING_INPUT_SAMPLES: Record<ReadingInputReason, CodedMessage['params']> = {
  notHundredths: { what: input('registerCurrent', { register: periodWord('valley') }), value: 1.5 },
  notPositive: { what: input('oldMultiplier'), value: 0 },
  badDigits: { what: input('oldDigits'), max: 12, value: 13 },
  tooLarge: { advance: 99999999, multiplier: 1000000 },
  rolloverNeedsDigits: undefined,
  consumptionTooLarge: undefined,
  badDate: { what: input('currentDate'), value: '2026-02-30' },
  badBookDay: { value: 32 },
  badPeriod: { value: '2026-13' },
  badHistoryPeriod: { value: '2026-13' },
  historyConsumption: { period: '2026-08' },
  historyDays: { period: '2026-08' },
  noSpan: undefined,
};

const BILL_FLAG_SAMPLES: Record<BillFlagCode, Record<string, string | number>> = {
  zero: {},
  high: { factor: '3', bills: 6, average: '59.89' },
  negative_line: { lines: 1, amount: '-12.50' },
  estimated: {},
};

// Head-office reference files (tariff file, billing policy, score sheet): what the file holds
// (codes, JSON field names, values) is a parameter and stays as written; the words around it are
// judged. `where` and `what` are coded messages themselves, as the checks build them.
const AS_WRITTEN = ['RES-GD', 'KPI100', 'AGR', 'energy.flat', 'tiers.prices', '"tariffs"', 'effectiveFrom', 'billingPolicy', 'increments', 'prices', 'months', 'peak', 'valley', 'flat', 'floor', 'target', 'reading.speed', 'reading.accuracy, counter.errors', 'R1', 'reading', '"farm"', '"residential", "commercial"', '{ "flat": "0.5" }', '{ "tariffs": [ ... ] }', '"flatt"', 'bigint', 'true', 'false'];
const WHERE = fileMessage('where.tariffCodeFrom', { n: 2, code: 'AGR', from: '2027-01-01' });
const FILE_SAMPLES: Record<FileMessage, CodedMessage['params']> = {
  'problem.at': { where: WHERE, what: fileMessage('tariff.noTariffs') },
  'problem.atField': { where: WHERE, field: 'energy.flat', what: fileMessage('issue.missing') },
  notJson: { line: 3, column: 7 },
  notJsonAnywhere: undefined,
  'issue.missing': undefined,
  'issue.quoted': { value: '0.5' },
  'issue.wrongKind': { kind: fileMessage('kind.list'), value: 5 },
  'issue.missingOneOf': { values: '"residential", "commercial"' },
  'issue.oneOf': { values: '"residential", "commercial"', value: '"farm"' },
  'issue.unknownField': { fields: '"flatt"' },
  'issue.unknownFields': { fields: '"flatt"' },
  'issue.exactCount': { n: 3 },
  'issue.atLeastOneEntry': undefined,
  'issue.atLeastEntries': { n: 2 },
  'issue.atMostValues': { n: 8 },
  'issue.notEmpty': undefined,
  'issue.moreThan': { n: 0 },
  'issue.atLeast': { n: 1 },
  'issue.lessThan': { n: 100 },
  'issue.atMost': { n: 90 },
  'issue.atMostChars': { n: 40 },
  'issue.notMultiple': { n: 5 },
  'issue.badFormat': undefined,
  'issue.invalid': undefined,
  'kind.string': undefined,
  'kind.number': undefined,
  'kind.int': undefined,
  'kind.list': undefined,
  'kind.object': undefined,
  'kind.boolean': undefined,
  'kind.other': { kind: 'bigint' },
  'where.entry': { n: 2 },
  'where.tariff': { n: 2 },
  'where.tariffCode': { n: 2, code: 'AGR' },
  'where.tariffCodeFrom': { n: 2, code: 'AGR', from: '2027-01-01' },
  'where.theTariff': undefined,
  'where.oneTariffCode': { code: 'AGR' },
  'where.oneTariffCodeFrom': { code: 'AGR', from: '2027-01-01' },
  'where.policy': { name: 'billingPolicy' },
  'where.policyEntry': { name: 'billingPolicy', n: 2 },
  'where.sheet': { code: 'KPI100' },
  'where.sheetNumber': { n: 2 },
  'where.sheetVersion': { code: 'KPI100', from: '2025-01' },
  'where.area': { id: 'reading' },
  'where.areaNumber': { n: 1 },
  'where.item': { id: 'R1' },
  'where.itemNumber': { n: 1 },
  'tariff.pricePlaces': { text: '0.598868751', places: 9 },
  'tariff.priceNotDecimal': { text: '0,5' },
  'tariff.priceNegative': { text: '-0.1' },
  'tariff.noPrice': { example: '{ "flat": "0.5" }' },
  'tariff.touNeedsPeakValley': { peak: 'peak', valley: 'valley', flat: 'flat' },
  'tariff.notMonth': { value: 13 },
  'tariff.notBound': { value: 260.5 },
  'tariff.boundsOrder': { t1: 600, t2: 260 },
  'tariff.incrementsOrPrices': { increments: 'increments', prices: 'prices' },
  'tariff.samePeriods': { first: 'peak, valley' },
  'tariff.multiAllOrNone': undefined,
  'tariff.annualOneEntry': { months: 'months' },
  'tariff.yearStartAnnualOnly': undefined,
  'tariff.monthlyNeedsMonths': undefined,
  'tariff.monthTwice': { month: 7, entry: 1 },
  'tariff.monthMissing': { months: '12' },
  'tariff.monthsMissing': { months: '11, 12' },
  'tariff.notDate': undefined,
  'tariff.energyMissing': { tierPrices: 'tiers.prices' },
  'tariff.energyWithTierPrices': { tierPrices: 'tiers.prices' },
  'tariff.capacityOrDemand': undefined,
  'tariff.unknownBeside': { fields: '"flatt"', tariffs: '"tariffs"' },
  'tariff.unknownBesideMany': { fields: '"flatt"', tariffs: '"tariffs"' },
  'tariff.notList': { tariffs: '"tariffs"' },
  'tariff.fileShape': { example: '{ "tariffs": [ ... ] }' },
  'tariff.noTariffs': undefined,
  'tariff.duplicate': { n: 3, code: 'RES-GD', from: '2026-01-01', earlier: 1 },
  'tariff.conflict': { code: 'RES-GD', from: '2026-01-01', field: 'effectiveFrom' },
  'tariff.creditShrinks': undefined,
  'tariff.bandNotBelow': { above: '0.70' },
  'policy.ratioAboveOne': { text: '0.5' },
  'policy.ratioNotDecimal': { text: '3.125' },
  'policy.duplicate': { from: '2026-01-01' },
  'policy.conflict': { from: '2026-01-01' },
  'sheet.badCode': undefined,
  'sheet.badFrom': undefined,
  'sheet.idTwice': { id: 'R1' },
  'sheet.unknownKpi': { kpi: 'reading.speed', known: 'reading.accuracy, counter.errors' },
  'sheet.floorIsTarget': { floor: 'floor', target: 'target', value: 95 },
  'sheet.capOverPoints': { cap: 40, points: 30 },
  'sheet.minAboveMax': { min: 10, max: 5 },
  'sheet.maxOverPoints': { max: 40, points: 30 },
  'sheet.minBelowZero': undefined,
  'sheet.defaultOutside': { value: 12, min: 0, max: 10 },
  'sheet.stepMaxNotAbove': { max: 90, min: 95 },
  'sheet.stepScoreOver': { score: 25, points: 20 },
  'sheet.stepsOverlap': { from: 100, step: 1, min: 95, max: fileMessage('sheet.noUpperEnd') },
  'sheet.noUpperEnd': undefined,
  'sheet.roleTotal': { role: coded('role.meter_reader'), total: 95, full: 100 },
  'sheet.noSheet': undefined,
  'sheet.twice': { key: 'KPI100@2025-01' },
  'sheet.conflict': { code: 'KPI100', from: '2025-01', field: 'effectiveFrom' },
};

const MONEY_SAMPLES: Record<MoneyReason, CodedMessage['params']> = {
  notWholeFen: { what: coded('money.what.total'), value: '1.5' },
  notDecimal: { what: coded('money.what.amount'), text: '12,5' },
  tooManyPlaces: { what: coded('money.what.price'), text: '0.123456789', places: 8 },
  divisionByZero: undefined,
};

const SYNC_DETAIL_SAMPLES: Record<SyncFileDetail, Record<string, string | number> | undefined> = {
  badPublicKey: undefined,
  publicKeyLength: undefined,
  manifestTooLarge: undefined,
  manifestNotObject: undefined,
  noFormat: undefined,
  formatUnreadable: { format: 'griddesk-sync/9', readable: 'griddesk-sync/1' },
  noKeyId: undefined,
  untrustedKey: { keyId: 'hq-7f3a' },
  notCanonical: undefined,
  unknownKind: { kind: 'parcel' },
  notACount: { field: 'rowCount' },
  noPayloadHash: undefined,
  wrongKind: { kind: 'batch', wanted: 'reference' },
  payloadOverCap: undefined,
  bytesAfterPayload: undefined,
  tooManyRows: { rows: 2000001, max: 2000000 },
  rowNotJson: { row: 3 },
  rowNotObject: { row: 3 },
  moreRowsThanDeclared: { rows: 10 },
  inflatesPastSize: undefined,
  rowTooLong: undefined,
  rowOverBytes: { row: 3, max: 1048576 },
  cannotInflate: undefined,
  noFinalNewline: undefined,
  notDeclaredSize: undefined,
  changedWhileRead: undefined,
  rowCount: { rows: 9, declared: 10 },
  notSyncFile: undefined,
  cutShort: undefined,
  manifestDamaged: undefined,
  signatureMismatch: undefined,
  payloadHashMismatch: undefined,
  ackFields: undefined,
  noVersion: undefined,
};
const SYNC_AS_WRITTEN = ['griddesk-sync/9', 'griddesk-sync/1', 'hq-7f3a', 'parcel', 'rowCount', 'batch', 'reference', 'Ed25519', 'MiB'];

const BACKUP_SAMPLES: Record<BackupFileReason, Record<string, string | number> | undefined> = {
  notFound: undefined,
  notSqlite: undefined,
  notGridDesk: undefined,
  newer: { version: 18, latest: 15 },
  damaged: { detail: '*** in database main *** Page 7: btreeInitPage() returns error code 11' },
  unreadable: undefined,
};

/** Parameters for the dictionary-wide pass: numbers everywhere, so only the templates are judged. */
function numericParams(template: string): Record<string, number> {
  return Object.fromEntries([...template.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, 7]));
}

describe('messages of the shared rules, in both languages', () => {
  it('renders every billing reason fully in the language asked for', () => {
    expect(BILLING_REASONS.filter((r) => !(r in BILLING_SAMPLES))).toEqual([]);
    const problems = BILLING_REASONS.flatMap((r) => check((l) => renderMessage(l, coded(`billing.reason.${r}`, BILLING_SAMPLES[r])), [TARIFF]));
    expect(problems).toEqual([]);
  });

  it('renders every quantity and period word a reason can name', () => {
    const problems = [
      ...BILLING_QUANTITIES.flatMap((q) => check((l) => renderMessage(l, quantity(q, QUANTITY_SAMPLES)), [TARIFF])),
      ...TOU_PERIODS.flatMap((p) => check((l) => renderMessage(l, periodWord(p)))),
    ];
    expect(problems).toEqual([]);
  });

  it('renders every reason a customer cannot be billed, around a rule reason', () => {
    const reason = coded('billing.reason.missing', BILLING_SAMPLES.missing);
    const problems = (['no_tariff', 'tariff_unknown', 'tariff_not_in_force', 'cannot_compute'] as const).flatMap((code) =>
      check((l) => translate(l, `billing.problem.${code}`, { detail: code === 'cannot_compute' ? renderMessage(l, reason) : TARIFF }), [TARIFF]),
    );
    expect(problems).toEqual([]);
  });

  it('renders every collection rule reason and every field it can name', () => {
    expect(COLLECTION_REASONS.filter((r) => !(r in COLLECTION_SAMPLES))).toEqual([]);
    const problems = [
      ...COLLECTION_REASONS.flatMap((r) => check((l) => renderMessage(l, coded(`collection.reason.${r}`, COLLECTION_SAMPLES[r])), ['GD01-B-00000001', 'cheque', 'by_month'])),
      ...COLLECTION_FIELDS.flatMap((f) => check((l) => renderMessage(l, field(f)))),
    ];
    expect(problems).toEqual([]);
  });

  it('renders every reason a reading input is refused and every input it can name', () => {
    expect(READING_INPUT_REASONS.filter((r) => !(r in READING_INPUT_SAMPLES))).toEqual([]);
    const problems = [
      ...READING_INPUT_REASONS.flatMap((r) => check((l) => renderMessage(l, coded(`reading.inputReason.${r}`, READING_INPUT_SAMPLES[r])))),
      ...READING_INPUTS.flatMap((name) => check((l) => renderMessage(l, input(name, { register: periodWord('peak') })))),
    ];
    expect(problems).toEqual([]);
  });

  it('renders every reading flag and its short word', () => {
    expect(READING_FLAG_CODES.filter((c) => !(c in READING_SAMPLES))).toEqual([]);
    const problems = READING_FLAG_CODES.flatMap((code) => [
      ...check((l) => flagMessage(l, { code, params: READING_SAMPLES[code] })),
      ...check((l) => flagLabel(l, code)),
    ]);
    expect(problems).toEqual([]);
  });

  it('renders every bill flag', () => {
    const problems = BILL_FLAG_CODES.flatMap((code) => check((l) => translate(l, `billing.flag.${code}`, BILL_FLAG_SAMPLES[code])));
    expect(problems).toEqual([]);
  });

  it('renders every error code a channel answers with', () => {
    const problems = ERROR_CODES.flatMap((code) =>
      check((l) => translate(l, `error.${code}`, { channel: 'billing.run', details: translate(l, 'billing.periodFormat'), remaining: 3, until: '10:30', what: translate(l, 'billing.problem.no_tariff'), permission: 'billing.run' }), ['billing.run']),
    );
    expect(problems).toEqual([]);
  });

  it('renders every message of the head-office file checks (tariff file, billing policy, score sheet)', () => {
    expect(FILE_MESSAGES.filter((m) => !(m in FILE_SAMPLES))).toEqual([]);
    const problems = FILE_MESSAGES.flatMap((m) => check((l) => renderMessage(l, fileMessage(m, FILE_SAMPLES[m])), [...AS_WRITTEN, 'KPI100@2025-01', '0.598868751', '0,5']));
    expect(problems).toEqual([]);
    // lists join in the language's own punctuation
    const list = codedList('problems', [fileMessage('tariff.noTariffs'), fileMessage('sheet.noSheet')]);
    expect(renderMessage('zh-CN', list)).toBe('文件里没有电价；文件里没有考核方案');
    expect(renderMessage('en', list)).toBe('The file holds no tariffs; the file holds no score sheet');
  });

  // Every kind of zod issue the file schemas can raise comes out coded, never as zod's English.
  it.each<[string, z.ZodType, unknown]>([
    ['missing', z.strictObject({ a: z.string() }), {}],
    ['a bare number for text', z.strictObject({ a: z.string() }), { a: 5 }],
    ['the wrong kind', z.strictObject({ a: z.array(z.string()) }), { a: 5 }],
    ['a whole number', z.strictObject({ a: z.number().int() }), { a: 1.5 }],
    ['true or false', z.strictObject({ a: z.boolean() }), { a: 1 }],
    ['one of', z.strictObject({ a: z.enum(['x', 'y']) }), { a: 'z' }],
    ['one of, missing', z.strictObject({ a: z.enum(['x', 'y']) }), {}],
    ['unknown fields', z.strictObject({ a: z.string().optional() }), { b: 1, c: 2 }],
    ['a tuple short', z.strictObject({ a: z.tuple([z.string(), z.string()]) }), { a: ['x'] }],
    ['a list short', z.strictObject({ a: z.array(z.string()).min(2) }), { a: ['x'] }],
    ['a list long', z.strictObject({ a: z.array(z.string()).max(1) }), { a: ['x', 'y'] }],
    ['empty text', z.strictObject({ a: z.string().min(1) }), { a: '' }],
    ['text too long', z.strictObject({ a: z.string().max(2) }), { a: 'xyz' }],
    ['too small', z.strictObject({ a: z.number().positive() }), { a: 0 }],
    ['too big', z.strictObject({ a: z.number().max(90) }), { a: 91 }],
    ['a format', z.strictObject({ a: z.string().regex(/^x$/) }), { a: 'y' }],
    ['a multiple', z.strictObject({ a: z.number().multipleOf(5) }), { a: 7 }],
    ['a tagged choice', z.strictObject({ a: z.discriminatedUnion('kind', [z.object({ kind: z.literal('x') }), z.object({ kind: z.literal('y') })]) }), { a: { kind: 'z' } }],
  ])('words zod’s check “%s” in both languages', (_case, schema, input) => {
    const result = schema.safeParse(input, { error: clerkIssues });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map(issueMessage);
    expect(messages.map((m) => m.key)).not.toContain('file.issue.invalid');
    expect(messages.flatMap((m) => check((l) => renderMessage(l, m), ['"b", "c"', '"x", "y"', '"z"', 'true', 'false']))).toEqual([]);
  });

  it('renders the problems of real bad files fully in the language asked for', () => {
    const tariffs = checkTariffFile({ tariffs: [{ code: 'AGR', name: '农业', class: 'farm', effectiveFrom: '2027-02-30', energy: { flatt: '0.5' }, tiers: { basis: 'monthly', bounds: [{ months: [1, 13], standard: [600, 260] }] } }, 5], extra: 1 });
    const policy = checkReferenceFile({ billingPolicy: [{ effectiveFrom: '2026-01-01', dueDays: 120, highBillFactor: '0.5', averageMonths: 12 }], tariffs: [] });
    const sheets = checkScoreSheetFile([{ code: 'kpi', effectiveFrom: '2025-1', name: 'x', fullScore: 100, adjustments: { min: 0, max: 0 }, pay: { method: 'guess' }, areas: [] }]);
    const all = [tariffs, policy, sheets].flatMap((r) => (r.ok ? [] : r.problems));
    expect(all.length).toBeGreaterThan(10);
    expect(all.map((m) => m.key).filter((k) => !k.startsWith('file.problem.') && !k.startsWith('file.tariff.') && !k.startsWith('file.sheet.'))).toEqual([]);
    const inFile = ['AGR', 'kpi', 'code', 'tiers.bounds', 'tiers', 'increments', 'prices', 'name', 'class', 'effectiveFrom', 'energy', 'tiers.bounds', 'months', 'standard', 'pay.method', 'areas', 'dueDays', 'highBillFactor', 'billingPolicy', '"extra"', '"tariffs"', '"flatt"', '"farm"', '"points", "pool"', '"guess"', '"residential", "commercial", "large_industry", "agricultural"', '{ "flat": "0.5" }'];
    expect(all.flatMap((m) => check((l) => renderMessage(l, m), inFile))).toEqual([]);
  });

  it('renders every refusal of the money and period rules, and every figure it can name', () => {
    expect(MONEY_REASONS.filter((r) => !(r in MONEY_SAMPLES))).toEqual([]);
    const problems = [
      ...MONEY_REASONS.flatMap((r) => check((l) => renderMessage(l, coded(`money.${r}`, MONEY_SAMPLES[r])), ['12,5'])),
      ...MONEY_WHATS.flatMap((w) => check((l) => renderMessage(l, coded('money.notDecimal', { what: coded(`money.what.${w}`), text: 'abc' })), ['abc'])),
      ...check((l) => renderMessage(l, coded('time.badPeriod', { value: '2026-13' }))),
    ];
    expect(problems).toEqual([]);
  });

  it('renders every detail of a refused sync file, alone and inside its refusal', () => {
    expect(SYNC_FILE_DETAILS.filter((d) => !(d in SYNC_DETAIL_SAMPLES))).toEqual([]);
    const problems = SYNC_FILE_DETAILS.flatMap((d) => [
      ...check((l) => renderMessage(l, fileDetail(d, SYNC_DETAIL_SAMPLES[d])), SYNC_AS_WRITTEN),
      ...check((l) => renderMessage(l, coded('sync.file.manifest', { detail: fileDetail(d, SYNC_DETAIL_SAMPLES[d]) })), SYNC_AS_WRITTEN),
    ]);
    expect(problems).toEqual([]);
  });

  it('renders every reason a backup file is refused, inside its refusal', () => {
    expect(BACKUP_FILE_REASONS.filter((r) => !(r in BACKUP_SAMPLES))).toEqual([]);
    const sqliteSaid = [BACKUP_SAMPLES.damaged!.detail as string, 'notes.db'];
    const problems = BACKUP_FILE_REASONS.flatMap((r) => check((l) => translate(l, 'error.backupFile', { file: 'notes.db', reason: renderMessage(l, backupFileReason(r, BACKUP_SAMPLES[r])) }), sqliteSaid));
    expect(problems).toEqual([]);
  });

  it('keeps every key under the rules’ prefixes in their lists (no orphan nor unlisted message)', () => {
    const listed = new Set<string>([
      ...BILLING_REASONS.map((r) => `billing.reason.${r}`),
      ...BILLING_QUANTITIES.map((q) => `billing.quantity.${q}`),
      ...TOU_PERIODS.map((p) => `billing.touWord.${p}`),
      ...READING_FLAG_CODES.map((c) => `reading.flag.${c}`),
      ...BILL_FLAG_CODES.map((c) => `billing.flag.${c}`),
      ...COLLECTION_REASONS.map((r) => `collection.reason.${r}`),
      ...COLLECTION_FIELDS.map((f) => `collection.field.${f}`),
      ...READING_INPUT_REASONS.map((r) => `reading.inputReason.${r}`),
      ...READING_INPUTS.map((i) => `reading.input.${i}`),
      ...FILE_MESSAGES.map((m) => `file.${m}`),
      'list.problems',
      'list.path',
      ...MONEY_REASONS.map((r) => `money.${r}`),
      ...MONEY_WHATS.map((w) => `money.what.${w}`),
      'time.badPeriod',
      ...SYNC_FILE_DETAILS.map((d) => `sync.fileDetail.${d}`),
      ...BACKUP_FILE_REASONS.map((r) => `backupFile.${r}`),
    ]);
    const prefixes = ['file.', 'list.', 'money.', 'time.', 'sync.fileDetail.', 'backupFile.', 'billing.reason.', 'billing.quantity.', 'billing.touWord.', 'reading.flag.', 'billing.flag.', 'collection.reason.', 'collection.field.', 'reading.inputReason.', 'reading.input.'];
    const unlisted = allMessages()
      .map((m) => m.key as string)
      .filter((k) => prefixes.some((p) => k.startsWith(p)) && !listed.has(k));
    expect(unlisted).toEqual([]);
  });
});

describe('the whole dictionary', () => {
  // Chinese beside English on purpose: the column names a customer file must have are Chinese.
  const CHINESE_IN_ENGLISH_ON_PURPOSE = new Set<string>(['customers.err.file.noHeader', 'service.segment.low_income']);

  it('has no Chinese in any English text', () => {
    const problems = allMessages()
      .filter((m) => !CHINESE_IN_ENGLISH_ON_PURPOSE.has(m.key))
      .flatMap((m) => untranslated('en', translate('en', m.key, numericParams(m.en))).map((p) => `${m.key}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('has no English sentence in any Chinese text (command lines and their options are allowed)', () => {
    // An English sentence shows itself by its small words; a command line (griddesk books add 本号
    // --unassigned) holds commands and options, never these.
    const SMALL_WORDS = /\b(the|is|are|was|a|an|of|to|for|and|must|not|be|has|have|with|cannot|got|given|should|than|this|that|please|missing|only)\b/i;
    const problems = allMessages()
      .map((m) => ({ key: m.key, text: translate('zh-CN', m.key, numericParams(m.zh)).replace(/--[\w-]+/g, ' ') }))
      .filter(({ text }) => SMALL_WORDS.test(text))
      .map(({ key, text }) => `${key}: ${text}`);
    expect(problems).toEqual([]);
  });
});

describe('coded messages', () => {
  it('store as JSON and render in either language; older free text stays as written', () => {
    const message = coded('billing.reason.missing', { what: quantity('kvarh', { standard: '0.90' }) });
    const stored = storeMessage(message);
    expect(readStoredMessage(stored)).toEqual(message);
    expect(renderStoredMessage('zh-CN', stored)).toBe('缺少功率因数考核（标准 0.90）所需的无功电量（kvarh）');
    expect(renderStoredMessage('en', stored)).toBe('reactive consumption (kvarh) for the power-factor assessment (standard 0.90) is missing');
    expect(renderStoredMessage('zh-CN', 'reactive consumption is missing')).toBe('reactive consumption is missing');
    expect(readStoredMessage('{"key":"no.such.key"}')).toBeNull();
    expect(readStoredMessage('{not json')).toBeNull();
  });

  it('the checker itself refuses English in Chinese and Chinese in English', () => {
    expect(untranslated('zh-CN', '无法计算：reactive consumption (kvarh) is missing')).not.toEqual([]);
    expect(untranslated('en', 'Cannot compute: 缺少无功电量')).not.toEqual([]);
    expect(untranslated('zh-CN', '缺少功率因数考核（标准 0.90）所需的无功电量（kvarh），账期 YYYY-MM')).toEqual([]);
    expect(untranslated('en', 'reactive consumption (kvarh) is missing')).toEqual([]);
    expect(hasMessage('billing.reason.missing' satisfies MessageKey)).toBe(true);
  });
});
