import type { OutputOf } from '../../../shared/contract';
import { formatCenti } from '../../../shared/money';
import { flagMessage } from '../../../shared/readings';
import { shanghaiDate } from '../../../shared/time';
import { EXIT_BAD_INPUT, InputError, UsageError, type CliCommand, type CliContext, type Values, say } from './context';
import { bookByNo, dateOf, flag, label, periodOf, str, text } from './helpers';

// The reading review queue (复核) on the command line, for the billing clerk or station head: a
// flagged reading is accepted as read, corrected (a new actual reading), replaced by an estimate
// (估抄, with the reason), or rejected — sent back for a site visit (现场核查) and kept out of
// billing until it is accepted or corrected. Same channel, permission and audit as the desk.

type QueueRow = OutputOf<'readings.reviewQueue'>['rows'][number];

async function queue(cli: CliContext, period: string, book: string | undefined, pendingOnly: boolean): Promise<QueueRow[]> {
  const bookId = book ? (await bookByNo(cli, book)).id : undefined;
  return (await cli.invoke('readings.reviewQueue', { period, pendingOnly, ...(bookId ? { bookId } : {}) })).rows;
}

/** The flagged reading named by account number, meter number or reading id. */
async function pick(cli: CliContext, v: Values, name: string): Promise<{ period: string; row: QueueRow }> {
  const period = periodOf(v.period);
  const rows = (await queue(cli, period, undefined, false)).filter((r) => !r.reading.superseded);
  const key = name.toUpperCase();
  const hits = rows.filter((r) => r.reading.id === name || r.accountNo.toUpperCase() === key || r.reading.meterNo.toUpperCase() === key);
  if (hits.length === 0) throw new InputError(cli.t('cli.noReading', { what: name, period }));
  if (hits.length > 1) throw new InputError(cli.t('cli.manyReadings', { what: name, period }));
  return { period, row: hits[0]! };
}

function rowLine(cli: CliContext, r: QueueRow): string {
  const reading = r.reading;
  const history = r.history.map((h) => `${h.period} ${h.consumption === null ? '—' : formatCenti(h.consumption)}`).join(', ');
  return [
    cli.t('cli.review.row', {
      book: r.bookNo,
      account: r.accountNo,
      name: r.customerName,
      meter: reading.meterNo,
      previous: formatCenti(reading.previousValue ?? 0),
      value: reading.value === null ? '—' : formatCenti(reading.value),
      kwh: reading.consumption === null ? '—' : formatCenti(reading.consumption),
      kind: label(cli, 'reading.kind', reading.kind),
      date: reading.readingDate,
      status: label(cli, 'reading.status', reading.status),
    }),
    ...reading.flags.map((f) => `    ! ${flagMessage(cli.locale, f)}`),
    ...(history ? [cli.t('cli.review.before', { history })] : []),
  ].join('\n');
}

async function decide(cli: CliContext, v: Values, name: string, decision: 'accept' | 'correct' | 'site_visit', correction?: { kind: 'actual' | 'estimated' }) {
  const { row } = await pick(cli, v, name);
  const note = str(v, 'note') ?? '';
  const value = str(v, 'value');
  const reason = str(v, 'reason') ?? note;
  if (correction && value === undefined) throw new UsageError(say('cli.err.needs', { what: '--value N' }));
  const result = await cli.invoke('readings.review', {
    readingId: row.reading.id,
    decision,
    note,
    ...(correction
      ? {
          correction: {
            kind: correction.kind,
            value,
            readingDate: dateOf(str(v, 'date') ?? shanghaiDate(Date.now()), '--date'),
            reason,
            confirmedRollover: v['confirm-rollover'] === true,
          },
        }
      : {}),
  });
  cli.print(result, () => {
    if (result.outcome === 'confirm') return cli.t('cli.entry.rollover', { kwh: formatCenti(result.consumption) });
    if (result.outcome === 'refused') return [cli.t('cli.refused'), ...result.errors.map((e) => `  ${flagMessage(cli.locale, e)}`)].join('\n');
    const what =
      decision === 'accept'
        ? cli.t('cli.review.accepted')
        : decision === 'site_visit'
          ? cli.t('cli.review.siteVisit')
          : cli.t('cli.review.corrected', { value: formatCenti(result.reading?.value ?? 0), kind: label(cli, 'reading.kind', correction?.kind ?? 'actual') });
    return cli.t('cli.review.done', { account: row.accountNo, name: row.customerName, meter: row.reading.meterNo, what });
  });
  return result.outcome === 'saved' ? 0 : EXIT_BAD_INPUT;
}

