import { describe, expect, it } from 'vitest';
import { RuleError } from './i18n/coded';
import { divRoundHalfUp, fenToYuan, formatCenti, formatYuan, lineAmount, MoneyError, parseCenti, parsePrice, sumFen, yuanToFen } from './money';

describe('money', () => {
  it.each([
    [0, '¥0.00'],
    [5, '¥0.05'],
    [123456, '¥1,234.56'],
    [100000000, '¥1,000,000.00'],
    [-1050, '-¥10.50'],
  ])('formats %i fen as %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });

  it.each([
    ['12.34', 1234],
    ['12', 1200],
    ['0.5', 50],
    ['-3.01', -301],
  ])('reads %s yuan as %i fen', (text, fen) => {
    expect(yuanToFen(text)).toBe(fen);
    expect(yuanToFen(fenToYuan(fen))).toBe(fen);
  });

  it('refuses a fraction of a fen and non-numbers', () => {
    expect(() => yuanToFen('1.005')).toThrow(/decimal places/);
    expect(() => yuanToFen('abc')).toThrow(/is not a number/);
    expect(() => parsePrice('0.123456789')).toThrow(/8 decimal places/);
  });

  it('says why in the reader’s language (a RuleError: a figure that escapes a handler answers validation, not internal)', () => {
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        if (error instanceof MoneyError) return [error.messageIn('zh-CN'), error.messageIn('en')];
        throw error;
      }
      throw new Error('not refused');
    };
    expect(refusal(() => yuanToFen('1.005'))).toEqual(['金额“1.005”的小数超过 2 位', 'The amount "1.005" has more than 2 decimal places']);
    expect(refusal(() => yuanToFen('abc'))).toEqual(['金额“abc”不是数字：请写成 12.34 这样的小数', 'The amount "abc" is not a number: write a decimal such as 12.34']);
    expect(refusal(() => parsePrice('0.123456789'))).toEqual(['单价“0.123456789”的小数超过 8 位', 'The price "0.123456789" has more than 8 decimal places']);
    expect(refusal(() => sumFen([1.5]))).toEqual(['金额必须是整数分，不能是 1.5', 'The amount must be a whole number of fen, not 1.5']);
    expect(MoneyError.prototype).toBeInstanceOf(RuleError);
  });

  it('rounds half up, away from zero', () => {
    expect(divRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divRoundHalfUp(-5n, 10n)).toBe(-1n);
    expect(divRoundHalfUp(15n, 10n)).toBe(2n);
  });

  it('prices 100 kWh at 0.59886875 yuan as 59.89 yuan (rounded once)', () => {
    expect(lineAmount(parseCenti('100'), parsePrice('0.59886875'))).toBe(5989);
  });

  it('prices 0.01 kWh at 0.5 yuan to the fen, half up', () => {
    // 0.005 yuan = half a fen → 1 fen
    expect(lineAmount(1, parsePrice('0.5'))).toBe(1);
    expect(formatCenti(12000)).toBe('120');
    expect(formatCenti(12345)).toBe('123.45');
  });
});
