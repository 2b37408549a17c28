// Reading periods (抄表期): a month YYYY-MM. Opening one makes the due list of every active book
// with each meter's 起码; periods open in order, each after the previous one closed, so an
// open period's 起码 come from closed months. A period closes when every book is complete and
// reviewed (shared/readings blocksClosing); a closed period then takes only corrections.
import type { PeriodRow } from '../../../shared/contract';
import { translate, type Locale } from '../../../shared/i18n';
import { blocksClosing, readingStatus, type ReadingKind, type ReadingStatus, type ReviewDecision } from '../../../shared/readings';
import { addMonths, periodOf, shanghaiDate, type DateString } from '../../../shared/time';
import type { Actor, Unit } from '../audit/record';
import type { Backend } from '../context';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError, notFound, refuse } from '../errors';
import type { JobProgress } from '../jobs/runner';
import { betweenSlices, flushSlices, JOB_PACE, Pace, sliceDone, slicePart, sliceWrite, type SlicePace } from '../jobs/pace';
import { runInJobThread } from '../jobs/thread';
import { insertDueForBooks, insertDueForPeriod, periodPublished } from './due';

interface PeriodDbRow {
  period: string;
  status: 'open' | 'closed';
  opened_at: number;
  opened_by_name: string | null;
  closed_at: number | null;
  closed_by_name: string | null;
  due: number;
  entered: number;
  awaiting: number;
}

const PERIOD_SELECT = sql`
  SELECT p.period, p.status, p.opened_at, o.name AS opened_by_name, p.closed_at, c.name AS closed_by_name,
    (SELECT count(*) FROM reading_due d WHERE d.period = p.period) AS due,
    (SELECT count(DISTINCT r.point_id) FROM readings r WHERE r.period = p.period) AS entered,
    (SELECT count(*) FROM readings r
      WHERE r.period = p.period AND r.needs_review = 1 AND NOT EXISTS (SELECT 1 FROM readings s WHERE s.supersedes = r.id)
        AND coalesce((SELECT v.decision FROM reading_reviews v WHERE v.reading_id = r.id ORDER BY v.reviewed_at DESC, v.id DESC LIMIT 1), 'correct') = 'correct'
    ) AS awaiting
  FROM reading_periods p LEFT JOIN staff o ON o.id = p.opened_by LEFT JOIN staff c ON c.id = p.closed_by
  WHERE NOT EXISTS (SELECT 1 FROM period_opens_open opening WHERE opening.period = p.period)`; // being opened: not there yet (issue 18)

function toPeriodRow(row: PeriodDbRow): PeriodRow {
  return {
    period: row.period,
    status: row.status,
    openedAt: row.opened_at,
    openedByName: row.opened_by_name,
    closedAt: row.closed_at,
    closedByName: row.closed_by_name,
    due: row.due,
    entered: row.entered,
    awaitingReview: row.awaiting,
  };
}

export function listPeriods(db: ReadableDB): PeriodRow[] {
  return db.all<PeriodDbRow>(sql`${PERIOD_SELECT} ORDER BY p.period DESC`).map(toPeriodRow);
}

export function getPeriod(db: ReadableDB, period: string): PeriodRow {
  const row = db.get<PeriodDbRow>(sql`${PERIOD_SELECT} AND p.period = ${period}`);
  if (!row) throw notFound(`period ${period}`);
  return toPeriodRow(row);
}

/** The latest period that can be open on `today`: next month, for books read on the first days. */
export function latestOpenable(today: DateString): string {
  return addMonths(periodOf(today), 1);
}

export function assertCanOpen(db: ReadableDB, period: string, today: DateString): void {
  // A period being opened is not there yet (issue 18): its open is refused by assertNotOpening, or discarded once stopped.
  const latest = db.get<{ period: string; status: string }>(sql`
    SELECT period, status FROM reading_periods p WHERE NOT EXISTS (SELECT 1 FROM period_opens_open o WHERE o.period = p.period)
    ORDER BY period DESC LIMIT 1`);
  if (latest?.period === period) throw new AppError('conflict', 'period.exists', { period });
  if (latest && period < latest.period) throw refuse('period.notAfterLatest', { latest: latest.period });
  if (latest && latest.status === 'open') throw refuse('period.previousOpen', { period: latest.period });
  if (period > latestOpenable(today)) throw refuse('period.tooFarAhead', { period, latest: latestOpenable(today) });
}

