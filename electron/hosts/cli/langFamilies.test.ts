import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasMessage } from '../../../shared/i18n';
import { SAMPLE_TARIFFS } from '../../backend/billing/testing/station';
import { COMMANDS } from './commands';
import { findCommand } from './run';
import { runGriddesk } from './testing';

// Every command family's success path in both languages (issue 21, "--lang applies to every
// message"), on a small demo station with a few months of readings, bills, payments, appraisals
// and service data. English output may hold Han text only where it is the station's own data
// (names, addresses: anything stored in the database); Chinese output may hold no English
// sentence once commands, options and codes are taken out; neither may show a dictionary key
// (a line whose key is missing prints the key itself). A new line printed in English only fails
// here, and a new command without a case that succeeds in both languages fails the coverage check
// below unless VERBS_NOT_RUN says where its lines are tested instead.

/** Families not run here, with the reason (each is run by its own test). */
const NOT_RUN: Record<string, string> = {
  serve: 'runs until Ctrl+C; its one line is cli.serve.running',
  hq: 'head office opens PGlite (about 10 s a run on the shared machine); hq lines go through cli.hq.* keys',
  receipt: 'prints through Chromium (collection e2e); its line is cli.receipt.saved',
  print: 'prints through Chromium (collection e2e); its lines are cli.print.*',
};

/**
 * Commands whose success is not run here in both languages, with the reason (the families above
 * included). Every other command has a case below that succeeds in English and in Chinese.
 */
const VERBS_NOT_RUN: Record<string, string> = {
  'period close': 'needs every meter of the station read and reviewed; month.test.ts closes a period (Chinese), the refusal is run here in both',
  'readings import': 'needs a filled workbook; readings.test.ts and month.test.ts import one, the blank file\'s row messages are run here in both',
  'bills notice': 'prints through Chromium (billing e2e); its line is cli.bills.printed',
  'appraisal print': 'prints through Chromium (appraisal e2e); its line is cli.savedBytes',
  'bills review': 'needs a flagged draft bill; billing.test.ts reviews one, the refusal for an issued bill is run here in both',
  'bills void': 'needs a draft bill; billing.test.ts voids one, the refusal for an issued bill is run here in both',
  'corrections request': 'needs a reading corrected after billing; billing.test.ts requests one, the "nothing changes" refusal is run here in both',
  'corrections approve': 'needs a pending correction (see corrections request); the refusal is run here in both',
  'corrections reject': 'needs a pending correction (see corrections request); the refusal is run here in both',
  'sync ack': 'needs a batch acknowledged by a head office key; sync.test.ts',
  'sync apply': 'needs a reference pack signed by a head office key; sync.test.ts',
  'sync notice-read': 'needs a notice from a head office pack; sync.test.ts',
  'sync push': 'needs a head office listening (hq serve); sync.test.ts',
  'sync pull': 'needs a head office listening (hq serve); sync.test.ts',
  'sync trust': 'needs a head office public key file; sync.test.ts',
  'sync bootstrap': 'needs a bootstrap file signed by a head office; sync.test.ts',
};

const dir = mkdtempSync(join(tmpdir(), 'griddesk-langf-'));
const db = join(dir, 'station.db');
/** A copy of the station taken before the cases: the Chinese run of a command that succeeds only once on a station (period open) runs on it. */
const twin = join(dir, 'twin.db');
let dataText = '';
const ctx = {
  bill: '',
  bill2: '',
  receipt: '',
  account: 'QS010000001',
  account2: 'QS010000002',
  account3: 'QS010000003',
  period: '2026-11',
  /** Receipts for reverse/approve (en, zh) and reverse/reject (en, zh). */
  receipts: [] as string[],
  /** Meterless customers filed for `customers close` (en, zh). */
  closing: [] as string[],
  /** Bills with a penalty to waive (en, zh). */
  penalties: [] as string[],
};
const byLang = <T,>(l: 'en' | 'zh-CN', pair: readonly T[]): T => pair[l === 'en' ? 0 : 1] as T;

function query<T>(text: string, ...params: unknown[]): T[] {
  const store = new Database(db, { readonly: true });
  try {
    return store.prepare(text).all(...params) as T[];
  } finally {
    store.close();
  }
}

