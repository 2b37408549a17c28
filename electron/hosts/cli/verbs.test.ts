import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../../shared/time';
import { SAMPLE_TARIFFS } from '../../backend/billing/testing/station';
import { runGriddesk } from './testing';

// The desks' other jobs from the command line, each verb run for real against one station
// (the month test covers the main line): staff administration, customer files and meters,
// books, keyboard entry, billing extras, corrections, waivers, reversal decisions, closings,
// arrears, audit and backups. `cli.invoke` refuses any channel a command did not declare, so
// running each verb also proves its declaration.

let dir: string;
let db: string;
const griddesk = (...args: string[]) => runGriddesk([...args, '--db', db]);
async function json(...args: string[]) {
  const run = await griddesk(...args, '--json');
  expect(run.code, `${args.join(' ')}\n${run.stderr}\n${run.stdout.slice(0, 2000)}`).toBe(0);
  return JSON.parse(run.stdout);
}
async function refused(args: string[], text: string) {
  const run = await griddesk(...args, '--lang', 'en');
  expect(run.code, `${args.join(' ')}: ${run.stdout}`).toBe(1);
  expect(run.stderr).toContain(text);
}

const TODAY = shanghaiDate(Date.now());
const PERIOD = TODAY.slice(0, 7);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddesk-cli-verbs-'));
  db = join(dir, 'griddesk.db');
  await json('init', '--station', 'GD01', '--name', '青山供电所', '--admin', 'A001', '--password', 'admin1234');
  await json('tariffs', 'import', SAMPLE_TARIFFS);
  for (const [no, roles] of [['HD01', 'station_head'], ['BC01', 'billing_clerk'], ['CL01', 'clerk'], ['MR01', 'meter_reader']]) {
    await json('staff', 'create', no!, '--name', `员工${no}`, '--roles', roles!, '--password', 'first1234');
    await json('password', '--staff', no!, '--current', 'first1234', '--new', 'second1234');
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('griddesk verbs beyond the month', () => {
  it('administers staff: roles, password reset, leaving and coming back', async () => {
    expect((await json('staff', 'roles', 'CL01', '--roles', 'clerk,meter_reader')).staff.roles).toEqual(['clerk', 'meter_reader']);
    const boss = await griddesk('staff', 'roles', 'CL01', '--roles', 'boss');
    expect(boss.code).toBe(2);
    expect(boss.stderr).toContain('boss 不是角色');
    expect((await json('staff', 'reset-password', 'MR01', '--password', 'reset1234')).staff.mustChangePassword).toBe(true);
    await json('password', '--staff', 'MR01', '--current', 'reset1234', '--new', 'third1234');
    expect((await json('staff', 'deactivate', 'MR01')).staff.active).toBe(false);
    await refused(['period', 'list', '--staff', 'MR01'], '--staff MR01: no active staff member');
    expect((await json('staff', 'activate', 'MR01')).staff.active).toBe(true);
    await refused(['staff', 'list', '--staff', 'CL01'], 'Next: act as a staff member who has this permission');
  });

  it('files customers, installs, replaces and removes meters, suspends and resumes', async () => {
    const created = await json('customers', 'create', '--name', '张三', '--township', '青山镇', '--village', '东村', '--area', '东村1号台区', '--class', 'residential', '--tariff', 'RES-GD', '--phone', '13912345678', '--opened', '2026-01-05', '--meter', 'V-001', '--digits', '6', '--start', '100', '--installed', '2026-01-05');
    const accountNo = created.customer.accountNo as string;
    await json('customers', 'create', '--name', '李四', '--township', '青山镇', '--village', '东村', '--area', '东村1号台区', '--class', 'residential', '--tariff', 'RES-GD', '--opened', '2026-01-05', '--meter', 'V-002', '--installed', '2026-01-05');
    expect((await json('customers', 'update', accountNo, '--phone', '13900000000')).customer).toMatchObject({ phone: '13900000000', name: '张三', tariffCode: 'RES-GD' });
    const installed = await json('meters', 'install', accountNo, '--meter', 'V-003', '--installed', '2026-02-01', '--label', '水泵');
    expect(installed.points).toHaveLength(2);
    const replaced = await json('meters', 'replace', 'V-003', '--final', '50', '--meter', 'V-004', '--installed', '2026-03-01');
    expect(replaced.points.flatMap((p: { meters: { meterNo: string; removedDate: string | null }[] }) => p.meters.filter((m) => m.removedDate === null).map((m) => m.meterNo)).sort()).toEqual(['V-001', 'V-004']);
    await json('meters', 'remove', 'V-004', '--final', '60', '--date', '2026-04-01', '--reason', '用户申请拆除');
    expect((await json('customers', 'suspend', accountNo, '--date', '2026-05-01', '--reason', '外出务工')).customer.status).toBe('suspended');
    expect((await json('customers', 'resume', accountNo, '--date', '2026-06-01', '--reason', '返乡')).customer.status).toBe('active');
    expect((await json('customers', 'list', '--village', '东村')).total).toBe(2);
    expect((await json('customers', 'history', accountNo)).events.length).toBeGreaterThan(4);
  });

  it('makes and changes a book, enters readings by keyboard, and bills with a correction approved by the station head', async () => {
    const { book } = await json('books', 'create', '--name', '东村一本', '--day', TODAY.slice(8, 10), '--staff', 'HD01');
    expect((await json('books', 'update', book.bookNo, '--reader', 'MR01', '--name', '东村甲本')).book).toMatchObject({ readerNo: 'MR01', name: '东村甲本' });
    await json('books', 'add', book.bookNo, 'V-001', 'V-002');
    expect((await json('books', 'unassigned')).total).toBe(0);
    await json('period', 'open', PERIOD);
    expect((await json('period', 'list')).rows[0]).toMatchObject({ period: PERIOD, status: 'open', due: 2 });

    const customers = (await json('customers', 'list')).rows as { accountNo: string; name: string }[];
    const zhang = customers.find((c) => c.name === '张三')!.accountNo;
    const li = customers.find((c) => c.name === '李四')!.accountNo;
    expect(await json('readings', 'enter', 'V-001', '--period', PERIOD, '--value', '300', '--date', TODAY, '--staff', 'MR01')).toMatchObject({ outcome: 'saved', reading: { consumption: 20000 } });
    expect(await json('readings', 'enter', li, '--period', PERIOD, '--value', '150', '--date', TODAY, '--staff', 'MR01')).toMatchObject({ outcome: 'saved' });
    expect((await json('period', 'status', PERIOD)).books[0]).toMatchObject({ due: 2, entered: 2 });
    expect((await json('readings', 'history', zhang)).rows[0]).toMatchObject({ period: PERIOD, consumption: 20000 });

    expect(await json('billing', 'status', '--period', PERIOD)).toMatchObject({ totals: { ready: 2 } });
    expect(await json('bill', '--period', PERIOD, '--staff', 'BC01')).toMatchObject({ billed: 2 });
    // A draft withdrawn, billed again, then everything issued.
    const drafts = (await json('bills', 'list', '--period', PERIOD)) as { billNo: string; account: string }[];
    expect((await json('bills', 'void', drafts.find((b) => b.account === li)!.billNo, '--reason', '重新核对', '--staff', 'BC01')).bill.status).toBe('voided');
    expect(await json('bill', '--period', PERIOD, '--staff', 'BC01')).toMatchObject({ billed: 1 });
    expect(await json('bills', 'issue', '--period', PERIOD, '--staff', 'BC01')).toMatchObject({ issued: 2 });
    expect((await json('billing', 'summary', '--period', PERIOD)).totals.bills).toBe(2);
    const out = join(dir, 'totals.xlsx');
    await json('billing', 'export', '--period', PERIOD, '--out', out);
    expect(existsSync(out)).toBe(true);

    // 张三 is really a shop: the file is corrected and so is the bill (更正), approved by the head.
    const zhangBill = ((await json('bills', 'list', '--period', PERIOD, '--account', zhang)) as { billNo: string; amountFen: number }[])[0]!;
    await json('customers', 'update', zhang, '--class', 'commercial', '--tariff', 'CI-FLAT');
    const preview = await json('corrections', 'preview', zhangBill.billNo);
    expect(preview.originalTotalFen).toBe(zhangBill.amountFen);
    expect(preview.differenceFen).not.toBe(0);
    expect((await json('corrections', 'request', zhangBill.billNo, '--reason', '用电性质应为商业', '--staff', 'BC01')).correction.status).toBe('pending');
    expect((await json('corrections', 'list', '--status', 'pending')).rows).toHaveLength(1);
    await refused(['corrections', 'approve', zhangBill.billNo], 'station head');
    const approved = await json('corrections', 'approve', zhangBill.billNo, '--note', '同意', '--staff', 'HD01');
    expect(approved.correction).toMatchObject({ status: 'approved', newBillNo: expect.any(String) });
    const account = await json('billing', 'account', zhang);
    expect(account.balanceFen).toBe(preview.newTotalFen);
  });

  it('waives a penalty, decides reversals, closes and signs off a day, and issues arrears papers', async () => {
    const customers = (await json('customers', 'list')).rows as { accountNo: string; name: string }[];
    const li = customers.find((c) => c.name === '李四')!.accountNo;
    const bill = ((await json('bills', 'list', '--period', PERIOD, '--account', li)) as { billNo: string; amountFen: number; status: string }[]).find((b) => b.status === 'issued')!;
    await refused(['waive', bill.billNo, '--reason', '困难户', '--staff', 'CL01'], 'needs the station head');
    expect(await json('waive', bill.billNo, '--reason', '困难户', '--whole', '--approver', 'HD01', '--approver-password', 'second1234', '--staff', 'CL01')).toMatchObject({ whole: true });

    const paid = await json('pay', li, '--amount', (bill.amountFen / 100).toFixed(2), '--channel', 'cash', '--staff', 'CL01');
    await json('reverse', paid.receiptNo, '--reason', '重复收费', '--staff', 'CL01');
    expect(await json('reversals', 'reject', paid.receiptNo, '--note', '不是重复收费', '--staff', 'HD01')).toEqual({ status: 'rejected' });
    expect((await json('reversals', 'list', '--all')).rows[0]).toMatchObject({ receiptNo: paid.receiptNo, status: 'rejected' });
    expect((await json('payments', li)).rows[0]).toMatchObject({ receiptNo: paid.receiptNo, status: expect.any(String) });
    expect(await json('day', '--staff', 'CL01')).toMatchObject({ paymentCount: 1 });

    // Counted 1 yuan short: the closing waits for the station head's sign-off.
    const short = ((bill.amountFen - 100) / 100).toFixed(2);
    const closing = await json('close-day', '--counted', short, '--reason', '少了一元', '--staff', 'CL01');
    expect(closing).toMatchObject({ differenceFen: -100, status: 'awaiting_sign_off' });
    expect((await json('closings', 'list', '--awaiting')).rows).toHaveLength(1);
    expect((await json('closings', 'show', closing.closingId)).payments).toHaveLength(1);
    expect((await json('closings', 'sign-off', closing.closingId, '--note', '已补齐', '--staff', 'HD01')).status).toBe('signed_off');
    const report = join(dir, 'closing.xlsx');
    await json('closings', 'export', closing.closingId, '--out', report);
    expect(existsSync(report)).toBe(true);

    const zhang = customers.find((c) => c.name === '张三')!.accountNo;
    const arrears = join(dir, 'arrears.xlsx');
    await json('arrears', 'export', '--out', arrears);
    expect(existsSync(arrears)).toBe(true);
    // The bills are not overdue yet: no reminder and no disconnection notice, and the refusals say why.
    await refused(['arrears', 'remind', zhang, '--days', '10'], 'No customer in arrears to remind');
    await refused(['arrears', 'remind', '--book', 'B001'], 'No customer in arrears to remind');
    await refused(['arrears', 'notice', zhang], `Account ${zhang} has no overdue arrears`);
  });

  it('reads the audit log and keeps backups in the station\'s folder', async () => {
    const audit = await json('audit', '--action', 'staff.create');
    expect(JSON.stringify(audit.rows)).toContain('HD01');
    expect(audit.rows.length).toBeGreaterThanOrEqual(4);
    expect((await json('audit', '--actions')).actions).toContain('payment.post');
    const backup = await json('backups', 'run');
    expect(typeof backup.file).toBe('string');
    expect((await json('backups', 'list')).rows.some((r: { kind: string }) => r.kind === 'manual')).toBe(true);
  });
});
