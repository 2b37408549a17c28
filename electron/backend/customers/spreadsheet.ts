// Customer workbooks: import as preview → commit, export of the (filtered) list, the template.
// Reading goes through workbook/read.ts (worker thread, frozen Object.prototype, size cap,
// time limit). The preview checks every row — formats, duplicates within the file, account and
// meter numbers already in the station — and writes nothing; the commit files the valid
// customers in one transaction, and the import is audited once (each customer, point and meter
// still travels to head office through the outbox).
import { createHash } from 'node:crypto';
import type { CustomerFilter, ImportIssue, ImportPreview } from '../../../shared/contract';
import { shanghaiDate } from '../../../shared/time';
import { hasMessage, translate, type Locale, type MessageKey } from '../../../shared/i18n';
import { headerOf, mapHeader, parseSheetRow, REQUIRED_HEADERS, rowOf, SHEET_COLUMNS, sheetRowOf, type ParsedRow, type SheetColumn, type SheetProblem } from '../../../shared/customers/sheet';
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import { insertRows } from '../db/insertRows';
import type { ReadableDB } from '../db/store';
import { AppError } from '../errors';
import type { JobProgress } from '../jobs/runner';
import { betweenSlices, flushSlices, JOB_PACE, sliceDone, slicePart, sliceWrite, type SlicePace } from '../jobs/pace';
import { FiledKeys, writeImportKeys } from './importKeys';
import { readWorkbook } from './workbook/read';
import { workbookRefusal } from './workbook/refusal';
import { writeWorkbook } from './workbook/write';
import { fileCustomers, NameKeys, withBulkPageCache, type CheckedCustomer } from './bulk';
import { takenAccounts } from './customers';
import { installedMeters } from './meters';
import { filterWhere } from './list';
import type { Viewer } from './rows';
import type { CustomerClass } from '../../../shared/customers/classes';
import { maskIdCard, type CustomerStatus } from '../../../shared/customers/rules';

export const MAX_IMPORT_ROWS = 100_000;
const PREVIEW_TTL_MS = 60 * 60 * 1000;

/** One customer to file: its rows in the workbook (first row gives the customer's columns), checked. */
interface ImportGroup {
  rows: number[];
  record: CheckedCustomer;
}

export interface PendingImport {
  id: string;
  /** Pinyin and search keys of the file's names, worked out while the rows were checked. */
  names: NameKeys;
  staffId: string | null;
  fileName: string;
  createdAt: number;
  groups: ImportGroup[];
  rows: number;
  invalidRows: number;
  used: boolean;
  /** sha256 of the workbook: an import of it stopped part-way is finished by the same file. */
  fileHash: string;
  /** The stopped import of this file this one finishes (its id stays the customers' import_batch). */
  resumes?: StoppedImport;
  /** A job thread's copy (pendingImportParts): how many groups the batch has; they arrive in parts. */
  groupCount?: number;
  /** A job thread's copy: its parts as they arrive, and how many of them are in `groups` already (adoptPendingImport). */
  arriving?: { parts: ArrivingParts; taken: number };
}

/** The parts of a pending import on their way to a job thread (jobs/threadMain.ts). */
export interface ArrivingParts {
  /** Every part received so far, in the order sent. */
  readonly received: readonly unknown[];
  /** Whether the last part has come. */
  done(): boolean;
  /** Resolves when another part, or the end, has come. */
  next(): Promise<void>;
}

/** An import stopped part-way (issue 18): what it filed, by first workbook row and account number. */
interface StoppedImport {
  importId: string;
  startedAt: number;
  customers: number;
  firstRows: Set<number>;
  accounts: Set<string>;
}

/** Previews wait here for their commit (in memory: a restart asks for a new check). */
const pending = new Map<string, PendingImport>();

/** A job thread's copy of a preview (jobs/threadMain.ts): the thread commits it as the host would. */
export function adoptPendingImport(batch: PendingImport, parts: readonly SentPart[] | ArrivingParts = []): void {
  // Structured cloning keeps the name keys' map but not their class.
  if (!(batch.names instanceof NameKeys)) Object.setPrototypeOf(batch.names, NameKeys.prototype);
  // The groups and name keys sent after the thread started (pendingImportParts), in order: all
  // here, or taken as they come while the commit files the first ones (groupsArrived).
  if ('done' in parts) batch.arriving = { parts, taken: 0 };
  else for (const part of parts) adoptPart(batch, part);
  pending.set(batch.id, batch);
}

