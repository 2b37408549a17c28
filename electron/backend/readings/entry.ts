// Entering one reading (录入读数): the keyboard grid, the handheld import and a reviewer's
// correction all come through here. `prepareEntry` reads what the checks need and runs them
// (shared/readings checkReading); `commitEntry` writes the reading with its audit and outbox
// rows. A saved reading is never changed: a correction is a new reading naming the one it
// supersedes, with who, when and why.
import type { EntryOutcome, ReadingView } from '../../../shared/contract';
import { formatCenti, parseCenti } from '../../../shared/money';
import {
  checkReading,
  needsReview,
  readingStatus,
  TOU_REGISTERS,
  type HistoryPeriod,
  type ReadingFlag,
  type ReadingKind,
  type ReadingPolicy,
  type TouReadings,
  type TouRegister,
} from '../../../shared/readings';
import { addMonths, daysBetween, type DateString, type Period } from '../../../shared/time';
import type { Unit } from '../audit/record';
import { uuidv7 } from '../db/ids';
import { ParallelRead, type StoreFile } from '../db/parallelRead';
import { insertRows } from '../db/insertRows';
import { sql, type SqlArg, type SqlFragment } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError, refuse } from '../errors';
import { assertMayEnterInBook, mayCorrectClosedPeriod, type EntryActor } from './access';
import { periodPublished, refreshDueRows } from './due';
import { policyInForce } from './policy';
import { parseJson, type Registers } from './rows';

export interface EntryInput {
  period: Period;
  pointId: string;
  kind: ReadingKind;
  /** 止码 as typed (not for no access). */
  value?: string | undefined;
  registers?: Partial<Record<TouRegister, string>> | undefined;
  readingDate: DateString;
  reason: string;
  confirmedRollover: boolean;
  /** The reading in force this one corrects; null for the first reading of the period. */
  supersedes: string | null;
  source: 'keyboard' | 'import' | 'remote';
  /** Who read the meter in the field (the handheld file's reader); defaults to whoever enters it. */
  readBy?: string | null | undefined;
}

export interface DueContext {
  period: string;
  period_status: 'open' | 'closed';
  point_id: string;
  book_id: string;
  book_no: string;
  reader_id: string | null;
  reading_day: number;
  account_no: string;
}

export interface MeterRow {
  id: string;
  meter_no: string;
  digits: number;
  multiplier: number;
  tou: number;
  install_date: string;
  start_reading: number;
  start_registers: string | null;
  removed_date: string | null;
  final_reading: number | null;
  replaced_by: string | null;
}

export interface HistoryRow {
  id: string;
  period: string;
  kind: ReadingKind;
  value: number | null;
  registers: string | null;
  consumption: number | null;
  reading_date: string;
  previous_date: string | null;
  meter_id: string;
  multiplier: number | null;
  entered_by_name: string | null;
  entered_at: number;
}

/** Everything a reading row holds, ready to insert. */
export interface EntryPlan {
  id: string;
  period: string;
  pointId: string;
  bookNo: string;
  accountNo: string;
  meterId: string;
  meterNo: string;
  readingDate: string;
  kind: ReadingKind;
  value: number | null;
  registers: Registers | null;
  previousValue: number | null;
  previousDate: string | null;
  multiplier: number;
  consumption: number | null;
  touConsumption: Registers | null;
  rollover: boolean;
  flags: ReadingFlag[];
  needsReview: boolean;
  reason: string;
  supersedes: string | null;
  source: EntryInput['source'];
  enteredBy: string | null;
  enteredByName: string | null;
  readBy: string | null;
  replacedMeterId: string | null;
}

export type Prepared =
  | { outcome: 'saved'; plan: EntryPlan }
  | Extract<EntryOutcome, { outcome: 'confirm' }>
  | Extract<EntryOutcome, { outcome: 'refused' }>;

/** The registers a TOU meter has: those its start registers name, else peak/flat/valley. */
export function registerNamesOf(meter: Pick<MeterRow, 'tou' | 'start_registers'>): TouRegister[] {
  if (!meter.tou) return [];
  const start = parseJson<Registers>(meter.start_registers);
  const named = start ? TOU_REGISTERS.filter((r) => r in start) : [];
  return named.length > 0 ? named : ['peak', 'flat', 'valley'];
}

