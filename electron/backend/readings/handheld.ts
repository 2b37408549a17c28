// Handheld terminal files (抄表机文件): a book exported to xlsx for the terminal or for paper,
// and readings imported back as preview → commit. The preview checks every row exactly as the
// entry grid would (prepareEntry) and writes nothing; the commit writes the rows that passed,
// in one transaction, checking each again against what changed meanwhile.
import type { ReadingImportCommitResult, ReadingImportLine, ReadingImportPreview } from '../../../shared/contract';
import { translate, type Locale, type MessageKey } from '../../../shared/i18n';
import { formatCenti } from '../../../shared/money';
import { flagMessage, TOU_REGISTERS, type ReadingKind, type ReadingPolicy, type TouRegister } from '../../../shared/readings';
import { isDate, shanghaiDate } from '../../../shared/time';
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError, refuse } from '../errors';
import type { CallStaff } from '../handler';
import type { JobProgress } from '../jobs/runner';
import { betweenSlices, flushSlices, JOB_PACE, sliceWrite, type SlicePace } from '../jobs/pace';
import { readWorkbook, type WorkbookRow } from '../customers/workbook/read';
import { workbookRefusal } from '../customers/workbook/refusal';
import { writeWorkbook } from '../customers/workbook/write';
import { commitEntries, loadEntryContexts, loadEntryContextsAlongside, planEntry, type EntryInput, type EntryPlan } from './entry';
import { dueSheet } from './grid';
import { changeMark } from './mark';
import { getPeriod } from './periods';
import { policyInForce } from './policy';

// --- export -----------------------------------------------------------------------------------

type Column = 'seq' | 'account' | 'name' | 'address' | 'meter' | 'digits' | 'multiplier' | 'previous' | 'value' | TouRegister | 'date' | 'reader' | 'kind' | 'reason';

const columnWord = (locale: Locale, column: Column) => translate(locale, `import.column.${column}` as MessageKey);

/** A book's due meters as a workbook for a handheld terminal or paper: blanks to fill in, in book order. */
export async function exportBook(db: ReadableDB, period: string, bookId: string, locale: Locale): Promise<{ fileName: string; bytes: Buffer; rows: number }> {
  getPeriod(db, period);
  const rows = dueSheet(db, period, bookId);
  const book = db.get<{ book_no: string; reader_no: string | null }>(sql`
    SELECT b.book_no, s.staff_no AS reader_no FROM books b LEFT JOIN staff s ON s.id = b.reader_id WHERE b.id = ${bookId}`);
  const bookNo = book?.book_no ?? bookId;
  const registers = TOU_REGISTERS.filter((r) => rows.some((row) => row.registerNames.includes(r)));
  const columns: Column[] = ['seq', 'account', 'name', 'address', 'meter', 'digits', 'multiplier', 'previous', 'value', ...registers, 'date', 'reader', 'kind', 'reason'];
  // Every cell is text (the workbook writer's rule: account and meter numbers keep their zeros).
  const body = rows.map((row) => {
    const cell: Partial<Record<Column, string>> = {
      seq: String(row.seq),
      account: row.accountNo,
      name: row.customerName,
      address: row.address,
      meter: row.meterNo,
      digits: String(row.digits),
      multiplier: String(row.multiplier),
      previous: formatCenti(row.replacement ? row.replacement.newStart : row.previous),
      reader: book?.reader_no ?? '',
    };
    return columns.map((c) => cell[c] ?? '');
  });
  const widths = columns.map((c) => (c === 'address' ? 28 : c === 'name' ? 12 : c === 'account' || c === 'meter' ? 16 : 10));
  const bytes = await writeWorkbook([{ name: `${bookNo} ${period}`.slice(0, 31), rows: [columns.map((c) => columnWord(locale, c)), ...body], widths }]);
  return { fileName: `${bookNo}-${period}.xlsx`, bytes, rows: rows.length };
}

// --- import -----------------------------------------------------------------------------------

type ImportColumn = 'account' | 'meter' | 'value' | TouRegister | 'date' | 'reader' | 'kind' | 'reason';
const IMPORT_COLUMNS: ImportColumn[] = ['account', 'meter', 'value', ...TOU_REGISTERS, 'date', 'reader', 'kind', 'reason'];
const REGISTER_TEXT = /^\d{1,12}(\.\d{1,2})?$/;

