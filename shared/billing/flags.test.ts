import { renderMessage } from '../i18n/coded';
import { describe, expect, it } from 'vitest';
import { billFlags } from './flags';
import { DEFAULT_BILLING_POLICY, checkReferenceFile, policyInForce } from './policy';

const policy = DEFAULT_BILLING_POLICY;
const line = (amountFen: number) => ({ amountFen });

describe('billFlags: the exceptions a billing clerk reviews before issue', () => {
  it.each([
    ['an ordinary bill against a steady history', { totalFen: 7186, kwh: 12000, lines: [line(7186)], estimated: false }, { count: 6, sumFen: 6 * 7000 }, []],
    ['a zero bill', { totalFen: 0, kwh: 0, lines: [line(0)], estimated: false }, { count: 6, sumFen: 42000 }, ['zero']],
    ['zero kWh with a capacity charge is still a zero-consumption bill', { totalFen: 630000, kwh: 0, lines: [line(630000), line(0)], estimated: false }, null, ['zero']],
    ['exactly three times the average is not flagged', { totalFen: 21000, kwh: 30000, lines: [line(21000)], estimated: false }, { count: 3, sumFen: 21000 }, []],
    ['one fen over three times the average is flagged', { totalFen: 21001, kwh: 30000, lines: [line(21001)], estimated: false }, { count: 3, sumFen: 21000 }, ['high']],
    ['no history: nothing to compare with', { totalFen: 99999, kwh: 100000, lines: [line(99999)], estimated: false }, { count: 0, sumFen: 0 }, []],
    ['a power-factor credit is a negative line', { totalFen: 99000, kwh: 100000, lines: [line(100000), line(-1000)], estimated: false }, null, ['negative_line']],
    ['an estimated reading', { totalFen: 5000, kwh: 8000, lines: [line(5000)], estimated: true }, null, ['estimated']],
  ] as const)('%s', (_name, bill, history, codes) => {
    expect(billFlags(bill, history, policy).map((f) => f.code)).toEqual(codes);
  });

  it('says the average and the factor on the high flag', () => {
    const [flag] = billFlags({ totalFen: 30000, kwh: 40000, lines: [line(30000)], estimated: false }, { count: 4, sumFen: 32000 }, policy);
    expect(flag).toEqual({ code: 'high', params: { averageFen: 8000, factor: '3', bills: 4 } });
  });

  it('follows a head-office factor of 2.5', () => {
    const strict = { ...policy, highBillFactor: '2.5' };
    expect(billFlags({ totalFen: 2501, kwh: 1, lines: [line(2501)], estimated: false }, { count: 1, sumFen: 1000 }, strict).map((f) => f.code)).toEqual(['high']);
    expect(billFlags({ totalFen: 2500, kwh: 1, lines: [line(2500)], estimated: false }, { count: 1, sumFen: 1000 }, strict)).toEqual([]);
  });
});

describe('reference files with a billing policy', () => {
  const tariff = { code: 'AGR', name: '农业生产用电', class: 'agricultural', effectiveFrom: '2026-01-01', energy: { flat: '0.4' } };

  it('reads tariffs and a policy from one file', () => {
    const result = checkReferenceFile({ tariffs: [tariff], billingPolicy: { effectiveFrom: '2026-01-01', dueDays: 20, highBillFactor: '3', averageMonths: 6 } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.tariffs.map((t) => t.code)).toEqual(['AGR']);
    expect(result.policies).toEqual([{ effectiveFrom: '2026-01-01', dueDays: 20, highBillFactor: '3', averageMonths: 6, paymentChannels: [] }]);
  });

  it('takes a file with a policy only, and plain tariff files as before', () => {
    const only = checkReferenceFile({ billingPolicy: [{ effectiveFrom: '2026-01-01', dueDays: 15, highBillFactor: '3', averageMonths: 12 }] });
    expect(only.ok && only.tariffs.length === 0 && only.policies.length === 1).toBe(true);
    const plain = checkReferenceFile(tariff);
    expect(plain.ok && plain.tariffs.length === 1 && plain.policies.length === 0).toBe(true);
  });

  it('names the field that is wrong', () => {
    const result = checkReferenceFile({ tariffs: [tariff], billingPolicy: { effectiveFrom: '2026-13-01', dueDays: -1, highBillFactor: '0.5' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => renderMessage('en', p))).toEqual([
      'billingPolicy, effectiveFrom: must be a date written YYYY-MM-DD',
      'billingPolicy, dueDays: must be at least 0',
      'billingPolicy, highBillFactor: "0.5" must be above 1 (e.g. "3" flags bills over three times the average)',
      'billingPolicy, averageMonths: is missing',
    ]);
    expect(result.problems.map((p) => renderMessage('zh-CN', p))).toEqual([
      '电费政策 billingPolicy，字段 effectiveFrom：须是日期，写作 YYYY-MM-DD',
      '电费政策 billingPolicy，字段 dueDays：须不小于 0',
      '电费政策 billingPolicy，字段 highBillFactor：“0.5”须大于 1（如 "3" 表示超过平均电费三倍的账单需复核）',
      '电费政策 billingPolicy，字段 averageMonths：缺少此项',
    ]);
  });

  it('picks the policy in force on a date, else the default of 15 days', () => {
    const v1 = { effectiveFrom: '2026-01-01', dueDays: 20, highBillFactor: '3', averageMonths: 12, paymentChannels: [] };
    const v2 = { ...v1, effectiveFrom: '2026-07-01', dueDays: 10 };
    expect(policyInForce([v1, v2], '2025-12-31').dueDays).toBe(15);
    expect(policyInForce([v2, v1], '2026-06-30').dueDays).toBe(20);
    expect(policyInForce([v1, v2], '2026-07-01').dueDays).toBe(10);
  });
});
