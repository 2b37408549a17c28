// Customer workbooks: import as preview → commit, export of the (filtered) list, the template.
// Reading goes through workbook/read.ts (worker thread, frozen Object.prototype, size cap,
// time limit). The preview checks every row — formats, duplicates within the file, account and
// meter numbers already in the station — and writes nothing; the commit files the valid
// customers in one transaction, and the import is audited once (each customer, point and meter
// still travels to head office through the outbox).
import type { CustomerFilter, ImportIssue, ImportPreview } from '../../../shared/contract';
import { shanghaiDate } from '../../../shared/time';
import { hasMessage, translate, type Locale, type MessageKey } from '../../../shared/i18n';
import { headerOf, mapHeader, parseSheetRow, REQUIRED_HEADERS, rowOf, SHEET_COLUMNS, sheetRowOf, type ParsedRow, type SheetProblem } from '../../../shared/customers/sheet';
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError } from '../errors';
import type { JobProgress } from '../jobs/runner';
import { MAX_WORKBOOK_BYTES, READ_TIME_LIMIT_MS, readWorkbook, WorkbookError } from './workbook/read';
import { writeWorkbook } from './workbook/write';
import { createCustomer, fieldsOf, reserveAccountNumbers, type NewCustomer } from './customers';
import { filterWhere } from './list';
import type { CustomerRow, Viewer } from './rows';
import { maskIdCard } from '../../../shared/customers/rules';

export const MAX_IMPORT_ROWS = 100_000;
const PREVIEW_TTL_MS = 60 * 60 * 1000;
const CHUNK = 2000;

/** One customer to file: its rows in the workbook (first row gives the customer's columns). */
interface ImportGroup {
  rows: number[];
  input: NewCustomer;
}

interface PendingImport {
  id: string;
  staffId: string | null;
  fileName: string;
  createdAt: number;
  groups: ImportGroup[];
  rows: number;
  invalidRows: number;
  used: boolean;
}

/** Previews wait here for their commit (in memory: a restart asks for a new check). */
const pending = new Map<string, PendingImport>();