/**
 * Months of history a reading is checked against: the recent read periods the policy averages,
 * with room for estimated and no-access months among them, and the zero and estimate runs; the
 * same month last year is read besides. (Older readings are read only for a 起码 not found here.)
 */
export function historyMonths(policy: ReadingPolicy): number {
  return Math.max(6, policy.historyPeriods + 3, policy.zeroRunForSiteVisit, policy.consecutiveEstimates);
}
/** Points per query when contexts are loaded in bulk (an import). */
const POINTS_PER_QUERY = 1000;

/** What checking one reading needs to know, read from the store (or kept in memory by the demo). */
export interface EntryContext {
  due: DueContext;
  /** Every meter that was ever on the point (the installed one has no removed_date). */
  meters: MeterRow[];
  /** The point's readings in force up to and including the period, newest first. */
  history: HistoryRow[];
}

// Who entered it is needed only for this period's reading (the "already entered by …" answer).
// Read as arrays, the columns in the order `historyRow` takes them: on another thread too.
const historyColumns = (period: string) => sql`
  r.point_id, r.id, r.period, r.kind, r.value, r.registers, r.consumption, r.reading_date, r.previous_date, r.meter_id, r.multiplier,
  CASE WHEN r.period = ${period} THEN (SELECT s.name FROM staff s WHERE s.id = r.entered_by) END AS entered_by_name, r.entered_at`;

type HistoryArray = [string, string, string, ReadingKind, number | null, string | null, number | null, string, string | null, string, number | null, string | null, number];

function historyRow(row: unknown[]): [pointId: string, row: HistoryRow] {
  const [pointId, id, period, kind, value, registers, consumption, readingDate, previousDate, meterId, multiplier, enteredByName, enteredAt] = row as HistoryArray;
  return [
    pointId,
    { id, period, kind, value, registers, consumption, reading_date: readingDate, previous_date: previousDate, meter_id: meterId, multiplier, entered_by_name: enteredByName, entered_at: enteredAt },
  ];
}

/** Points from which an import's history is read on two threads (a thread costs more than it saves on a book). */
export const PARALLEL_HISTORY_FROM = 5000;

/**
 * What `loadEntryContexts` reads, chunk by chunk of points: the due rows and meters, and each
 * point's readings in force over the checks' window (the history, most of the reading).
 */
function contextReads(period: string, pointIds: readonly string[], policy: ReadingPolicy, perQuery = POINTS_PER_QUERY) {
  const since = addMonths(period, -historyMonths(policy));
  const lastYear = addMonths(period, -12);
  const chunks: SqlFragment[] = [];
  for (let i = 0; i < pointIds.length; i += perQuery) chunks.push(sql.list(pointIds.slice(i, i + perQuery)));
  return {
    since,
    chunks,
    history: chunks.map(
      (ids) => sql`
        SELECT ${historyColumns(period)}
        FROM readings r
        WHERE r.point_id IN ${ids} AND ((r.period <= ${period} AND r.period >= ${since}) OR r.period = ${lastYear})
          AND NOT EXISTS (SELECT 1 FROM readings x WHERE x.supersedes = r.id)
        ORDER BY r.point_id, r.period DESC`,
    ),
  };
}

/** The due points of the chunks with their meters, no history yet. */
function dueContexts(db: ReadableDB, period: string, chunks: readonly SqlFragment[]): Map<string, EntryContext> {
  const contexts = new Map<string, EntryContext>();
  for (const ids of chunks) {
    for (const due of db.all<DueContext>(sql`
      SELECT d.period, p.status AS period_status, d.point_id, d.book_id, b.book_no, b.reader_id, b.reading_day, c.account_no
      FROM reading_due d
      JOIN reading_periods p ON p.period = d.period
      JOIN books b ON b.id = d.book_id
      JOIN metering_points pt ON pt.id = d.point_id
      JOIN customers c ON c.id = pt.customer_id
      WHERE d.period = ${period} AND d.point_id IN ${ids} AND ${periodPublished(period)}`)) {
      contexts.set(due.point_id, { due, meters: [], history: [] });
    }
    for (const m of db.all<MeterRow & { point_id: string }>(sql`
      SELECT point_id, id, meter_no, digits, multiplier, tou, install_date, start_reading, start_registers, removed_date, final_reading, replaced_by
      FROM meters WHERE point_id IN ${ids}`)) {
      contexts.get(m.point_id)?.meters.push(m);
    }
  }
  return contexts;
}

