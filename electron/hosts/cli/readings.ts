import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { BookView, JobKind, JobResultOf, ReadingImportCommitResult, ReadingImportPreview } from '../../../shared/contract';
import { translate } from '../../../shared/i18n';
import { formatCenti } from '../../../shared/money';
import { flagMessage } from '../../../shared/readings';
import { isPeriod } from '../../../shared/time';
import { AppError } from '../../backend/errors';
import { readWorkbookFile } from '../../backend/customers/workbook/refusal';
import { EXIT_BAD_INPUT, InputError, UsageError, type CliCommand, type CliContext, type Values, say } from './context';

// Meter reading on the command line: books, periods, handheld files and the period's readings.

const stringOption = { type: 'string' } as const;
const booleanOption = { type: 'boolean' } as const;

function periodArg(value: unknown, what = '--period'): string {
  if (typeof value !== 'string') throw new UsageError(say('cli.err.needs', { what: `${what} YYYY-MM` }));
  if (!isPeriod(value)) throw new InputError(say('cli.err.badPeriod', { what, value }));
  return value;
}

async function bookByNo(cli: CliContext, bookNo: unknown): Promise<BookView> {
  if (typeof bookNo !== 'string') throw new UsageError(say('cli.err.needs', { what: '--book BOOK_NO' }));
  const { rows } = await cli.invoke('books.list', { includeInactive: true });
  const book = rows.find((b) => b.bookNo.toUpperCase() === bookNo.toUpperCase());
  if (!book) throw new InputError(say('cli.noBook', { book: bookNo }));
  return book;
}

/** Runs a job-starting channel and waits for its result (a refusal comes out in --lang). */
function job<K extends JobKind>(cli: CliContext, kind: K, start: Promise<{ jobId: string }>): Promise<JobResultOf<K>> {
  return cli.job(kind, start);
}

const qty = (value: number | null) => (value === null ? '' : formatCenti(value));

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell + ' '.repeat(Math.max(0, (widths[i] ?? 0) - [...cell].length))).join('  ').trimEnd()).join('\n');
}

function previewReport(cli: CliContext, preview: ReadingImportPreview): string {
  const t = (key: Parameters<typeof translate>[1]) => translate(cli.locale, key);
  const head = cli.t('cli.readings.previewHead', { file: preview.fileName, sheet: preview.sheet, period: preview.period, rows: preview.rows, ok: preview.ok, flagged: preview.flagged, confirm: preview.confirm, errors: preview.errors });
  const lines = preview.lines.map((line) => {
    const what =
      line.status === 'error'
        ? line.errors.map((e) => `${e.column}: ${e.message}`).join('; ')
        : line.status === 'confirm'
          ? `${t('reading.flagShort.rollover')} (${qty(line.consumption)} kWh): --confirm-rollovers`
          : line.flags.map((f) => flagMessage(cli.locale, f)).join('; ');
    return `  ${cli.t('cli.readings.row', { row: line.row })}  ${t(`import.status.${line.status}` as 'import.status.ok')}  ${line.meterNo || line.accountNo}  ${what}`;
  });
  return [head, ...lines].join('\n');
}

