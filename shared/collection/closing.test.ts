import { describe, expect, it } from 'vitest';
import { yuanToFen } from '../money';
import { closeDayTotals, closingNeedsSignOff, closingProblems, type ClosingEntry } from './closing';

// A clerk's day: 3 cash payments, one of them reversed (冲正) in cash, a card, a QR and a
// prepaid deduction; a 500.00 float in the drawer at opening.
const day: ClosingEntry[] = [
  { kind: 'payment', channel: 'cash', amountFen: yuanToFen('210.25') },
  { kind: 'payment', channel: 'cash', amountFen: yuanToFen('86.40') },
  { kind: 'payment', channel: 'cash', amountFen: yuanToFen('120.00') },
  { kind: 'reversal', channel: 'cash', amountFen: yuanToFen('120.00') },
  { kind: 'payment', channel: 'card', amountFen: yuanToFen('1000.00') },
  { kind: 'payment', channel: 'qr', amountFen: yuanToFen('56.78') },
  { kind: 'payment', channel: 'prepaid', amountFen: yuanToFen('40.00') },
];
const float = yuanToFen('500.00');

describe('daily closing (日结)', () => {
  it('totals the day by channel', () => {
    const closing = closeDayTotals(day, float, yuanToFen('796.65'));
    expect(closing.byChannel.map((r) => [r.channel, r.paymentCount, r.paymentsFen, r.reversalCount, r.reversalsFen, r.netFen])).toEqual([
      ['cash', 3, 41665, 1, 12000, 29665],
      ['card', 1, 100000, 0, 0, 100000],
      ['qr', 1, 5678, 0, 0, 5678],
      ['transfer', 0, 0, 0, 0, 0],
      ['prepaid', 1, 4000, 0, 0, 4000],
    ]);
    expect(closing).toMatchObject({
      paymentsFen: 151343,
      reversalsFen: 12000,
      netFen: 139343,
      receivedFen: 135343,
      cashTakingsFen: 29665,
      expectedCashFen: 79665,
    });
  });

  it.each([
    ['the drawer balances: no sign-off', '796.65', '0.00', false],
    ['10.00 short (短款) needs a reason and the station head', '786.65', '-10.00', true],
    ['0.01 over (长款) needs them too', '796.66', '0.01', true],
  ] as const)('%s', (_case, counted, difference, signOff) => {
    const closing = closeDayTotals(day, float, yuanToFen(counted));
    expect(closing.differenceFen).toBe(yuanToFen(difference));
    expect(closingNeedsSignOff(closing)).toBe(signOff);
  });

  it.each([
    ['a 10.00 shortage with neither reason nor sign-off', -1000, {}, ['reason_required', 'sign_off_required']],
    ['a reason but no sign-off', -1000, { reason: '找错零钱' }, ['sign_off_required']],
    ['a blank reason', -1000, { reason: '  ', signedOffBy: 'head-01' }, ['reason_required']],
    ['a reason and the station head’s sign-off', -1000, { reason: '找错零钱', signedOffBy: 'head-01' }, []],
    ['a balanced drawer needs nothing', 0, {}, []],
  ] as const)('may it be filed? %s', (_case, differenceFen, signOff, problems) => {
    expect(closingProblems({ differenceFen }, signOff)).toEqual(problems);
  });

  it('an empty day with the float counted balances', () => {
    const closing = closeDayTotals([], float, float);
    expect(closing).toMatchObject({ netFen: 0, expectedCashFen: float, differenceFen: 0 });
  });

  it('refuses an unknown channel or a negative amount', () => {
    expect(() => closeDayTotals([{ kind: 'payment', channel: 'cheque' as 'cash', amountFen: 100 }], 0, 100)).toThrow(/channel/);
    expect(() => closeDayTotals([{ kind: 'payment', channel: 'cash', amountFen: -100 }], 0, 0)).toThrow(/non-negative/);
  });
});