/** Adds one history query's rows (each point's rows newest first, all in one query). */
function addHistory(contexts: Map<string, EntryContext>, rows: readonly unknown[][]): void {
  for (const row of rows) {
    const [pointId, history] = historyRow(row);
    contexts.get(pointId)?.history.push(history);
  }
}

/** 起码 older than the window (a meter unread for over a year): the latest reading in force, however old. */
function addOlder(db: ReadableDB, contexts: Map<string, EntryContext>, period: string, since: string): void {
  for (const [pointId, context] of contexts) {
    if (context.history.some((h) => h.period >= since && h.period < period && h.kind !== 'no_access')) continue;
    const older = db.rows(sql`
      SELECT ${historyColumns(period)}
      FROM readings r
      WHERE r.point_id = ${pointId} AND r.period < ${since} AND r.kind <> 'no_access'
        AND NOT EXISTS (SELECT 1 FROM readings x WHERE x.supersedes = r.id)
      ORDER BY r.period DESC LIMIT 1`)[0];
    if (!older) continue;
    const [, row] = historyRow(older);
    if (context.history.some((h) => h.id === row.id)) continue;
    context.history.push(row);
    context.history.sort((a, b) => (a.period < b.period ? 1 : a.period > b.period ? -1 : 0));
  }
}

/**
 * Reads what `planEntry` needs for these points in one period: a few queries for any number of
 * points (the keyboard's one reading, an import's twenty thousand). Points not due are missing.
 */
export function loadEntryContexts(db: ReadableDB, period: string, pointIds: readonly string[], policy: ReadingPolicy): Map<string, EntryContext> {
  const reads = contextReads(period, pointIds, policy);
  const contexts = dueContexts(db, period, reads.chunks);
  for (const query of reads.history) addHistory(contexts, db.rows(query));
  addOlder(db, contexts, period, reads.since);
  return contexts;
}

export interface AlongsideOptions {
  /** Overrides PARALLEL_HISTORY_FROM (tests). */
  parallelFrom?: number;
  /** Overrides POINTS_PER_QUERY (tests: several chunks from a few points). */
  pointsPerQuery?: number;
  /** Told whether the other thread read its share. */
  report?: { twoThreads: boolean };
}

/**
 * `loadEntryContexts` for an import's many points: from `parallelFrom` points the history of most
 * chunks is read on a second thread (parallelRead.ts) while this one reads the due rows, the
 * meters and the rest. The same contexts; if the thread fails, this thread reads its share.
 */
export async function loadEntryContextsAlongside(
  db: ReadableDB,
  store: StoreFile,
  period: string,
  pointIds: readonly string[],
  policy: ReadingPolicy,
  options: AlongsideOptions = {},
): Promise<Map<string, EntryContext>> {
  if (options.report) options.report.twoThreads = false;
  if (pointIds.length < (options.parallelFrom ?? PARALLEL_HISTORY_FROM)) return loadEntryContexts(db, period, pointIds, policy);
  const reads = contextReads(period, pointIds, policy, options.pointsPerQuery);
  // This thread also reads the due rows and meters (about a quarter of the work): it keeps 40%
  // of the history, the other thread takes the rest.
  const kept = Math.floor(reads.history.length * 0.4);
  const alongside = ParallelRead.start(store, reads.history.slice(kept));
  const contexts = dueContexts(db, period, reads.chunks);
  for (const query of reads.history.slice(0, kept)) addHistory(contexts, db.rows(query));
  for (const rows of await alongside.rowsOf(db)) addHistory(contexts, rows);
  if (options.report) options.report.twoThreads = alongside.helped;
  addOlder(db, contexts, period, reads.since);
  return contexts;
}

