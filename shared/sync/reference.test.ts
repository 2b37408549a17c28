import { describe, expect, it } from 'vitest';
import { checkNoticeRow, checkPolicyRow, checkStaffRow } from './reference';

describe('checkPolicyRow', () => {
  it.each([
    ['a reading override', { kind: 'reading', effectiveFrom: '2027-01-01', definition: { highPercent: 180 } }, null],
    ['not an object', 'x', ['invalid', 'data']],
    ['unknown field', { kind: 'reading', effectiveFrom: '2027-01-01', definition: {}, note: 1 }, ['unknown', 'note']],
    ['no kind', { effectiveFrom: '2027-01-01', definition: {} }, ['required', 'kind']],
    ['service policy has no station store', { kind: 'service', effectiveFrom: '2027-01-01', definition: {} }, ['invalid', 'kind']],
    ['bad date', { kind: 'reading', effectiveFrom: '2027-13-01', definition: {} }, ['invalid', 'effectiveFrom']],
    ['no definition', { kind: 'reading', effectiveFrom: '2027-01-01' }, ['required', 'definition']],
    ['reading override out of range', { kind: 'reading', effectiveFrom: '2027-01-01', definition: { highPercent: 50 } }, ['invalid', 'definition']],
    ['reading override of an unknown field', { kind: 'reading', effectiveFrom: '2027-01-01', definition: { fastest: 1 } }, ['invalid', 'definition']],
    ['an incomplete penalty policy', { kind: 'penalty', effectiveFrom: '2027-01-01', definition: { graceDays: 1 } }, ['invalid', 'definition']],
  ] as const)('%s', (_name, data, expected) => {
    const r = checkPolicyRow(data);
    if (expected === null) expect(r.ok).toBe(true);
    else expect(r.ok ? null : [r.problem.rule, r.problem.field]).toEqual(expected);
  });

  it('names the failing field of a definition', () => {
    const r = checkPolicyRow({ kind: 'reading', effectiveFrom: '2027-01-01', definition: { highPercent: 50 } });
    expect(r.ok ? '' : r.problem.detail).toContain('highPercent');
  });

  it.each([
    [{ largeTenderOverFen: 100_000 }, true],
    [{ largeTenderOverFen: -1 }, false],
    [{ confirmAboveFen: 100_000 }, false],
  ])('a counter policy %j is checked by the collection desk’s schema → %s', (definition, ok) => {
    expect(checkPolicyRow({ kind: 'counter', effectiveFrom: '2027-01-01', definition }).ok).toBe(ok);
  });
});

describe('checkStaffRow', () => {
  it.each([
    ['a new reader', { staffNo: 'R009', name: '李四', roles: ['meter_reader'] }, null],
    ['deactivate', { staffNo: 'R009', name: '李四', roles: ['meter_reader'], active: false }, null],
    ['a password', { staffNo: 'R009', name: '李四', roles: ['clerk'], password: 'x' }, ['password', 'password']],
    ['a hash', { staffNo: 'R009', name: '李四', roles: ['clerk'], passwordHash: 'x' }, ['password', 'passwordHash']],
    ['unknown field', { staffNo: 'R009', name: '李四', roles: ['clerk'], phone: '1' }, ['unknown', 'phone']],
    ['no staff number', { name: '李四', roles: ['clerk'] }, ['required', 'staffNo']],
    ['a bad staff number', { staffNo: 'R 009', name: '李四', roles: ['clerk'] }, ['invalid', 'staffNo']],
    ['no name', { staffNo: 'R009', roles: ['clerk'] }, ['required', 'name']],
    ['no roles', { staffNo: 'R009', name: '李四', roles: [] }, ['invalid', 'roles']],
    ['an unknown role', { staffNo: 'R009', name: '李四', roles: ['boss'] }, ['invalid', 'roles']],
    ['active not a boolean', { staffNo: 'R009', name: '李四', roles: ['clerk'], active: 'no' }, ['invalid', 'active']],
  ] as const)('%s', (_name, data, expected) => {
    const r = checkStaffRow(data);
    if (expected === null) expect(r.ok).toBe(true);
    else expect(r.ok ? null : [r.problem.rule, r.problem.field]).toEqual(expected);
  });

  it('defaults to active and sorts roles once each', () => {
    expect(checkStaffRow({ staffNo: ' R009 ', name: '李四', roles: ['meter_reader', 'clerk', 'clerk'] })).toEqual({
      ok: true,
      value: { staffNo: 'R009', name: '李四', roles: ['clerk', 'meter_reader'], active: true },
    });
  });
});

describe('checkNoticeRow', () => {
  it.each([
    ['a notice', { id: 'N1', title: '停电检修', body: '12 月 8 日' }, null],
    ['with an end day', { id: 'N1', title: '停电检修', until: '2027-01-31' }, null],
    ['no id', { title: 'x' }, ['required', 'id']],
    ['no title', { id: 'N1' }, ['required', 'title']],
    ['an empty title', { id: 'N1', title: '  ' }, ['invalid', 'title']],
    ['a bad end day', { id: 'N1', title: 'x', until: '31/01/2027' }, ['invalid', 'until']],
    ['unknown field', { id: 'N1', title: 'x', level: 'high' }, ['unknown', 'level']],
  ] as const)('%s', (_name, data, expected) => {
    const r = checkNoticeRow(data);
    if (expected === null) expect(r.ok).toBe(true);
    else expect(r.ok ? null : [r.problem.rule, r.problem.field]).toEqual(expected);
  });
});
