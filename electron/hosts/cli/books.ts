import type { BookPointView, BookView, EntryOutcome } from '../../../shared/contract';
import { formatCenti } from '../../../shared/money';
import { flagMessage, READING_KINDS } from '../../../shared/readings';
import { shanghaiDate } from '../../../shared/time';
import { EXIT_BAD_INPUT, InputError, UsageError, type CliCommand, type CliContext, say } from './context';
import { bookByNo, cols, dateOf, flag, intOf, label, periodOf, staffByNo, str, table, text } from './helpers';

// Reading books and points (抄表本与计量点) and the period on the command line: make a book, give
// it a reader and a reading day, put meters into it and order them, see where a period stands,
// and type in one reading as the entry grid does. Same channels as the books and entry screens.

function bookLine(cli: CliContext, b: BookView): string {
  return cli.t('cli.books.line', { bookNo: b.bookNo, name: b.name, reader: b.readerNo ? `${b.readerNo} ${b.readerName ?? ''}`.trim() : '—', day: b.readingDay, points: b.points, inactive: b.active ? '' : cli.t('cli.staff.inactive') });
}

/**
 * Metering points named the way a clerk knows them: account numbers (户号, every installed meter
 * of the customer) or meter numbers (表号).
 */
async function pointsOf(cli: CliContext, names: string[]): Promise<string[]> {
  const { rows: unassigned } = await cli.invoke('books.unassigned', { limit: 5000 });
  const ids: string[] = [];
  for (const name of names) {
    const key = name.toUpperCase();
    const loose = unassigned.filter((p) => p.accountNo.toUpperCase() === key || (p.meterNo ?? '').toUpperCase() === key);
    if (loose.length) {
      ids.push(...loose.map((p) => p.pointId));
      continue;
    }
    // In another book already: the customer file has its points.
    const detail = await cli.invoke('customers.get', { accountNo: name }).catch(() => undefined);
    const points = detail?.points.filter((p) => p.active && p.meters.some((m) => m.removedDate === null)) ?? [];
    if (!points.length) throw new InputError(cli.t('cli.noPoint', { what: name }));
    ids.push(...points.map((p) => p.id));
  }
  return [...new Set(ids)];
}

function pointRow(p: BookPointView): string[] {
  return [String(p.seq ?? ''), p.accountNo, p.customerName, p.meterNo ?? '—', p.pointLabel, p.address];
}

function outcomeText(cli: CliContext, outcome: EntryOutcome): string {
  if (outcome.outcome === 'saved') {
    const r = outcome.reading;
    const flags = r.flags.map((f) => `  ! ${flagMessage(cli.locale, f)}`);
    const kwh = r.consumption === null ? '' : cli.t('cli.entry.kwh', { kwh: formatCenti(r.consumption) });
    return [cli.t('cli.entry.saved', { meter: r.meterNo, period: r.period, value: formatCenti(r.value ?? 0), kind: label(cli, 'reading.kind', r.kind), kwh, review: r.needsReview ? cli.t('cli.entry.awaits') : '' }), ...flags].join('\n');
  }
  if (outcome.outcome === 'confirm') return cli.t('cli.entry.rollover', { kwh: formatCenti(outcome.consumption) });
  return [cli.t('cli.refused'), ...outcome.errors.map((e) => `  ${flagMessage(cli.locale, e)}`)].join('\n');
}

