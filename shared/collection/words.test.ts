import { describe, expect, it } from 'vitest';
import { yuanToFen } from '../money';
import { amountInWords } from './words';

describe('amounts in Chinese capitals on receipts (人民币大写)', () => {
  it.each([
    ['0.00', '零元整'],
    ['0.05', '伍分'],
    ['0.50', '伍角整'],
    ['1.00', '壹元整'],
    ['10.00', '壹拾元整'],
    ['86.40', '捌拾陆元肆角整'],
    ['210.03', '贰佰壹拾元零叁分'],
    ['300.00', '叁佰元整'],
    ['1005.20', '壹仟零伍元贰角整'],
    ['1592.00', '壹仟伍佰玖拾贰元整'],
    ['10000.00', '壹万元整'],
    ['10010.00', '壹万零壹拾元整'],
    ['100000.00', '壹拾万元整'],
    ['1000500.07', '壹佰万零伍佰元零柒分'],
    ['120000000.00', '壹亿贰仟万元整'],
    ['100000001.00', '壹亿零壹元整'],
  ])('%s yuan reads %s', (yuan, words) => {
    expect(amountInWords(yuanToFen(yuan))).toBe(words);
  });
});
