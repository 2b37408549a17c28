// Pure rules of the customer file (客户档案): what a valid phone, ID-card number, account number
// and customer record look like, and how an ID number is shown to roles that may not see it.
// The back end, the spreadsheet import and the forms all call these, so a rule is written once.
import { parseScaled, QTY_PLACES } from '../money';
import { isDate } from '../time';
import { CUSTOMER_CLASSES, type CustomerClass } from './classes';

export const CUSTOMER_STATUSES = ['active', 'suspended', 'closed'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/** Digits of the counter part of an account number (户号 = station code + these digits). */
export const ACCOUNT_DIGITS = 7;

/** 户号: the station's code followed by the zero-padded counter value, e.g. GD010000123. */
export function formatAccountNo(stationCode: string, counter: number): string {
  return `${stationCode.toUpperCase()}${String(counter).padStart(ACCOUNT_DIGITS, '0')}`;
}

/** Account numbers as typed by a clerk or read from a workbook: letters and digits, 6–20. */
export const ACCOUNT_NO_RE = /^[A-Z0-9]{6,20}$/;

/** 11-digit mainland mobile number. */
export const MOBILE_RE = /^1[3-9]\d{9}$/;
/** Landline with area code: 0571-88001234, 057188001234, 010-12345678-801 (extension). */
export const LANDLINE_RE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;

export function isPhone(text: string): boolean {
  return MOBILE_RE.test(text) || LANDLINE_RE.test(text);
}

/** Only the digits of a phone number (search keys, comparisons). */
export function phoneDigits(text: string): string {
  return text.replace(/\D/g, '');
}

// Dates repeat across a workbook of 50,000 rows (opening and install dates, birth dates in ID
// numbers), and the calendar check round-trips through Date: each date text is checked once.
const checkedDates = new Map<string, boolean>();

/** isDate (a real YYYY-MM-DD day), remembered per text. */
export function validDate(text: string): boolean {
  if (text.length !== 10) return false;
  let valid = checkedDates.get(text);
  if (valid === undefined) {
    if (checkedDates.size >= 100_000) checkedDates.clear();
    valid = isDate(text);
    checkedDates.set(text, valid);
  }
  return valid;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The check character (校验码) of an 18-character resident ID number (GB 11643-1999). */
export function idCardCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] ?? '?';
}

export type IdCardProblem = 'length' | 'chars' | 'birthDate' | 'checkDigit';

/** Why an ID number is wrong, or null when it is right. */
export function idCardProblem(text: string): IdCardProblem | null {
  if (text.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(text)) return 'chars';
  const birth = `${text.slice(6, 10)}-${text.slice(10, 12)}-${text.slice(12, 14)}`;
  if (!validDate(birth) || birth < '1900-01-01') return 'birthDate';
  if (idCardCheckChar(text.slice(0, 17)) !== text[17]) return 'checkDigit';
  return null;
}

/** Shown to roles without the full-ID permission: first 4 and last 4 kept, 3301**********123X. */
export function maskIdCard(text: string): string {
  if (text.length <= 8) return text.replace(/./g, '*');
  return `${text.slice(0, 4)}${'*'.repeat(text.length - 8)}${text.slice(-4)}`;
}

/** The customer record's editable fields, as the forms and the import send them. */
export interface CustomerFields {
  name: string;
  phone: string;
  phone2: string;
  idCard: string;
  township: string;
  village: string;
  addressDetail: string;
  transformerArea: string;
  customerClass: CustomerClass;
  tariffCode: string | null;
  householdSize: number | null;
  multiPerson: boolean;
  capacityKva: number | null;
  openedDate: string;
  notes: string;
}

export type CustomerField = keyof CustomerFields;