/**
 * Meters outside book B001 (billed by the cases) with room on their register for a reading far
 * above their usual: the review cases enter one each and decide it (en, zh per verb).
 */
let flaggable: { meterNo: string; value: string; usual: string }[] | undefined;
function flagged(i: number): { meterNo: string; value: string; usual: string } {
  if (!existsSync(db)) return { meterNo: 'METER', value: 'N', usual: 'N' }; // the test's title, before the station exists
  flaggable ??= query<{ meter_no: string; digits: number; prev: number }>(`
    SELECT m.meter_no, m.digits, (SELECT r.value FROM readings r WHERE r.meter_id = m.id ORDER BY r.period DESC, r.entered_at DESC LIMIT 1) AS prev
    FROM meters m JOIN metering_points p ON p.id = m.point_id JOIN customers c ON c.id = p.customer_id
    JOIN book_points bp ON bp.point_id = p.id JOIN books b ON b.id = bp.book_id
    WHERE m.removed_date IS NULL AND m.tou = 0 AND b.book_no <> 'B001' AND c.account_no NOT IN (?, ?, ?, 'QS010000013')
    ORDER BY m.meter_no`, ctx.account, ctx.account2, ctx.account3)
    .filter((m) => m.prev !== null && m.prev + 500_000 < 10 ** m.digits * 100)
    .map((m) => ({ meterNo: m.meter_no, value: String((m.prev + 500_000) / 100), usual: String((m.prev + 1_000) / 100) }));
  const meter = flaggable[i];
  if (!meter) throw new Error(`no meter ${i} to flag`);
  return meter;
}
/** The day closings made by the close-day cases (en, zh). */
const closingOf = (l: 'en' | 'zh-CN') =>
  !existsSync(db)
    ? 'CLOSING_ID' // the test's title, before the station exists
    : query<{ id: string }>(`SELECT d.id FROM day_closings d JOIN staff s ON s.id = d.clerk_id WHERE s.staff_no = ? ORDER BY d.closed_at DESC LIMIT 1`, byLang(l, ['C001', 'C002']))[0]?.id ?? 'CLOSING_ID'; // none yet: the coverage check reads the command name only

const HAN = /\p{Script=Han}+/gu;
const ENGLISH_SENTENCE = /\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}\b/;

/** Every text value stored in the station's database, where Han text in English output may come from. */
function readDataText(): string {
  const store = new Database(db, { readonly: true });
  try {
    const tables = store.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    const parts: string[] = [];
    for (const t of tables) {
      for (const row of store.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][]) for (const v of row) if (typeof v === 'string' && /\p{Script=Han}/u.test(v)) parts.push(v);
    }
    return parts.join('\n');
  } finally {
    store.close();
  }
}

function foreignHan(text: string): string[] {
  const runs = [...text.matchAll(HAN)].map((m) => m[0]);
  if (runs.some((r) => !dataText.includes(r))) dataText = readDataText();
  return runs.filter((r) => !dataText.includes(r));
}

/** Chinese output without what stays English in both languages: commands, options, placeholders, codes, paths. */
function withoutCommandWords(text: string): string {
  return text
    .replaceAll(dir, 'DIR')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, 'ID')
    .replace(/griddesk(?: (?:[a-z][\w-]*|--[\w-]+|[A-Z][A-Z_.…]+|\[[^\]]*\]|[A-Z0-9-]+|[a-z|]+))*/g, ' ')
    .replace(/--[\w-]+(?:[ =][A-Z_][A-Z_0-9.|…]*)?/g, ' ')
    .replace(/\b[a-z]+(?:_[a-z]+)+\b/g, ' ')
    .replace(/\b(?:QR code|WeChat|Alipay)\b/g, ' ');
}