export const booksCommands: CliCommand[] = [
  {
    name: 'books create',
    summary: 'Create a reading book (抄表本) with its reading day and reader',
    usage: '--name NAME --day 1-31 [--reader STAFF_NO] [--book-no BOOK_NO]',
    options: { name: text, day: text, reader: text, 'book-no': text },
    channels: ['books.create', 'staff.directory'],
    json: '{ book: { id, bookNo, name, readerId, readerNo, readerName, readingDay, active, points } }',
    async run(cli, v) {
      const name = str(v, 'name');
      const day = str(v, 'day');
      if (!name || !day) throw new UsageError(say('cli.err.needs', { what: '--name NAME --day 1-31' }));
      const reader = str(v, 'reader');
      const bookNo = str(v, 'book-no');
      const { book } = await cli.invoke('books.create', {
        name,
        readingDay: intOf(day, '--day', 1, 31),
        readerId: reader ? (await staffByNo(cli, reader)).id : null,
        ...(bookNo ? { bookNo } : {}),
      });
      cli.print({ book }, () => cli.t('cli.books.created', { line: bookLine(cli, book), bookNo: book.bookNo }));
    },
  },
  {
    name: 'books update',
    summary: 'Change a book\'s name, reader or reading day, or deactivate it',
    usage: 'BOOK_NO [--name NAME] [--day 1-31] [--reader STAFF_NO|none] [--inactive|--active]',
    options: { name: text, day: text, reader: text, inactive: flag, active: flag },
    positionals: [1, 1],
    channels: ['books.list', 'books.update', 'staff.directory'],
    json: '{ book }',
    async run(cli, v, [bookNo = '']) {
      const target = await bookByNo(cli, bookNo, false);
      const name = str(v, 'name');
      const day = str(v, 'day');
      const reader = str(v, 'reader');
      if (v.inactive && v.active) throw new UsageError(say('cli.err.notBoth', { a: '--inactive', b: '--active' }));
      const { book } = await cli.invoke('books.update', {
        bookId: target.id,
        ...(name ? { name } : {}),
        ...(day ? { readingDay: intOf(day, '--day', 1, 31) } : {}),
        ...(reader ? { readerId: reader === 'none' ? null : (await staffByNo(cli, reader)).id } : {}),
        ...(v.inactive ? { active: false } : v.active ? { active: true } : {}),
      });
      cli.print({ book }, () => bookLine(cli, book));
    },
  },
  {
    name: 'books show',
    summary: 'A book and its meters in reading order (抄表序号)',
    usage: 'BOOK_NO',
    positionals: [1, 1],
    channels: ['books.list', 'books.get'],
    json: '{ book, points: [{ pointId, seq, customerId, accountNo, customerName, address, pointLabel, meterNo }] }',
    async run(cli, _v, [bookNo = '']) {
      const result = await cli.invoke('books.get', { bookId: (await bookByNo(cli, bookNo, false)).id });
      cli.print(result, () => [bookLine(cli, result.book), table([cols(cli, 'cli.books.pointCols'), ...result.points.map(pointRow)])].join('\n'));
    },
  },
  {
    name: 'books add',
    summary: 'Put meters into a book, at its end (out of the book that held them): by account or meter number, or every meter in no book',
    usage: 'BOOK_NO [ACCOUNT_OR_METER_NO …] [--unassigned]',
    options: { unassigned: flag },
    positionals: [1, 5000],
    channels: ['books.list', 'books.unassigned', 'customers.get', 'books.movePoints'],
    json: '{ book, moved }',
    async run(cli, v, [bookNo = '', ...names]) {
      const book = await bookByNo(cli, bookNo, false);
      let pointIds: string[];
      if (v.unassigned === true) {
        if (names.length) throw new UsageError(say('cli.err.notBoth', { a: '--unassigned', b: 'ACCOUNT…' }));
        pointIds = (await cli.invoke('books.unassigned', { limit: 5000 })).rows.map((p) => p.pointId);
        if (pointIds.length === 0) {
          cli.print({ book, moved: 0 }, () => cli.t('cli.books.allInBook'));
          return;
        }
      } else {
        if (!names.length) throw new UsageError(say('cli.err.eitherOf', { a: 'ACCOUNT|METER…', b: '--unassigned' }));
        pointIds = await pointsOf(cli, names);
      }
      const moved = await cli.invoke('books.movePoints', { pointIds, toBookId: book.id });
      cli.print({ book: moved.book, moved: pointIds.length }, () => cli.t('cli.books.moved', { count: pointIds.length, line: bookLine(cli, moved.book) }));
    },
  },
  {
    name: 'books reorder',
    summary: 'Set the reading order: the meters named come first, in that order; the rest follow as they were',
    usage: 'BOOK_NO ACCOUNT_OR_METER_NO …',
    positionals: [2, 5000],
    channels: ['books.list', 'books.get', 'books.reorder'],
    json: '{ book }',
    async run(cli, _v, [bookNo = '', ...names]) {
      const book = await bookByNo(cli, bookNo, false);
      const { points } = await cli.invoke('books.get', { bookId: book.id });
      const first: string[] = [];
      for (const name of names) {
        const key = name.toUpperCase();
        const hits = points.filter((p) => p.accountNo.toUpperCase() === key || (p.meterNo ?? '').toUpperCase() === key);
        if (!hits.length) throw new InputError(say('cli.err.notInBook', { name, book: book.bookNo }));
        first.push(...hits.map((p) => p.pointId));
      }
      const order = [...new Set([...first, ...points.map((p) => p.pointId)])];
      const result = await cli.invoke('books.reorder', { bookId: book.id, pointIds: order });
      cli.print(result, () => cli.t('cli.books.reordered', { bookNo: result.book.bookNo, count: order.length }));
    },
  },
  {
    name: 'books unassigned',
    summary: 'Installed meters that are in no active book (they are not read until they are)',
    usage: '[--limit N]',
    options: { limit: text },
    channels: ['books.unassigned'],
    json: '{ total, rows: [{ pointId, accountNo, customerName, address, pointLabel, meterNo }] }',
    async run(cli, v) {
      const limit = str(v, 'limit');
      const result = await cli.invoke('books.unassigned', { limit: limit ? intOf(limit, '--limit', 1, 5000) : 500 });
      cli.print(result, () =>
        result.total === 0
          ? cli.t('cli.books.allAssigned')
          : [cli.t('cli.books.unassigned', { count: result.total }), table([cols(cli, 'cli.books.pointCols'), ...result.rows.map(pointRow)])].join('\n'),
      );
    },
  },
  {
    name: 'period list',
    summary: 'Reading periods with their state and counts (due, entered, awaiting review)',
    channels: ['periods.list'],
    json: '{ rows: [{ period, status, openedAt, openedByName, closedAt, closedByName, due, entered, awaitingReview }] }',
    async run(cli) {
      const { rows } = await cli.invoke('periods.list', {});
      cli.print({ rows }, () =>
        rows.length ? table([cols(cli, 'cli.period.cols'), ...rows.map((r) => [r.period, label(cli, 'cli.period.status', r.status), String(r.due), String(r.entered), String(r.awaitingReview)])]) : cli.t('cli.period.none'),
      );
    },
  },
  {
    name: 'period status',
    summary: 'Where a period stands, book by book: entered, estimated, no access, flagged, to review, late',
    usage: 'YYYY-MM',
    positionals: [1, 1],
    channels: ['readings.overview'],
    json: '{ period, today, books: [{ bookNo, due, entered, actual, estimated, noAccess, flagged, reviewed, awaitingReview, complete, late, … }], notRead, readers }',
    async run(cli, _v, [period]) {
      const o = await cli.invoke('readings.overview', { period: periodOf(period, 'period') });
      cli.print(o, () =>
        [
          cli.t('cli.period.overview', { period: o.period.period, status: label(cli, 'cli.period.status', o.period.status), entered: o.period.entered, due: o.period.due, review: o.period.awaitingReview }),
          table([
            cols(cli, 'cli.period.bookCols'),
            ...o.books.map((b) => [b.bookNo, b.readerName ?? '—', b.scheduledDate, String(b.due), String(b.entered), String(b.estimated), String(b.noAccess), String(b.awaitingReview), b.complete ? cli.t('cli.period.complete') : b.late ? cli.t('cli.period.late') : '']),
          ]),
          ...(o.notRead.total ? [cli.t('cli.period.notRead', { count: o.notRead.total }), ...o.notRead.rows.slice(0, 20).map((r) => `  ${r.bookNo}#${r.seq} ${r.accountNo} ${r.customerName} ${r.meterNo} ${label(cli, 'reading.status', r.reason)}`)] : []),
        ].join('\n'),
      );
    },
  },
  {
    name: 'readings enter',
    summary: 'Type in one reading (as the entry grid): actual, estimated (with reason) or no access',
    usage: 'ACCOUNT_OR_METER_NO --period YYYY-MM [--value N] [--date YYYY-MM-DD] [--kind actual|estimated|no_access] [--reason TEXT] [--confirm-rollover]',
    options: { period: text, value: text, date: text, kind: text, reason: text, 'confirm-rollover': flag },
    positionals: [1, 1],
    channels: ['readings.list', 'books.list', 'readings.book', 'readings.save'],
    json: '{ outcome: "saved", reading } | { outcome: "confirm", consumption, wraps } | { outcome: "refused", errors }',
    async run(cli, v, [name = '']) {
      const period = periodOf(v.period);
      const kind = str(v, 'kind') ?? 'actual';
      if (!(READING_KINDS as readonly string[]).includes(kind)) throw new UsageError(say('cli.err.oneOf', { what: '--kind', values: READING_KINDS.join(', ') }));
      const { rows } = await cli.invoke('readings.list', { period });
      const key = name.toUpperCase();
      const hits = rows.filter((r) => r.accountNo.toUpperCase() === key || r.meterNo.toUpperCase() === key);
      if (hits.length === 0) throw new InputError(cli.t('cli.noReading', { what: name, period }));
      if (hits.length > 1) throw new InputError(cli.t('cli.manyReadings', { what: name, period }));
      const row = hits[0]!;
      const pointId = await pointIdOf(cli, period, row.bookNo, row.meterNo);
      const value = str(v, 'value');
      const reason = str(v, 'reason');
      const outcome = await cli.invoke('readings.save', {
        period,
        pointId,
        kind: kind as (typeof READING_KINDS)[number],
        ...(value !== undefined ? { value } : {}),
        readingDate: dateOf(str(v, 'date') ?? shanghaiDate(Date.now()), '--date'),
        ...(reason ? { reason } : {}),
        confirmedRollover: v['confirm-rollover'] === true,
        supersedes: row.readingId,
      });
      cli.print(outcome, () => outcomeText(cli, outcome));
      return outcome.outcome === 'saved' ? 0 : EXIT_BAD_INPUT;
    },
  },
];

/** The point a meter is read on in a period, from its book's entry grid. */
async function pointIdOf(cli: CliContext, period: string, bookNo: string, meterNo: string): Promise<string> {
  const book = await bookByNo(cli, bookNo, false);
  const grid = await cli.invoke('readings.book', { period, bookId: book.id });
  const hit = grid.rows.find((r) => r.meterNo === meterNo);
  if (!hit) throw new InputError(cli.t('cli.noReading', { what: meterNo, period }));
  return hit.pointId;
}