/** Header words in either language (the export writes the station's language; terminals may write English). */
function headerIndex(header: string[]): Partial<Record<ImportColumn, number>> {
  const wanted = new Map<string, ImportColumn>();
  for (const column of IMPORT_COLUMNS) {
    for (const locale of ['zh-CN', 'en'] as const) wanted.set(columnWord(locale, column).toLowerCase(), column);
  }
  const index: Partial<Record<ImportColumn, number>> = {};
  header.forEach((text, i) => {
    const column = wanted.get(text.trim().toLowerCase());
    if (column && index[column] === undefined) index[column] = i;
  });
  return index;
}

const KIND_WORDS: Record<string, ReadingKind> = {};
for (const kind of ['actual', 'estimated', 'no_access'] as const) {
  for (const locale of ['zh-CN', 'en'] as const) KIND_WORDS[translate(locale, `reading.kind.${kind}`).toLowerCase()] = kind;
  KIND_WORDS[kind] = kind;
}

/** Rows a handheld workbook may have (a whole station's meters, and some). */
const MAX_IMPORT_ROWS = 60_000;

/**
 * The workbook's first sheet as text, read safely (customers/workbook/read.ts), or a clerk's
 * refusal: the header (the first row with a value) and the rows under it with their Excel row
 * numbers. A handheld book is at most a station's meters, so its rows are held whole.
 */
async function readSheet(bytes: Uint8Array, fileName: string): Promise<{ sheetName: string; header: string[]; data: WorkbookRow[] }> {
  try {
    const rows: WorkbookRow[] = [];
    const sheet = await readWorkbook(bytes, { maxRows: MAX_IMPORT_ROWS, onRows: (batch) => rows.push(...batch) });
    if (sheet.truncated) throw refuse('import.tooManyRows', { limit: MAX_IMPORT_ROWS });
    const [first, ...data] = rows;
    return { sheetName: sheet.sheetName, header: first?.cells ?? [], data };
  } catch (e) {
    workbookRefusal(e, fileName, bytes.byteLength);
  }
}

export interface StoredPreview {
  ownerStaffId: string | null;
  period: string;
  fileName: string;
  at: number;
  /** The rows that passed (or await a rollover confirmation), ready to enter, with their checked plans. */
  entries: { row: number; input: EntryInput; confirm: boolean; plan: EntryPlan }[];
  /** The station's change mark and the day when the rows were checked: the plans stand while both do. */
  mark: string;
}

const PREVIEW_TTL_MS = 60 * 60 * 1000;
const previews = new WeakMap<Backend, Map<string, StoredPreview>>();

function previewStore(backend: Backend): Map<string, StoredPreview> {
  let store = previews.get(backend);
  if (!store) previews.set(backend, (store = new Map()));
  for (const [id, p] of store) if (backend.now() - p.at > PREVIEW_TTL_MS) store.delete(id);
  return store;
}

export interface ImportRequest {
  period: string;
  fileName: string;
  bytes: Uint8Array;
}