/** Options of the sliced open (bench and tests). */
export interface OpenOptions {
  /** false: the whole due list in one transaction, as before issue 18 (the bench's baseline). */
  sliced?: boolean;
  /** Called after each committed transaction with how long it took. */
  onSlice?: (ms: number) => void | Promise<void>;
  /** Tests: stop (throw) after this many slices have committed, as a crash would. */
  stopAfterSlices?: number;
  /** Tests: a fixed number of metering points per slice instead of sizing slices by their pace. */
  pointsPerSlice?: number;
  /** The bench's comparison with earlier settings (jobs/pace.ts). */
  pace?: SlicePace;
}

/** The first slice's metering points (whole books); the next are sized by pace (jobs/pace.ts JOB_PACE). */
const FIRST_SLICE_POINTS = 800;
/** Books written between two looks at the slice's time and at waiting writers. */
const SLICE_BOOKS = 2;
/** An open whose last slice is older than this has stopped (its process died): it is discarded. */
const STOPPED_AFTER_MS = 60_000;

/** Opens this process is writing now, per database file. */
const opening = new Set<string>();
const openingKey = (backend: Backend, period: string) => `${backend.store.file}\u0000${period}`;

interface OpenRow {
  period: string;
  heartbeat_at: number;
}

/**
 * Opens a period (开抄表期): the period row and its whole due list (one INSERT … SELECT per part,
 * see due.ts), from the books, meters and readings as they are when it is written.
 *
 * Sliced (issue 18): the first transaction inserts the period row listed in period_opens_open
 * (migration 0013); then the due list is written into reading_due a few whole books per
 * transaction, each slice sized by its measured time (jobs/pace.ts), so a payment at the counter
 * never waits for more than one. While listed, the period and its rows are not there for anyone
 * reading (the periods list leaves it out, other readers use due.ts periodPublished); the last
 * transaction removes the listing and writes the audit and outbox rows: the period opens whole
 * or not at all, and the publishing transaction does not grow with the station. A move or
 * correction between slices is applied to the written rows by refreshDueRows (the period is
 * among the open ones). A stopped open (crash) is discarded by the next try, any next open, or
 * the back end's start, once its last slice is a minute old.
 */
export async function openPeriod(backend: Backend, actor: Actor, period: string, progress?: JobProgress, options: OpenOptions = {}) {
  if (options.sliced === false) return openAtOnce(backend, actor, period, progress, options);
  const key = openingKey(backend, period);
  const db = backend.store.read;
  assertNotOpening(backend, period);
  discardStoppedOpens(backend); // a stopped open of this period (or the one before) goes first
  assertCanOpen(db, period, shanghaiDate(backend.now()));
  // The active books and how many points each has: slices take whole books.
  const books = db.all<{ id: string; points: number }>(sql`
    SELECT b.id, count(bp.point_id) AS points FROM books b JOIN book_points bp ON bp.book_id = b.id
    WHERE b.active = 1 GROUP BY b.id ORDER BY b.id`);
  const totalPoints = books.reduce((n, b) => n + b.points, 0);
  const pace = options.pace ?? JOB_PACE;
  await progress?.tick(0, totalPoints + 1);
  opening.add(key);
  let started = false;
  try {
    // The period row, listed as being opened: a second open of the period is refused from here on.
    backend.write(actor, (tx) => {
      // Another process may have begun this open since the checks above.
      if (tx.value(sql`SELECT 1 FROM period_opens_open WHERE period = ${period}`)) throw new AppError('conflict', 'period.opening', { period });
      assertCanOpen(tx, period, shanghaiDate(tx.at));
      tx.run(sql`INSERT INTO reading_periods (period, status, opened_at, opened_by) VALUES (${period}, 'open', ${tx.at}, ${tx.actor.staffId})`);
      tx.run(sql`INSERT INTO period_opens_open (period, opened_by, started_at, heartbeat_at) VALUES (${period}, ${actor.staffId}, ${tx.at}, ${tx.at})`);
    });
    started = true;
    let at = 0;
    let done = 0;
    let slices = 0;
    let longest = 0;
    const sizer = new Pace(options.pointsPerSlice ?? FIRST_SLICE_POINTS, pace.targetMs, 100, 20_000);
    do {
      const size = options.pointsPerSlice ?? sizer.size;
      const part: { id: string; points: number }[] = [];
      let points = 0;
      while (at < books.length && (part.length === 0 || points + (books[at]?.points ?? 0) <= size)) {
        const book = books[at++];
        if (!book) break;
        part.push(book);
        points += book.points;
      }
      const began = performance.now();
      // A few books at a time; the slice commits early once it has held the lock its time or
      // another writer waits (jobs/pace.ts sliceDone). The books it did not reach go to the next.
      const written = sliceWrite(backend.store, pace, () =>
        backend.write(actor, (tx) => {
          let n = 0;
          const each = slicePart(backend.store, pace, SLICE_BOOKS);
          while (n < part.length) {
            const group = part.slice(n, n + each);
            insertDueForBooks(tx, period, 'reading_due', group.map((b) => b.id));
            n += group.length;
            if (options.pointsPerSlice === undefined && sliceDone(backend.store, pace, began)) break;
          }
          tx.run(sql`UPDATE period_opens_open SET heartbeat_at = ${tx.at}, books_done = books_done + ${n} WHERE period = ${period}`);
          return n;
        }),
      );
      const ms = performance.now() - began;
      longest = Math.max(longest, ms);
      at -= part.length - written; // the books this slice did not reach go to the next
      const writtenPoints = part.slice(0, written).reduce((n, b) => n + b.points, 0);
      sizer.measured(Math.max(writtenPoints, 1), ms);
      slices += 1;
      done += writtenPoints;
      await options.onSlice?.(ms);
      if (options.stopAfterSlices !== undefined && slices >= options.stopAfterSlices) throw new StoppedForTest();
      await progress?.tick(done, totalPoints + 1);
      if (at < books.length) await betweenSlices(backend.store, pace);
    } while (at < books.length);

    // The period appears, and with it the due list written above: a few rows, whatever the station's size.
    flushSlices(backend.store, pace);
    const began = performance.now();
    const result = backend.write(actor, (unit) => {
      const due = unit.value<number>(sql`SELECT count(*) FROM reading_due WHERE period = ${period}`) ?? 0;
      if (due === 0) throw refuse('period.noBooks');
      unit.run(sql`DELETE FROM period_opens_open WHERE period = ${period}`);
      return recordOpen(unit, period, due);
    });
    const lastMs = performance.now() - began;
    await options.onSlice?.(lastMs);
    await progress?.tick(totalPoints + 1, totalPoints + 1);
    return { ...result, slices: slices + 2, longestSliceMs: Math.round(Math.max(longest, lastMs)) };
  } catch (error) {
    // Refused (nothing to open): nothing written stays behind. A crash leaves it for the next
    // try or the next start to throw away.
    if (started && !(error instanceof StoppedForTest)) await discardOpen(backend, actor, period);
    throw error;
  } finally {
    opening.delete(key);
  }
}