function message(locale: Locale, p: SheetProblem): string {
  return hasMessage(p.key) ? translate(locale, p.key as MessageKey, p.params) : p.key;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function workbookRefusal(error: unknown, fileName: string, size: number): never {
  if (error instanceof WorkbookError) {
    throw new AppError('validation', `customers.err.file.${error.reason}` as MessageKey, {
      file: fileName,
      size: megabytes(size),
      max: megabytes(MAX_WORKBOOK_BYTES),
      seconds: READ_TIME_LIMIT_MS / 1000,
    });
  }
  throw error;
}

/** Values already in the station, looked up in chunks (SQLite's parameter limit). */
function existing(db: ReadableDB, values: string[], lookup: (chunk: string[]) => { key: string; account: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < values.length; i += 500) for (const r of lookup(values.slice(i, i + 500))) out.set(r.key, r.account);
  return out;
}

export async function previewImport(
  backend: Backend,
  owner: { staffId: string | null },
  fileName: string,
  bytes: Uint8Array,
  locale: Locale,
  progress: JobProgress,
): Promise<ImportPreview> {
  await progress.tick(0, 0, 'read');
  let sheet;
  try {
    sheet = await readWorkbook(bytes, { maxRows: MAX_IMPORT_ROWS });
  } catch (error) {
    workbookRefusal(error, fileName, bytes.byteLength);
  }
  const [headerCells = [], ...body] = sheet.rows;
  if (sheet.truncated) throw new AppError('validation', 'customers.err.file.tooManyRows', { rows: `>${MAX_IMPORT_ROWS}`, max: MAX_IMPORT_ROWS });
  const header = mapHeader(headerCells);
  if (REQUIRED_HEADERS.some((c) => !header.has(c))) throw new AppError('validation', 'customers.err.file.noHeader');

  const issues: ImportIssue[] = [];
  const parsed: { excelRow: number; row: ParsedRow }[] = [];
  for (let i = 0; i < body.length; i++) {
    const cells = body[i] ?? [];
    if (cells.every((c) => c.trim() === '')) continue; // blank lines between blocks are common
    parsed.push({ excelRow: i + 2, row: parseSheetRow(rowOf(cells, header)) });
    if (i % CHUNK === 0) await progress.tick(i, body.length);
  }

  // Within the file: one 户号 is one customer; a meter number appears once.
  const groups = new Map<string, { first: number; rows: { excelRow: number; row: ParsedRow }[] }>();
  const meterRowOf = new Map<string, number>();
  const db = backend.store.read;
  const dbAccounts = existing(db, [...new Set(parsed.flatMap((p) => (p.row.accountNo ? [p.row.accountNo] : [])))], (chunk) =>
    db.all(sql`SELECT account_no AS key, account_no AS account FROM customers WHERE account_no IN ${sql.list(chunk)}`),
  );
  const dbMeters = existing(db, [...new Set(parsed.flatMap((p) => (p.row.point?.meter.meterNo ? [p.row.point.meter.meterNo] : [])))], (chunk) =>
    db.all(sql`
      SELECT m.meter_no AS key, c.account_no AS account FROM meters m JOIN metering_points p ON p.id = m.point_id JOIN customers c ON c.id = p.customer_id
      WHERE m.removed_date IS NULL AND m.meter_no IN ${sql.list(chunk)}`),
  );
  const sameCustomer = (a: ParsedRow, b: ParsedRow) => a.fields.name === b.fields.name && a.fields.township === b.fields.township && a.fields.village === b.fields.village;
  for (const p of parsed) {
    const { row, excelRow } = p;
    if (row.accountNo) {
      const taken = dbAccounts.get(row.accountNo);
      if (taken) row.problems.push({ column: 'accountNo', key: 'customers.err.accountTaken', params: { accountNo: row.accountNo } });
      const group = groups.get(row.accountNo);
      if (group) {
        const first = group.rows[0];
        if (first && !sameCustomer(first.row, row)) row.problems.push({ column: 'accountNo', key: 'customers.err.accountInFile', params: { accountNo: row.accountNo, row: group.first } });
        group.rows.push(p);
      } else groups.set(row.accountNo, { first: excelRow, rows: [p] });
    } else groups.set(`#${excelRow}`, { first: excelRow, rows: [p] });
    const meterNo = row.point?.meter.meterNo;
    if (meterNo && !row.problems.some((q) => q.column === 'meterNo')) {
      const at = dbMeters.get(meterNo);
      if (at) row.problems.push({ column: 'meterNo', key: 'customers.err.meterTaken', params: { meterNo, accountNo: at } });
      const earlier = meterRowOf.get(meterNo);
      if (earlier !== undefined) row.problems.push({ column: 'meterNo', key: 'customers.err.meterInFile', params: { meterNo, row: earlier } });
      else meterRowOf.set(meterNo, excelRow);
    }
  }

  const valid: ImportGroup[] = [];
  let invalidRows = 0;
  for (const p of parsed) {
    for (const problem of p.row.problems) issues.push({ row: p.excelRow, column: headerOf(problem.column), message: message(locale, problem) });
  }
  for (const group of groups.values()) {
    const bad = group.rows.some((p) => p.row.problems.length > 0);
    if (bad) {
      invalidRows += group.rows.length;
      // Rows of a customer whose other rows are wrong are held back with it (a customer is filed whole).
      for (const p of group.rows) {
        if (p.row.problems.length === 0) issues.push({ row: p.excelRow, column: headerOf('accountNo'), message: translate(locale, 'customers.err.groupHeldBack', { accountNo: p.row.accountNo ?? '' }) });
      }
      continue;
    }
    const [head] = group.rows;
    if (!head) continue;
    valid.push({
      rows: group.rows.map((p) => p.excelRow),
      input: {
        ...head.row.fields,
        accountNo: head.row.accountNo,
        status: head.row.status,
        statusDate: head.row.statusDate,
        points: group.rows.flatMap((p) => (p.row.point ? [p.row.point] : [])),
      },
    });
  }
  issues.sort((a, b) => a.row - b.row);

  const id = uuidv7();
  const now = backend.now();
  for (const [key, old] of pending) if (now - old.createdAt > PREVIEW_TTL_MS) pending.delete(key);
  pending.set(id, { id, staffId: owner.staffId, fileName, createdAt: now, groups: valid, rows: parsed.length, invalidRows, used: false });
  return {
    importId: id,
    fileName,
    rows: parsed.length,
    validRows: parsed.length - invalidRows,
    invalidRows,
    customers: valid.length,
    issues,
    sample: valid.slice(0, 20).map((g) => ({
      row: g.rows[0] ?? 0,
      accountNo: g.input.accountNo ?? '',
      name: g.input.name,
      address: [g.input.township, g.input.village, g.input.addressDetail].filter(Boolean).join(' '),
      meterNo: g.input.points?.map((p) => p.meter.meterNo).join('、') ?? '',
    })),
  };
}

/**
 * Files a preview's valid customers in one transaction: all of them, or (if anything changed
 * since the preview and a row is now refused) none. One audit row names the import.
 */
export async function commitImport(backend: Backend, actor: Actor, importId: string, progress: JobProgress) {
  const batch = pending.get(importId);
  if (!batch || backend.now() - batch.createdAt > PREVIEW_TTL_MS) throw new AppError('not_found', 'customers.err.importGone');
  if (batch.staffId !== actor.staffId) throw new AppError('forbidden', 'customers.err.importNotYours');
  if (batch.used) throw new AppError('conflict', 'customers.err.importUsed');
  if (batch.groups.length === 0) throw new AppError('validation', 'customers.import.nothingValid');
  batch.used = true;
  const total = batch.groups.length;
  await progress.tick(0, total);
  try {
    const result = backend.write(actor, (unit) => {
      let meters = 0;
      reserveAccountNumbers(unit, batch.groups.filter((g) => !g.input.accountNo).length);
      for (const group of batch.groups) {
        createCustomer(unit, group.input, { importBatch: importId });
        meters += group.input.points?.length ?? 0;
      }
      unit.audit({
        action: 'customers.import',
        entity: 'customers_import',
        entityId: importId,
        summary: { file: batch.fileName, customers: total, meters, rows: batch.rows, skippedRows: batch.invalidRows },
      });
      return { customers: total, meters, batch: importId };
    });
    await progress.tick(total, total);
    pending.delete(importId);
    return result;
  } catch (error) {
    batch.used = false;
    throw error;
  }
}

const EXPORT_PAGE = 2000;

type ExportRow = CustomerRow & { label: string | null; meter_id: string | null; meter_no: string | null; digits: number | null; multiplier: number | null; tou: number | null; install_date: string | null; start_reading: number | null; start_registers: string | null };

/**
 * The export's rows, produced page by page as the workbook is written: the header, then every
 * customer of the filter in account order, one row per installed meter (one row without a meter
 * for a customer that has none). Each page is one query (customers joined to their installed
 * meters), so nothing of the whole station is held at once.
 */
export async function* exportRows(db: ReadableDB, filter: CustomerFilter, viewer: Viewer, counted: { customers: number }): AsyncGenerator<string[]> {
  yield SHEET_COLUMNS.map((c) => c.header);
  const where = filterWhere(filter);
  let after = '';
  for (;;) {
    const page = db.all<ExportRow>(sql`
      SELECT c.*, p.label, m.id AS meter_id, m.meter_no, m.digits, m.multiplier, m.tou, m.install_date, m.start_reading, m.start_registers
      FROM (SELECT c.* FROM customers c WHERE ${where} AND c.account_no > ${after} ORDER BY c.account_no LIMIT ${EXPORT_PAGE}) c
      LEFT JOIN metering_points p ON p.customer_id = c.id
      LEFT JOIN meters m ON m.point_id = p.id AND m.removed_date IS NULL
      ORDER BY c.account_no, p.created_at, p.id`);
    if (page.length === 0) return;
    for (let i = 0; i < page.length; ) {
      const c = page[i] as ExportRow;
      const base = {
        ...fieldsOf(c),
        idCard: viewer.seesIdCard || !c.id_card ? c.id_card : maskIdCard(c.id_card),
        accountNo: c.account_no,
        status: c.status,
        statusDate: c.status_date,
      };
      let meters = 0;
      for (; i < page.length && (page[i] as ExportRow).id === c.id; i++) {
        const m = page[i] as ExportRow;
        if (m.meter_id === null) continue; // a point whose meter came off (拆表)
        meters += 1;
        yield sheetRowOf(base, {
          label: m.label ?? '',
          meter: {
            meterNo: m.meter_no ?? '',
            digits: m.digits ?? 0,
            multiplier: m.multiplier ?? 1,
            tou: m.tou === 1,
            installDate: m.install_date ?? '',
            startReading: m.start_reading ?? 0,
            startRegisters: m.start_registers ? (JSON.parse(m.start_registers) as Record<string, number>) : null,
          },
        });
      }
      if (meters === 0) yield sheetRowOf(base, null);
      counted.customers += 1;
    }
    after = (page.at(-1) as ExportRow).account_no;
  }
}

export function customerWorkbook(rows: Iterable<string[]> | AsyncIterable<string[]>, onRows?: (rows: number) => Promise<void>): Promise<Buffer> {
  return writeWorkbook([{ name: '客户档案', rows, widths: SHEET_COLUMNS.map((c) => c.width) }], onRows);
}

/** The export job's work: the filtered customers as a workbook, progress by rows written. */
export async function exportCustomers(db: ReadableDB, filter: CustomerFilter, progress: JobProgress, viewer: Viewer = { seesIdCard: true }): Promise<{ fileName: string; count: number; base64: string }> {
  const total = db.value<number>(sql`SELECT count(*) FROM customers c WHERE ${filterWhere(filter)}`) ?? 0;
  const counted = { customers: 0 };
  const buffer = await customerWorkbook(exportRows(db, filter, viewer, counted), () => progress.tick(counted.customers, total));
  return { fileName: `客户档案-${shanghaiDate(Date.now())}.xlsx`, count: counted.customers, base64: buffer.toString('base64') };
}

/** The import template: the header row and one example row a clerk overwrites. */
export function templateWorkbook(): Promise<Buffer> {
  return customerWorkbook([
    SHEET_COLUMNS.map((c) => c.header),
    sheetRowOf(
      {
        accountNo: '',
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
        notes: '户号留空则自动编号',
        status: 'active',
        statusDate: '2026-01-05',
      },
      { label: '', meter: { meterNo: 'DDS-0001', digits: 5, multiplier: 1, tou: false, installDate: '2026-01-05', startReading: 0, startRegisters: null } },
    ),
  ]);
}
