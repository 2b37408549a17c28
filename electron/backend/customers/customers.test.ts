import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from '../db/sql';
import { SYSTEM_ACTOR } from '../audit/record';
import { AppError } from '../errors';
import { createCustomer } from './customers';
import { FieldsError } from './fieldsError';
import { makeTestStation, type TestClient, type TestStation } from '../testing';
import { newCustomerInput, newMeterInput } from './fixtures';
import { closeAccountChecks } from './hooks';

let station: TestStation;
let clerk: TestClient;

beforeEach(async () => {
  station = makeTestStation();
  await station.setUp();
  clerk = await station.staffClient('C001', ['clerk'], '王芳');
});
afterEach(() => station.close());

const create = (overrides: Parameters<typeof newCustomerInput>[0] = {}) => clerk.call('customers.create', newCustomerInput(overrides));

describe('opening a customer file (新装立户)', () => {
  it('gives station-prefixed account numbers in order, with the meter installed, and audits who did it', async () => {
    const a = await create({ name: '张三' });
    const b = await create({ name: '李四', phone: '13900001111' });
    expect(a.customer.accountNo).toBe('GD010000001');
    expect(b.customer.accountNo).toBe('GD010000002');
    expect(a.points).toHaveLength(1);
    expect(a.points[0]?.meters[0]).toMatchObject({ digits: 5, multiplier: 1, startReading: 0, removedDate: null });
    const audit = station.backend.store.read.get<{ actor: string; summary: string }>(sql`
      SELECT actor, summary FROM audit_log WHERE action = 'customer.create' AND entity_id = ${a.customer.id}`);
    expect(audit?.actor).toBe('C001 王芳');
    const outbox = station.backend.store.read.column<string>(sql`SELECT entity FROM outbox WHERE entity_id IN (${a.customer.id}, ${a.points[0]?.id ?? ''}, ${a.points[0]?.meters[0]?.id ?? ''}) ORDER BY seq`);
    expect(outbox).toEqual(['customer', 'metering_point', 'meter']);
    // The customer's row carries the file only: its meters travel as their own rows.
    const file = JSON.parse(station.backend.store.read.value<string>(sql`SELECT payload FROM outbox WHERE entity_id = ${a.customer.id}`) ?? '{}') as Record<string, unknown>;
    expect(file).toMatchObject({ accountNo: 'GD010000001', name: '张三', status: 'active' });
    expect(Object.keys(file)).not.toContain('points');
  });

  it('keeps an account number brought from the old system and skips it when counting on', async () => {
    // Only an import brings its own numbers: the counter's form has no account-number field.
    station.backend.write(SYSTEM_ACTOR, (unit) => createCustomer(unit, newCustomerInput({ accountNo: 'GD010000002' })));
    const next1 = await create({ name: '李四' });
    const next2 = await create({ name: '王五' });
    expect([next1.customer.accountNo, next2.customer.accountNo]).toEqual(['GD010000001', 'GD010000003']);
    const taken = () => station.backend.write(SYSTEM_ACTOR, (unit) => createCustomer(unit, newCustomerInput({ accountNo: 'GD010000003' })));
    expect(taken).toThrow(FieldsError);
  });

  it('refuses bad fields all at once, each named, and writes nothing', async () => {
    const error = await clerk.fail('customers.create', newCustomerInput({ phone: '1381234', idCard: '110105194912310021', township: '' }));
    expect(error.code).toBe('validation');
    expect(error.issues?.map((i) => i.path)).toEqual(['township', 'phone', 'idCard']);
    expect(error.message).toContain('联系电话：“1381234”不是有效的电话');
    expect(error.message).toContain('身份证号：身份证号校验位不对');
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM customers`)).toBe(0);
    const en = station.client('en');
    en.token = clerk.token;
    const english = await en.fail('customers.create', newCustomerInput({ phone: '1381234' }));
    expect(english.message).toContain('Phone: "1381234" is not a valid phone');
  });

  it('refuses a meter number already installed at another account', async () => {
    const first = await create({ points: [{ label: '', meter: newMeterInput({ meterNo: 'DDS-0001' }) }] });
    const error = await clerk.fail('customers.create', newCustomerInput({ name: '李四', points: [{ label: '', meter: newMeterInput({ meterNo: 'dds-0001' }) }] }));
    expect(error.message).toContain(`表号 DDS-0001 已装在户号 ${first.customer.accountNo} 上`);
  });
});

describe('ID numbers', () => {
  it('are shown in full to clerks and masked to meter readers, who may not edit', async () => {
    const made = await create({ idCard: '11010519491231002x' });
    expect(made.customer.idCard).toBe('11010519491231002X');
    const reader = await station.staffClient('M001', ['meter_reader']);
    const seen = await reader.call('customers.get', { customerId: made.customer.id });
    expect(seen.customer).toMatchObject({ idCard: '1101**********002X', idCardMasked: true });
    const refused = await reader.fail('customers.update', { ...newCustomerInput(), customerId: made.customer.id });
    expect(refused.code).toBe('forbidden');
  });
});

describe('editing and the timeline', () => {
  it('keeps each changed field before and after, newest first, with who changed it', async () => {
    const made = await create();
    station.clock.advance(60_000);
    await clerk.call('customers.update', { ...newCustomerInput({ addressDetail: '5组8号', phone: '13700002222' }), customerId: made.customer.id, expectedUpdatedAt: made.customer.updatedAt });
    const { events } = await clerk.call('customers.history', { customerId: made.customer.id });
    expect(events.map((e) => e.action)).toEqual(['customer.update', 'meter.install', 'customer.create']);
    expect(events[0]).toMatchObject({ actor: 'C001 王芳', staffName: '王芳' });
    expect(events[0]?.summary.changes).toEqual({ phone: ['13812345678', '13700002222'], addressDetail: ['3组12号', '5组8号'] });
    // The old phone no longer finds the customer; the new one does.
    expect((await clerk.call('customers.search', { query: '5678' })).hits).toHaveLength(0);
    expect((await clerk.call('customers.search', { query: '2222' })).hits[0]?.id).toBe(made.customer.id);
  });

  it('refuses to overwrite a change saved in between', async () => {
    const made = await create();
    station.clock.advance(1000);
    await clerk.call('customers.update', { ...newCustomerInput({ notes: '先改' }), customerId: made.customer.id, expectedUpdatedAt: made.customer.updatedAt });
    const stale = await clerk.fail('customers.update', { ...newCustomerInput({ notes: '后改' }), customerId: made.customer.id, expectedUpdatedAt: made.customer.updatedAt });
    expect(stale.code).toBe('conflict');
    expect(stale.message).toContain('C001 王芳');
  });
});

describe('meters (装表 / 换表 / 拆表)', () => {
  it('a replacement keeps the old meter with its final reading and the new one with its start reading, on one date', async () => {
    const made = await create({ points: [{ label: '照明', meter: newMeterInput({ meterNo: 'OLD-0001', startReading: 10000 }) }] });
    const old = made.points[0]?.meters[0];
    const after = await clerk.call('meters.replace', {
      meterId: old?.id ?? '',
      finalReading: 256789,
      reason: '表计故障',
      meter: newMeterInput({ meterNo: 'NEW-0001', installDate: '2026-06-15', startReading: 0, multiplier: 1 }),
    });
    const meters = after.points[0]?.meters ?? [];
    expect(meters.map((m) => [m.meterNo, m.installDate, m.startReading, m.removedDate, m.finalReading])).toEqual([
      ['NEW-0001', '2026-06-15', 0, null, null],
      ['OLD-0001', '2026-01-05', 10000, '2026-06-15', 256789],
    ]);
    expect(meters[1]?.replacedBy).toBe(meters[0]?.id);
    expect(meters[0]?.replaces).toBe(meters[1]?.id);
    // The old number is found as an old meter, the new one as the installed meter.
    expect((await clerk.call('customers.search', { query: 'NEW-0001' })).hits[0]?.matchedBy).toBe('meter');
    expect((await clerk.call('customers.search', { query: 'OLD-0001' })).hits[0]?.matchedBy).toBe('oldMeter');
    // Twice is refused: the old meter is off.
    const again = await clerk.fail('meters.replace', { meterId: old?.id ?? '', finalReading: 1, meter: newMeterInput({ installDate: '2026-07-01' }) });
    expect(again.message).toContain('已于 2026-06-15 拆除');
  });

  it('refuses a final reading beyond the register and a date before the install', async () => {
    const made = await create();
    const meterId = made.points[0]?.meters[0]?.id ?? '';
    const error = await clerk.fail('meters.replace', { meterId, finalReading: 10_000_000, meter: newMeterInput({ installDate: '2025-12-31' }) });
    expect(error.issues?.map((i) => i.path).sort()).toEqual(['finalReading', 'meter.installDate']);
  });
});

describe('status (暂停 / 恢复 / 销户)', () => {
  it('closes only without installed meters and when every close check passes', async () => {
    const made = await create();
    const meterId = made.points[0]?.meters[0]?.id ?? '';
    const withMeter = await clerk.fail('customers.close', { customerId: made.customer.id, date: '2026-08-01' });
    expect(withMeter.message).toContain('请先拆表');
    await clerk.call('meters.remove', { meterId, date: '2026-07-31', finalReading: 123400, reason: '销户拆表' });
    closeAccountChecks.push((_db, c) => new AppError('conflict', 'customers.err.closeBalance', { accountNo: c.accountNo, balance: '¥12.00' }));
    try {
      const owing = await clerk.fail('customers.close', { customerId: made.customer.id, date: '2026-08-01' });
      expect(owing.message).toContain('余额不为零（¥12.00）');
    } finally {
      closeAccountChecks.pop();
    }
    const closed = await clerk.call('customers.close', { customerId: made.customer.id, date: '2026-08-01', reason: '房屋拆除' });
    expect(closed.customer).toMatchObject({ status: 'closed', statusDate: '2026-08-01' });
    const edit = await clerk.fail('customers.update', { ...newCustomerInput(), customerId: made.customer.id });
    expect(edit.message).toContain('已销户');
  });

  it('suspends and resumes with dates', async () => {
    const made = await create();
    const suspended = await clerk.call('customers.suspend', { customerId: made.customer.id, date: '2026-03-01', reason: '外出务工' });
    expect(suspended.customer.status).toBe('suspended');
    expect((await clerk.fail('customers.suspend', { customerId: made.customer.id, date: '2026-03-02' })).code).toBe('conflict');
    const resumed = await clerk.call('customers.resume', { customerId: made.customer.id, date: '2026-05-01' });
    expect(resumed.customer).toMatchObject({ status: 'active', statusDate: '2026-05-01' });
  });
});

describe('the search box', () => {
  beforeEach(async () => {
    await create({ name: '张三', phone: '13812345678', points: [{ label: '', meter: newMeterInput({ meterNo: 'DDS-1001' }) }] });
    await create({ name: '单田芳', phone: '13900004321', village: '西村', points: [{ label: '', meter: newMeterInput({ meterNo: 'DDS-1002' }) }] });
    await create({ name: '曾小贤', phone: '0571-88005678', township: '白水乡', village: '南岭村', points: [] });
    await create({ name: '张三丰', phone: '13600000000', points: [] });
  });
  const find = async (query: string) => (await clerk.call('customers.search', { query })).hits.map((h) => `${h.name}:${h.matchedBy}`);

  it('finds by pinyin initials with surnames read right, exact initials first', async () => {
    expect(await find('zs')).toEqual(['张三:initials', '张三丰:initialsPrefix']);
    expect(await find('stf')).toEqual(['单田芳:initials']);
    expect(await find('zxx')).toEqual(['曾小贤:initials']);
  });

  it('finds by any part of a name, even one character', async () => {
    expect(await find('张三')).toEqual(['张三:name', '张三丰:namePrefix']);
    expect(await find('三')).toEqual(['张三:nameContains', '张三丰:nameContains']);
    expect(await find('小贤')).toEqual(['曾小贤:nameContains']);
    await create({ name: '欧阳修文', phone: '13500000000', points: [] });
    expect(await find('阳修文')).toEqual(['欧阳修文:nameContains']); // longer than a key
    expect(await find('阳')).toEqual(['欧阳修文:nameContains']); // one character inside a name
    expect(await find('文')).toEqual(['欧阳修文:nameContains']); // and at its end
    expect(await find('修文武')).toEqual([]);
  });

  it('finds by the last four (or more) digits of either phone, landlines too', async () => {
    expect(await find('5678')).toEqual(['张三:phone', '曾小贤:phone']);
    expect(await find('345678')).toEqual(['张三:phone']);
  });

  it('finds by account number: exact first, prefix, or just the counter tail', async () => {
    expect(await find('GD010000002')).toEqual(['单田芳:account']);
    expect(await find('2')).toEqual(['单田芳:account']);
    expect((await find('gd01')).length).toBe(4);
  });

  it('finds by meter number and by address words, and narrows with more words', async () => {
    expect(await find('DDS-1002')).toEqual(['单田芳:meter']);
    expect(await find('dds')).toEqual(['张三:meterPrefix', '单田芳:meterPrefix']);
    expect(await find('南岭')).toEqual(['曾小贤:address']);
    expect(await find('东村 张')).toEqual(['张三:nameContains', '张三丰:nameContains'].map((s) => s.replace('nameContains', 'address')));
    expect(await find('东村 丰')).toEqual(['张三丰:address']);
  });

  it('lists with filters and counts, and meter readers may search too', async () => {
    const list = await clerk.call('customers.list', { village: '东村' });
    expect(list.total).toBe(2);
    expect(list.rows.map((r) => r.name)).toEqual(['张三', '张三丰']);
    const reader = await station.staffClient('M001', ['meter_reader']);
    expect((await reader.call('customers.search', { query: 'zs' })).hits).toHaveLength(2);
    const options = await clerk.call('customers.filterOptions', {});
    expect(options.places).toEqual([{ township: '白水乡', village: '南岭村' }, { township: '青山镇', village: '东村' }, { township: '青山镇', village: '西村' }]);
  });
});
