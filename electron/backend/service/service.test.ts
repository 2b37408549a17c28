import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../audit/record';
import { computeKpis } from '../appraisal/kpis';
import { sql } from '../db/sql';
import { addMeters } from '../readings/fixtures';
import { households, makeReadingStation, moreStaff, type ReadingStation } from '../readings/test-station';
import type { TestClient } from '../testing';
import { requireDisconnectionApproval } from './segments';

// The customer-service desk against a real station file. The test clock stands at
// 2026-11-26 10:00 (Shanghai), a Thursday.

let rs: ReadingStation;
afterEach(() => rs?.station.close());

const MIN = 60_000;

async function station(): Promise<{ counter: TestClient; accounts: string[]; customerIds: string[] }> {
  rs = await makeReadingStation();
  const counter = await moreStaff(rs, 'C001', ['clerk'], '周营业');
  const points = addMeters(rs.station.backend, households(4));
  return { counter, accounts: households(4).map((h) => h.accountNo), customerIds: points.map((p) => p.customerId) };
}

describe('work orders (工单)', () => {
  it('a walk-in complaint: logged, assigned to the reader, answered, visited unsatisfied, re-opened; the reader\'s month counts the valid complaint', async () => {
    const { counter, accounts } = await station();
    const { orderNo } = await counter.call('service.orders.create', { kind: 'complaint', source: 'counter', accountNo: accounts[0], content: '抄表员上门态度差', aboutStaffNo: 'M001' });
    expect(orderNo).toBe('GD01-WO-000001');
    // Only the head assigns; the reader may not act on an order not assigned to them.
    expect((await counter.fail('service.orders.step', { orderNo, kind: 'assign', assigneeStaffNo: 'M001' })).code).toBe('forbidden');
    expect((await rs.reader.fail('service.orders.step', { orderNo, kind: 'contact', note: '已电话联系' })).code).toBe('forbidden');
    await rs.head.call('service.orders.step', { orderNo, kind: 'assign', assigneeStaffNo: 'M001' });
    expect((await rs.otherReader.fail('service.orders.step', { orderNo, kind: 'contact' })).message).toContain('不是派给您的');

    rs.station.clock.advance(60 * MIN);
    await rs.reader.call('service.orders.step', { orderNo, kind: 'contact', note: '已电话联系客户并致歉' });
    // Closing without a result is refused, and nothing is written.
    const refused = await rs.reader.fail('service.orders.step', { orderNo, kind: 'close', note: '  ' });
    expect(refused.message).toBe(`工单 ${orderNo}：办结必须填写处理结果`);
    const closed = await rs.reader.call('service.orders.step', { orderNo, kind: 'close', note: '经核实属实，已当面道歉', validComplaint: true });
    expect(closed.state).toBe('closed');
    expect(closed.visitId).not.toBeNull();

    const detail = await counter.call('service.orders.get', { orderNo });
    expect(detail.limits.map((l) => [l.milestone, l.status])).toEqual([['contact', 'metOnTime'], ['answer', 'metOnTime']]);
    expect(detail.steps.map((s) => s.kind)).toEqual(['create', 'assign', 'contact', 'close']);

    // An unsatisfied answer without comments is refused; with comments it re-opens the order.
    expect((await counter.fail('service.visits.record', { visitId: closed.visitId!, reached: true, satisfaction: 2 })).message).toContain('客户意见');
    const visit = await counter.call('service.visits.record', { visitId: closed.visitId!, reached: true, satisfaction: 2, comments: '道歉不诚恳' });
    expect(visit).toEqual({ outcome: 'reopen', orderNo });
    expect((await counter.call('service.orders.get', { orderNo })).state).toBe('assigned');
    expect((await counter.fail('service.visits.record', { visitId: closed.visitId!, reached: true, satisfaction: 5 })).code).toBe('conflict');

    const kpis = computeKpis(rs.station.backend.store.read, '2026-11', [rs.staffId('M001'), rs.staffId('M002')], '2026-11-26');
    expect(kpis.get(rs.staffId('M001'))?.get('service.complaints')).toMatchObject({ value: 1 });
    expect(kpis.get(rs.staffId('M001'))?.get('service.satisfaction')).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
    expect(kpis.get(rs.staffId('M002'))?.get('service.complaints')).toMatchObject({ value: 0 });
    expect(kpis.get(rs.staffId('M002'))?.get('service.satisfaction')).toMatchObject({ value: null });

    // Orders, steps and visits travel to head office.
    const entities = rs.station.backend.store.read.column<string>(sql`SELECT DISTINCT entity FROM outbox ORDER BY entity`);
    expect(entities).toEqual(expect.arrayContaining(['work_order', 'work_order_step', 'work_order_state', 'return_visit', 'return_visit_result']));
  });

  it('a return visit on an open order is refused', async () => {
    const { counter } = await station();
    const { orderNo } = await counter.call('service.orders.create', { kind: 'consultation', source: 'phone', content: '问电价', contactName: '路人', contactPhone: '13800000000' });
    const closed = await rs.head.call('service.orders.step', { orderNo, kind: 'close', note: '已答复' });
    await rs.head.call('service.orders.step', { orderNo, kind: 'reopen', note: '客户来电补充问题' });
    const refused = await counter.fail('service.visits.record', { visitId: closed.visitId!, reached: true, satisfaction: 5 });
    expect(refused.message).toBe(`工单 ${orderNo} 未办结，不能回访`);
  });

  it('a repair passes its 90-minute limit: due soon 20 minutes before, overdue after; time suspended with a reason does not count', async () => {
    const { counter, accounts } = await station();
    const { orderNo } = await counter.call('service.orders.create', { kind: 'repair', source: 'phone', accountNo: accounts[1], content: '家里停电' });
    await rs.head.call('service.orders.step', { orderNo, kind: 'assign', assigneeStaffNo: 'M002' });
    expect((await rs.head.call('service.orders.due', {})).rows).toEqual([]);
    rs.station.clock.advance(70 * MIN);
    expect((await rs.head.call('service.orders.due', {})).rows.map((r) => [r.orderNo, r.status])).toEqual([[orderNo, 'dueSoon']]);
    // Suspend needs a reason; 30 minutes suspended move the limit by 30 minutes.
    expect((await rs.otherReader.fail('service.orders.step', { orderNo, kind: 'suspend' })).message).toContain('原因');
    await rs.otherReader.call('service.orders.step', { orderNo, kind: 'suspend', note: '道路塌方无法通行' });
    expect((await rs.head.call('service.alerts', {})).overdue).toBe(0);
    rs.station.clock.advance(30 * MIN);
    await rs.otherReader.call('service.orders.step', { orderNo, kind: 'resume', note: '道路已通' });
    rs.station.clock.advance(15 * MIN); // 115 minutes after the call, 85 counted
    expect((await rs.head.call('service.orders.due', {})).rows[0]?.status).toBe('dueSoon');
    rs.station.clock.advance(10 * MIN);
    const alerts = await rs.head.call('service.alerts', {});
    expect(alerts).toMatchObject({ overdue: 1, dueSoon: 0, open: 1 });
    expect(alerts.top[0]).toMatchObject({ orderNo, status: 'overdue', assignee: { staffNo: 'M002' } });
    // The reader sees their own; another reader has none.
    expect((await rs.otherReader.call('service.alerts', {})).overdue).toBe(1);
    expect((await rs.reader.call('service.alerts', {})).overdue).toBe(0);
  });

  it('a meter check taken before a holiday follows head office\'s calendar', async () => {
    const { counter } = await station();
    // 2026-11-27 (Fri) and 2026-11-30 (Mon) off, Sat 2026-12-05 a make-up working day.
    await rs.head.call('service.calendar.load', { text: JSON.stringify({ days: [{ date: '2026-11-27', kind: 'holiday', name: '测试假日' }, { date: '2026-11-30', kind: 'holiday' }, { date: '2026-12-05', kind: 'workday', name: '调休' }] }) });
    expect((await rs.head.fail('service.calendar.load', { text: JSON.stringify({ days: [{ date: '2026-13-01', kind: 'holiday' }] }) })).message).toContain('第 1 天');
    const { orderNo } = await counter.call('service.orders.create', { kind: 'meter_check', source: 'counter', content: '怀疑电表走快' });
    const detail = await counter.call('service.orders.get', { orderNo });
    // Working days after Thu 26th: Tue 1, Wed 2, Thu 3, Fri 4, Sat 5 (make-up) → due at the end of Sat 5th.
    expect(new Date(detail.limits[0]!.due!).toISOString()).toBe('2026-12-05T16:00:00.000Z');
  });
});

