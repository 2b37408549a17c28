// The reading desk's part of the demo station (演示供电所): books for every metering point with
// readers assigned, then month after month opened, read, reviewed and closed — with the things
// a real station sees: seasons, estimates (估抄), locked gates (未抄到), spikes (most accepted,
// some corrected: the error rate), vacant houses with zero runs sent for a site visit, meter
// replacements (换表), among them refurbished meters that roll over (满码翻转). The demo's own
// month is left for the station head to open (the first thing to try on the demo).
//
// Every reading goes through the same rules and writes as the grid (`planEntry`,
// `commitEntry`): the per-point state the store would give `loadEntryContexts` is kept in memory
// so that 13 months of 100,000 meters are made in minutes.
import { formatCenti } from '../../../shared/money';
import { DEFAULT_READING_POLICY, scheduledReadingDate, type TouRegister } from '../../../shared/readings';
import { addDays, addMonths, periodMonth, type DateString } from '../../../shared/time';
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { sql } from '../db/sql';
import type { CallStaff } from '../handler';
import { createBook, movePoints } from './books';
import { commitEntry, planEntry, type DueContext, type EntryInput, type HistoryRow, type MeterRow } from './entry';
import { checkBookForClose, cannotClose, closeCheckedPeriod, dueStatuses, openPeriod, type CloseBlock } from './periods';
import { reviewReading } from './review';
import { yieldToLoop } from '../jobs/runner';
import { DEMO_PACE, writeInSlices } from '../demo/pace';