const CLEAR_ROWS = 5000;

/**
 * Deletes up to CLEAR_ROWS due rows of `period` while it is listed as being opened (a stopped or
 * refused open's), in one short transaction; never a published period's. Returns the rows deleted.
 */
function clearOpeningSlice(backend: Backend, actor: Actor, period: string): number {
  return backend.write(actor, (tx) =>
    tx.run(sql`DELETE FROM reading_due WHERE period = ${period}
                 AND EXISTS (SELECT 1 FROM period_opens_open WHERE period = ${period})
                 AND point_id IN (SELECT point_id FROM reading_due WHERE period = ${period} LIMIT ${CLEAR_ROWS})`).changes,
  );
}

/** The last step of a discard: the period row and its listing go (only while still listed). */
function dropOpening(backend: Backend, actor: Actor, period: string): void {
  backend.write(actor, (tx) => {
    if (!tx.value(sql`SELECT 1 FROM period_opens_open WHERE period = ${period}`)) return;
    tx.run(sql`DELETE FROM reading_due WHERE period = ${period}`); // what a move wrote since the last clearing slice
    tx.run(sql`DELETE FROM reading_due_staged WHERE period = ${period}`);
    tx.run(sql`DELETE FROM reading_periods WHERE period = ${period}`);
    tx.run(sql`DELETE FROM period_opens_open WHERE period = ${period}`);
  });
}

/** Throws an open away at once (the back end's start): its due rows a few thousand per transaction, then the period row. */
function discardOpenNow(backend: Backend, actor: Actor, period: string): void {
  while (clearOpeningSlice(backend, actor, period) > 0) {
    // one short transaction each: another process's write gets the lock between them
  }
  dropOpening(backend, actor, period);
}

/** The same between the job's slices (paced as the open was). */
async function discardOpen(backend: Backend, actor: Actor, period: string): Promise<void> {
  while (clearOpeningSlice(backend, actor, period) > 0) await betweenSlices(backend.store, JOB_PACE);
  dropOpening(backend, actor, period);
}

/** Tests: the open stops as if its process had died. */
export class StoppedForTest extends Error {
  constructor() {
    super('stopped (test)');
  }
}

