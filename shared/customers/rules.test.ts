import { describe, expect, it } from 'vitest';
import { checkCustomerFields, checkMeterFields, formatAccountNo, idCardCheckChar, idCardProblem, isPhone, maskIdCard, parseReading, type CustomerFields } from './rules';
import { customerSearchKeys, nameGrams, nameInitials, parseQuery, reversedPhone } from './searchKeys';

const resident: CustomerFields = {
  name: '张三',
  phone: '13812345678',
  phone2: '',
  idCard: '',
  township: '青山镇',
  village: '东村',
  addressDetail: '3组12号',
  transformerArea: '东村1号台区',
  customerClass: 'residential',
  tariffCode: null,
  householdSize: 4,
  multiPerson: false,
  capacityKva: null,
  openedDate: '2026-01-05',
  notes: '',
};

describe('customer file rules', () => {
  it.each([
    ['13812345678', true],
    ['19912345678', true],
    ['12812345678', false], // no 12x mobile numbers
    ['1381234567', false], // 10 digits
    ['0571-88001234', true],
    ['057188001234', true],
    ['010-12345678-801', true],
    ['88001234', false], // a landline needs its area code
  ])('phone %s is valid: %s', (phone, valid) => expect(isPhone(phone)).toBe(valid));

  it('checks an 18-character ID number by its check digit (GB 11643)', () => {
    // 11010519491231002X is the standard's own example.
    expect(idCardCheckChar('11010519491231002')).toBe('X');
    expect(idCardProblem('11010519491231002X')).toBeNull();
    expect(idCardProblem('110105194912310021')).toBe('checkDigit');
    expect(idCardProblem('11010519491331002X')).toBe('birthDate'); // month 13
    expect(idCardProblem('1101051949123100')).toBe('length');
    expect(idCardProblem('1101051949123100AX')).toBe('chars');
  });

  it('masks an ID number except its first and last four characters', () => {
    expect(maskIdCard('11010519491231002X')).toBe('1101**********002X');
  });

  it('formats 户号 from the station code and counter', () => {
    expect(formatAccountNo('gd01', 123)).toBe('GD010000123');
  });

  it('names every wrong field of a record, with a message key a clerk can act on', () => {
    expect(checkCustomerFields(resident)).toEqual([]);
    const problems = checkCustomerFields({ ...resident, name: '', phone: '1381234', idCard: '110105194912310021', customerClass: 'large_industry', multiPerson: true, openedDate: '2026-02-30' });
    expect(problems.map((p) => `${p.field}:${p.key}`)).toEqual([
      'name:customers.err.required',
      'phone:customers.err.phone',
      'idCard:customers.err.idCard.checkDigit',
      'multiPerson:customers.err.multiPersonResidentOnly',
      'capacityKva:customers.err.capacityRequired',
      'openedDate:customers.err.date',
    ]);
  });

  it('checks a meter: number format, digits, multiplier, start reading within the register', () => {
    const meter = { meterNo: 'DDS-0001', digits: 5, multiplier: 1, tou: false, installDate: '2026-01-05', startReading: 0, startRegisters: null };
    expect(checkMeterFields(meter)).toEqual([]);
    expect(checkMeterFields({ ...meter, startReading: 10_000_000 }).map((p) => p.field)).toEqual(['startReading']); // 100000.00 on 5 digits
    expect(checkMeterFields({ ...meter, meterNo: 'a b', multiplier: 0, digits: 3 }, 'm.').map((p) => p.field)).toEqual(['m.meterNo', 'm.digits', 'm.multiplier']);
  });

  it('reads a typed reading into hundredths', () => {
    expect(parseReading('12345.67')).toBe(1234567);
    expect(parseReading('12')).toBe(1200);
    expect(parseReading('1.234')).toBeNull();
    expect(parseReading('-1')).toBeNull();
  });
});

describe('search keys', () => {
  it('reads surnames as surnames: 单 is shan, 曾 is zeng', () => {
    expect(nameInitials('张三')).toBe('zs');
    expect(nameInitials('单田芳')).toBe('stf');
    expect(nameInitials('曾小贤')).toBe('zxx');
    expect(nameInitials('仇建国')).toBe('qjg');
  });

  it('keeps every pair of a name and its last character, so any part of a name is a key or a key prefix', () => {
    expect(nameGrams('欧阳修文').sort()).toEqual(['修文', '文', '欧阳', '阳修'].sort());
    expect(nameGrams('单')).toEqual(['单']);
    expect(nameGrams('Li Na')).toEqual(['li', 'in', 'na', 'a']);
  });

  it('stores phones reversed, so the last digits are a prefix', () => {
    expect(reversedPhone('0571-88001234')).toBe('432100881750');
    expect(customerSearchKeys({ name: '张三', phone: '13812345678', phone2: '' })).toContain('t87654321831');
  });

  it('tells account or meter numbers, initials and Chinese words apart', () => {
    const [a, b, c] = parseQuery(' GD01  zs 东村 ');
    expect(a).toMatchObject({ upper: 'GD01', code: true, letters: false });
    expect(b).toMatchObject({ text: 'zs', letters: true });
    expect(c).toMatchObject({ text: '东村', chinese: true, code: false });
  });
});