/** One problem with one field: the i18n key of the message and its parameters. */
export interface FieldProblem {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

/** Cleans what a clerk typed: trimmed, ID numbers upper-case (the check character may be x). */
export function normaliseCustomerFields(input: CustomerFields): CustomerFields {
  const trim = (s: string) => s.trim().replace(/\s+/g, ' ');
  const tariff = input.tariffCode?.trim();
  // Field by field, nothing else: a new customer's input also carries its account number, status
  // and meters, which must not ride along into the record (nor into the outbox payload made of it).
  return {
    name: trim(input.name),
    phone: input.phone.trim().replace(/\s/g, ''),
    phone2: input.phone2.trim().replace(/\s/g, ''),
    idCard: input.idCard.trim().toUpperCase(),
    township: trim(input.township),
    village: trim(input.village),
    addressDetail: trim(input.addressDetail),
    transformerArea: trim(input.transformerArea),
    customerClass: input.customerClass,
    tariffCode: tariff ? tariff : null,
    householdSize: input.householdSize,
    multiPerson: input.multiPerson,
    capacityKva: input.capacityKva,
    openedDate: input.openedDate,
    notes: input.notes.trim(),
  };
}

const PLACE_FIELDS = ['township', 'village', 'transformerArea'] as const;
const PHONE_FIELDS = ['phone', 'phone2'] as const;

/** Every problem with a customer record, field by field (empty when it may be saved). */
export function checkCustomerFields(f: CustomerFields): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!f.name) out.push({ field: 'name', key: 'customers.err.required' });
  if (f.name.length > 60) out.push({ field: 'name', key: 'customers.err.tooLong', params: { max: 60 } });
  for (const field of PLACE_FIELDS) if (!f[field]) out.push({ field, key: 'customers.err.required' });
  for (const field of PLACE_FIELDS) {
    if (f[field].length > 40) out.push({ field, key: 'customers.err.tooLong', params: { max: 40 } });
  }
  if (f.addressDetail.length > 100) out.push({ field: 'addressDetail', key: 'customers.err.tooLong', params: { max: 100 } });
  if (f.notes.length > 500) out.push({ field: 'notes', key: 'customers.err.tooLong', params: { max: 500 } });
  for (const field of PHONE_FIELDS) {
    if (f[field] && !isPhone(f[field])) out.push({ field, key: 'customers.err.phone', params: { value: f[field] } });
  }
  if (f.idCard) {
    const problem = idCardProblem(f.idCard);
    if (problem) out.push({ field: 'idCard', key: `customers.err.idCard.${problem}` });
  }
  if (!(CUSTOMER_CLASSES as readonly string[]).includes(f.customerClass)) {
    out.push({ field: 'customerClass', key: 'customers.err.class', params: { value: String(f.customerClass) } });
  }
  if (f.householdSize !== null && (!Number.isInteger(f.householdSize) || f.householdSize < 1 || f.householdSize > 99)) {
    out.push({ field: 'householdSize', key: 'customers.err.householdSize' });
  }
  if (f.customerClass !== 'residential' && f.multiPerson) out.push({ field: 'multiPerson', key: 'customers.err.multiPersonResidentOnly' });
  if (f.capacityKva !== null && (!Number.isInteger(f.capacityKva) || f.capacityKva < 1 || f.capacityKva > 100_000)) {
    out.push({ field: 'capacityKva', key: 'customers.err.capacity' });
  }
  // 大工业 is defined by capacity (≥ 315 kVA): its two-part tariff bills the capacity.
  if (f.customerClass === 'large_industry' && f.capacityKva === null) out.push({ field: 'capacityKva', key: 'customers.err.capacityRequired' });
  if (f.tariffCode !== null && !/^[A-Za-z0-9_.-]{1,30}$/.test(f.tariffCode)) out.push({ field: 'tariffCode', key: 'customers.err.tariffCode' });
  if (!validDate(f.openedDate)) out.push({ field: 'openedDate', key: 'customers.err.date', params: { value: f.openedDate } });
  return out;
}

/** A meter as installed (装表): what the install and replace forms and the import send. */
export interface MeterFields {
  meterNo: string;
  digits: number;
  multiplier: number;
  tou: boolean;
  installDate: string;
  /** 起码 in hundredths. */
  startReading: number;
  /** TOU start registers in hundredths (peak / flat / valley), when `tou`. */
  startRegisters: Record<string, number> | null;
}

export const METER_NO_RE = /^[A-Za-z0-9-]{4,32}$/;

export function checkMeterFields(m: MeterFields, prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!m.meterNo) out.push({ field: `${prefix}meterNo`, key: 'customers.err.required' });
  else if (!METER_NO_RE.test(m.meterNo)) out.push({ field: `${prefix}meterNo`, key: 'customers.err.meterNo', params: { value: m.meterNo } });
  const digitsOk = Number.isInteger(m.digits) && m.digits >= 4 && m.digits <= 12;
  if (!digitsOk) out.push({ field: `${prefix}digits`, key: 'customers.err.digits' });
  if (!Number.isInteger(m.multiplier) || m.multiplier < 1 || m.multiplier > 1_000_000) out.push({ field: `${prefix}multiplier`, key: 'customers.err.multiplier' });
  if (!validDate(m.installDate)) out.push({ field: `${prefix}installDate`, key: 'customers.err.date', params: { value: m.installDate } });
  const max = digitsOk ? 10 ** m.digits * 100 : Infinity;
  if (!readingFits(m.startReading, max)) out.push({ field: `${prefix}startReading`, key: 'customers.err.reading', params: { digits: m.digits } });
  if (m.tou) {
    for (const [register, value] of Object.entries(m.startRegisters ?? {})) {
      if (!readingFits(value, max)) out.push({ field: `${prefix}startRegisters.${register}`, key: 'customers.err.reading', params: { digits: m.digits } });
    }
  }
  return out;
}

function readingFits(value: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= 0 && value < max;
}

/** A reading typed as "12345.67" → hundredths, or null when it is not a number with ≤ 2 places. */
export function parseReading(text: string): number | null {
  const t = text.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  return Number(parseScaled(t, QTY_PLACES, 'reading'));
}
