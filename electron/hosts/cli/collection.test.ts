import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../backend/audit/record';
import { addCustomer, issueBill } from '../../backend/collection/fixture';
import { Backend } from '../../backend/context';
import { setupStation } from '../../backend/station/setup';
import { insertStaff, prepareStaff } from '../../backend/staff/staff';
import { runGriddesk } from './testing';

// The collection commands of the griddesk CLI against a real station database. The receipt PDF
// (`receipt --out`) needs the built UI and Chromium: e2e/collection.spec.ts covers it.


const dir = mkdtempSync(join(tmpdir(), 'griddesk-cli-'));
const db = join(dir, 'griddesk.db');
let accountNo = '';

async function cli(...args: string[]) {
  const { code: status, stdout, stderr } = await runGriddesk([...args, '--db', db]);
  return { status, stdout, stderr };
}

beforeAll(async () => {
  const backend = new Backend({ db });
  await setupStation(backend, { stationCode: 'GD01', stationName: '青山供电所', adminNo: 'A001', adminName: '管理员', password: 'admin1234' });
  for (const s of [
    { staffNo: 'C001', name: '王芳', roles: ['clerk' as const], password: 'clerk1234' },
    { staffNo: 'H001', name: '李所长', roles: ['station_head' as const], password: 'head12345' },
  ]) {
    const prepared = await prepareStaff({ ...s, mustChangePassword: false });
    backend.write(SYSTEM_ACTOR, (unit) => insertStaff(unit, prepared));
  }
  const customer = addCustomer(backend, { name: '张三', bookNo: 'B01' });
  accountNo = customer.accountNo;
  // Overdue long ago: the CLI runs on today's real date, so September 2025 is always late.
  issueBill(backend, { customerId: customer.id, period: '2025-09', amountFen: 20000, dueDate: '2025-10-15' });
  backend.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('griddesk collection commands', () => {
  it('balance, pay (as a clerk), reverse with the station head’s login, arrears, close-day', async () => {
    const balance = await cli('balance', accountNo, '--json');
    expect(balance.status).toBe(0);
    const due = JSON.parse(balance.stdout) as { totalDueFen: number; bills: { period: string; penaltyFen: number }[] };
    expect(due.bills[0]?.period).toBe('2025-09');
    expect(due.bills[0]?.penaltyFen).toBeGreaterThan(2000); // 1‰ a day for over a year

    const noClerk = await cli('pay', accountNo, '--amount', '10', '--channel', 'cash');
    expect(noClerk.status).toBe(1);
    expect(noClerk.stderr).toContain('--staff');
    const badAmount = await cli('pay', accountNo, '--amount', '10.005', '--channel', 'cash', '--staff', 'C001');
    expect(badAmount).toMatchObject({ status: 1 });
    expect(badAmount.stderr).toContain('不是以元为单位的金额');
    const badChannel = await cli('pay', accountNo, '--amount', '10', '--channel', 'cheque', '--staff', 'C001');
    expect(badChannel.status).toBe(2);

    const paid = await cli('pay', accountNo, '--amount', '50.00', '--channel', 'qr', '--key', 'cli-key-1', '--staff', 'C001', '--lang', 'en');
    expect(paid.status).toBe(0);
    expect(paid.stdout).toMatch(/receipt GD01-R-00000001: 50\.00 yuan QR code \(WeChat\/Alipay\) from GD010000001 张三/);
    expect(paid.stdout).toMatch(/new balance \d+\.\d\d yuan/);
    const again = await cli('pay', accountNo, '--amount', '50.00', '--channel', 'qr', '--key', 'cli-key-1', '--staff', 'C001', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ receiptNo: 'GD01-R-00000001', duplicate: true });

    const wrong = await cli('reverse', 'GD01-R-00000001', '--reason', '收错', '--approver', 'H001', '--approver-password', 'nope12345', '--staff', 'C001');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('工号或密码不正确');
    const reversed = await cli('reverse', 'GD01-R-00000001', '--reason', '收错', '--approver', 'H001', '--approver-password', 'head12345', '--staff', 'C001');
    expect(reversed).toMatchObject({ status: 0, stdout: '收据 GD01-R-00000001 已冲正。' });
    const after = JSON.parse((await cli('balance', accountNo, '--json')).stdout) as { totalDueFen: number };
    expect(after.totalDueFen).toBe(due.totalDueFen);

    const arrears = await cli('arrears', '--json', '--book', 'B01');
    expect(JSON.parse(arrears.stdout)).toMatchObject([{ accountNo, periods: ['2025-09'], principalFen: 20000, eligible: false }]);
    expect((await cli('arrears', '--book', 'B99')).stderr).toContain('--book B99：没有这个抄表本');

    const short = await cli('close-day', '--staff', 'C001', '--counted', '0', '--lang', 'en');
    expect(short.status).toBe(0); // the QR payment and its reversal net to nothing: no cash expected
    expect(short.stdout).toMatch(/1 payments, 1 reversals, net 0\.00 yuan/);
    const twice = await cli('close-day', '--staff', 'C001', '--counted', '0');
    expect(twice.status).toBe(1);
    expect(twice.stderr).toContain('已经日结');
  });
});