function recordOpen(unit: Unit, period: string, due: number) {
  const books = unit.value<number>(sql`SELECT count(DISTINCT book_id) FROM reading_due WHERE period = ${period}`) ?? 0;
  const summary = { period, books, due };
  unit.record({ action: 'period.open', entity: 'reading_period', entityId: period, op: 'insert', summary, payload: { period, status: 'open', openedAt: unit.at } });
  return summary;
}

/** The one-transaction open of before issue 18 (the bench's baseline). */
async function openAtOnce(backend: Backend, actor: Actor, period: string, progress: JobProgress | undefined, options: OpenOptions) {
  await progress?.tick(0, 1);
  const began = performance.now();
  const result = backend.write(actor, (unit) => {
    assertCanOpen(unit, period, shanghaiDate(unit.at));
    unit.run(sql`INSERT INTO reading_periods (period, status, opened_at, opened_by) VALUES (${period}, 'open', ${unit.at}, ${unit.actor.staffId})`);
    const due = insertDueForPeriod(unit, period);
    if (due === 0) throw refuse('period.noBooks');
    return recordOpen(unit, period, due);
  });
  await options.onSlice?.(performance.now() - began);
  await progress?.tick(1, 1);
  return result;
}

/** At the back end's start (and before an open): throws away the opens a crash stopped (nobody saw them). */
export function discardStoppedOpens(backend: Backend): number {
  if (!backend.station()) return 0;
  const now = backend.now();
  const stopped = backend.store.read
    .all<OpenRow>(sql`SELECT period, heartbeat_at FROM period_opens_open`)
    .filter((r) => !opening.has(openingKey(backend, r.period)) && now - r.heartbeat_at >= STOPPED_AFTER_MS);
  for (const r of stopped) discardOpenNow(backend, { staffId: null, label: 'system' }, r.period);
  // Staged rows an earlier version left (reading_due_staged, no longer written): nobody reads them; they go.
  const staged = backend.store.read.column<string>(sql`SELECT DISTINCT period FROM reading_due_staged`);
  for (const period of staged) {
    backend.write({ staffId: null, label: 'system' }, (tx) => tx.run(sql`DELETE FROM reading_due_staged WHERE period = ${period}`));
  }
  return stopped.length;
}

/** Refuses while this period is being opened, here or by another process whose last slice is recent. */
function assertNotOpening(backend: Backend, period: string): void {
  const row = backend.store.read.get<OpenRow>(sql`SELECT period, heartbeat_at FROM period_opens_open WHERE period = ${period}`);
  if (opening.has(openingKey(backend, period)) || (row && backend.now() - row.heartbeat_at < STOPPED_AFTER_MS)) throw new AppError('conflict', 'period.opening', { period });
}

export function startOpenPeriodJob(backend: Backend, actor: Actor, period: string) {
  assertNotOpening(backend, period);
  assertCanOpen(backend.store.read, period, shanghaiDate(backend.now()));
  if (!backend.jobThreads) return backend.jobs.start('readings.openPeriod', actor.staffId, (progress) => openPeriod(backend, actor, period, progress));
  // On a job thread (browser mode, the CLI; issue 18): this thread counts the period as being
  // opened while the job runs, so a second start here is refused before the thread's first slice.
  const key = openingKey(backend, period);
  opening.add(key);
  return backend.jobs.start('readings.openPeriod', actor.staffId, (progress) =>
    runInJobThread<Awaited<ReturnType<typeof openPeriod>>>(backend, { kind: 'readings.openPeriod', actor, period }, progress, () => {
      opening.delete(key);
      return openPeriod(backend, actor, period, progress);
    }).finally(() => opening.delete(key)),
  );
}

export interface DueStatus {
  book_id: string;
  point_id: string;
  reading_id: string | null;
  kind: ReadingKind | null;
  needs_review: number | null;
  reason: string | null;
  decision: ReviewDecision | null;
  status: ReadingStatus;
}

