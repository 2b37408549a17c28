// The customer workbook (客户档案表): one layout for the export, the import template and the
// import, so an export imports back unchanged. One row per metering point with its installed
// meter; a customer with several points has several rows with the same 户号 (customer columns
// repeated); a customer with no meter has one row with the meter columns empty.
import { formatCenti } from '../money';
import { CUSTOMER_CLASSES, type CustomerClass } from './classes';
import {
  ACCOUNT_NO_RE,
  CUSTOMER_STATUSES,
  checkCustomerFields,
  checkMeterFields,
  normaliseCustomerFields,
  parseReading,
  validDate,
  type CustomerFields,
  type CustomerStatus,
  type FieldProblem,
  type MeterFields,
} from './rules';

export const SHEET_COLUMNS = [
  { key: 'accountNo', header: '户号', width: 14 },
  { key: 'name', header: '户名', width: 12 },
  { key: 'phone', header: '联系电话', width: 14 },
  { key: 'phone2', header: '备用电话', width: 14 },
  { key: 'idCard', header: '身份证号', width: 20 },
  { key: 'township', header: '乡镇', width: 10 },
  { key: 'village', header: '村', width: 10 },
  { key: 'addressDetail', header: '详细地址', width: 16 },
  { key: 'transformerArea', header: '台区', width: 14 },
  { key: 'customerClass', header: '用电类别', width: 12 },
  { key: 'tariffCode', header: '电价代码', width: 10 },
  { key: 'householdSize', header: '家庭人口', width: 8 },
  { key: 'multiPerson', header: '多人口户', width: 8 },
  { key: 'capacityKva', header: '合同容量kVA', width: 10 },
  { key: 'status', header: '状态', width: 6 },
  { key: 'statusDate', header: '状态日期', width: 11 },
  { key: 'openedDate', header: '立户日期', width: 11 },
  { key: 'notes', header: '备注', width: 16 },
  { key: 'pointLabel', header: '计量点名称', width: 10 },
  { key: 'meterNo', header: '表号', width: 14 },
  { key: 'digits', header: '表位数', width: 6 },
  { key: 'multiplier', header: '倍率', width: 6 },
  { key: 'tou', header: '分时表', width: 6 },
  { key: 'installDate', header: '装表日期', width: 11 },
  { key: 'startReading', header: '起码', width: 10 },
  { key: 'startPeak', header: '峰起码', width: 10 },
  { key: 'startFlat', header: '平起码', width: 10 },
  { key: 'startValley', header: '谷起码', width: 10 },
] as const;
export type SheetColumn = (typeof SHEET_COLUMNS)[number]['key'];
export type SheetRow = Record<SheetColumn, string>;

/** Required columns of an import (the header row must name them). */
export const REQUIRED_HEADERS: SheetColumn[] = ['name', 'township', 'village', 'transformerArea', 'customerClass'];

export const CLASS_LABELS: Record<CustomerClass, string> = {
  residential: '居民生活',
  commercial: '一般工商业',
  large_industry: '大工业',
  agricultural: '农业生产',
};
export const STATUS_LABELS: Record<CustomerStatus, string> = { active: '正常', suspended: '暂停', closed: '销户' };
const CLASS_ALIASES: Record<string, CustomerClass> = { 居民: 'residential', 工商业: 'commercial', 一般工商业: 'commercial', 农业: 'agricultural', 农业排灌: 'agricultural' };

export function headerOf(column: SheetColumn): string {
  return SHEET_COLUMNS.find((c) => c.key === column)?.header ?? column;
}

/** Header cells → column index, by header text (Chinese, or the column key). */
export function mapHeader(header: readonly string[]): Map<SheetColumn, number> {
  const out = new Map<SheetColumn, number>();
  header.forEach((cell, i) => {
    const text = cell.trim().replace(/[（(].*[)）]$/, '').replace(/\s/g, '');
    const column = SHEET_COLUMNS.find((c) => c.header === text || c.header === cell.trim() || c.key.toLowerCase() === text.toLowerCase());
    if (column && !out.has(column.key)) out.set(column.key, i);
  });
  return out;
}

const EMPTY_ROW = Object.fromEntries(SHEET_COLUMNS.map((c) => [c.key, ''])) as SheetRow;