function adoptPart(batch: PendingImport, sent: SentPart): void {
  const part = JSON.parse(sent.json) as ImportPart;
  if (part.groups) batch.groups.push(...part.groups);
  if (part.names) batch.names.adopt(part.names);
}

/** Waits until the batch holds its first `count` groups, or all it will (a job thread's batch arrives in parts). */
async function groupsArrived(batch: PendingImport, count: number): Promise<void> {
  const arriving = batch.arriving;
  if (!arriving) return;
  for (;;) {
    // Only the parts needed now are read (the rest wait as received, read by later slices).
    while (batch.groups.length < count && arriving.taken < arriving.parts.received.length) {
      adoptPart(batch, arriving.parts.received[arriving.taken++] as SentPart);
    }
    if (arriving.parts.done() && arriving.taken === arriving.parts.received.length) {
      batch.arriving = undefined;
      return;
    }
    if (batch.groups.length >= count) return;
    await arriving.parts.next();
  }
}

/** A part of a pending import sent to a job thread: some of its groups, with their names' keys. */
interface ImportPart {
  groups?: ImportGroup[];
  names?: ReturnType<NameKeys['entries']>;
}

/**
 * An ImportPart as sent: as JSON text. As a structured clone, the 50,000 checked customers of a
 * 50,000-row import took the job thread ~0.55 s to take in before its first slice (a message's
 * objects are made when it is delivered, and all had come by the thread's first turn); a string
 * is one copy, and each part is read by the slice that files it (JSON.parse: 1.3 ms a part of
 * 500 customers alone, ~4.5 ms beside the import's own work on the 2 shared cores). Every field of a part is JSON's: strings, finite numbers, booleans and null.
 * (UTF-8 bytes handed over uncopied were dearer: encoding the Chinese text cost the host 3–7 ms a part.)
 */
export interface SentPart {
  json: string;
}

const PART_GROUPS = 500;

/**
 * A pending import for a job thread (customers/importJob.ts): the batch without its groups and
 * name keys, and those in parts of 500 groups with their names' keys, as JSON text, one part a
 * turn of the host's loop (a few ms each; the whole batch of a 50,000-row import, cloned at once,
 * held the host's thread 0.5 s). The thread files the first parts while the next are on their
 * way: waiting for them all cost the job thread's commit ~0.45 s of its 4 s (50,000 rows, 2026-12-06).
 */
export function pendingImportParts(batch: PendingImport): { batch: PendingImport; parts: Iterable<SentPart> } {
  const bare: PendingImport = { ...batch, used: false, groups: [], names: new NameKeys(), groupCount: batch.groups.length };
  function* parts(): Iterable<SentPart> {
    for (let i = 0; i < batch.groups.length; i += PART_GROUPS) {
      const groups = batch.groups.slice(i, i + PART_GROUPS);
      const names = [...new Set(groups.map((g) => g.record.fields.name))].map((name) => [name, batch.names.of(name)] as [string, ReturnType<NameKeys['of']>]);
      yield { json: JSON.stringify({ groups, names } satisfies ImportPart) };
    }
  }
  return { batch: bare, parts: parts() };
}

/** The preview as it stands for a commit on a job thread (jobs/threadMain.ts, customers/importJob.ts). */
export function pendingImport(importId: string): PendingImport | undefined {
  return pending.get(importId);
}

/** What a commit left of its preview: kept (and whether used) or gone (committed). */
export function pendingImportState(importId: string): { gone: boolean; used: boolean } {
  const batch = pending.get(importId);
  return { gone: !batch, used: batch?.used ?? true };
}

export function forgetPendingImport(importId: string): void {
  pending.delete(importId);
}

