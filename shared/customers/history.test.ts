import { describe, expect, it } from 'vitest';
import { translate, type Locale, type MessageKey, type MessageParams } from '../i18n';
import { historyAction, historyEventText } from './history';

// The customer history in words (客户档案变更记录), as the customer page and `griddesk customers
// history` show it: one row per kind of event the back end records, in both languages.

const say = (locale: Locale) => (key: MessageKey, params?: MessageParams) => translate(locale, key, params);

const CASES: { action: string; summary: Record<string, unknown>; zh: string; en: string }[] = [
  {
    action: 'customer.update',
    summary: { accountNo: 'QS01', name: '张三', changes: { addressDetail: ['3组12号', '5组8号'], multiPerson: [false, true], phone: ['', '13900000000'] } },
    zh: '详细地址：3组12号 → 5组8号；多人口户：否 → 是；联系电话：— → 13900000000',
    en: 'Address detail: 3组12号 → 5组8号; Multi-person household: No → Yes; Phone: — → 13900000000',
  },
  {
    action: 'customer.suspend',
    summary: { accountNo: 'QS01', name: '张三', changes: { status: ['active', 'suspended'] }, date: '2026-06-01', reason: '外出务工' },
    zh: '状态：正常 → 暂停；日期 2026-06-01；外出务工',
    en: 'Status: Active → Suspended; on 2026-06-01; 外出务工',
  },
  {
    action: 'customer.update',
    summary: { changes: { customerClass: ['residential', 'commercial'] } },
    zh: '用电类别：居民生活 → 一般工商业',
    en: 'Customer class: Residential → General industrial & commercial',
  },
  {
    action: 'meter.install',
    summary: { meterNo: 'M-1', startReading: '1234.5', date: '2026-03-01' },
    zh: 'M-1 起码 1234.5（2026-03-01）',
    en: 'M-1 start reading 1234.5 (2026-03-01)',
  },
  {
    action: 'meter.replace',
    summary: { oldMeterNo: 'M-1', finalReading: '2345.67', newMeterNo: 'M-2', startReading: '0', date: '2026-06-15', reason: '表坏' },
    zh: 'M-1 止码 2345.67 → M-2 起码 0（2026-06-15） 表坏',
    en: 'M-1 final reading 2345.67 → M-2 start reading 0 (2026-06-15) 表坏',
  },
  {
    action: 'meter.remove',
    summary: { meterNo: 'M-2', finalReading: '10', date: '2026-07-01', reason: '' },
    zh: 'M-2 止码 10（2026-07-01）',
    en: 'M-2 final reading 10 (2026-07-01)',
  },
  { action: 'customers.import', summary: { file: 'a.xlsx' }, zh: '由导入建档（a.xlsx）', en: 'Filed by import (a.xlsx)' },
  { action: 'customer.create', summary: { accountNo: 'QS01', name: '张三', address: '龙潭镇 团结村' }, zh: 'QS01 张三 龙潭镇 团结村', en: 'QS01 张三 龙潭镇 团结村' },
  // Another desk's event on the file: its fields as they are, never an empty line.
  { action: 'other.thing', summary: { customerId: 'x', amount: 5, flags: { a: 1 } }, zh: 'amount=5 flags={"a":1}', en: 'amount=5 flags={"a":1}' },
];

describe('historyEventText', () => {
  for (const c of CASES) {
    it(`${c.action} ${JSON.stringify(c.summary).slice(0, 60)}`, () => {
      expect(historyEventText(c, say('zh-CN'))).toBe(c.zh);
      expect(historyEventText(c, say('en'))).toBe(c.en);
    });
  }
});

describe('historyAction', () => {
  it('names the event in the language asked for, or shows a code no desk names', () => {
    expect(historyAction({ action: 'meter.replace' }, say('zh-CN'))).toBe('换表');
    expect(historyAction({ action: 'meter.replace' }, say('en'))).toBe('Meter replaced');
    expect(historyAction({ action: 'other.thing' }, say('en'))).toBe('other.thing');
  });
});