/** The random source the demo framework hands each step (seeded: the same station every time). */
export interface DemoRandom {
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export interface ReadingDemoOptions {
  /** Months of closed history, ending the month before `asOf`'s. */
  months: number;
  /** The demo's today. */
  asOf: DateString;
}

/** 换表 on the demo station: the customers desk's replacement, called between months. */
export type ReplaceMeter = (r: { pointId: string; date: DateString; oldFinal: string; newMeterNo: string; newStart: string }) => void;

const BOOK_SIZE = 800;
/** Points a book takes per movePoints call (fixed, so the outbox is the same whatever the slices). */
const MOVE_POINTS = 50;

/** Monthly use by season (household heating in winter, cooling in summer). */
const HOUSE_SEASON = [1.3, 1.2, 1.0, 0.9, 0.9, 1.1, 1.5, 1.5, 1.1, 0.9, 1.0, 1.2];
/** Irrigation and drying: summer and autumn. */
const FARM_SEASON = [0.3, 0.3, 0.6, 0.9, 1.2, 1.6, 1.8, 1.7, 1.3, 0.9, 0.5, 0.3];
const NO_ACCESS_REASONS = ['家中无人', '表箱上锁', '有狗无法进院', '雨雪天气无法到达'];

interface PointState {
  pointId: string;
  accountNo: string;
  customerClass: string;
  bookId: string;
  /** kWh centi a month before season and noise. */
  base: number;
  meters: MeterRow[];
  history: HistoryRow[];
  /** Months (index into the history) this house stands empty. */
  vacant: [number, number] | null;
  /** Replaced in this month (index), with a refurbished meter near 99999 when `rollover`. */
  replace: { month: number; rollover: boolean } | null;
}

interface Book {
  id: string;
  bookNo: string;
  readerId: string | null;
  readingDay: number;
}

function staffOf(backend: Backend, role: string): CallStaff[] {
  return backend.store.read
    .all<{ id: string; staff_no: string; name: string }>(sql`
      SELECT s.id, s.staff_no, s.name FROM staff s JOIN staff_roles r ON r.staff_id = s.id AND r.role = ${role}
      WHERE s.active = 1 ORDER BY s.staff_no`)
    .map((s) => ({ id: s.id, staffNo: s.staff_no, name: s.name, roles: [role as CallStaff['roles'][number]], active: true, mustChangePassword: false }));
}

function baseUse(random: DemoRandom, customerClass: string): number {
  const kwh =
    customerClass === 'residential' ? random.int(60, 260) : customerClass === 'commercial' ? random.int(300, 3000) : customerClass === 'agricultural' ? random.int(80, 1200) : random.int(20_000, 80_000);
  return kwh * 100;
}

/**
 * Books by village in address order, up to 800 meters each, readers taking them in turn. Written
 * in slices (demo/pace.ts): a book is made, then its points move in, MOVE_POINTS at a time.
 */
async function makeBooks(backend: Backend, actor: Actor, readers: CallStaff[]) {
  const points = backend.store.read.all<{ point_id: string; account_no: string; customer_class: string; village: string; township: string }>(sql`
    SELECT pt.id AS point_id, c.account_no, c.customer_class, c.village, c.township
    FROM metering_points pt JOIN customers c ON c.id = pt.customer_id
    WHERE pt.active = 1 AND EXISTS (SELECT 1 FROM meters m WHERE m.point_id = pt.id AND m.removed_date IS NULL)
    ORDER BY c.township, c.village, c.transformer_area, c.address_detail, c.account_no`);
  const byVillage = new Map<string, typeof points>();
  for (const p of points) {
    const key = `${p.township}${p.village}`;
    const list = byVillage.get(key);
    if (list) list.push(p);
    else byVillage.set(key, [p]);
  }
  const books: (Book & { pointIds: string[] })[] = [];
  /** What the slices write: each book, then its points a part at a time. */
  const writes: ({ book: { name: string; readerId: string | null; readingDay: number; pointIds: string[] } } | { move: string[]; into: number })[] = [];
  let n = 0;
  for (const [village, members] of byVillage) {
    const parts = Math.ceil(members.length / BOOK_SIZE);
    const size = Math.ceil(members.length / parts);
    for (let part = 0; part < parts; part++) {
      const slice = members.slice(part * size, (part + 1) * size);
      const reader = readers.length ? readers[n % readers.length] : undefined;
      const readingDay = 3 + ((n * 5) % 23); // spread over the 3rd–25th
      const name = parts > 1 ? `${village}${part + 1}本` : `${village}本`;
      const pointIds = slice.map((p) => p.point_id);
      writes.push({ book: { name: name.slice(0, 40), readerId: reader?.id ?? null, readingDay, pointIds } });
      for (let i = 0; i < pointIds.length; i += MOVE_POINTS) writes.push({ move: pointIds.slice(i, i + MOVE_POINTS), into: n });
      n += 1;
    }
  }
  await writeInSlices(backend, actor, writes, (unit, w) => {
    if ('book' in w) {
      const b = createBook(unit, { name: w.book.name, readerId: w.book.readerId, readingDay: w.book.readingDay });
      books.push({ id: b.id, bookNo: b.bookNo, readerId: b.readerId, readingDay: w.book.readingDay, pointIds: w.book.pointIds });
    } else {
      movePoints(unit, w.move, (books[w.into] as Book).id);
    }
  });
  return { books, points };
}

function historyRowOf(r: ReturnType<typeof commitEntry>): HistoryRow {
  return {
    id: r.id,
    period: r.period,
    kind: r.kind,
    value: r.value,
    registers: r.registers ? JSON.stringify(r.registers) : null,
    consumption: r.consumption,
    reading_date: r.readingDate,
    previous_date: r.previousDate,
    meter_id: r.meterId,
    multiplier: r.multiplier,
    entered_by_name: r.enteredByName,
    entered_at: r.enteredAt,
  };
}

export interface ReadingDemoResult {
  books: number;
  readings: number;
  replacements: number;
}

export async function buildReadingDemo(
  backend: Backend,
  actor: Actor,
  options: ReadingDemoOptions,
  random: DemoRandom,
  replaceMeter: ReplaceMeter,
  progress: (done: number, total: number) => Promise<void>,
): Promise<ReadingDemoResult> {
  const readers = staffOf(backend, 'meter_reader');
  const reviewer = staffOf(backend, 'billing_clerk')[0] ?? staffOf(backend, 'station_head')[0];
  if (!reviewer) throw new Error('demo readings: no billing clerk or station head to review');
  const { books, points } = await makeBooks(backend, actor, readers);
  const bookOf = new Map<string, Book>();
  for (const b of books) for (const id of b.pointIds) bookOf.set(id, b);
  const readerById = new Map(readers.map((r) => [r.id, r]));

  const meters = new Map<string, MeterRow[]>();
  for (const m of backend.store.read.all<MeterRow & { point_id: string }>(sql`
    SELECT point_id, id, meter_no, digits, multiplier, tou, install_date, start_reading, start_registers, removed_date, final_reading, replaced_by
    FROM meters`)) {
    const list = meters.get(m.point_id);
    if (list) list.push(m);
    else meters.set(m.point_id, [m]);
  }
  const months = options.months;
  const states: PointState[] = points.map((p) => {
    const installed = (meters.get(p.point_id) ?? []).find((m) => m.removed_date === null);
    const plain = installed !== undefined && !installed.tou && installed.multiplier === 1 && installed.digits === 5;
    const vacantStart = random.int(1, Math.max(1, months - 5));
    return {
      pointId: p.point_id,
      accountNo: p.account_no,
      customerClass: p.customer_class,
      bookId: bookOf.get(p.point_id)?.id ?? '',
      base: baseUse(random, p.customer_class),
      meters: meters.get(p.point_id) ?? [],
      history: [],
      vacant: p.customer_class === 'residential' && random.chance(0.004) ? [vacantStart, vacantStart + random.int(3, 4)] : null,
      replace: plain && random.chance(0.001) ? { month: random.int(2, Math.max(2, months - 2)), rollover: random.chance(0.6) } : null,
    };
  });
  // At least one replacement, and one refurbished meter that rolls over, on any station.
  const plainStates = states.filter((s) => s.meters.some((m) => m.removed_date === null && !m.tou && m.multiplier === 1 && m.digits === 5));
  if (plainStates.length > 1 && !states.some((s) => s.replace?.rollover)) plainStates[0]!.replace = { month: Math.min(3, months - 1), rollover: true };
  if (plainStates.length > 1 && !states.some((s) => s.replace && !s.replace.rollover)) plainStates[1]!.replace = { month: Math.min(4, months - 1), rollover: false };

  const firstPeriod = addMonths(options.asOf.slice(0, 7), -months);
  const total = months * states.length;
  let done = 0;
  let readings = 0;
  let replacements = 0;
  for (let month = 0; month < months; month++) {
    const period = addMonths(firstPeriod, month);
    // 换表 happen between two readings, ten days before this month's book day.
    for (const s of states) {
      if (s.replace?.month !== month) continue;
      const book = bookOf.get(s.pointId);
      const last = s.history.find((h) => h.value !== null);
      const installed = s.meters.find((m) => m.removed_date === null);
      if (!book || !last || !installed || last.value === null) continue;
      const date = addDays(scheduledReadingDate(period, book.readingDay), -10);
      const range = 10 ** installed.digits * 100;
      const oldFinal = Math.min(range - 100, last.value + Math.round(s.base / 3));
      const newStart = s.replace.rollover ? 9_970_000 + random.int(0, 20_000) : 0; // 99,700.00–99,900.00
      replaceMeter({ pointId: s.pointId, date, oldFinal: formatCenti(oldFinal), newMeterNo: `${installed.meter_no}R`, newStart: formatCenti(newStart) });
      s.meters = backend.store.read.all<MeterRow>(sql`
        SELECT id, meter_no, digits, multiplier, tou, install_date, start_reading, start_registers, removed_date, final_reading, replaced_by
        FROM meters WHERE point_id = ${s.pointId}`);
      replacements += 1;
    }
    await openPeriod(backend, actor, period, undefined, { pace: DEMO_PACE });
    const season = periodMonth(period) - 1;
    const flagged: { state: PointState; readingId: string; codes: string[]; normal: string; date: string; correctable: boolean }[] = [];
    // Slices of ~40 ms (demo/pace.ts); the random draws go in the same order whatever the sizes.
    await writeInSlices(
      backend,
      actor,
      states,
      (unit, s) => {
        const book = bookOf.get(s.pointId);
        if (!book) return;
        const date = addDays(scheduledReadingDate(period, book.readingDay), random.int(-1, 2));
        const entry = readingFor(s, period, month, season, date, random);
        if (!entry) return;
        const reader = book.readerId ? readerById.get(book.readerId) ?? null : null;
        const due: DueContext = {
          period,
          period_status: 'open',
          point_id: s.pointId,
          book_id: book.id,
          book_no: book.bookNo,
          reader_id: book.readerId,
          reading_day: book.readingDay,
          account_no: s.accountNo,
        };
        const context = { due, meters: s.meters, history: s.history };
        let prepared = planEntry(context, DEFAULT_READING_POLICY, { staff: reader }, entry.input, options.asOf);
        if (prepared.outcome === 'confirm') prepared = planEntry(context, DEFAULT_READING_POLICY, { staff: reader }, { ...entry.input, confirmedRollover: true }, options.asOf);
        // A generated figure the checks refuse: the reader could not make sense of the meter.
        if (prepared.outcome !== 'saved') prepared = planEntry(context, DEFAULT_READING_POLICY, { staff: reader }, { ...entry.input, kind: 'no_access', value: undefined, registers: undefined, reason: '表计显示异常，待现场核查' }, options.asOf);
        if (prepared.outcome !== 'saved') return;
        const saved = commitEntry(unit, prepared.plan, true);
        s.history = [historyRowOf(saved), ...s.history].slice(0, 15);
        readings += 1;
        // Only an actual reading of a meter without time-of-use registers is corrected by a single figure.
        const correctable = saved.kind === 'actual' && !s.meters.some((m) => m.removed_date === null && m.tou);
        if (saved.needsReview) flagged.push({ state: s, readingId: saved.id, codes: saved.flags.map((f) => f.code), normal: entry.normal, date, correctable });
      },
      { afterSlice: (n) => progress(done + n, total) },
    );
    done += states.length;
    // Review (复核): spikes mostly accepted, some corrected; zero runs sent for a site visit.
    // A review at a time, in slices (issue 18: this was one transaction of the month's reviews and close).
    await writeInSlices(backend, actor, flagged, (unit, f) => {
      const spike = f.codes.includes('high') && f.correctable && random.chance(0.25);
      const decision = spike ? 'correct' : f.codes.includes('zero_run_site_visit') ? 'site_visit' : 'accept';
      const result = reviewReading(
        unit,
        reviewer,
        {
          readingId: f.readingId,
          decision,
          note: decision === 'accept' ? '核实属实' : decision === 'site_visit' ? '连续零电量，安排现场核查' : '与抄表员核对，多抄一位',
          ...(spike ? { correction: { kind: 'actual' as const, value: f.normal, readingDate: f.date, reason: '抄表员多抄一位', confirmedRollover: true } } : {}),
        },
        options.asOf,
      );
      if (result.outcome === 'saved' && result.reading) f.state.history = [historyRowOf(result.reading), ...f.state.history.slice(1)];
    });
    // A correction can carry a warning of its own: the reviewer accepts it (a book's statuses read, then its reviews written).
    for (const book of books) {
      const open = dueStatuses(backend.store.read, period, book.id).filter((due) => due.reading_id && (due.status === 'awaiting_review' || due.status === 'to_correct'));
      if (open.length > 0) await writeInSlices(backend, actor, open, (unit, due) => void reviewReading(unit, reviewer, { readingId: due.reading_id!, decision: 'accept', note: '更正后核实属实' }, options.asOf));
    }
    await closeInParts(backend, actor, period, books);
  }
  return { books: books.length, readings, replacements };
}

/**
 * The month's close (结束抄表期) in parts: each book checked on its own (reads only, a turn of the
 * loop between), then the close written in one short transaction (readings/periods.ts
 * closeCheckedPeriod). The desk's closePeriod does both at once; here the file is the demo's own
 * until the rename, so nothing is written between the checks and the close.
 */
async function closeInParts(backend: Backend, actor: Actor, period: string, books: readonly Book[]): Promise<void> {
  const blocking = new Map<string, CloseBlock>();
  let due = 0;
  const db = backend.store.read;
  for (const book of books) {
    const block = checkBookForClose(db, period, book.id);
    if (block) blocking.set(book.id, block);
    due += db.value<number>(sql`SELECT count(*) FROM reading_due WHERE period = ${period} AND book_id = ${book.id}`) ?? 0;
    await yieldToLoop();
  }
  if (blocking.size > 0) throw cannotClose(db, period, blocking, 'zh-CN');
  backend.write(actor, (unit) => closeCheckedPeriod(unit, period, due));
}

/** This month's reading of one point as a reader would enter it, and its plain value (for corrections). */
function readingFor(s: PointState, period: string, month: number, season: number, date: string, random: DemoRandom): { input: EntryInput; normal: string } | null {
  const meter = s.meters.find((m) => m.removed_date === null);
  if (!meter) return null;
  const last = s.history.find((h) => h.kind !== 'no_access' && h.value !== null);
  const onMeter = !last || last.meter_id === meter.id;
  const previous = last && onMeter ? (last.value ?? 0) : meter.start_reading;
  const previousDate = last ? last.reading_date : meter.install_date;
  const base = { period, pointId: s.pointId, readingDate: date, reason: '', confirmedRollover: false, supersedes: null, source: 'keyboard' as const };
  if (month > 0 && random.chance(0.004)) return { input: { ...base, kind: 'no_access', reason: random.pick(NO_ACCESS_REASONS) }, normal: '' };

  const seasonal = s.customerClass === 'agricultural' ? FARM_SEASON[season] ?? 1 : s.customerClass === 'residential' ? HOUSE_SEASON[season] ?? 1 : 1;
  let use = Math.round(s.base * seasonal * (0.85 + random.int(0, 30) / 100));
  if (s.vacant && month >= s.vacant[0] && month <= s.vacant[1]) use = 0;
  if (!last) {
    // The first reading since the meter was installed covers every month since.
    const days = Math.max(30, (Date.parse(date) - Date.parse(previousDate)) / 86_400_000);
    use = Math.round((use * days) / 30);
  }
  const range = 10 ** meter.digits * 100;
  let advance = Math.round(use / meter.multiplier);
  if (!last) advance = Math.min(advance, Math.round((range - previous) * 0.9));
  const wrap = (v: number) => ((v % range) + range) % range;
  const normalValue = wrap(previous + advance);
  const kind = month > 0 && random.chance(0.008) ? 'estimated' : 'actual';
  // A spike: a digit too many, or a real jump (a new air conditioner, a workshop in the yard) —
  // never one that would carry the register past 10^digits (that is refused as a misreading).
  const jump = advance * random.int(6, 10);
  const spike = kind === 'actual' && month > 1 && use > 0 && previous + jump < range && random.chance(0.002);
  const value = spike ? previous + jump : normalValue;
  const registers: Partial<Record<TouRegister, string>> = {};
  if (meter.tou && kind === 'actual') {
    const prior = (last && onMeter ? (last.registers ? (JSON.parse(last.registers) as Record<string, number>) : null) : null) ?? (meter.start_registers ? (JSON.parse(meter.start_registers) as Record<string, number>) : {});
    const step = value >= previous ? value - previous : value + range - previous;
    const peak = Math.round(step * 0.35);
    const flat = Math.round(step * 0.4);
    const parts: Record<string, number> = { peak, flat, valley: step - peak - flat };
    for (const name of Object.keys(parts) as TouRegister[]) registers[name] = formatCenti(wrap((prior[name] ?? 0) + (parts[name] ?? 0)));
  }
  return {
    input: { ...base, kind, value: formatCenti(value), ...(Object.keys(registers).length ? { registers } : {}), ...(kind === 'estimated' ? { reason: '表箱上锁，按近期用量估抄' } : {}) },
    normal: formatCenti(normalValue),
  };
}
