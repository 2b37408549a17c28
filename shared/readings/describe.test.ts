import { describe, expect, it } from 'vitest';
import { parseCenti } from '../money';
import { checkReading } from './checkReading';
import { flagLabel, flagMessage } from './describe';
import { makeFlag, READING_FLAG_CODES } from './flags';

const kwh = (text: string) => parseCenti(text);
const history = [1, 2, 3].map((i) => ({ period: `2026-0${5 - i}`, consumption: kwh('100'), days: 30, estimated: false }));
const base = {
  previous: { reading: kwh('1000'), date: '2026-04-25', multiplier: 1 },
  current: { reading: kwh('2000'), date: '2026-05-25' },
  multiplier: 1,
  digits: 5,
  history,
};

describe('flag messages in the office language', () => {
  it('explains a 10× spike with its numbers in Chinese and English', () => {
    const [flag] = checkReading(base).flags;
    expect(flagMessage('zh-CN', flag!)).toBe('电量 1000 kWh（30 天，日均 33.33）偏高：近 3 期日均 3.33，本期为其 1000%；阈值 300%');
    expect(flagMessage('en', flag!)).toBe('Consumption 1000 kWh (30 days, 33.33 a day) is high: recent 3 periods average 3.33 a day, this is 1000%; threshold 300%');
  });

  it('names the register of a refused drop and the field of an impossible value', () => {
    const negative = checkReading({ ...base, previous: { ...base.previous, reading: kwh('50000') }, current: { ...base.current, reading: kwh('40000') } }).errors[0]!;
    expect(flagMessage('zh-CN', negative)).toBe('止码 40000 小于起码 50000；若按满码翻转将走字 90000，超过合理上限 10000，请核对读数');
    const peak = makeFlag('reading_out_of_range', { field: 'peak.current', reading: kwh('100000'), limit: kwh('100000'), digits: 5 });
    expect(flagMessage('zh-CN', peak)).toBe('峰止码 100000 不可能出现在 5 位表上（应为 0 至 100000 以下），请核对');
  });

  it('says early or late for a reading outside the window', () => {
    const late = makeFlag('outside_window', { bookDay: 5, scheduledDate: '2026-10-05', offsetDays: 6, daysBefore: 2, daysAfter: 3 });
    expect(flagMessage('zh-CN', late)).toBe('抄表日期比例日 2026-10-05 晚 6 天（允许提前 2 天、推后 3 天）');
    const early = makeFlag('outside_window', { bookDay: 5, scheduledDate: '2026-10-05', offsetDays: -4, daysBefore: 2, daysAfter: 3 });
    expect(flagMessage('en', early)).toBe('Read 4 days before the book day 2026-10-05 (allowed 2 days before, 3 after)');
  });

  it('has a message and a short label for every flag code, with every placeholder filled', () => {
    // Every param any check produces (see checks.ts and checkReading.ts).
    const params = {
      field: 'current', reading: 1, limit: 1, digits: 5, currentDate: '2026-10-05', previousDate: '2026-09-05', days: 30, span: 'meter',
      previous: 1, current: 2, drop: 1, wrappedAdvance: 1, maxAdvance: 1, advance: 1, count: 3, consumption: 1, dailyUse: 1,
      thresholdPercent: 300, recentDailyAverage: 1, recentRatioPercent: 100, recentPeriods: 3, lastYearDailyAverage: 1,
      lastYearRatioPercent: 100, lastYearPeriod: '2025-10', registersSum: 1, total: 1, difference: 1, tolerance: 1, bookDay: 5,
      scheduledDate: '2026-10-05', offsetDays: 4, daysBefore: 2, daysAfter: 3,
    };
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const code of READING_FLAG_CODES) {
        expect(flagLabel(locale, code)).not.toContain('reading.');
        expect(flagMessage(locale, makeFlag(code, params))).not.toMatch(/\{|reading\./);
      }
    }
  });
});