export function rowOf(cells: readonly string[], header: Map<SheetColumn, number>): SheetRow {
  const row = { ...EMPTY_ROW };
  for (const [key, i] of header) row[key] = (cells[i] ?? '').trim();
  return row;
}

export interface SheetProblem {
  column: SheetColumn;
  key: string;
  params?: Record<string, string | number>;
}

export interface ParsedRow {
  accountNo: string | null;
  fields: CustomerFields;
  status: CustomerStatus;
  statusDate: string;
  point: { label: string; meter: MeterFields } | null;
  problems: SheetProblem[];
}

const YES = new Set(['是', '1', 'y', 'yes', 'true', '√']);
const NO = new Set(['否', '0', 'n', 'no', 'false', '']);
/** 用电类别 and 状态 as written in a sheet (codes, labels, common short forms) → their codes. */
const CLASS_OF = new Map<string, CustomerClass>([
  ...CUSTOMER_CLASSES.map((c) => [c, c] as const),
  ...Object.entries(CLASS_LABELS).map(([c, label]) => [label, c as CustomerClass] as const),
  ...Object.entries(CLASS_ALIASES),
]);
const STATUS_OF = new Map<string, CustomerStatus>([
  ['', 'active'],
  ...CUSTOMER_STATUSES.map((s) => [s, s] as const),
  ...Object.entries(STATUS_LABELS).map(([s, label]) => [label, s as CustomerStatus] as const),
]);
const METER_COLUMNS: SheetColumn[] = ['meterNo', 'digits', 'multiplier', 'installDate', 'startReading'];
const REGISTER_COLUMNS: Record<string, SheetColumn> = { 'startRegisters.peak': 'startPeak', 'startRegisters.flat': 'startFlat', 'startRegisters.valley': 'startValley' };

function bad(problems: SheetProblem[], column: SheetColumn, key: string, params?: Record<string, string | number>): void {
  problems.push({ column, key, ...(params ? { params } : {}) });
}

function integerCell(row: SheetRow, column: SheetColumn, problems: SheetProblem[]): number | null {
  const v = row[column];
  if (v === '') return null;
  if (!/^\d+$/.test(v)) {
    bad(problems, column, 'customers.err.number', { value: v });
    return null;
  }
  return Number(v);
}

function yesNoCell(row: SheetRow, column: SheetColumn, problems: SheetProblem[]): boolean {
  const v = row[column].toLowerCase();
  if (YES.has(v)) return true;
  if (!NO.has(v)) bad(problems, column, 'customers.err.yesNo', { value: row[column] });
  return false;
}

function readingCell(row: SheetRow, column: SheetColumn, problems: SheetProblem[]): number {
  const v = row[column];
  if (v === '') return 0;
  const value = parseReading(v);
  if (value === null) bad(problems, column, 'customers.err.number', { value: v });
  return value ?? 0;
}