/** Where every meter due in the period stands (one book, or all). */
export function dueStatuses(db: ReadableDB, period: string, bookId?: string): DueStatus[] {
  const rows = db.all<Omit<DueStatus, 'status'>>(sql`
    SELECT d.book_id, d.point_id, r.id AS reading_id, r.kind, r.needs_review, r.reason,
           CASE WHEN r.needs_review = 1 THEN (
             SELECT v.decision FROM reading_reviews v WHERE v.reading_id = r.id ORDER BY v.reviewed_at DESC, v.id DESC LIMIT 1)
           END AS decision
    FROM reading_due d
    LEFT JOIN readings r ON r.period = d.period AND r.point_id = d.point_id AND NOT EXISTS (SELECT 1 FROM readings s WHERE s.supersedes = r.id)
    WHERE d.period = ${period} ${bookId ? sql`AND d.book_id = ${bookId}` : sql``}`);
  return rows.map((row) => ({
    ...row,
    status: readingStatus(row.reading_id && row.kind ? { kind: row.kind, needsReview: row.needs_review === 1 } : null, row.decision),
  }));
}

/** What keeps one book from closing: its meters not entered, awaiting review, to correct. */
export type CloseBlock = Record<'not_entered' | 'awaiting_review' | 'to_correct', number>;

/**
 * The close's check of one book (reads only): what keeps it from closing, or null when nothing
 * does. closePeriod checks every book at once; the demo builder checks a book at a time between
 * its slices (issue 18) and then closes with closeCheckedPeriod.
 */
export function checkBookForClose(db: ReadableDB, period: string, bookId: string): CloseBlock | null {
  return tallyBlocking(dueStatuses(db, period, bookId)).get(bookId) ?? null;
}

function tallyBlocking(statuses: readonly DueStatus[]): Map<string, CloseBlock> {
  const blocking = new Map<string, CloseBlock>();
  for (const s of statuses) {
    if (!blocksClosing(s.status)) continue;
    const tally = blocking.get(s.book_id) ?? { not_entered: 0, awaiting_review: 0, to_correct: 0 };
    tally[s.status as keyof typeof tally] += 1;
    blocking.set(s.book_id, tally);
  }
  return blocking;
}

/** The refusal that says, book by book, what keeps the period from closing. */
export function cannotClose(db: ReadableDB, period: string, blocking: ReadonlyMap<string, CloseBlock>, locale: Locale): AppError {
  const names = new Map(db.all<{ id: string; book_no: string }>(sql`SELECT id, book_no FROM books`).map((b) => [b.id, b.book_no]));
  const separator = locale === 'en' ? ', ' : '，';
  const details = [...blocking.entries()]
    .map(([bookId, tally]) => {
      const parts = [
        tally.not_entered ? translate(locale, 'period.closeNotEntered', { count: tally.not_entered }) : '',
        tally.awaiting_review ? translate(locale, 'period.closeAwaiting', { count: tally.awaiting_review }) : '',
        tally.to_correct ? translate(locale, 'period.closeToCorrect', { count: tally.to_correct }) : '',
      ].filter(Boolean);
      return { bookNo: names.get(bookId) ?? bookId, text: parts.join(separator) };
    })
    .sort((a, b) => a.bookNo.localeCompare(b.bookNo))
    .map((b) => `${b.bookNo} ${b.text}`)
    .join(locale === 'en' ? '; ' : '；');
  return refuse('period.cannotClose', { period, details });
}

/** Closes a period once every book is complete and reviewed; otherwise says what is missing where. */
export function closePeriod(unit: Unit, period: string, locale: Locale): PeriodRow {
  const before = getPeriod(unit, period);
  if (before.status === 'closed') throw refuse('period.alreadyClosed', { period });
  const blocking = tallyBlocking(dueStatuses(unit, period));
  if (blocking.size > 0) throw cannotClose(unit, period, blocking, locale);
  closeCheckedPeriod(unit, period, before.due);
  return getPeriod(unit, period);
}

/**
 * The close's write alone, for a period whose every book was checked (checkBookForClose) with
 * nothing written since: a few rows, whatever the station's size. Only the demo builder calls it
 * (its file is its own until the rename, so nothing is written between its checks and this);
 * the desk's close is closePeriod, check and write in one transaction.
 */
export function closeCheckedPeriod(unit: Unit, period: string, due: number): void {
  const status = unit.value<string>(sql`SELECT status FROM reading_periods p WHERE p.period = ${period} AND NOT EXISTS (SELECT 1 FROM period_opens_open o WHERE o.period = p.period)`);
  if (status === undefined) throw notFound(`period ${period}`);
  if (status === 'closed') throw refuse('period.alreadyClosed', { period });
  unit.run(sql`UPDATE reading_periods SET status = 'closed', closed_at = ${unit.at}, closed_by = ${unit.actor.staffId} WHERE period = ${period}`);
  unit.record({
    action: 'period.close',
    entity: 'reading_period',
    entityId: period,
    op: 'update',
    summary: { period, due },
    payload: { period, status: 'closed', closedAt: unit.at },
  });
}
