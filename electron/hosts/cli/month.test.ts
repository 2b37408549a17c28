import XLSX from 'xlsx';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHEET_COLUMNS, sheetRowOf } from '../../../shared/customers/sheet';
import { addDays, shanghaiDate } from '../../../shared/time';
import { SAMPLE_TARIFFS } from '../../backend/billing/testing/station';
import { newCustomerInput, newMeterInput } from '../../backend/customers/fixtures';
import { writeWorkbook } from '../../backend/customers/workbook/write';
import { runGriddesk } from './testing';

// One month of a station from an empty folder, with the `griddesk` command alone (issue 21):
// set up, tariffs, 50 customers, staff, a book; open the period, import readings, review the
// flagged one, close; bill, review the flagged bill, issue; pay, reverse with approval, close
// the day. Every total is checked against figures worked out here from the tariff price.

let dir: string;
let db: string;
const griddesk = (...args: string[]) => runGriddesk(args);
const json = async (...args: string[]) => {
  const run = await griddesk(...args, '--json');
  expect(run.code, `${args.join(' ')}\n${run.stderr}\n${run.stdout.slice(0, 3000)}`).toBe(0);
  return JSON.parse(run.stdout);
};
const ok = async (...args: string[]) => {
  const run = await griddesk(...args);
  expect(run.code, `${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run.stdout;
};

const PERIOD = '2026-10';
const N = 50;
/** Customer i (1…50) used 100 + i kWh, except customer 7, whose meter did not move (flagged zero). */
const kwhOf = (i: number) => (i === 7 ? 0 : 100 + i);
/** RES-GD tier 1 is 0.59886875 yuan/kWh; every customer stays in tier 1. Fen, rounded half up. */
const fenOf = (kwh: number) => Number((BigInt(kwh) * 59_886_875n + 500_000n) / 1_000_000n);
const account = (i: number) => `GD01${String(i).padStart(7, '0')}`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'griddesk-month-'));
  db = join(dir, 'station.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a station\'s month with the griddesk command alone', () => {
  it('sets up the station, tariffs, 50 customers, staff and a book', async () => {
    // Global options stand anywhere: before the command here.
    await ok('--db', db, 'init', '--station', 'GD01', '--name', '青山供电所', '--admin', 'A001', '--password', 'admin1234');
    expect(await ok('--db', db, 'tariffs', 'import', SAMPLE_TARIFFS)).toContain('载入电价版本 7 个');

    const rows = Array.from({ length: N }, (_, k) => {
      const i = k + 1;
      // Customer 50 is filed without a tariff: billing must say so, by name.
      return sheetRowOf(
        { ...newCustomerInput({ name: `用户${i}`, phone: `139${String(10_000_000 + i)}`, tariffCode: i === N ? null : 'RES-GD' }), accountNo: '', status: 'active', statusDate: '2026-09-01' },
        { label: '', meter: newMeterInput({ meterNo: `M${1000 + i}`, installDate: '2026-09-01' }) },
      );
    });
    const workbook = join(dir, 'customers.xlsx');
    writeFileSync(workbook, await writeWorkbook([{ name: '客户', rows: [SHEET_COLUMNS.map((c) => c.header), ...rows] }]));
    expect(await ok('customers', 'import', workbook, '--commit', '--db', db)).toContain(`已导入 ${N} 户`);

    for (const [no, name, roles] of [
      ['HD01', '王所长', 'station_head'],
      ['BC01', '李核算', 'billing_clerk'],
      ['CL01', '赵营业', 'clerk'],
      ['MR01', '钱抄表', 'meter_reader'],
    ] as const) {
      const { staff } = await json('staff', 'create', no, '--name', name, '--roles', roles, '--password', 'first1234', '--db', db);
      expect(staff).toMatchObject({ staffNo: no, roles: [roles], mustChangePassword: true });
      // New staff change the password first; until then the back end refuses them, with the way out.
      if (no === 'HD01') {
        const refused = await griddesk('period', 'list', '--staff', no, '--db', db, '--lang', 'en');
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('griddesk password --staff NO');
      }
      await ok('password', '--staff', no, '--current', 'first1234', '--new', 'second1234', '--db', db);
    }
    const staffList = (await json('staff', 'list', '--db', db)).rows as { staffNo: string; mustChangePassword: boolean }[];
    expect(staffList.map((s) => [s.staffNo, s.mustChangePassword])).toEqual(expect.arrayContaining([['HD01', false], ['CL01', false]]));

    // No book yet: opening the period says so in English, with the next command.
    const early = await griddesk('period', 'open', PERIOD, '--db', db, '--lang', 'en', '--staff', 'HD01');
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('Nothing to open: no active book');
    expect(early.stderr).toContain('Next: create a reading book and put meters in it: griddesk books create');
    expect(early.stderr).not.toMatch(/[\u4e00-\u9fff]/);
    // A clerk may not open periods: the same permission as the desk.
    const clerk = await griddesk('period', 'open', PERIOD, '--db', db, '--staff', 'CL01', '--lang', 'en');
    expect(clerk.code).toBe(1);
    expect(clerk.stderr).toContain('--staff NO');

    const { book } = await json('books', 'create', '--name', '东村一本', '--day', '20', '--reader', 'MR01', '--db', db, '--staff', 'HD01');
    expect(book).toMatchObject({ bookNo: 'B001', readerNo: 'MR01', readingDay: 20 });
    expect(await json('books', 'unassigned', '--db', db)).toMatchObject({ total: N });
    expect(await json('books', 'add', 'B001', '--unassigned', '--db', db, '--staff', 'HD01')).toMatchObject({ moved: N, book: { points: N } });
    // The last two meters are read first on the round.
    await ok('books', 'reorder', 'B001', account(50), 'M1049', '--db', db, '--staff', 'HD01');
    const shown = await json('books', 'show', 'B001', '--db', db);
    expect(shown.points.slice(0, 3).map((p: { accountNo: string }) => p.accountNo)).toEqual([account(50), account(49), account(1)]);
  });

  it('opens the period, imports readings, reviews the flagged one and closes', async () => {
    expect(await json('--staff', 'HD01', 'period', 'open', PERIOD, '--db', db)).toMatchObject({ period: PERIOD, books: 1, due: N });

    const file = join(dir, 'B001.xlsx');
    await ok('readings', 'export', '--book', 'B001', '--period', PERIOD, '--out', file, '--db', db);
    const sheetBook = XLSX.read(readFileSync(file), { type: 'buffer' });
    const sheet = XLSX.utils.sheet_to_json<(string | number)[]>(sheetBook.Sheets[sheetBook.SheetNames[0]!]!, { header: 1 });
    const meterCol = sheet[0]!.findIndex((h) => String(h).includes('表号'));
    for (const row of sheet.slice(1)) {
      const i = Number(String(row[meterCol]).slice(1)) - 1000; // meter M10ii
      row[8] = kwhOf(i);
      row[9] = `${PERIOD}-20`;
    }
    const out = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(out, XLSX.utils.aoa_to_sheet(sheet), 'B001');
    writeFileSync(file, XLSX.write(out, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const imported = await json('readings', 'import', file, '--period', PERIOD, '--commit', '--db', db, '--staff', 'MR01');
    expect(imported.committed).toMatchObject({ saved: N });
    expect(imported.preview).toMatchObject({ rows: N, flagged: 1, errors: 0 });

    // The flagged reading blocks the close, and the refusal names the way forward.
    const blocked = await griddesk('period', 'close', PERIOD, '--db', db, '--staff', 'HD01', '--lang', 'en');
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('B001 1 awaiting review');
    expect(blocked.stderr).toContain(`Next: griddesk review list --period ${PERIOD}`);

    const queue = await json('review', 'list', '--period', PERIOD, '--db', db, '--staff', 'BC01');
    expect(queue.rows).toHaveLength(1);
    expect(queue.rows[0]).toMatchObject({ accountNo: account(7), reading: { consumption: 0, flags: [expect.objectContaining({ code: 'zero' })] } });
    expect(await ok('review', 'accept', account(7), '--period', PERIOD, '--note', '空房，无人居住', '--db', db, '--staff', 'BC01')).toContain('已接受');
    expect((await json('review', 'list', '--period', PERIOD, '--db', db)).rows).toEqual([]);

    const closed = await json('period', 'close', PERIOD, '--db', db, '--staff', 'HD01');
    expect(closed.period).toMatchObject({ status: 'closed', due: N, entered: N });
  });

  it('bills, names the customer that could not be billed, reviews the flagged bill and issues', async () => {
    const first = await griddesk('bill', '--period', PERIOD, '--db', db, '--staff', 'BC01', '--lang', 'en');
    expect(first.code).toBe(0);
    const billedKwh = Array.from({ length: N - 1 }, (_, k) => kwhOf(k + 1)).reduce((a, b) => a + b, 0);
    expect(first.stdout).toContain(`billed ${N - 1} customer(s), ${billedKwh} kWh`);
    expect(first.stdout).toContain(`not billed: ${account(50)} 用户50 (B001) — no_tariff: No tariff in the customer file`);
    expect(first.stdout).toContain(`Next: griddesk billing exceptions --period ${PERIOD}`);
    expect(first.stdout).toMatch(/to review: GD01-\S+ GD010000007 用户7 zero/);

    await ok('customers', 'update', account(50), '--tariff', 'RES-GD', '--db', db, '--staff', 'CL01');
    const second = await json('bill', '--period', PERIOD, '--db', db, '--staff', 'BC01');
    expect(second).toMatchObject({ billed: 1, problems: 0, alreadyBilled: N - 1 });

    // The flagged (zero) draft is held at issue until reviewed.
    const held = await json('bills', 'issue', '--period', PERIOD, '--db', db, '--staff', 'BC01');
    expect(held).toMatchObject({ issued: N - 1, held: 1 });
    const { bills } = await json('billing', 'exceptions', '--period', PERIOD, '--db', db);
    const zero = bills.find((b: { accountNo: string }) => b.accountNo === account(7));
    await ok('bills', 'review', zero.billNo, '--note', '空房', '--db', db, '--staff', 'BC01');
    expect(await json('bills', 'issue', '--period', PERIOD, '--db', db, '--staff', 'BC01')).toMatchObject({ issued: 1, held: 0 });

    const list = (await json('bills', 'list', '--period', PERIOD, '--db', db)) as { account: string; amountFen: number; status: string; kwhCenti: number }[];
    expect(list).toHaveLength(N);
    const expected = Array.from({ length: N }, (_, k) => fenOf(kwhOf(k + 1)));
    const byAccount = new Map(list.map((b) => [b.account, b]));
    for (let i = 1; i <= N; i++) expect(byAccount.get(account(i)), account(i)).toMatchObject({ status: 'issued', amountFen: expected[i - 1], kwhCenti: kwhOf(i) * 100 });
    const summary = await json('billing', 'summary', '--period', PERIOD, '--db', db);
    expect(summary.totals).toMatchObject({ bills: N, amountFen: expected.reduce((a, b) => a + b, 0) });
  });

  it('takes payments, reverses one with the station head\'s approval, quotes a later balance and closes the day', async () => {
    const due1 = fenOf(kwhOf(1));
    const due2 = fenOf(kwhOf(2));
    const fenToday = (i: number) => fenOf(kwhOf(i));
    const yuan = (fen: number) => (fen / 100).toFixed(2);
    const balance = await json('balance', account(1), '--db', db, '--staff', 'CL01');
    expect(balance).toMatchObject({ totalDueFen: due1, penaltyFen: 0 });

    const wrong = await json('pay', account(1), '--amount', yuan(due1), '--channel', 'cash', '--db', db, '--staff', 'CL01');
    expect(wrong).toMatchObject({ amountFen: due1, balanceAfterFen: 0 });
    expect(await json('reverse', wrong.receiptNo, '--reason', '收错户', '--db', db, '--staff', 'CL01')).toMatchObject({ status: 'pending' });
    expect((await json('reversals', 'list', '--db', db, '--staff', 'HD01')).rows).toMatchObject([{ receiptNo: wrong.receiptNo, status: 'pending' }]);
    expect(await json('reversals', 'approve', wrong.receiptNo, '--note', '核实无误', '--db', db, '--staff', 'HD01')).toEqual({ status: 'approved' });
    expect(await json('balance', account(1), '--db', db)).toMatchObject({ totalDueFen: due1 });

    const paid = await json('pay', account(2), '--amount', yuan(due2), '--channel', 'cash', '--tendered', '200', '--db', db, '--staff', 'CL01');
    expect(paid).toMatchObject({ amountFen: due2, changeFen: 20_000 - due2, balanceAfterFen: 0 });

    // 补录 of money received yesterday: refused without the station head, then approved by them.
    const due4 = fenToday(4);
    const yesterday = addDays(shanghaiDate(Date.now()), -1);
    const unapproved = await griddesk('pay', account(4), '--amount', yuan(due4), '--channel', 'transfer', '--date', yesterday, '--db', db, '--staff', 'CL01', '--lang', 'en');
    expect(unapproved.code).toBe(1);
    expect(unapproved.stderr).toContain('needs the station head\'s approval');
    const ahead = await griddesk('pay', account(4), '--amount', yuan(due4), '--channel', 'transfer', '--date', addDays(shanghaiDate(Date.now()), 2), '--approver', 'HD01', '--approver-password', 'second1234', '--db', db, '--staff', 'CL01', '--lang', 'en');
    expect(ahead.stderr).toContain('cannot be dated ahead');
    const backdated = await json('pay', account(4), '--amount', yuan(due4), '--channel', 'transfer', '--date', yesterday, '--approver', 'HD01', '--approver-password', 'second1234', '--db', db, '--staff', 'CL01');
    expect(backdated).toMatchObject({ payDate: yesterday, businessDate: shanghaiDate(Date.now()), amountFen: due4, balanceAfterFen: 0 });
    const audit = await json('audit', '--action', 'payment.post', '--db', db);
    expect(audit.rows[0].summary).toMatchObject({ receiptNo: backdated.receiptNo, backdatedTo: yesterday, approvedBy: 'HD01 王所长' });

    // A quote for a day after the due date carries the penalty to that day; today's has none.
    const dueDate = (await json('bills', 'list', '--period', PERIOD, '--account', account(3), '--db', db))[0].dueDate as string;
    const later = addDays(dueDate, 30);
    const quote = await json('balance', account(3), '--as-of', later, '--db', db);
    expect(quote.payDate).toBe(later);
    expect(quote.penaltyFen).toBeGreaterThan(0);
    expect(quote.totalDueFen).toBe(fenOf(kwhOf(3)) + quote.penaltyFen);
    const past = await griddesk('balance', account(3), '--as-of', '2020-01-01', '--db', db, '--lang', 'en');
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('is before today');

    const closing = await json('close-day', '--counted', yuan(due2), '--db', db, '--staff', 'CL01');
    // Cash counted: the transfer is in the day's net but not in the drawer.
    expect(closing).toMatchObject({ businessDate: shanghaiDate(Date.now()), paymentCount: 3, reversalCount: 1, netFen: due2 + due4, differenceFen: 0, status: 'balanced' });
    expect((await json('check', '--db', db)).ok).toBe(true);
  });
});
