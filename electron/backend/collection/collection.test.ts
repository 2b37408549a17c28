import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../db/sql';
import { INVARIANTS } from '../invariants';
import { makeTestStation, type TestClient, type TestStation } from '../testing';
import { SYSTEM_ACTOR } from '../audit/record';
import { fileCustomer } from '../customers/fixtures';
import { fieldsOf, updateCustomer } from '../customers/customers';
import { customerRow } from '../customers/rows';
import { arrearsCases } from './arrears';
import { addCustomer, creditBill, issueBill } from './fixture';
import { drawPrepaid } from './prepaid';

// The test station's clock stands at 2026-11-26 10:00 (Asia/Shanghai).
const DAY = 24 * 60 * 60 * 1000;
const HEAD = { staffNo: 'H001', password: 'changed123' };

let station: TestStation;
afterEach(() => station?.close());

/** Moves the clock on by whole days; sessions idle that long have ended, so the clients log in again. */
async function advanceDays(days: number, logins: [TestClient, string][]) {
  station.clock.advance(days * DAY);
  for (const [client, staffNo] of logins) await client.call('auth.login', { staffNo, password: 'changed123' });
}

async function counter() {
  station = makeTestStation();
  await station.setUp();
  const clerk = await station.staffClient('C001', ['clerk'], '王芳');
  const head = await station.staffClient('H001', ['station_head'], '李所长');
  return { clerk, head };
}

/** A resident with September (86.40, due 10-15: 42 days late) and October (120.00, due 11-30) unpaid. */
function residentWithTwoMonths() {
  const customer = addCustomer(station.backend, { name: '张三', phone: '13800001234', bookNo: 'B01' });
  const sep = issueBill(station.backend, { customerId: customer.id, period: '2026-09', amountFen: 8640, dueDate: '2026-10-15' });
  const oct = issueBill(station.backend, { customerId: customer.id, period: '2026-10', amountFen: 12000, dueDate: '2026-11-30' });
  return { customer, sep, oct };
}

const ledgerBalance = (customerId: string) =>
  station.backend.store.read.value<number>(sql`SELECT sum(amount_fen) FROM ledger_entries WHERE customer_id = ${customerId}`);

function pay(client: TestClient, customerId: string, amountFen: number, key: string, extra: { channel?: 'cash' | 'card' | 'qr' | 'transfer'; tenderedFen?: number } = {}) {
  return client.call('collection.pay', { customerId, amountFen, channel: extra.channel ?? 'cash', idempotencyKey: key, ...(extra.tenderedFen ? { tenderedFen: extra.tenderedFen } : {}) });
}