/**
 * Runs the checks for one reading without writing anything. Throws AppError for what no
 * check can settle (not your book, period closed, already entered, a missing reason); answers
 * refused/confirm for what the reader typed.
 */
export function prepareEntry(db: ReadableDB, actor: EntryActor, input: EntryInput, today: DateString): Prepared {
  const policy = policyInForce(db, input.readingDate);
  const context = loadEntryContexts(db, input.period, [input.pointId], policy).get(input.pointId);
  if (!context) throw new AppError('not_found', 'reading.notDue', { period: input.period });
  return planEntry(context, policy, actor, input, today);
}

/** The pure part of `prepareEntry`: the rules and the checks on a loaded context. */
export function planEntry(context: EntryContext, policy: ReadingPolicy, actor: EntryActor, input: EntryInput, today: DateString): Prepared {
  const { due, meters, history } = context;
  if (due.period_status === 'closed' && !(input.supersedes && mayCorrectClosedPeriod(actor))) {
    throw refuse('reading.periodClosed', { period: input.period });
  }
  assertMayEnterInBook(actor, { readerId: due.reader_id, bookNo: due.book_no });

  const inForce = history[0]?.period === input.period ? history[0] : undefined;
  if (input.supersedes === null && inForce) {
    throw new AppError('conflict', 'reading.alreadyEntered', { who: inForce.entered_by_name ?? '—', at: inForce.reading_date });
  }
  if (input.supersedes !== null && inForce?.id !== input.supersedes) throw new AppError('conflict', 'reading.changedMeanwhile');
  const reason = input.reason.trim();
  if (input.supersedes !== null && !reason) throw refuse('reading.correctionReasonRequired');
  if (input.kind !== 'actual' && !reason) throw refuse(input.kind === 'estimated' ? 'reading.estimateReasonRequired' : 'reading.noAccessReasonRequired');
  if (input.readingDate > today) throw refuse('reading.dateInFuture', { date: input.readingDate });

  const meter = meters.find((m) => m.removed_date === null);
  if (!meter) throw refuse('reading.noMeter');

  // 起码: the latest reading in force of an earlier period that was read or estimated.
  const earlier = history.filter((h) => h.period < input.period);
  const last = earlier.find((h) => h.kind !== 'no_access' && h.value !== null);
  const previous = last
    ? { reading: last.value ?? 0, date: last.reading_date, multiplier: last.multiplier, meterId: last.meter_id, registers: parseJson<Registers>(last.registers) }
    : { reading: meter.start_reading, date: meter.install_date, multiplier: null, meterId: meter.id, registers: parseJson<Registers>(meter.start_registers) };

  // 换表 since the previous reading: the old meter's final reading counts too.
  let replacement = null;
  let replacedMeterId: string | null = null;
  if (previous.meterId !== meter.id) {
    const old = meters.find((m) => m.id === previous.meterId);
    if (!old || old.replaced_by !== meter.id) {
      const since = meters.filter((m) => m.id === previous.meterId || m.install_date > previous.date);
      since.sort((a, b) => a.install_date.localeCompare(b.install_date));
      throw refuse('reading.replacementChain', { meters: since.map((m) => m.meter_no).join(' → ') });
    }
    if (old.final_reading === null) throw refuse('reading.replacementIncomplete', { meterNo: old.meter_no });
    replacement = { oldFinal: old.final_reading, oldMultiplier: old.multiplier, oldDigits: old.digits, newStart: meter.start_reading };
    replacedMeterId = old.id;
  }

  const base = {
    id: uuidv7(),
    period: input.period,
    pointId: input.pointId,
    bookNo: due.book_no,
    accountNo: due.account_no,
    meterId: meter.id,
    meterNo: meter.meter_no,
    readingDate: input.readingDate,
    kind: input.kind,
    previousValue: previous.reading,
    previousDate: previous.date,
    multiplier: meter.multiplier,
    reason,
    supersedes: input.supersedes,
    source: input.source,
    enteredBy: actor.staff?.id ?? null,
    enteredByName: actor.staff?.name ?? null,
    readBy: input.readBy ?? actor.staff?.id ?? null,
    replacedMeterId,
  };

  if (input.kind === 'no_access') {
    // 未抄到: a mark with its reason; nothing to check and nothing to bill this period.
    const plan: EntryPlan = { ...base, value: null, registers: null, consumption: null, touConsumption: null, rollover: false, flags: [], needsReview: false };
    return { outcome: 'saved', plan };
  }

  // 分时 registers as typed: every register of a TOU meter for an actual reading.
  const names = registerNamesOf(meter);
  const typed = input.registers ?? {};
  if (names.length === 0 && Object.values(typed).some((v) => v !== undefined && v !== '')) throw refuse('reading.notTou');
  const registers: Registers = {};
  for (const name of names) {
    const text = typed[name];
    if (text === undefined || text === '') {
      if (input.kind === 'actual') throw refuse(`reading.registerMissing.${name}`);
      continue;
    }
    registers[name] = parseCenti(text);
  }
  const hasRegisters = Object.keys(registers).length > 0;
  let tou: TouReadings | null = null;
  if (hasRegisters && !replacement && previous.registers && names.every((n) => registers[n] !== undefined && previous.registers?.[n] !== undefined)) {
    const pair = (n: TouRegister) => ({ previous: previous.registers?.[n] ?? 0, current: registers[n] ?? 0 });
    tou = { peak: pair('peak'), flat: pair('flat'), valley: pair('valley') };
    if (names.includes('criticalPeak')) tou.criticalPeak = pair('criticalPeak');
    if (names.includes('deepValley')) tou.deepValley = pair('deepValley');
  }

  // History for the high/low, zero-run and estimation checks: periods read or estimated.
  const periods: HistoryPeriod[] = [];
  for (const h of earlier) {
    if (h.kind === 'no_access' || h.consumption === null || !h.previous_date) continue;
    const days = daysBetween(h.previous_date, h.reading_date);
    if (days > 0) periods.push({ period: h.period, consumption: h.consumption, days, estimated: h.kind === 'estimated' });
  }
  const lastYear = addMonths(input.period, -12);
  const value = parseCenti(input.value ?? '');
  const result = checkReading(
    {
      previous: { reading: previous.reading, date: previous.date, multiplier: previous.multiplier },
      current: { reading: value, date: input.readingDate, estimated: input.kind === 'estimated' },
      multiplier: meter.multiplier,
      digits: meter.digits,
      tou,
      history: periods,
      sameMonthLastYear: periods.find((h) => h.period === lastYear) ?? null,
      replacement,
      bookDay: due.reading_day,
      period: input.period,
      confirmedRollover: input.confirmedRollover,
    },
    policy,
  );
  if (result.errors.length > 0) return { outcome: 'refused', errors: result.errors };
  if (result.needsConfirmation) return { outcome: 'confirm', consumption: result.needsConfirmation.consumption, wraps: result.needsConfirmation.wraps };
  const plan: EntryPlan = {
    ...base,
    value,
    registers: hasRegisters ? registers : null,
    consumption: result.consumption,
    touConsumption: result.touConsumption ?? null,
    rollover: result.flags.some((f) => f.code === 'rollover'),
    flags: result.flags,
    needsReview: needsReview(result.flags),
  };
  return { outcome: 'saved', plan };
}