/** Words that are dictionary keys (cli.pay.balance, customers.status.active): a line whose words were not found. */
function rawKeys(text: string): string[] {
  return [...text.matchAll(/\b[a-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+\b/g)].map((m) => m[0]).filter((word) => hasMessage(word));
}

type Args = (lang: 'en' | 'zh-CN') => string[];
/** [arguments, exit code in English, exit code in Chinese (when the second run is refused for a reason of its own)] */
const CASES: [Args, number, number | undefined, boolean][] = [];
const both = (args: string[], code = 0, zhCode?: number, words = true) => CASES.push([() => args, code, zhCode, words]);
const each = (args: Args, code = 0, zhCode?: number, words = true) => CASES.push([args, code, zhCode, words]);
const out = (name: string) => (lang: string) => join(dir, `${lang}-${name}`);

// platform
both(['check']);
each((l) => ['backup', '--out', out('copy.db')(l)]);
both(['backups', 'list']);
both(['backups', 'run']);
both(['audit', '--limit', '3'], 0, undefined, false); // codes and the stored summaries: no words of its own
both(['version'], 0, undefined, false); // names and numbers only (answered before the dictionary loads, for start-up)
each((l) => ['init', '--station', 'ZZ01', '--name', 'Test', '--admin', 'A001', '--password', 'admin1234', '--db', out('new.db')(l)]);
each((l) => ['restore', '--from', out('copy.db')(l), '--db', out('restored.db')(l)]);
each((l) => ['demo', '--customers', '10', '--months', '1', '--db', out('demo.db')(l)]);
// staff
each((l) => ['staff', 'create', l === 'en' ? 'R101' : 'R102', '--name', 'Reader', '--roles', 'meter_reader', '--password', 'first1234']);
both(['staff', 'list']);
both(['staff', 'roles', 'R101', '--roles', 'meter_reader,clerk']);
both(['staff', 'reset-password', 'R101', '--password', 'again1234']);
both(['staff', 'unlock', 'R101']);
each((l) => ['staff', 'deactivate', l === 'en' ? 'R101' : 'R102']);
each((l) => ['staff', 'activate', l === 'en' ? 'R101' : 'R102']);
each((l) => ['password', '--staff', l === 'en' ? 'R101' : 'R102', '--current', l === 'en' ? 'again1234' : 'first1234', '--new', 'third1234']);
// customers
each((l) => ['customers', 'template', '--out', out('template.xlsx')(l)]);
each((l) => ['customers', 'import', out('template.xlsx')(l)]);
each((l) => ['customers', 'export', '--out', out('customers.xlsx')(l)]);
both(['customers', 'search', '马']);
each(() => ['customers', 'show', ctx.account]);
both(['customers', 'list', '--limit', '3']);
each(() => ['customers', 'history', ctx.account]);
each((l) => ['customers', 'create', '--name', `New ${l}`, '--township', 'T', '--village', 'V', '--area', 'A1', '--class', 'residential', '--tariff', 'RES-GD', '--meter', `NM-${l}`, '--start', '0']);
each(() => ['customers', 'update', ctx.account, '--phone', '13900000000']);
each((l) => ['customers', 'suspend', byLang(l, [ctx.account2, ctx.account3]), '--reason', 'away']);
each((l) => ['customers', 'resume', byLang(l, [ctx.account2, ctx.account3]), '--reason', 'back']);
each((l) => ['customers', 'close', byLang(l, ctx.closing), '--reason', 'moved away']);
each((l) => ['meters', 'replace', `NM-${l}`, '--final', '0', '--meter', `NM2-${l}`]);
each((l) => ['meters', 'remove', `NM2-${l}`, '--final', '0']);
each((l) => ['meters', 'install', ctx.account, '--meter', `NM3-${l}`, '--installed', '2026-12-01']);
// books and readings
both(['books', 'list']);
both(['books', 'show', 'B001']);
both(['books', 'update', 'B001', '--day', '3']);
each((l) => ['books', 'create', '--name', `Book ${l}`, '--day', '9']);
both(['books', 'unassigned']);
each((l) => ['books', 'add', 'B001', `NM3-${l}`]);
each(() => ['books', 'reorder', 'B001', ctx.account]);
both(['period', 'list']);
each(() => ['period', 'status', ctx.period]);
each((l) => ['period', 'open', '2026-12', ...(l === 'en' ? [] : ['--db', twin])]); // opens once a station: Chinese on the twin
both(['period', 'close', '2026-12'], 1);
each(() => ['readings', 'list', '--period', ctx.period, '--book', 'B001']);
each((l) => ['readings', 'export', '--book', 'B001', '--period', '2026-12', '--out', out('B001.xlsx')(l)]);
each((l) => ['readings', 'import', out('B001.xlsx')(l), '--period', '2026-12'], 1); // the blank file: every row says what is missing
each(() => ['readings', 'history', ctx.account]);
each((l) => ['readings', 'enter', `NM3-${l}`, '--period', '2026-12', '--value', '0', '--date', '2026-12-05']);
both(['review', 'list', '--period', '2026-12']);
each((l) => ['review', 'accept', `NM3-${l}`, '--period', '2026-12', '--note', 'ok', '--staff', 'B001']);
// A reading far above the usual waits for review; each decision on one of its own.
each((l) => ['readings', 'enter', flagged(byLang(l, [0, 1])).meterNo, '--period', '2026-12', '--value', flagged(byLang(l, [0, 1])).value, '--date', '2026-12-05']);
each((l) => ['readings', 'enter', flagged(byLang(l, [2, 3])).meterNo, '--period', '2026-12', '--value', flagged(byLang(l, [2, 3])).value, '--date', '2026-12-05']);
each((l) => ['readings', 'enter', flagged(byLang(l, [4, 5])).meterNo, '--period', '2026-12', '--value', flagged(byLang(l, [4, 5])).value, '--date', '2026-12-05']);
each((l) => ['review', 'reject', flagged(byLang(l, [0, 1])).meterNo, '--period', '2026-12', '--note', 'check on site', '--staff', 'B001']);
each((l) => ['review', 'estimate', flagged(byLang(l, [2, 3])).meterNo, '--period', '2026-12', '--value', flagged(byLang(l, [2, 3])).usual, '--reason', 'estimated', '--staff', 'B001']);
each((l) => ['review', 'correct', flagged(byLang(l, [4, 5])).meterNo, '--period', '2026-12', '--value', flagged(byLang(l, [4, 5])).usual, '--reason', 'misread', '--staff', 'B001']);
// billing
both(['tariffs', 'import', SAMPLE_TARIFFS]);
both(['tariffs', 'list']);
both(['bill', '--period', '2026-12', '--book', 'B001']);
both(['bills', 'issue', '--period', '2026-12', '--book', 'B001']);
each(() => ['bills', 'list', '--period', ctx.period, '--book', 'B001']);
each(() => ['bills', 'show', ctx.bill]);
each(() => ['billing', 'status', '--period', ctx.period]);
each(() => ['billing', 'exceptions', '--period', ctx.period]);
each(() => ['billing', 'summary', '--period', ctx.period]);
each((l) => ['billing', 'export', '--period', ctx.period, '--out', out('billing.xlsx')(l)]);
each(() => ['billing', 'account', ctx.account]);
each(() => ['billing', 'extras', ctx.account, '--period', '2026-12', '--kvarh', '10']);
each(() => ['bills', 'review', ctx.bill], 1);
each(() => ['bills', 'void', ctx.bill, '--reason', 'x'], 1);
each(() => ['corrections', 'preview', ctx.bill]);
each((l) => ['corrections', 'request', l === 'en' ? ctx.bill : ctx.bill2, '--reason', 'wrong reading'], 1); // nothing changed since billing: refused, with the reason
both(['corrections', 'list']);
each((l) => [`corrections`, l === 'en' ? 'approve' : 'reject', l === 'en' ? ctx.bill : ctx.bill2, '--note', 'checked', '--staff', 'H001'], 1);
// counter
each(() => ['balance', ctx.account]);
each((l) => ['pay', l === 'en' ? ctx.account : ctx.account2, '--amount', '1.00', '--channel', 'cash', '--staff', byLang(l, ['C001', 'C002'])]); // cash in both drawers: each close-day below is short and needs signing off
both(['payments', '--limit', '3']);
each((l) => ['reverse', byLang(l, ctx.receipts), '--reason', 'wrong', '--staff', 'C001']);
both(['reversals', 'list']);
each((l) => ['reversals', 'approve', byLang(l, ctx.receipts), '--staff', 'H001']);
each(() => ['reversals', 'reject', ctx.receipts[0]!, '--note', 'no', '--staff', 'H001'], 1); // already approved: refused
each((l) => ['reverse', byLang(l, ctx.receipts.slice(2)), '--reason', 'wrong', '--staff', 'C001']);
each((l) => ['reversals', 'reject', byLang(l, ctx.receipts.slice(2)), '--note', 'paid in full', '--staff', 'H001']);
both(['arrears']);
each((l) => ['arrears', 'export', '--out', out('arrears.xlsx')(l)]);
both(['arrears', 'remind', 'QS010000013', '--staff', 'C001']);
both(['waive', 'QS01-B-00000001', '--reason', 'hardship', '--staff', 'H001'], 1);
each((l) => ['waive', byLang(l, ctx.penalties), '--reason', 'hardship', '--staff', 'H001']);
both(['arrears', 'notice', 'QS010000013', '--staff', 'H001']);
both(['day', '--staff', 'C001']);
both(['day', 'station', '--staff', 'H001']);
each((l) => ['close-day', '--staff', l === 'en' ? 'C001' : 'C002', '--counted', '0', '--reason', 'counted again']);
both(['closings', 'list']);
each((l) => ['closings', 'show', closingOf(l)]);
each((l) => ['closings', 'export', closingOf(l), '--out', out('closing.xlsx')(l)]);
each((l) => ['closings', 'sign-off', closingOf(l), '--note', 'checked', '--staff', 'H001']);
// appraisal
both(['appraisal', 'sheets', 'list']);
both(['appraisal', 'sheets', 'import', 'docs/appraisal/kpi-100.json']);
both(['appraisal', 'compute', '--period', '2026-11']);
both(['appraisal', 'summary', '--period', '2026-11']);
both(['appraisal', 'list', '--of', 'M001']);
both(['appraisal', 'show', '--of', 'M001', '--period', '2026-11']);
both(['appraisal', 'drill', '--of', 'M001', '--period', '2026-11', '--kpi', 'reading.errorRate']);
both(['appraisal', 'trend', '--of', 'M001', '--to', '2026-11']);
both(['appraisal', 'start-date', '--of', 'R101', '--date', '2026-11-20']);
// A signed sheet revised, adjusted, acknowledged by its holder and signed again (en M002, zh M003).
each((l) => ['appraisal', 'revise', '--of', byLang(l, ['M002', 'M003']), '--period', '2026-11', '--reason', 'recheck', '--staff', 'H001']);
each((l) => ['appraisal', 'adjust', '--of', byLang(l, ['M002', 'M003']), '--period', '2026-11', '--points=-1', '--reason', 'late', '--staff', 'H001']);
each((l) => ['appraisal', 'acknowledge', '--staff', byLang(l, ['M002', 'M003']), '--period', '2026-11']);
each((l) => ['appraisal', 'sign', '--of', byLang(l, ['M002', 'M003']), '--period', '2026-11', '--staff', 'H001']);
each((l) => ['appraisal', 'export-rows', '--staff', 'M001', '--period', '2026-11', '--kpi', 'reading.errorRate', '--out', out('rows.xlsx')(l)]);
each((l) => ['appraisal', 'export', '--period', '2026-11', '--out', out('appraisal.xlsx')(l)]);
// sync
both(['sync', 'status']);
each((l) => ['sync', 'export', '--out', join(dir, `${l}-sync`)], 0);
each((l) => ['sync', 'enrol', '--out', out('enrol.gdsync')(l)]);
both(['sync', 'rotate-key']);
// service
each((l) => ['service', 'orders', 'create', '--kind', 'repair', '--content', '家里停电', '--account', ctx.account]);
both(['service', 'orders', 'list']);
both(['service', 'orders', 'due']);
both(['service', 'orders', 'alerts']);
both(['service', 'orders', 'staff']);
both(['service', 'visits', 'list']);
both(['service', 'calendar', 'list', '--year', '2026']);
both(['service', 'policy']);
both(['service', 'segments', 'compute', '--period', '2026-11']);
both(['service', 'segments', 'list', '--period', '2026-11', '--purpose', 'remind']);
each(() => ['service', 'segments', 'tags', ctx.account]);
each((l) => ['service', 'segments', 'tag', ctx.account, '--tag', 'elderly_alone', '--reason', 'lives alone', ...(l === 'en' ? [] : ['--clear'])]);
each((l) => ['service', 'reminders', 'export', '--period', '2026-11', '--format', 'xlsx', '--out', out('remind.xlsx')(l)]);
both(['service', 'report', '--from', '2026-09', '--to', '2026-11']);

beforeAll(async () => {
  const demo = await runGriddesk(['demo', '--customers', '30', '--months', '3', '--db', db, '--json']);
  expect(demo.code, demo.stderr).toBe(0);
  const bills = JSON.parse((await runGriddesk(['bills', 'list', '--period', ctx.period, '--db', db, '--json'])).stdout) as { billNo: string; account: string; status: string }[];
  const issued = bills.filter((b) => b.status === 'issued');
  ctx.bill = issued[0]!.billNo;
  ctx.bill2 = issued[1]!.billNo;
  const payments = JSON.parse((await runGriddesk(['payments', '--limit', '4', '--db', db, '--json'])).stdout) as { rows: { receiptNo: string }[] };
  ctx.receipt = payments.rows[0]!.receiptNo;
  ctx.receipts = payments.rows.map((r) => r.receiptNo);
  for (const l of ['en', 'zh-CN']) {
    const filed = await runGriddesk(['customers', 'create', '--name', `Leaving ${l}`, '--township', 'T', '--village', 'V', '--area', 'A1', '--class', 'residential', '--db', db, '--json']);
    ctx.closing.push((JSON.parse(filed.stdout) as { customer: { accountNo: string } }).customer.accountNo);
  }
  const owed = JSON.parse((await runGriddesk(['balance', 'QS010000013', '--db', db, '--json'])).stdout) as { bills: { billNo: string; penaltyFen: number }[] };
  ctx.penalties = owed.bills.filter((b) => b.penaltyFen > 0).map((b) => b.billNo);
  expect(ctx.receipts.length === 4 && ctx.penalties.length >= 2, 'the demo station has receipts to reverse and penalties to waive').toBe(true);
  expect((await runGriddesk(['backup', '--out', twin, '--db', db])).code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('every command family in the language asked for', () => {
  it('has a case for every command family (or says why not)', () => {
    const run = new Set(CASES.map(([args]) => findCommand(args('en'))?.name.split(' ')[0]));
    const families = new Set(COMMANDS.map((c) => c.name.split(' ')[0]!));
    const missing = [...families].filter((f) => !run.has(f) && !NOT_RUN[f]);
    expect(missing, 'command families with no case in langFamilies.test.ts').toEqual([]);
  });

  it('has a case that succeeds in both languages for every command (or says why not)', () => {
    const families = new Set(Object.keys(NOT_RUN));
    const succeeds = new Set(CASES.filter(([, code, zhCode]) => code === 0 && (zhCode ?? 0) === 0).map(([args]) => findCommand(args('en'))?.name));
    const missing = COMMANDS.map((c) => c.name).filter((name) => !succeeds.has(name) && !VERBS_NOT_RUN[name] && !families.has(name.split(' ')[0]!));
    expect(missing, 'commands whose success lines no case renders in both languages').toEqual([]);
    const stale = Object.keys(VERBS_NOT_RUN).filter((name) => succeeds.has(name) || !COMMANDS.some((c) => c.name === name));
    expect(stale, 'VERBS_NOT_RUN entries that now have a case (or name no command)').toEqual([]);
  });

  for (const [args, code, zhCode, words] of CASES) {
    it(`griddesk ${args('en').join(' ').replaceAll(dir, '…')}`, async () => {
      const en = await runGriddesk(['--db', db, ...args('en'), '--lang', 'en']);
      const enText = `${en.stdout}\n${en.stderr}`;
      expect(en.code, enText).toBe(code);
      expect(enText.trim().length).toBeGreaterThan(0);
      expect(foreignHan(enText), `Han text in English output that is not the station's data:\n${enText}`).toEqual([]);
      expect(rawKeys(enText), `dictionary keys printed instead of their words:\n${enText}`).toEqual([]);

      const zh = await runGriddesk(['--db', db, ...args('zh-CN'), '--lang', 'zh-CN']);
      const zhText = `${zh.stdout}\n${zh.stderr}`;
      expect(zh.code, zhText).toBe(zhCode ?? code);
      if (words) expect(/\p{Script=Han}/u.test(zhText), `no Chinese in Chinese output:\n${zhText}`).toBe(true);
      expect(rawKeys(zhText), `dictionary keys printed instead of their words:\n${zhText}`).toEqual([]);
      const sentence = ENGLISH_SENTENCE.exec(withoutCommandWords(zhText));
      expect(sentence?.[0], `English sentence in Chinese output:\n${zhText}`).toBeUndefined();
    });
  }
});