const correctionOptions = { period: text, value: text, date: text, reason: text, note: text, 'confirm-rollover': flag };

export const reviewCommands: CliCommand[] = [
  {
    name: 'review list',
    summary: 'The readings waiting for review (复核) in a period, with their warnings and history',
    usage: '--period YYYY-MM [--book BOOK_NO] [--all]',
    options: { period: text, book: text, all: flag },
    channels: ['readings.reviewQueue', 'books.list'],
    json: '{ period, rows: [{ reading: { id, meterNo, value, consumption, flags, status, … }, bookNo, accountNo, customerName, address, history }] }',
    async run(cli, v) {
      const period = periodOf(v.period);
      const rows = await queue(cli, period, str(v, 'book'), v.all !== true);
      cli.print({ period, rows }, () =>
        rows.length === 0
          ? cli.t('cli.review.nothing', { period })
          : [
              cli.t('cli.review.count', { count: rows.length, period }),
              ...rows.map((r) => rowLine(cli, r)),
              cli.t('cli.review.decide', { period }),
            ].join('\n'),
      );
    },
  },
  {
    name: 'review accept',
    summary: 'Accept a flagged reading as read (it becomes billable)',
    usage: 'ACCOUNT_OR_METER_NO --period YYYY-MM [--note TEXT]',
    options: { period: text, note: text },
    positionals: [1, 1],
    channels: ['readings.reviewQueue', 'readings.review'],
    json: '{ outcome: "saved", review: { id, decision, note, reviewedBy, reviewedAt }, reading: null }',
    run: (cli, v, [name = '']) => decide(cli, v, name, 'accept'),
  },
  {
    name: 'review correct',
    optionHelp: { note: 'the reviewer\'s note (kept with the decision)', reason: 'why the value changed (defaults to the note)', 'confirm-rollover': 'the meter really went round (满码翻转)' },
    summary: 'Correct a flagged reading with the right register value (a new actual reading supersedes it)',
    usage: 'ACCOUNT_OR_METER_NO --period YYYY-MM --value N --reason TEXT [--date YYYY-MM-DD] [--confirm-rollover]',
    options: correctionOptions,
    positionals: [1, 1],
    channels: ['readings.reviewQueue', 'readings.review'],
    json: '{ outcome: "saved", review, reading } | { outcome: "confirm", … } | { outcome: "refused", errors }',
    run: (cli, v, [name = '']) => decide(cli, v, name, 'correct', { kind: 'actual' }),
  },
  {
    name: 'review estimate',
    optionHelp: { note: 'the reviewer\'s note (kept with the decision)', reason: 'why the value changed (defaults to the note)', 'confirm-rollover': 'the meter really went round (满码翻转)' },
    summary: 'Replace a flagged reading by an estimate (估抄) with its reason',
    usage: 'ACCOUNT_OR_METER_NO --period YYYY-MM --value N --reason TEXT [--date YYYY-MM-DD]',
    options: correctionOptions,
    positionals: [1, 1],
    channels: ['readings.reviewQueue', 'readings.review'],
    json: '{ outcome: "saved", review, reading } | { outcome: "refused", errors }',
    run: (cli, v, [name = '']) => decide(cli, v, name, 'correct', { kind: 'estimated' }),
  },
  {
    name: 'review reject',
    summary: 'Reject a flagged reading: send it for a site visit (现场核查); it stays out of billing until accepted or corrected',
    usage: 'ACCOUNT_OR_METER_NO --period YYYY-MM --note TEXT',
    options: { period: text, note: text },
    positionals: [1, 1],
    channels: ['readings.reviewQueue', 'readings.review'],
    json: '{ outcome: "saved", review, reading: null }',
    run: (cli, v, [name = '']) => decide(cli, v, name, 'site_visit'),
  },
];