/** One workbook row → a customer record (and its meter), with every problem by column. */
export function parseSheetRow(row: SheetRow): ParsedRow {
  const problems: SheetProblem[] = [];
  const classText = row.customerClass;
  const customerClass = CLASS_OF.get(classText);
  const statusText = row.status;
  const status = STATUS_OF.get(statusText);
  if (!status) bad(problems, 'status', 'customers.err.status', { value: statusText });

  const accountNo = row.accountNo ? row.accountNo.toUpperCase() : null;
  if (accountNo && !ACCOUNT_NO_RE.test(accountNo)) bad(problems, 'accountNo', 'customers.err.accountNo', { value: row.accountNo });
  // A long number typed into a number-formatted cell loses digits in Excel (an ID number).
  if (row.idCard.startsWith('#BIGNUMBER:')) {
    bad(problems, 'idCard', 'customers.err.idCard.length');
    row.idCard = '';
  }

  const fields = normaliseCustomerFields({
    name: row.name,
    phone: row.phone,
    phone2: row.phone2,
    idCard: row.idCard,
    township: row.township,
    village: row.village,
    addressDetail: row.addressDetail,
    transformerArea: row.transformerArea,
    customerClass: customerClass ?? ('' as CustomerClass),
    tariffCode: row.tariffCode || null,
    householdSize: integerCell(row, 'householdSize', problems),
    multiPerson: yesNoCell(row, 'multiPerson', problems),
    capacityKva: integerCell(row, 'capacityKva', problems),
    openedDate: row.openedDate,
    notes: row.notes,
  });
  if (!customerClass) {
    bad(problems, 'customerClass', classText ? 'customers.err.class' : 'customers.err.required', { value: classText });
  }
  for (const p of checkCustomerFields(fields)) {
    if (p.field === 'customerClass') continue; // told above, in the sheet's words
    if (problems.some((q) => q.column === p.field)) continue;
    problems.push({ column: p.field as SheetColumn, key: p.key, ...(p.params ? { params: p.params } : {}) });
  }
  const statusDate = row.statusDate || fields.openedDate;
  if (row.statusDate && !validDate(row.statusDate)) bad(problems, 'statusDate', 'customers.err.date', { value: row.statusDate });

  let point: ParsedRow['point'] = null;
  if (METER_COLUMNS.some((c) => row[c] !== '')) {
    const tou = yesNoCell(row, 'tou', problems);
    const meter: MeterFields = {
      meterNo: row.meterNo.toUpperCase(),
      digits: integerCell(row, 'digits', problems) ?? 0,
      multiplier: integerCell(row, 'multiplier', problems) ?? 1,
      tou,
      installDate: row.installDate || fields.openedDate,
      startReading: readingCell(row, 'startReading', problems),
      startRegisters: tou ? { peak: readingCell(row, 'startPeak', problems), flat: readingCell(row, 'startFlat', problems), valley: readingCell(row, 'startValley', problems) } : null,
    };
    for (const p of checkMeterFields(meter)) {
      const column = REGISTER_COLUMNS[p.field] ?? (p.field as SheetColumn);
      // A blank install date is the opened date: its mistake is told once, on 立户日期.
      if (column === 'installDate' && row.installDate === '') continue;
      if (problems.some((q) => q.column === column)) continue;
      problems.push({ column, key: p.key, ...(p.params ? { params: p.params } : {}) });
    }
    if (row.installDate && validDate(meter.installDate) && validDate(fields.openedDate) && meter.installDate < fields.openedDate && !problems.some((q) => q.column === 'installDate')) {
      bad(problems, 'installDate', 'customers.err.dateBeforeOpened', { date: meter.installDate, openedDate: fields.openedDate });
    }
    if (status === 'closed') bad(problems, 'status', 'customers.err.closeWithMeters', { accountNo: accountNo ?? '' });
    point = { label: row.pointLabel, meter };
  }
  return { accountNo, fields, status: status ?? 'active', statusDate, point, problems };
}

/** A customer and one of its points as a workbook row (the export). */
export function sheetRowOf(
  c: CustomerFields & { accountNo: string; status: CustomerStatus; statusDate: string },
  point: { label: string; meter: MeterFields } | null,
): string[] {
  const regs = point?.meter.startRegisters ?? null;
  const reg = (name: string) => (regs && regs[name] !== undefined ? formatCenti(regs[name] as number) : '');
  const values: SheetRow = {
    accountNo: c.accountNo,
    name: c.name,
    phone: c.phone,
    phone2: c.phone2,
    idCard: c.idCard,
    township: c.township,
    village: c.village,
    addressDetail: c.addressDetail,
    transformerArea: c.transformerArea,
    customerClass: CLASS_LABELS[c.customerClass],
    tariffCode: c.tariffCode ?? '',
    householdSize: c.householdSize === null ? '' : String(c.householdSize),
    multiPerson: c.multiPerson ? '是' : '否',
    capacityKva: c.capacityKva === null ? '' : String(c.capacityKva),
    status: STATUS_LABELS[c.status],
    statusDate: c.statusDate,
    openedDate: c.openedDate,
    notes: c.notes,
    pointLabel: point?.label ?? '',
    meterNo: point?.meter.meterNo ?? '',
    digits: point ? String(point.meter.digits) : '',
    multiplier: point ? String(point.meter.multiplier) : '',
    tou: point ? (point.meter.tou ? '是' : '否') : '',
    installDate: point?.meter.installDate ?? '',
    startReading: point ? formatCenti(point.meter.startReading) : '',
    startPeak: reg('peak'),
    startFlat: reg('flat'),
    startValley: reg('valley'),
  };
  return SHEET_COLUMNS.map((col) => values[col.key]);
}

export type { FieldProblem };