const INSERT_READINGS = sql`
  INSERT INTO readings (id, station_id, period, point_id, meter_id, reading_date, kind, value, registers, previous_value,
                        consumption, tou_consumption, rollover, flags, needs_review, reason, supersedes, source, entered_by,
                        entered_at, previous_date, multiplier, read_by, replaced_meter_id)`;

/** A prepared reading's row, in INSERT_READINGS order. */
function readingRow(unit: Unit, plan: EntryPlan): SqlArg[] {
  const registers = plan.registers ? JSON.stringify(plan.registers) : null;
  const touConsumption = plan.touConsumption ? JSON.stringify(plan.touConsumption) : null;
  return [plan.id, unit.stationId(), plan.period, plan.pointId, plan.meterId, plan.readingDate, plan.kind,
    plan.value, registers, plan.previousValue, plan.consumption, touConsumption, plan.rollover, JSON.stringify(plan.flags),
    plan.needsReview, plan.reason, plan.supersedes, plan.source, plan.enteredBy, unit.at,
    plan.previousDate, plan.multiplier, plan.readBy, plan.replacedMeterId];
}

/** The reading as it travels to head office (the view `commitEntry` returns adds what the screen shows). */
function storedReading(plan: EntryPlan, at: number) {
  return {
    id: plan.id,
    period: plan.period,
    pointId: plan.pointId,
    meterId: plan.meterId,
    readingDate: plan.readingDate,
    kind: plan.kind,
    value: plan.value,
    registers: plan.registers,
    previousValue: plan.previousValue,
    previousDate: plan.previousDate,
    multiplier: plan.multiplier,
    consumption: plan.consumption,
    touConsumption: plan.touConsumption,
    rollover: plan.rollover,
    flags: plan.flags,
    needsReview: plan.needsReview,
    reason: plan.reason,
    supersedes: plan.supersedes,
    source: plan.source,
    enteredBy: plan.enteredBy,
    readBy: plan.readBy,
    replacedMeterId: plan.replacedMeterId,
    enteredAt: at,
  };
}