export const readingsCommands: CliCommand[] = [
  {
    name: 'books list',
    summary: 'List the reading books with their reader, reading day and number of meters',
    channels: ['books.list'],
    json: '{ rows: [{ id, bookNo, name, readerId, readerNo, readerName, readingDay, active, points }] }',
    usage: '[--all]',
    options: { all: booleanOption },
    async run(cli, v) {
      const { rows } = await cli.invoke('books.list', { includeInactive: v.all === true });
      cli.print({ rows }, () =>
        rows.length === 0
          ? cli.t('cli.books.none')
          : table([
              cli.t('cli.books.cols').split('|'),
              ...rows.map((b) => [b.bookNo, b.name, b.readerNo ? `${b.readerNo} ${b.readerName ?? ''}` : '—', String(b.readingDay), String(b.points), cli.t(b.active ? 'cli.yes' : 'cli.no')]),
            ]),
      );
    },
  },
  {
    name: 'period open',
    summary: 'Open a reading period: the meters due in every book, with their previous reading',
    channels: ['periods.open'],
    json: '{ period, books, due, slices, longestSliceMs }',
    usage: 'YYYY-MM',
    positionals: [1, 1],
    async run(cli, _v, [period]) {
      const result = await job(cli, 'readings.openPeriod', cli.invoke('periods.open', { period: periodArg(period, 'period') }));
      cli.print(result, () => cli.t('cli.period.opened', { period: result.period, due: result.due, books: result.books }));
    },
  },
  {
    name: 'period close',
    summary: 'Close a reading period once every book is complete and reviewed',
    channels: ['periods.close'],
    json: '{ period: { period, status, due, entered, awaitingReview, … } }',
    usage: 'YYYY-MM',
    positionals: [1, 1],
    async run(cli, _v, [period]) {
      const result = await cli.invoke('periods.close', { period: periodArg(period, 'period') });
      cli.print(result, () => cli.t('cli.period.closed', { period: result.period.period, due: result.period.due }));
    },
  },
  {
    name: 'readings import',
    summary: 'Check a handheld workbook (preview); with --commit, save its valid rows',
    channels: ['readings.importPreview', 'readings.importCommit'],
    json: '{ preview: { previewId, rows, ok, flagged, confirm, errors, lines[] }, committed?: { saved, skipped, rolloversConfirmed } }',
    usage: 'FILE.xlsx --period YYYY-MM [--commit] [--confirm-rollovers]',
    options: { period: stringOption, commit: booleanOption, 'confirm-rollovers': booleanOption },
    positionals: [1, 1],
    async run(cli, v: Values, [file]) {
      const period = periodArg(v.period);
      const path = resolve(String(file));
      const bytes = readWorkbookFile(path, String(file));
      const preview = await job(cli, 'readings.importPreview', cli.invoke('readings.importPreview', { period, fileName: basename(path), base64: bytes.toString('base64') }));
      let committed: ReadingImportCommitResult | undefined;
      if (v.commit === true) {
        committed = await job(cli, 'readings.importCommit', cli.invoke('readings.importCommit', { previewId: preview.previewId, confirmRollovers: v['confirm-rollovers'] === true }));
      }
      cli.print({ preview, ...(committed ? { committed } : {}) }, () =>
        [
          previewReport(cli, preview),
          committed
            ? cli.t('cli.readings.saved', { saved: committed.saved, rollovers: committed.rolloversConfirmed, left: committed.skipped + preview.errors })
            : cli.t('cli.readings.previewOnly'),
        ].join('\n'),
      );
      return preview.errors > 0 ? EXIT_BAD_INPUT : 0;
    },
  },
  {
    name: 'readings export',
    summary: 'Write a book\'s handheld workbook (xlsx) for a period',
    channels: ['books.list', 'readings.export'],
    json: '{ file, rows }',
    usage: '--book BOOK_NO --period YYYY-MM --out FILE.xlsx',
    options: { book: stringOption, period: stringOption, out: stringOption },
    async run(cli, v) {
      const period = periodArg(v.period);
      if (typeof v.out !== 'string') throw new UsageError(say('cli.err.needs', { what: '--out FILE.xlsx' }));
      const book = await bookByNo(cli, v.book);
      const file = await cli.invoke('readings.export', { period, bookId: book.id });
      const out = resolve(v.out);
      // Temp file then rename: a half-written workbook never takes the name.
      writeFileSync(`${out}.partial`, Buffer.from(file.base64, 'base64'));
      renameSync(`${out}.partial`, out);
      cli.print({ file: out, rows: file.rows }, () => cli.t('cli.readings.exported', { rows: file.rows, book: book.bookNo, period, out }));
    },
  },
  {
    name: 'readings list',
    summary: 'The period\'s meters with previous and current readings, consumption, status and flags',
    channels: ['books.list', 'readings.list'],
    json: '{ period, rows: [{ book, seq, account, name, meter, previous, current, consumption, kind, status, flags[], readingDate }] } (quantities as decimal text)',
    usage: '--period YYYY-MM [--book BOOK_NO]',
    options: { period: stringOption, book: stringOption },
    async run(cli, v) {
      const period = periodArg(v.period);
      const book = v.book === undefined ? undefined : await bookByNo(cli, v.book);
      const { rows } = await cli.invoke('readings.list', { period, ...(book ? { bookId: book.id } : {}) });
      // Quantities as exact decimal text ("12345.67"), as a person reads them.
      const out = rows.map((r) => ({
        book: r.bookNo,
        seq: r.seq,
        account: r.accountNo,
        name: r.customerName,
        meter: r.meterNo,
        previous: qty(r.previous),
        current: r.current === null ? null : qty(r.current),
        consumption: r.consumption === null ? null : qty(r.consumption),
        kind: r.kind,
        status: r.status,
        flags: r.flags,
        readingDate: r.readingDate,
      }));
      cli.print({ period, rows: out }, () =>
        table([
          cli.t('cli.readings.cols').split('|'),
          ...out.map((r) => [r.book, String(r.seq), r.account, r.meter, r.previous, r.current ?? '', r.consumption ?? '', translate(cli.locale, `reading.status.${r.status}`), r.flags.join(',')]),
        ]),
      );
    },
  },
];