describe('95598 dispatches (派单)', () => {
  it('a dispatch workbook: good rows become orders; another station\'s row and an unknown customer are refused with row and field', async () => {
    const { accounts } = await station();
    const XLSX = await import('xlsx');
    const sheet = XLSX.utils.aoa_to_sheet([
      ['工单编号', '供电所编码', '工单类型', '受理时间', '户号', '联系人', '联系电话', '诉求内容'],
      ['95598-001', 'GD01', '故障报修', '2026-11-26 09:00', accounts[2], '张三', '13900000001', '整村停电'],
      ['95598-002', 'GD02', '投诉', '2026-11-26 09:10', accounts[2], '李四', '13900000002', '别所的单'],
      ['95598-003', 'GD01', '咨询', '2026-11-26 09:20', 'GD01X999999', '王五', '13900000003', '户号不对'],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, sheet, '派单');
    const base64 = XLSX.write(wb, { type: 'base64', bookType: 'xlsx' }) as string;
    const result = await rs.head.call('service.dispatch.import', { fileName: 'dispatch.xlsx', base64 });
    expect(result.taken).toEqual([{ row: 2, dispatchNo: '95598-001', orderNo: 'GD01-WO-000001' }]);
    expect(result.refused.map((r) => [r.row, r.field, r.message])).toEqual([
      [3, 'stationCode', '第 3 行：派单 95598-002 不是本所的（供电所编码不符），已拒收'],
      [4, 'accountNo', '第 4 行：户号不存在，派单 95598-003 已拒收'],
    ]);
    // The repair was received by 95598 at 09:00: at 10:00 it is due soon (10:30), not an hour and a half from now.
    const order = await rs.head.call('service.orders.get', { orderNo: 'GD01-WO-000001' });
    expect(order).toMatchObject({ source: 'dispatch95598', dispatchNo: '95598-001', status: 'dueSoon' });
    expect(new Date(order.limits[0]!.due!).toISOString()).toBe('2026-11-26T02:30:00.000Z');
    // The same file again: every row refused, nothing doubled.
    const again = await rs.head.call('service.dispatch.import', { fileName: 'dispatch.xlsx', base64 });
    expect(again.taken).toEqual([]);
    expect(again.refused[0]?.message).toContain('已经接收过了');
  });
});

describe('segments (客户画像) and differentiated service', () => {
  it('a customer late in 2 of 6 months is on the month\'s reminder list and in the SMS file; a protected customer needs the head\'s approval to be disconnected', async () => {
    const { counter, accounts, customerIds } = await station();
    const backend = rs.station.backend;
    backend.store.write((tx) => {
      tx.run(sql`UPDATE customers SET phone = '13700000001' WHERE id = ${customerIds[0]!}`);
      // Two issued bills past their due dates, unpaid; one customer paid nothing late.
      for (const [n, period, due] of [[1, '2026-09', '2026-10-15'], [2, '2026-10', '2026-11-15']] as const) {
        tx.run(sql`INSERT INTO bills (id, station_id, bill_no, customer_id, period, tariff_code, tariff_effective_from, kwh, total_fen, created_at)
                   VALUES (${`b${n}`}, (SELECT id FROM station), ${`GD01-B-${n}`}, ${customerIds[0]!}, ${period}, 'R', '2026-01', 10000, 5000, 0)`);
        tx.run(sql`INSERT INTO bill_issues (bill_id, issued_at, due_date) VALUES (${`b${n}`}, 0, ${due})`);
        tx.run(sql`INSERT INTO ledger_entries (id, station_id, customer_id, entry_type, amount_fen, bill_id, period, at) VALUES (${`l${n}`}, (SELECT id FROM station), ${customerIds[0]!}, 'bill', 5000, ${`b${n}`}, ${period}, 0)`);
      }
    });
    expect((await counter.fail('service.segments.compute', { period: '2026-11' })).code).toBe('forbidden');
    const computed = await rs.head.call('service.segments.compute', { period: '2026-11' });
    expect(computed.counts).toEqual({ arrears_risk: 1 });
    const list = await counter.call('service.segments.list', { period: '2026-11', purpose: 'remind' });
    expect(list.rows).toEqual([expect.objectContaining({ accountNo: accounts[0], codes: ['arrears_risk'], balanceFen: 10000 })]);
    const sms = await counter.call('service.reminders.export', { period: '2026-11', format: 'sms' });
    const text = Buffer.from(sms.base64, 'base64').toString('utf8');
    expect(text.split('\r\n')[1]).toContain(`13700000001,${accounts[0]},`);
    expect(text).toContain('当前欠费100.00元');

    // Tags at the counter: computed segments and a manual tag with its reason.
    expect((await counter.fail('service.tags.set', { accountNo: accounts[0]!, code: 'elderly_alone', op: 'set', reason: ' ' })).message).toContain('原因');
    await counter.call('service.tags.set', { accountNo: accounts[0]!, code: 'elderly_alone', op: 'set', reason: '子女在外务工，独自居住' });
    const tags = await counter.call('service.tags.get', { accountNo: accounts[0]! });
    expect(tags).toMatchObject({ computed: ['arrears_risk'], manual: [{ code: 'elderly_alone', reason: '子女在外务工，独自居住' }], needsHeadApproval: true });
    expect((await counter.call('service.segments.list', { period: '2026-11', purpose: 'protect' })).rows.map((r) => r.accountNo)).toEqual([accounts[0]]);

    const db = backend.store.read;
    expect(() => requireDisconnectionApproval(db, customerIds[0]!, accounts[0]!)).toThrow(/head's approval/);
    await rs.head.call('service.disconnection.approve', { accountNo: accounts[0]!, reason: '多次催缴无果，已与村委会沟通' });
    expect(() => requireDisconnectionApproval(db, customerIds[0]!, accounts[0]!)).not.toThrow();
    expect(() => requireDisconnectionApproval(db, customerIds[1]!, accounts[1]!)).not.toThrow();

    // A second computation with nothing changed sends no segment change.
    const before = db.value<number>(sql`SELECT count(*) FROM outbox WHERE entity = 'customer_segment'`);
    expect(await rs.head.call('service.segments.compute', { period: '2026-11' })).toMatchObject({ added: 0, removed: 0 });
    expect(db.value<number>(sql`SELECT count(*) FROM outbox WHERE entity = 'customer_segment'`)).toBe(before);
    void SYSTEM_ACTOR;
  });
});