/**
 * Writes many prepared readings (a handheld import's commit) in a few multi-row statements, each
 * to the outbox; the caller audits the batch once. The same rows and payloads as `commitEntry`
 * with `bulk`, one at a time.
 */
export function commitEntries(unit: Unit, plans: readonly EntryPlan[]): void {
  insertRows(unit, INSERT_READINGS, plans.map((plan) => readingRow(unit, plan)));
  unit.outboxAll(plans.map((plan) => ({ entity: 'reading', entityId: plan.id, op: 'insert' as const, payload: storedReading(plan, unit.at) })));
  // A corrected earlier period changes the 起码 of the open period that follows it.
  for (const plan of plans) if (plan.supersedes) refreshDueRows(unit, [plan.pointId], plan.period);
}

/** Writes a prepared reading with its audit and outbox rows (inside the caller's unit); `bulk`: outbox only. */
export function commitEntry(unit: Unit, plan: EntryPlan, bulk = false): ReadingView {
  unit.run(sql`${INSERT_READINGS} VALUES ${sql.rows([readingRow(unit, plan)])}`);
  const stored = storedReading(plan, unit.at);
  const change = { entity: 'reading', entityId: plan.id, op: 'insert' as const, payload: stored };
  // A handheld import or the demo is audited once for its batch; each reading goes to the outbox.
  if (bulk) unit.outbox(change);
  else {
    unit.record({
      ...change,
      action: plan.supersedes ? 'reading.correct' : 'reading.enter',
      summary: {
        period: plan.period,
        book: plan.bookNo,
        account: plan.accountNo,
        meter: plan.meterNo,
        kind: plan.kind,
        ...(plan.value !== null ? { value: formatCenti(plan.value) } : {}),
        ...(plan.consumption !== null ? { kWh: formatCenti(plan.consumption) } : {}),
        ...(plan.flags.length ? { flags: plan.flags.map((f) => f.code) } : {}),
        ...(plan.reason ? { reason: plan.reason } : {}),
        ...(plan.supersedes ? { supersedes: plan.supersedes } : {}),
      },
    });
  }
  // A corrected earlier period changes the 起码 of the open period that follows it.
  if (plan.supersedes) refreshDueRows(unit, [plan.pointId], plan.period);
  return {
    ...stored,
    meterNo: plan.meterNo,
    superseded: false,
    enteredByName: plan.enteredByName,
    review: null,
    status: readingStatus(plan, null),
  };
}

/** Checks and saves one reading in the caller's unit: saved, a rollover to confirm, or refused. */
export function enterReading(unit: Unit, actor: EntryActor, input: EntryInput, today: DateString): EntryOutcome {
  const prepared = prepareEntry(unit, actor, input, today);
  if (prepared.outcome !== 'saved') return prepared;
  return { outcome: 'saved', reading: commitEntry(unit, prepared.plan) };
}