function message(locale: Locale, p: SheetProblem): string {
  return hasMessage(p.key) ? translate(locale, p.key as MessageKey, p.params) : p.key;
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
  // Rows are checked batch by batch as the worker reads them (the first row is the header).
  let header: Map<SheetColumn, number> | undefined;
  let expected = 0;
  const parsed: { excelRow: number; row: ParsedRow }[] = [];
  const names = new NameKeys();
  try {
    const { truncated } = await readWorkbook(bytes, {
      maxRows: MAX_IMPORT_ROWS,
      onSize: (rows) => (expected = rows),
      onRows: (rows) => {
        for (const { row: excelRow, cells } of rows) {
          if (!header) {
            header = mapHeader(cells);
            if (REQUIRED_HEADERS.some((c) => !header?.has(c))) throw new AppError('validation', 'customers.err.file.noHeader');
            continue;
          }
          if (cells.every((c) => c.trim() === '')) continue; // blank lines between blocks are common
          const row = parseSheetRow(rowOf(cells, header));
          if (row.problems.length === 0) names.of(row.fields.name);
          parsed.push({ excelRow, row });
        }
        void progress.tick(parsed.length, expected);
      },
    });
    if (truncated) throw new AppError('validation', 'customers.err.file.tooManyRows', { rows: `>${MAX_IMPORT_ROWS}`, max: MAX_IMPORT_ROWS });
  } catch (error) {
    workbookRefusal(error, fileName, bytes.byteLength);
  }
  if (!header) throw new AppError('validation', 'customers.err.file.noHeader');

  // The same file's import stopped part-way: the customers it filed are left out of this check
  // (they would read as 户号已存在), and committing this check files the rest under its id.
  const fileHash = createHash('sha256').update(bytes).digest('hex');
  const resumes = stoppedImportOf(backend, fileHash);
  let resumedRows = 0;
  if (resumes) {
    const rest = parsed.filter((p) => !(p.row.accountNo ? resumes.accounts.has(p.row.accountNo) : resumes.firstRows.has(p.excelRow)));
    resumedRows = parsed.length - rest.length;
    parsed.splice(0, parsed.length, ...rest);
  }

  // Within the file: one 户号 is one customer; a meter number appears once. Against the
  // station: one lookup per few hundred numbers.
  const issues: ImportIssue[] = [];
  const groups = new Map<string, { first: number; rows: { excelRow: number; row: ParsedRow }[] }>();
  const meterRowOf = new Map<string, number>();
  const db = backend.store.read;
  const dbAccounts = takenAccounts(db, [...new Set(parsed.flatMap((p) => (p.row.accountNo ? [p.row.accountNo] : [])))]);
  const dbMeters = installedMeters(db, [...new Set(parsed.flatMap((p) => (p.row.point?.meter.meterNo ? [p.row.point.meter.meterNo] : [])))]);
  const sameCustomer = (a: ParsedRow, b: ParsedRow) => a.fields.name === b.fields.name && a.fields.township === b.fields.township && a.fields.village === b.fields.village;
  for (const p of parsed) {
    const { row, excelRow } = p;
    if (row.accountNo) {
      if (dbAccounts.has(row.accountNo)) row.problems.push({ column: 'accountNo', key: 'customers.err.accountTaken', params: { accountNo: row.accountNo } });
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

  // A customer is filed whole with its first row's status: closed (销户), it can have no meter.
  for (const { rows } of groups.values()) {
    const head = rows[0]?.row;
    if (head?.status === 'closed' && rows.some((p) => p.row.point) && !head.problems.some((q) => q.column === 'status')) {
      head.problems.push({ column: 'status', key: 'customers.err.closeWithMeters', params: { accountNo: head.accountNo ?? '' } });
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
    // parseSheetRow checked each row by createCustomer's rules, so the record goes as it is.
    const { fields, accountNo, status, statusDate } = head.row;
    const points: CheckedCustomer['points'] = [];
    for (const p of group.rows) if (p.row.point) points.push(p.row.point);
    valid.push({ rows: group.rows.map((p) => p.excelRow), record: { fields, accountNo, status, statusDate, points } });
  }
  issues.sort((a, b) => a.row - b.row);

  const id = uuidv7();
  const now = backend.now();
  for (const [key, old] of pending) if (now - old.createdAt > PREVIEW_TTL_MS) pending.delete(key);
  pending.set(id, { id, names, staffId: owner.staffId, fileName, createdAt: now, groups: valid, rows: parsed.length, invalidRows, used: false, fileHash, resumes });
  return {
    ...(resumes ? { resumes: { importId: resumes.importId, startedAt: resumes.startedAt, customers: resumes.customers, rows: resumedRows } } : {}),
    importId: id,
    fileName,
    rows: parsed.length,
    validRows: parsed.length - invalidRows,
    invalidRows,
    customers: valid.length,
    issues,
    sample: valid.slice(0, 20).map(({ rows, record: { accountNo, fields, points } }) => ({
      row: rows[0] ?? 0,
      accountNo: accountNo ?? '',
      name: fields.name,
      address: [fields.township, fields.village, fields.addressDetail].filter(Boolean).join(' '),
      meterNo: points.map((p) => p.meter.meterNo).join('、'),
    })),
  };
}

/** Options of the sliced commit (bench and tests). */
export interface CommitOptions {
  /** false: every customer in one transaction, as before issue 18 (the bench's baseline). */
  sliced?: boolean;
  /** Called after each committed transaction with its customers and how long it took. */
  onSlice?: (customers: number, ms: number) => void | Promise<void>;
  /** Tests: stop (throw) after this many slices have committed, as a crash would. */
  stopAfterSlices?: number;
  /** Tests: a fixed number of customers per slice instead of sizing slices by their pace. */
  sliceSize?: number;
  /** The bench's comparison with earlier settings (jobs/pace.ts). */
  pace?: SlicePace;
}

/**
 * The first slice's customers; the next are sized by pace (jobs/pace.ts JOB_PACE), growing by half
 * at a time. Small, because the first slice runs the code cold: on a job thread just started, 200
 * customers held the lock 257 ms (20,000 customers, load 3.4).
 */
const FIRST_SLICE = 50;
/** Customers filed between two looks at the slice's time and at waiting writers (~15 ms of work at 20,000 customers; parts of 50 cost a third more). */
const SLICE_PART = 200;
/** An open import whose last slice is older than this has stopped (its process died). */
const STOPPED_AFTER_MS = 60_000;

/** Imports this process is filing now, per database file. */
const filing = new Set<string>();
const filingKey = (backend: Backend, importId: string) => `${backend.store.file}\u0000${importId}`;

/** The stopped import of this file, if any: not being filed here, and refused or silent for a minute. */
function stoppedImportOf(backend: Backend, fileHash: string): StoppedImport | undefined {
  const db = backend.store.read;
  const open = db.get<{ import_id: string; started_at: number; heartbeat_at: number; customers: number; stopped_at: number | null }>(
    sql`SELECT import_id, started_at, heartbeat_at, customers, stopped_at FROM customer_imports_open WHERE file_hash = ${fileHash} ORDER BY started_at LIMIT 1`,
  );
  if (!open) return undefined;
  // Being filed (here, or by another process whose last slice is recent): checking it now could file it twice.
  if (filing.has(filingKey(backend, open.import_id)) || (open.stopped_at === null && backend.now() - open.heartbeat_at < STOPPED_AFTER_MS)) {
    throw new AppError('conflict', 'customers.err.importRunning');
  }
  const filed = db.rows<[number, string]>(sql`
    SELECT r.first_row, c.account_no FROM customer_import_rows r JOIN customers c ON c.id = r.customer_id WHERE r.import_id = ${open.import_id}`);
  return { importId: open.import_id, startedAt: open.started_at, customers: open.customers, firstRows: new Set(filed.map((f) => f[0])), accounts: new Set(filed.map((f) => f[1])) };
}

/**
 * Files a preview's valid customers. Sliced (issue 18): a few hundred customers per transaction
 * (~40 ms each, ended sooner for a writer that waits), so a payment at the counter never waits for
 * more than one; their search keys follow at the end, sorted (importKeys.ts). Each slice records
 * the workbook rows it filed (customer_import_rows, migration 0013) while the import is listed in
 * customer_imports_open, so the import states exactly what was filed. If a slice is refused
 * (something changed since the preview) or the process dies, what was filed stays filed and is
 * said; checking the same file again leaves those rows out and finishes the import, so nothing is
 * filed twice. The last transaction writes the one audit row and closes the import.
 */
export async function commitImport(backend: Backend, actor: Actor, importId: string, progress: JobProgress, options: CommitOptions = {}) {
  const batch = pending.get(importId);
  if (!batch || backend.now() - batch.createdAt > PREVIEW_TTL_MS) throw new AppError('not_found', 'customers.err.importGone');
  if (batch.staffId !== actor.staffId) throw new AppError('forbidden', 'customers.err.importNotYours');
  if (batch.used) throw new AppError('conflict', 'customers.err.importUsed');
  const total = batch.groupCount ?? batch.groups.length;
  if (total === 0 && !batch.resumes) throw new AppError('validation', 'customers.import.nothingValid');
  batch.used = true;
  await progress.tick(0, total);
  if (options.sliced === false) {
    try {
      await groupsArrived(batch, total);
      const began = performance.now();
      const result = withBulkPageCache(backend, () => backend.write(actor, (unit) => {
        fileCustomers(unit, batch.groups.map((g) => g.record), { importBatch: importId, names: batch.names });
        const meters = batch.groups.reduce((n, g) => n + g.record.points.length, 0);
        unit.audit({
          action: 'customers.import',
          entity: 'customers_import',
          entityId: importId,
          summary: { file: batch.fileName, customers: total, meters, rows: batch.rows, skippedRows: batch.invalidRows },
        });
        return { customers: total, meters, batch: importId };
      }));
      await options.onSlice?.(total, performance.now() - began);
      await progress.tick(total, total);
      pending.delete(importId);
      return result;
    } catch (error) {
      batch.used = false;
      throw error;
    }
  }

  const runId = batch.resumes?.importId ?? importId;
  const key = filingKey(backend, runId);
  if (filing.has(key)) throw new AppError('conflict', 'customers.err.importUsed');
  filing.add(key);
  let at = 0;
  let slices = 0;
  let longest = 0;
  let size = options.sliceSize ?? FIRST_SLICE;
  const pace = options.pace ?? JOB_PACE;
  // The keys of what this run files, worked out as its slices commit (a resumed import's earlier
  // customers are not in memory: its keys pass reads them all back).
  const known = batch.resumes ? undefined : new FiledKeys(batch.names);
  try {
    while (at < total) {
      await groupsArrived(batch, Math.min(total, at + size));
      const part = batch.groups.slice(at, at + size);
      const began = performance.now();
      let taken = 0;
      try {
        // The connection's own page cache: a slice dirties a few MB (withBulkPageCache is for the one big transaction).
        taken = sliceWrite(backend.store, pace, () => backend.write(actor, (unit) => {
          known?.beforeSlice(unit);
          if (at === 0) {
            unit.run(sql`
              INSERT INTO customer_imports_open (import_id, file_hash, file_name, staff_id, started_at, heartbeat_at)
              VALUES (${runId}, ${batch.fileHash}, ${batch.fileName}, ${actor.staffId}, ${unit.at}, ${unit.at})
              ON CONFLICT (import_id) DO UPDATE SET stopped_at = NULL, heartbeat_at = excluded.heartbeat_at`);
          }
          // A few dozen customers at a time; the slice commits early once it has held the lock its
          // time or another writer waits (jobs/pace.ts sliceDone).
          let filedHere = 0;
          let meters = 0;
          const each = slicePart(backend.store, pace, SLICE_PART);
          while (filedHere < part.length) {
            const group = part.slice(filedHere, filedHere + each);
            const filed = fileCustomers(unit, group.map((g) => g.record), { importBatch: runId, names: batch.names, withoutKeys: true });
            insertRows(unit, sql`INSERT INTO customer_import_rows (import_id, first_row, customer_id)`, filed.map((f, i) => [runId, group[i]?.rows[0] ?? 0, f.id]));
            known?.filed(filed, group.map((g) => g.record));
            meters += group.reduce((n, g) => n + g.record.points.length, 0);
            filedHere += group.length;
            if (options.sliceSize === undefined && sliceDone(backend.store, pace, began)) break;
          }
          unit.run(sql`UPDATE customer_imports_open SET heartbeat_at = ${unit.at}, customers = customers + ${filedHere}, meters = meters + ${meters} WHERE import_id = ${runId}`);
          known?.endSlice(unit);
          return filedHere;
        }));
      } catch (error) {
        // What the earlier slices filed stays filed and is said; a new check of the file finishes the rest.
        if (at > 0 || batch.resumes) {
          // What was filed is found by name and phone before the clerk is told.
          try {
            await writeImportKeys(backend, actor, runId, pace);
          } catch (keysError) {
            console.error('customers: writing the search keys of a stopped import failed', keysError);
          }
          backend.write(actor, (unit) => unit.run(sql`UPDATE customer_imports_open SET stopped_at = ${unit.at} WHERE import_id = ${runId}`));
          const filedSoFar = backend.store.read.value<number>(sql`SELECT customers FROM customer_imports_open WHERE import_id = ${runId}`) ?? 0;
          if (!(error instanceof AppError)) console.error('customers: import slice failed', error);
          throw new AppError('conflict', 'customers.err.importStopped', { filed: filedSoFar, row: part[0]?.rows[0] ?? 0 });
        }
        throw error;
      }
      const ms = performance.now() - began;
      known?.committed();
      slices += 1;
      longest = Math.max(longest, ms);
      at += taken;
      if (options.sliceSize === undefined) {
        // Sized from its pace (an upper bound: sliceDone may end it sooner).
        const paced = Math.round((taken * pace.targetMs) / Math.max(ms, 1));
        size = Math.max(50, Math.min(5000, Math.round(Math.max(taken, size) * 1.5), paced));
      }
      await options.onSlice?.(taken, ms);
      if (options.stopAfterSlices !== undefined && slices >= options.stopAfterSlices) throw new Error('stopped (test)');
      await progress.tick(at, total);
      if (at < total) await betweenSlices(backend.store, pace);
    }
    // The search keys of every customer filed, sorted (importKeys.ts), then the last transaction.
    await betweenSlices(backend.store, pace);
    await writeImportKeys(backend, actor, runId, pace, true, known);
    // The last transaction waits for the disk (synchronous=FULL); the slices before it are flushed first, outside the lock.
    flushSlices(backend.store, pace);
    const began = performance.now();
    const result = backend.write(actor, (unit) => {
      const done = unit.get<{ customers: number; meters: number; started_at: number }>(sql`SELECT customers, meters, started_at FROM customer_imports_open WHERE import_id = ${runId}`);
      const customers = done?.customers ?? 0;
      const meters = done?.meters ?? 0;
      unit.run(sql`DELETE FROM customer_imports_open WHERE import_id = ${runId}`);
      unit.audit({
        action: 'customers.import',
        entity: 'customers_import',
        entityId: runId,
        summary: {
          file: batch.fileName, customers, meters, rows: batch.rows + (batch.resumes ? batch.resumes.firstRows.size : 0), skippedRows: batch.invalidRows,
          ...(batch.resumes ? { resumedCustomers: batch.resumes.customers } : {}),
        },
      });
      return { customers, meters, batch: runId };
    });
    const lastMs = performance.now() - began;
    await options.onSlice?.(0, lastMs);
    await progress.tick(total, total);
    pending.delete(importId);
    return { ...result, slices: slices + 1, longestSliceMs: Math.round(Math.max(longest, lastMs)) };
  } catch (error) {
    if (at === 0 && !batch.resumes) batch.used = false; // nothing filed: the same check may be committed again
    throw error;
  } finally {
    filing.delete(key);
  }
}

const EXPORT_PAGE = 2000;

type CustomerCells = [
  id: string, accountNo: string, name: string, phone: string, phone2: string, idCard: string, township: string, village: string,
  addressDetail: string, transformerArea: string, customerClass: CustomerClass, tariffCode: string | null, householdSize: number | null,
  multiPerson: number, capacityKva: number | null, status: CustomerStatus, statusDate: string, openedDate: string, notes: string,
];
type MeterCells = [customerId: string, label: string, meterNo: string, digits: number, multiplier: number, tou: number, installDate: string, startReading: number, startRegisters: string | null];

/**
 * The export's rows, a page of customers at a time as the workbook is written: the header, then
 * every customer of the filter in account order, one row per installed meter (one row without a
 * meter for a customer that has none). Each page is two narrow queries read as arrays (the
 * customers by the account index, then their installed meters), so nothing of the whole station
 * is held at once and no object is made per database row.
 */
export async function* exportPages(db: ReadableDB, filter: CustomerFilter, viewer: Viewer, counted: { customers: number }): AsyncGenerator<string[][]> {
  yield [SHEET_COLUMNS.map((c) => c.header)];
  const where = filterWhere(filter);
  let after = '';
  for (;;) {
    const page = sql`SELECT c.id FROM customers c WHERE ${where} AND c.account_no > ${after} ORDER BY c.account_no LIMIT ${EXPORT_PAGE}`;
    const customers = db.rows<CustomerCells>(sql`
      SELECT c.id, c.account_no, c.name, c.phone, c.phone2, c.id_card, c.township, c.village, c.address_detail, c.transformer_area,
        c.customer_class, c.tariff_code, c.household_size, c.multi_person, c.capacity_kva, c.status, c.status_date, c.opened_date, c.notes
      FROM customers c WHERE ${where} AND c.account_no > ${after} ORDER BY c.account_no LIMIT ${EXPORT_PAGE}`);
    if (customers.length === 0) return;
    const metersOf = new Map<string, MeterCells[]>();
    for (const m of db.rows<MeterCells>(sql`
      SELECT p.customer_id, p.label, m.meter_no, m.digits, m.multiplier, m.tou, m.install_date, m.start_reading, m.start_registers
      FROM metering_points p JOIN meters m ON m.point_id = p.id AND m.removed_date IS NULL
      WHERE p.customer_id IN (${page}) ORDER BY p.customer_id, p.created_at, p.id`)) {
      const list = metersOf.get(m[0]);
      if (list) list.push(m);
      else metersOf.set(m[0], [m]);
    }
    const rows: string[][] = [];
    for (const [id, accountNo, name, phone, phone2, idCard, township, village, addressDetail, transformerArea, customerClass, tariffCode, householdSize, multiPerson, capacityKva, status, statusDate, openedDate, notes] of customers) {
      const customer = {
        accountNo, name, phone, phone2, township, village, addressDetail, transformerArea, customerClass, tariffCode, householdSize,
        capacityKva, status, statusDate, openedDate, notes,
        idCard: viewer.seesIdCard || !idCard ? idCard : maskIdCard(idCard),
        multiPerson: multiPerson === 1,
      };
      const meters = metersOf.get(id);
      if (!meters) rows.push(sheetRowOf(customer, null));
      else {
        for (const [, label, meterNo, digits, multiplier, tou, installDate, startReading, startRegisters] of meters) {
          const registers = startRegisters ? (JSON.parse(startRegisters) as Record<string, number>) : null;
          rows.push(sheetRowOf(customer, { label, meter: { meterNo, digits, multiplier, tou: tou === 1, installDate, startReading, startRegisters: registers } }));
        }
      }
      counted.customers += 1;
    }
    yield rows;
    after = (customers.at(-1) as CustomerCells)[1];
  }
}

export function customerWorkbook(pages: Iterable<string[][]> | AsyncIterable<string[][]>, onRows?: (rows: number) => Promise<void>): Promise<Buffer> {
  return writeWorkbook([{ name: '客户档案', pages, widths: SHEET_COLUMNS.map((c) => c.width) }], onRows);
}

/** The export job's work: the filtered customers as a workbook, progress by rows written. */
export async function exportCustomers(db: ReadableDB, filter: CustomerFilter, progress: JobProgress, viewer: Viewer = { seesIdCard: true }): Promise<{ fileName: string; count: number; base64: string }> {
  const total = db.value<number>(sql`SELECT count(*) FROM customers c WHERE ${filterWhere(filter)}`) ?? 0;
  const counted = { customers: 0 };
  const buffer = await customerWorkbook(exportPages(db, filter, viewer, counted), () => progress.tick(counted.customers, total));
  return { fileName: `客户档案-${shanghaiDate(Date.now())}.xlsx`, count: counted.customers, base64: buffer.toString('base64') };
}

/** The import template: the header row and one example row a clerk overwrites. */
export function templateWorkbook(): Promise<Buffer> {
  return customerWorkbook([[
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
  ]]);
}