describe('the counter: balance, payment, receipt', () => {
  it('a resident two months behind sees September’s penalty, pays cash with change, and both months are settled', async () => {
    const { clerk } = await counter();
    const { customer } = residentWithTwoMonths();

    const balance = await clerk.call('collection.balance', { accountNo: customer.accountNo });
    // September: 86.40 × 1‰ × 42 days = 3.6288 → 3.63; October is not due yet.
    expect(balance.bills.map((b) => [b.period, b.principalFen, b.penaltyFen, b.daysLate])).toEqual([
      ['2026-09', 8640, 363, 42],
      ['2026-10', 12000, 0, 0],
    ]);
    expect(balance).toMatchObject({ payDate: '2026-11-26', businessDate: '2026-11-26', penaltyFen: 363, prepaidFen: 0, totalDueFen: 21003, ledgerBalanceFen: 20640 });

    const posted = await pay(clerk, customer.id, balance.totalDueFen, 'key-0000001', { tenderedFen: 30000 });
    expect(posted).toMatchObject({
      receiptNo: 'GD01-R-00000001',
      amountFen: 21003,
      tenderedFen: 30000,
      changeFen: 8997,
      balanceBeforeFen: 21003, // what `balance` said: with September's penalty (issue 15 item 9)
      balanceAfterFen: 0,
      toPrepaidFen: 0,
      duplicate: false,
    });
    expect(posted.lines).toEqual([
      { billNo: expect.any(String), period: '2026-09', penaltyFen: 363, principalFen: 8640, daysLate: 42 },
      { billNo: expect.any(String), period: '2026-10', penaltyFen: 0, principalFen: 12000, daysLate: 0 },
    ]);
    expect(ledgerBalance(customer.id)).toBe(0);
    const after = await clerk.call('collection.balance', { customerId: customer.id });
    expect(after).toMatchObject({ bills: [], totalDueFen: 0 });
    expect(after.recentPayments.map((p) => p.receiptNo)).toEqual(['GD01-R-00000001']);

    const { duplicate: _duplicate, ...asPosted } = posted;
    expect(await clerk.call('collection.receipt', { receiptNo: posted.receiptNo })).toMatchObject(asPosted); // what the counter showed is what was stored
    const receipt = await clerk.call('collection.receipt', { receiptNo: posted.receiptNo, print: true });
    expect(receipt).toMatchObject({ copyNo: 0, station: { code: 'GD01', name: '青山供电所' }, clerk: { staffNo: 'C001', name: '王芳' }, customerName: '张三', reversed: null });
    expect((await clerk.call('collection.receipt', { receiptNo: posted.receiptNo, print: true })).copyNo).toBe(1);
    expect((await clerk.call('collection.receipt', { receiptNo: posted.receiptNo })).printCount).toBe(2);
  });

  it('the same idempotency key posts once, whatever the number of retries; a key reused for another payment is refused', async () => {
    const { clerk } = await counter();
    const { customer } = residentWithTwoMonths();
    const [first, second] = await Promise.all([pay(clerk, customer.id, 5000, 'double-enter-1'), pay(clerk, customer.id, 5000, 'double-enter-1')]);
    expect(first.receiptNo).toBe(second.receiptNo);
    expect([first.duplicate, second.duplicate].sort()).toEqual([false, true]);
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM payments`)).toBe(1);
    const reused = await clerk.fail('collection.pay', { customerId: customer.id, amountFen: 7000, channel: 'cash', idempotencyKey: 'double-enter-1' });
    expect(reused).toMatchObject({ code: 'conflict' });
    expect(reused.message).toContain('已用于另一笔收费');
  });

  it('a partial payment settles the older month’s penalty then its principal, and the rest accrues from the day after', async () => {
    const { clerk } = await counter();
    const customer = addCustomer(station.backend, { name: '青山商店', customerClass: 'commercial' });
    issueBill(station.backend, { customerId: customer.id, period: '2026-09', amountFen: 100000, dueDate: '2026-10-31' });
    // 1,000.00 × 2‰ × 26 days = 52.00
    const posted = await pay(clerk, customer.id, 60000, 'partial-0001', { channel: 'card' });
    expect(posted.lines).toEqual([{ billNo: expect.any(String), period: '2026-09', penaltyFen: 5200, principalFen: 54800, daysLate: 26 }]);
    expect(ledgerBalance(customer.id)).toBe(100000 - 60000 + 5200);
    await advanceDays(10, [[clerk, 'C001']]);
    const later = await clerk.call('collection.balance', { customerId: customer.id });
    // 452.00 × 2‰ × 10 days = 9.04, on the unpaid principal only.
    expect(later.bills).toMatchObject([{ principalFen: 45200, penaltyFen: 904, daysLate: 36 }]);
  });

  it('refuses cash short of the payment, and a tendered amount on a card payment', async () => {
    const { clerk } = await counter();
    const { customer } = residentWithTwoMonths();
    const short = await clerk.fail('collection.pay', { customerId: customer.id, amountFen: 21003, channel: 'cash', tenderedFen: 20000, idempotencyKey: 'short-00001' });
    expect(short).toMatchObject({ code: 'validation', message: '收到现金 ¥200.00 少于本次缴费 ¥210.03' });
    const card = await clerk.fail('collection.pay', { customerId: customer.id, amountFen: 21003, channel: 'card', tenderedFen: 30000, idempotencyKey: 'card-000001' });
    expect(card.code).toBe('validation');
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM payments`)).toBe(0);
    expect(station.backend.store.read.value(sql`SELECT value FROM counters WHERE name = 'receipt'`)).toBeUndefined();
  });

  it('refuses cash more than 2,000 yuan over the amount unless the clerk confirmed it (issue 16: a phone tail typed into 收到现金)', async () => {
    const { clerk } = await counter();
    const { customer } = residentWithTwoMonths();
    const balance = await clerk.call('collection.balance', { accountNo: customer.accountNo });
    expect(balance.largeTenderOverFen).toBe(200_000);
    const large = await clerk.fail('collection.pay', { customerId: customer.id, amountFen: 21003, channel: 'cash', tenderedFen: 400_838_400, idempotencyKey: 'large-00001' });
    expect(large).toMatchObject({ code: 'validation', message: '收到现金 ¥4,008,384.00 比本次缴费 ¥210.03 多 ¥4,008,173.97，超过 ¥2,000.00：请核对收到的现金；确实如此须确认后再收款' });
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM payments`)).toBe(0);
    // 2,000.00 over exactly is ordinary change; one fen more needs the confirmation.
    const atLimit = await pay(clerk, customer.id, 1000, 'limit-00001', { tenderedFen: 201_000 });
    expect(atLimit.changeFen).toBe(200_000);
    await clerk.fail('collection.pay', { customerId: customer.id, amountFen: 1000, channel: 'cash', tenderedFen: 201_001, idempotencyKey: 'limit-00002' });
    const confirmed = await clerk.call('collection.pay', { customerId: customer.id, amountFen: 1000, channel: 'cash', tenderedFen: 201_001, confirmedLargeTender: true, idempotencyKey: 'limit-00003' });
    expect(confirmed.changeFen).toBe(200_001);
  });
});

describe('prepaid balance (预收电费)', () => {
  it('an overpayment becomes prepaid, which the next bill draws on at the counter', async () => {
    const { clerk } = await counter();
    const customer = addCustomer(station.backend, { name: '李四' });
    const advance = await pay(clerk, customer.id, 10000, 'advance-0001', { channel: 'transfer' });
    expect(advance).toMatchObject({ toPrepaidFen: 10000, balanceAfterFen: -10000, lines: [] });
    expect(await clerk.call('collection.balance', { customerId: customer.id })).toMatchObject({ prepaidFen: 10000, totalDueFen: 0 });

    issueBill(station.backend, { customerId: customer.id, period: '2026-11', amountFen: 8000, dueDate: '2026-12-10' });
    const due = await clerk.call('collection.balance', { customerId: customer.id });
    expect(due).toMatchObject({ principalFen: 8000, prepaidFen: 10000, prepaidOffsetFen: 8000, totalDueFen: 0 });
    // 10.00 more: the bill is settled with 70.00 of the prepaid and the 10.00; 30.00 stays prepaid.
    const topUp = await pay(clerk, customer.id, 1000, 'topup-00001', { channel: 'qr' });
    expect(topUp).toMatchObject({ prepaidUsedFen: 7000, toPrepaidFen: 0, lines: [{ principalFen: 8000 }], balanceAfterFen: -3000 });
    expect(await clerk.call('collection.balance', { customerId: customer.id })).toMatchObject({ bills: [], prepaidFen: 3000 });
  });

  it('prepaid balance is drawn onto a newly issued bill when it is issued (预收转实收)', async () => {
    const { clerk } = await counter();
    const customer = addCustomer(station.backend, { name: '预存户' });
    const other = addCustomer(station.backend, { name: '普通户' });
    await pay(clerk, customer.id, 10000, 'draw-000001', { channel: 'qr' });
    const bills = [
      issueBill(station.backend, { customerId: customer.id, period: '2026-11', amountFen: 8000, dueDate: '2026-12-10' }),
      issueBill(station.backend, { customerId: other.id, period: '2026-11', amountFen: 5000, dueDate: '2026-12-10' }),
    ];
    const drawn = station.backend.write(SYSTEM_ACTOR, (unit) =>
      drawPrepaid(unit, [{ billId: bills[0]?.billId ?? '', customerId: customer.id }, { billId: bills[1]?.billId ?? '', customerId: other.id }]),
    );
    expect(drawn).toBe(8000);
    expect(await clerk.call('collection.balance', { customerId: customer.id })).toMatchObject({ bills: [], prepaidFen: 2000, ledgerBalanceFen: -2000 });
    expect(await clerk.call('collection.balance', { customerId: other.id })).toMatchObject({ totalDueFen: 5000 });
    expect(INVARIANTS.flatMap((i) => i.check(station.backend))).toEqual([]);
  });

  it('a bill corrected below what was paid on it leaves the difference as prepaid', async () => {
    const { clerk } = await counter();
    const customer = addCustomer(station.backend, { name: '王五' });
    const bill = issueBill(station.backend, { customerId: customer.id, period: '2026-10', amountFen: 10000, dueDate: '2026-11-30' });
    await pay(clerk, customer.id, 10000, 'full-000001');
    creditBill(station.backend, bill.billId, 2500);
    expect(await clerk.call('collection.balance', { customerId: customer.id })).toMatchObject({ bills: [], prepaidFen: 2500, ledgerBalanceFen: -2500 });
  });
});

describe('reversal (冲正)', () => {
  it('waits for the station head’s approval; then the ledger, the bills and the clerk’s day reflect it and the receipt is marked', async () => {
    const { clerk, head } = await counter();
    const { customer } = residentWithTwoMonths();
    const posted = await pay(clerk, customer.id, 21003, 'rev-0000001', { tenderedFen: 21003 });
    const { requestId, status } = await clerk.call('collection.requestReversal', { receiptNo: posted.receiptNo, reason: '收错户' });
    expect(status).toBe('pending');
    expect((await clerk.call('collection.receipt', { receiptNo: posted.receiptNo })).reversalPending).toBe(true);
    expect(ledgerBalance(customer.id)).toBe(0); // nothing moves until approved
    expect((await clerk.fail('collection.decideReversal', { requestId, approve: true })).code).toBe('forbidden');
    expect((await clerk.fail('collection.requestReversal', { receiptNo: posted.receiptNo, reason: '再申请' })).code).toBe('conflict');

    const queue = await head.call('collection.reversals', { status: 'pending' });
    expect(queue.rows).toMatchObject([{ requestId, receiptNo: posted.receiptNo, reason: '收错户', requestedBy: 'C001 王芳', amountFen: 21003 }]);
    await head.call('collection.decideReversal', { requestId, approve: true });

    expect(ledgerBalance(customer.id)).toBe(20640);
    const reopened = await clerk.call('collection.balance', { customerId: customer.id });
    expect(reopened).toMatchObject({ totalDueFen: 21003, penaltyFen: 363 });
    const receipt = await clerk.call('collection.receipt', { receiptNo: posted.receiptNo });
    expect(receipt.reversed).toMatchObject({ reason: '收错户', approvedBy: 'H001 李所长', businessDate: '2026-11-26' });
    const day = await clerk.call('collection.day', {});
    expect(day).toMatchObject({ paymentCount: 1, paymentsFen: 21003, reversalCount: 1, reversalsFen: 21003, netFen: 0, cashTakingsFen: 0 });
    expect(day.payments[0]?.status).toBe('reversed');
    expect((await head.fail('collection.decideReversal', { requestId, approve: true })).code).toBe('conflict');
  });

  it('is approved on the spot with the station head’s own login; a clerk’s login or a wrong password does not approve', async () => {
    const { clerk } = await counter();
    await station.staffClient('C002', ['clerk'], '赵敏');
    const { customer } = residentWithTwoMonths();
    const posted = await pay(clerk, customer.id, 5000, 'spot-000001');
    const wrong = await clerk.fail('collection.requestReversal', { receiptNo: posted.receiptNo, reason: '金额错', approver: { staffNo: 'H001', password: 'wrong-pass1' } });
    expect(wrong.code).toBe('bad_credentials');
    const notHead = await clerk.fail('collection.requestReversal', { receiptNo: posted.receiptNo, reason: '金额错', approver: { staffNo: 'C002', password: 'changed123' } });
    expect(notHead).toMatchObject({ code: 'forbidden', message: 'C002 不是所长，不能审批' });
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM reversal_requests`)).toBe(0);
    const done = await clerk.call('collection.requestReversal', { receiptNo: posted.receiptNo, reason: '金额错', approver: HEAD });
    expect(done.status).toBe('approved');
    expect(ledgerBalance(customer.id)).toBe(20640);
  });

  it('a rejected request leaves the payment standing and may be asked again', async () => {
    const { clerk, head } = await counter();
    const { customer } = residentWithTwoMonths();
    const posted = await pay(clerk, customer.id, 5000, 'reject-00001');
    const { requestId } = await clerk.call('collection.requestReversal', { receiptNo: posted.receiptNo, reason: '客户反悔' });
    await head.call('collection.decideReversal', { requestId, approve: false, note: '款已收妥，不能冲正' });
    expect((await clerk.call('collection.receipt', { receiptNo: posted.receiptNo })).reversalPending).toBe(false);
    expect((await head.call('collection.reversals', { status: 'all' })).rows[0]).toMatchObject({ status: 'rejected', note: '款已收妥，不能冲正', decidedBy: 'H001 李所长' });
    expect((await clerk.call('collection.requestReversal', { receiptNo: posted.receiptNo, reason: '确实收错' })).status).toBe('pending');
  });

  it('is refused when the prepaid money it left has already paid a later bill', async () => {
    const { clerk } = await counter();
    const customer = addCustomer(station.backend, { name: '预存户' });
    const advance = await pay(clerk, customer.id, 10000, 'adv-0000001');
    issueBill(station.backend, { customerId: customer.id, period: '2026-11', amountFen: 8000, dueDate: '2026-12-10' });
    await pay(clerk, customer.id, 100, 'adv-0000002');
    const refused = await clerk.fail('collection.requestReversal', { receiptNo: advance.receiptNo, reason: '收错户', approver: HEAD });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toContain('已经抵扣了之后的电费');
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM payment_reversals`)).toBe(0);
  });
});

describe('penalty waiver (违约金减免)', () => {
  it('needs the station head; the waived penalty is no longer due and the ledger shows it charged and waived', async () => {
    const { clerk, head } = await counter();
    const { customer, sep } = residentWithTwoMonths();
    expect(await clerk.fail('collection.waivePenalty', { billId: sep.billId, reason: '通知单送达晚了' })).toMatchObject({ code: 'forbidden' });
    const waived = await clerk.call('collection.waivePenalty', { billId: sep.billId, reason: '通知单送达晚了', approver: HEAD });
    expect(waived).toEqual({ waivedFen: 363, whole: false });
    expect(await clerk.call('collection.balance', { customerId: customer.id })).toMatchObject({ penaltyFen: 0, totalDueFen: 20640 });
    expect(ledgerBalance(customer.id)).toBe(20640);
    expect((await head.fail('collection.waivePenalty', { billId: sep.billId, reason: '再减' })).message).toContain('没有可减免的违约金');
    // What accrues after the waiver is due again, unless the whole penalty was waived.
    await advanceDays(5, [[clerk, 'C001'], [head, 'H001']]);
    expect((await clerk.call('collection.balance', { customerId: customer.id })).bills[0]?.penaltyFen).toBe(43); // 86.40 × 1‰ × 5
    await head.call('collection.waivePenalty', { billId: sep.billId, reason: '所长决定全免', whole: true });
    await advanceDays(5, [[clerk, 'C001']]);
    expect((await clerk.call('collection.balance', { customerId: customer.id })).bills[0]).toMatchObject({ penaltyFen: 0, penaltyWaivedWhole: true });
  });
});

describe('daily closing (日结)', () => {
  it('a cash count 10.00 short needs a reason and the station head’s sign-off; later payments fall into the next day', async () => {
    const { clerk, head } = await counter();
    const { customer } = residentWithTwoMonths();
    const other = addCustomer(station.backend, { name: '周六' });
    const first = await pay(clerk, customer.id, 21003, 'close-00001', { tenderedFen: 30000 });
    const second = await pay(clerk, other.id, 5000, 'close-00002', { channel: 'qr' });

    const day = await clerk.call('collection.day', {});
    expect(day).toMatchObject({ businessDate: '2026-11-26', paymentCount: 2, netFen: 26003, cashTakingsFen: 21003, firstReceiptNo: first.receiptNo, lastReceiptNo: second.receiptNo, closing: null });
    const noReason = await clerk.fail('collection.closeDay', { businessDate: '2026-11-26', countedCashFen: 20003 });
    expect(noReason).toMatchObject({ code: 'validation', message: '现金短款 ¥10.00：请填写原因，并由所长签字' });

    const closing = await clerk.call('collection.closeDay', { businessDate: '2026-11-26', countedCashFen: 20003, reason: '找零时多找了 10 元' });
    expect(closing).toMatchObject({ status: 'awaiting_sign_off', expectedCashFen: 21003, countedCashFen: 20003, differenceFen: -1000, paymentCount: 2, netFen: 26003 });
    expect(closing.byChannel.find((c) => c.channel === 'qr')).toMatchObject({ paymentCount: 1, netFen: 5000 });

    // After closing, a payment is not taken into the closed day: it falls into the next.
    const late = await pay(clerk, customer.id, 1000, 'close-00003');
    expect(late.businessDate).toBe('2026-11-27');
    expect((await clerk.call('collection.balance', { customerId: customer.id })).businessDate).toBe('2026-11-27');
    expect((await clerk.fail('collection.closeDay', { businessDate: '2026-11-26', countedCashFen: 0 })).code).toBe('conflict');
    expect((await clerk.fail('collection.closeDay', { businessDate: '2026-11-27', countedCashFen: 1000 })).message).toContain('还没到');
    const report = await clerk.call('collection.closing', { closingId: closing.closingId });
    expect(report.payments.map((p) => p.receiptNo)).toEqual([first.receiptNo, second.receiptNo]);

    expect((await clerk.fail('collection.signOffClosing', { closingId: closing.closingId })).code).toBe('forbidden');
    const awaiting = await head.call('collection.closings', { awaitingSignOff: true });
    expect(awaiting.rows.map((r) => r.closingId)).toEqual([closing.closingId]);
    const signed = await head.call('collection.signOffClosing', { closingId: closing.closingId, note: '已核实' });
    expect(signed).toMatchObject({ status: 'signed_off', signedOff: { by: 'H001 李所长', note: '已核实' } });
    expect((await head.call('collection.closings', { awaitingSignOff: true })).rows).toEqual([]);

    const file = await clerk.call('collection.exportClosing', { closingId: closing.closingId });
    expect(file.fileName).toBe('日结-C001-2026-11-26.xlsx');
    expect(Buffer.from(file.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
  });

  it('a balanced drawer closes without sign-off; a difference can be signed on the spot', async () => {
    const { clerk } = await counter();
    const { customer } = residentWithTwoMonths();
    await pay(clerk, customer.id, 5000, 'bal-0000001');
    const balanced = await clerk.call('collection.closeDay', { businessDate: '2026-11-26', countedCashFen: 55000, openingFloatFen: 50000 });
    expect(balanced).toMatchObject({ status: 'balanced', differenceFen: 0, expectedCashFen: 55000 });
    await pay(clerk, customer.id, 5000, 'bal-0000002');
    await advanceDays(1, [[clerk, 'C001']]);
    const over = await clerk.call('collection.closeDay', { businessDate: '2026-11-27', countedCashFen: 5100, reason: '客户多给未找回', approver: HEAD });
    expect(over).toMatchObject({ differenceFen: 100, status: 'signed_off' });
  });

  it('a clerk sees only their own day; the station head sees anyone’s', async () => {
    const { clerk, head } = await counter();
    const other = await station.staffClient('C002', ['clerk'], '赵敏');
    const { rows } = await head.call('staff.directory');
    const c001 = rows.find((r) => r.staffNo === 'C001')?.id ?? '';
    expect((await other.fail('collection.day', { staffId: c001 })).code).toBe('forbidden');
    expect((await head.call('collection.day', { staffId: c001 })).clerk.staffNo).toBe('C001');
    expect((await clerk.call('collection.day', {})).clerk.staffNo).toBe('C001');
  });
});

describe('permissions', () => {
  it('meter readers do not collect; clerks do not approve', async () => {
    const { clerk } = await counter();
    const reader = await station.staffClient('M001', ['meter_reader'], '抄表员');
    const { customer } = residentWithTwoMonths();
    expect((await reader.fail('collection.pay', { customerId: customer.id, amountFen: 100, channel: 'cash', idempotencyKey: 'reader-0001' })).code).toBe('forbidden');
    expect((await reader.fail('collection.balance', { customerId: customer.id })).code).toBe('forbidden');
    expect((await clerk.fail('collection.signOffClosing', { closingId: 'x' })).code).toBe('forbidden');
    const head = station.client();
    await head.call('auth.login', HEAD);
    expect((await head.fail('collection.pay', { customerId: customer.id, amountFen: 100, channel: 'cash', idempotencyKey: 'head-000001' })).code).toBe('forbidden');
  });
});

describe('arrears (欠费)', () => {
  it('lists overdue accounts with filters, issues reminders by book, and a notice only once eligible', async () => {
    const { clerk } = await counter();
    const { customer } = residentWithTwoMonths(); // book B01, September 42 days overdue
    const recent = addCustomer(station.backend, { name: '钱七', bookNo: 'B01', village: '西村' });
    issueBill(station.backend, { customerId: recent.id, period: '2026-10', amountFen: 5000, dueDate: '2026-11-20' });
    const elsewhere = addCustomer(station.backend, { name: '孙八', bookNo: 'B02' });
    issueBill(station.backend, { customerId: elsewhere.id, period: '2026-09', amountFen: 7000, dueDate: '2026-10-15' });

    const all = await clerk.call('arrears.list', {});
    expect(all.rows.map((r) => [r.name, r.daysOverdue, r.principalFen])).toEqual([
      ['张三', 42, 8640],
      ['孙八', 42, 7000],
      ['钱七', 6, 5000],
    ]);
    expect(all.rows[0]).toMatchObject({ penaltyFen: 363, periods: ['2026-09'], eligible: false, blocks: ['not_reminded'] });
    const books = (await clerk.call('arrears.filters', {})).books;
    const b01 = books.find((b) => b.bookNo === 'B01')?.id ?? '';
    expect((await clerk.call('arrears.list', { bookId: b01, minDaysOverdue: 30 })).rows.map((r) => r.name)).toEqual(['张三']);
    expect((await clerk.call('arrears.list', { village: '西村' })).rows.map((r) => r.name)).toEqual(['钱七']);
    expect((await clerk.call('arrears.list', { minAmountFen: 6000 })).total).toBe(2);

    const refused = await clerk.fail('arrears.issueNotice', { customerId: customer.id });
    expect(refused.message).toContain('还没有发过催费通知单');
    await advanceDays(1, [[clerk, 'C001']]);
    const { batchId, count } = await clerk.call('arrears.remind', { bookId: b01 });
    expect(count).toBe(2);
    const batch = await clerk.call('arrears.reminders', { batchId });
    expect(batch.rows.map((r) => [r.name, r.periods, r.payByDate])).toEqual([
      ['张三', ['2026-09'], '2026-12-04'],
      ['钱七', ['2026-10'], '2026-12-04'],
    ]);
    const eligible = await clerk.call('arrears.list', { eligibleOnly: true });
    expect(eligible.rows.map((r) => r.name)).toEqual(['张三']);
    const { noticeId } = await clerk.call('arrears.issueNotice', { customerId: customer.id });
    const notice = await clerk.call('arrears.notice', { noticeId });
    expect(notice).toMatchObject({ name: '张三', noticeDate: '2026-11-27', earliestDisconnectionDate: '2026-12-04', noticeDays: 7, daysOverdue: 43 });
    const tooSoon = await clerk.fail('arrears.issueNotice', { customerId: recent.id });
    expect(tooSoon.message).toContain('逾期未超过 30 天');

    // The list follows every payment (it is kept between calls only while nothing changes).
    const owed = (await clerk.call('collection.balance', { customerId: elsewhere.id })).totalDueFen; // 70.00 + 43 days × 1‰ = 73.01
    expect(owed).toBe(7301);
    await pay(clerk, elsewhere.id, owed, 'arrears-paid-1', { channel: 'qr' });
    expect((await clerk.call('arrears.list', {})).rows.map((r) => r.name)).toEqual(['张三', '钱七']);
    // A part payment and an edited file are worked out again for those customers alone; the kept
    // list then says exactly what a whole recomputation says.
    await pay(clerk, recent.id, 2000, 'arrears-part-1');
    station.backend.write(SYSTEM_ACTOR, (unit) => updateCustomer(unit, customer.id, { ...fieldsOf(customerRow(unit, customer.id)), name: '张三丰' }));
    const kept = (await clerk.call('arrears.list', {})).rows;
    expect(kept.map((r) => [r.name, r.principalFen])).toEqual([
      ['张三丰', 8640],
      ['钱七', 3100], // the 1.00 yuan minimum penalty is settled first
    ]);
    const whole = arrearsCases(station.backend.store.read, '2026-11-27', {});
    expect(kept.map((r) => [r.customerId, r.principalFen, r.penaltyFen, r.daysOverdue, r.eligible])).toEqual(
      whole.map((r) => [r.customerId, r.principalFen, r.penaltyFen, r.daysOverdue, r.eligible]),
    );

    const file = await clerk.call('arrears.export', {});
    expect(Buffer.from(file.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
  });
});

describe('closing an account (销户)', () => {
  it('is refused while anything is owed or prepaid, and allowed once settled', async () => {
    const { clerk } = await counter();
    const admin = station.client();
    await admin.call('auth.login', { staffNo: 'A001', password: 'admin1234' });
    const customer = fileCustomer(station.backend, { name: '待销户', points: [] });
    issueBill(station.backend, { customerId: customer.id, period: '2026-10', amountFen: 4000, dueDate: '2026-11-30' });
    const closeNow = () => clerk.raw('customers.close', { customerId: customer.id, date: '2026-11-26', reason: '迁出' });
    const refused = await closeNow();
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('¥40.00') } });
    await pay(clerk, customer.id, 4000, 'close-acct-1', { channel: 'qr' });
    expect((await closeNow()).ok).toBe(true);
  });
});

describe('griddesk check', () => {
  it('finds receipt numbers whole and every payment in the ledger', async () => {
    const { clerk } = await counter();
    const { customer } = residentWithTwoMonths();
    await pay(clerk, customer.id, 1000, 'check-00001');
    await pay(clerk, customer.id, 1000, 'check-00002');
    const problems = INVARIANTS.flatMap((i) => i.check(station.backend));
    expect(problems).toEqual([]);
  });
});