/** Reads and checks a handheld workbook; writes nothing. */
export async function previewImport(backend: Backend, staff: CallStaff | null, request: ImportRequest, locale: Locale, progress?: JobProgress): Promise<ReadingImportPreview> {
  const db = backend.store.read;
  const periodRow = getPeriod(db, request.period);
  if (periodRow.status === 'closed') throw refuse('import.periodClosed', { period: request.period });
  // The station's change mark before anything is read: whatever is written from here on makes the
  // commit check every row again.
  const today = shanghaiDate(backend.now());
  const mark = `${changeMark(db)}:${today}`;
  // The workbook is parsed on its own thread (readSheet) while this one reads the period's meters.
  const reading = readSheet(request.bytes, request.fileName);
  reading.catch(() => undefined); // awaited below; a failure is answered there

  // The period's meters by meter number and by account (the installed meter's number).
  const due = db.all<{ pointId: string; bookId: string; accountNo: string; meterNo: string }>(sql`
    SELECT d.point_id AS pointId, d.book_id AS bookId, c.account_no AS accountNo,
           coalesce((SELECT m.meter_no FROM meters m WHERE m.point_id = d.point_id AND m.removed_date IS NULL), dm.meter_no) AS meterNo
    FROM reading_due d
    JOIN metering_points pt ON pt.id = d.point_id
    JOIN customers c ON c.id = pt.customer_id
    JOIN meters dm ON dm.id = d.meter_id
    WHERE d.period = ${request.period}`);
  const byMeter = new Map(due.map((d) => [d.meterNo.toUpperCase(), d]));
  const byAccount = new Map<string, typeof due>();
  for (const d of due) {
    const key = d.accountNo.toUpperCase();
    const list = byAccount.get(key);
    if (list) list.push(d);
    else byAccount.set(key, [d]);
  }
  const sheet = await reading;
  const { header, data } = sheet;
  const columns = headerIndex(header);
  if ((columns.account === undefined && columns.meter === undefined) || columns.value === undefined || columns.date === undefined) {
    throw refuse('import.noHeader');
  }
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const word = (column: ImportColumn) => columnWord(locale, column);
  const bookReaders = new Map(db.all<{ id: string; reader_id: string | null }>(sql`SELECT id, reader_id FROM books`).map((b) => [b.id, b.reader_id]));
  const staffByNo = new Map(db.all<{ id: string; staff_no: string }>(sql`SELECT id, staff_no FROM staff`).map((s) => [s.staff_no.toUpperCase(), s.id]));
  const actor = { staff };

  // First the cells of every row, then every reading checked against its meter's context, read
  // for all the rows' meters at once.
  const parsed: { line: ReadingImportLine; input: EntryInput | null; meterColumn: boolean }[] = [];
  const seen = new Map<string, number>();
  for (const { row: rowNo, cells } of data) {
    if (cells.every((c) => c === '')) continue;
    const cell = (column: ImportColumn) => (columns[column] === undefined ? '' : (cells[columns[column]] ?? '').trim());
    const errors: ReadingImportLine['errors'] = [];
    const error = (column: ImportColumn, message: string) => errors.push({ column: word(column), message });
    const accountNo = cell('account');
    const meterNo = cell('meter');
    const value = cell('value');
    const readingDate = cell('date');

    // Which meter: by meter number, else by account (one meter only).
    let target = meterNo ? byMeter.get(meterNo.toUpperCase()) : undefined;
    if (meterNo && !target) error('meter', t('import.unknownMeter', { meterNo, period: request.period }));
    else if (target && accountNo && target.accountNo.toUpperCase() !== accountNo.toUpperCase()) {
      error('account', t('import.accountMeterMismatch', { accountNo, meterNo }));
      target = undefined;
    } else if (!meterNo) {
      const candidates = accountNo ? byAccount.get(accountNo.toUpperCase()) : undefined;
      if (!accountNo) error('account', t('import.missing', { column: `${word('account')}/${word('meter')}` }));
      else if (!candidates) error('account', t('import.unknownAccount', { accountNo, period: request.period }));
      else if (candidates.length > 1) error('meter', t('import.accountMultiple', { accountNo }));
      else target = candidates[0];
    }
    if (target) {
      const first = seen.get(target.pointId);
      if (first !== undefined) error(meterNo ? 'meter' : 'account', t('import.duplicate', { row: first }));
      else seen.set(target.pointId, rowNo);
    }

    const kindText = cell('kind');
    const kind = kindText ? KIND_WORDS[kindText.toLowerCase()] : 'actual';
    if (!kind) error('kind', t('import.unknownKind', { text: kindText }));
    if (kind !== 'no_access') {
      if (!value) error('value', t('import.missing', { column: word('value') }));
      else if (!REGISTER_TEXT.test(value)) error('value', t('import.notNumber', { text: value }));
    }
    const registers: Partial<Record<TouRegister, string>> = {};
    for (const register of TOU_REGISTERS) {
      const text = cell(register);
      if (!text) continue;
      if (REGISTER_TEXT.test(text)) registers[register] = text;
      else error(register, t('import.notNumber', { text }));
    }
    if (!readingDate) error('date', t('import.missing', { column: word('date') }));
    else if (!isDate(readingDate)) error('date', t('import.badDate', { text: readingDate }));
    const readerNo = cell('reader');
    const readBy = readerNo ? staffByNo.get(readerNo.toUpperCase()) : target ? bookReaders.get(target.bookId) : undefined;
    if (readerNo && !readBy) error('reader', t('import.unknownReader', { staffNo: readerNo }));

    const line: ReadingImportLine = { row: rowNo, accountNo, meterNo, value, readingDate, status: 'error', errors, flags: [], consumption: null };
    const input: EntryInput | null =
      errors.length === 0 && target && kind
        ? {
            period: request.period,
            pointId: target.pointId,
            kind,
            value: kind === 'no_access' ? undefined : value,
            registers,
            readingDate,
            reason: cell('reason'),
            confirmedRollover: false,
            supersedes: null,
            source: 'import',
            readBy: readBy ?? null,
          }
        : null;
    parsed.push({ line, input, meterColumn: meterNo !== '' });
  }
  if (parsed.length === 0) throw refuse('import.empty');

  const policies = new Map<string, ReadingPolicy>();
  const policyOn = (date: string) => policies.get(date) ?? policies.set(date, policyInForce(db, date)).get(date)!;
  // A big file's history is read on two threads (loadEntryContextsAlongside).
  const store = { file: backend.store.file, nativeBinding: backend.driver.nativeBinding };
  const contexts = await loadEntryContextsAlongside(db, store, request.period, parsed.flatMap((p) => (p.input ? [p.input.pointId] : [])), policyOn(today));
  const lines: ReadingImportLine[] = [];
  const entries: StoredPreview['entries'] = [];
  const counts = { rows: parsed.length, ok: 0, flagged: 0, confirm: 0, errors: 0 };
  for (const [i, { line, input, meterColumn }] of parsed.entries()) {
    const error = (column: ImportColumn, message: string) => line.errors.push({ column: word(column), message });
    const context = input ? contexts.get(input.pointId) : undefined;
    if (input && context) {
      try {
        const prepared = planEntry(context, policyOn(input.readingDate), actor, input, today);
        if (prepared.outcome === 'refused') {
          for (const f of prepared.errors) error('value', flagMessage(locale, f));
        } else if (prepared.outcome === 'confirm') {
          line.status = 'confirm';
          line.consumption = prepared.consumption;
          // The plan if the rollover is confirmed at commit.
          const confirmed = planEntry(context, policyOn(input.readingDate), actor, { ...input, confirmedRollover: true }, today);
          if (confirmed.outcome === 'saved') entries.push({ row: line.row, input, confirm: true, plan: confirmed.plan });
        } else {
          line.flags = prepared.plan.flags;
          line.consumption = prepared.plan.consumption;
          line.status = prepared.plan.flags.length > 0 ? 'flagged' : 'ok';
          entries.push({ row: line.row, input, confirm: false, plan: prepared.plan });
        }
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        const column: ImportColumn = e.key === 'reading.notYourBook' ? (meterColumn ? 'meter' : 'account') : e.key === 'reading.dateInFuture' ? 'date' : 'value';
        error(column, e.key === 'reading.alreadyEntered' ? t('import.alreadyEntered') : e.messageIn(locale));
      }
    }
    counts[line.status === 'error' ? 'errors' : line.status] += 1;
    if (line.status !== 'ok') lines.push(line);
    if (i % 1000 === 999) await progress?.tick(i + 1, parsed.length);
  }

  const previewId = uuidv7();
  previewStore(backend).set(previewId, { ownerStaffId: staff?.id ?? null, period: request.period, fileName: request.fileName, at: backend.now(), entries, mark });
  return { previewId, fileName: request.fileName, period: request.period, sheet: sheet.sheetName, ...counts, lines };
}

/** Keeps a preview under its id (a job thread's copy, jobs/threadMain.ts; the host's again when no thread started). */
export function keepPreview(backend: Backend, previewId: string, preview: StoredPreview): void {
  previewStore(backend).set(previewId, preview);
}

/** Removes a preview (its commit went to a job thread, readings/importJob.ts). */
export function forgetPreview(backend: Backend, previewId: string): void {
  previewStore(backend).delete(previewId);
}

/** The preview this staff member made (a preview is its maker's only). */
export function findPreview(backend: Backend, staff: CallStaff | null, previewId: string): StoredPreview {
  const preview = previewStore(backend).get(previewId);
  if (!preview || preview.ownerStaffId !== (staff?.id ?? null)) throw new AppError('not_found', 'import.previewGone');
  return preview;
}

/** Options of the sliced commit (bench and tests). */
export interface ImportCommitOptions {
  /** false: every row in one transaction, as before issue 18 (the bench's baseline). */
  sliced?: boolean;
  /** Called after each committed transaction with its rows and how long it took. */
  onSlice?: (rows: number, ms: number) => void | Promise<void>;
  /** Tests: stop (throw) after this many slices have committed, as a crash would. */
  stopAfterSlices?: number;
  /** Tests: a fixed number of rows per slice instead of sizing slices by their pace. */
  sliceSize?: number;
  progress?: JobProgress;
  /** The bench's comparison with earlier settings (jobs/pace.ts). */
  pace?: SlicePace;
}

/** The first slice's rows; the next are sized by pace (jobs/pace.ts JOB_PACE, the jobs' common slice length and gap). */
const FIRST_SLICE = 300;

/**
 * Writes a preview's valid rows (rollovers only when confirmed). Sliced (issue 18): a few hundred
 * readings per transaction (~80 ms each), so a payment at the counter never waits for more than
 * one. Each reading is a fact of its own, filed whole with its outbox row as its slice commits;
 * the import states what it saved and skipped, and a re-run of the file saves nothing twice (a
 * point read in the period is refused by the checks and skipped). A slice whose rows changed
 * since the preview, by another write between slices, has its rows checked afresh, as the
 * one-transaction commit did. The one audit row comes with the last slice.
 */
export async function commitImport(backend: Backend, staff: CallStaff | null, actor: Actor, previewId: string, confirmRollovers: boolean, options: ImportCommitOptions = {}): Promise<ReadingImportCommitResult> {
  const preview = findPreview(backend, staff, previewId);
  const wanted = preview.entries.filter((e) => confirmRollovers || !e.confirm);
  let skipped = preview.entries.length - wanted.length;
  let saved = 0;
  let rolloversConfirmed = 0;
  // The mark the plans were made at; after each slice, the mark this import's own writes left.
  let expected = preview.mark;
  const sliced = options.sliced ?? true;
  let size = sliced ? (options.sliceSize ?? FIRST_SLICE) : Math.max(1, wanted.length);
  let at = 0;
  let slices = 0;
  let longest = 0;
  const pace = options.pace ?? JOB_PACE;
  await options.progress?.tick(0, wanted.length);
  // Removed now: a second commit of the same preview meanwhile finds nothing to write.
  previewStore(backend).delete(previewId);
  do {
    const part = wanted.slice(at, at + size);
    const last = at + part.length >= wanted.length;
    // The slices before the last commit without waiting for the disk; the last (with the audit row)
    // waits for it, and they are flushed first, outside the lock (jobs/pace.ts flushSlices).
    if (last && slices > 0) flushSlices(backend.store, pace);
    const began = performance.now();
    const result = sliceWrite(backend.store, last ? { ...pace, lazySync: false } : pace, () => backend.write(actor, (unit) => {
      const today = shanghaiDate(unit.at);
      // Nothing written since the plans were made: they are what the checks would say now.
      // Otherwise this slice's rows are read again inside this transaction and checked afresh.
      const contexts =
        `${changeMark(unit)}:${today}` === expected ? null : loadEntryContexts(unit, preview.period, part.map((e) => e.input.pointId), policyInForce(unit, today));
      const plans: EntryPlan[] = [];
      let sliceSkipped = 0;
      let sliceRollovers = 0;
      for (const entry of part) {
        let plan = entry.plan;
        if (contexts) {
          const context = contexts.get(entry.input.pointId);
          try {
            const prepared = context ? planEntry(context, policyInForce(unit, entry.input.readingDate), { staff }, { ...entry.input, confirmedRollover: entry.confirm }, today) : null;
            if (prepared?.outcome !== 'saved') {
              sliceSkipped += 1;
              continue;
            }
            plan = prepared.plan;
          } catch (e) {
            // Changed since the preview (entered meanwhile, book reassigned): left out, never half-written.
            if (!(e instanceof AppError)) throw e;
            sliceSkipped += 1;
            continue;
          }
        }
        plans.push(plan);
        if (entry.confirm) sliceRollovers += 1;
      }
      commitEntries(unit, plans);
      const totals = { saved: saved + plans.length, skipped: skipped + sliceSkipped, rolloversConfirmed: rolloversConfirmed + sliceRollovers };
      if (last) {
        unit.audit({
          action: 'reading.import',
          entity: 'reading_import',
          entityId: previewId,
          summary: { file: preview.fileName, period: preview.period, ...totals },
        });
      }
      expected = `${changeMark(unit)}:${today}`;
      return totals;
    }));
    ({ saved, skipped, rolloversConfirmed } = result);
    const ms = performance.now() - began;
    slices += 1;
    longest = Math.max(longest, ms);
    at += part.length;
    if (sliced && options.sliceSize === undefined && part.length > 0) {
      const paced = Math.round((part.length * pace.targetMs) / Math.max(ms, 1));
      size = Math.max(50, Math.min(5000, Math.round(part.length * 1.5), paced));
    }
    await options.onSlice?.(part.length, ms);
    if (options.stopAfterSlices !== undefined && slices >= options.stopAfterSlices) throw new Error('stopped (test)');
    await options.progress?.tick(at, wanted.length);
    if (at < wanted.length) await betweenSlices(backend.store, pace);
  } while (at < wanted.length);
  return { saved, skipped, rolloversConfirmed };
}
