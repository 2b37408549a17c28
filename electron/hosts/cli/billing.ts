import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { jobResult, type BillRow, type JobState, type OutputOf } from '../../../shared/contract';
import { billLineLabel } from '../../../shared/billing';
import { hasMessage, translate } from '../../../shared/i18n';
import { fenToYuan, formatCenti, formatYuan } from '../../../shared/money';
import { isPeriod } from '../../../shared/time';
import { sql } from '../../backend/db/sql';
import { printJobs } from './print';
import { InputError, UsageError, type CliCommand, type CliContext, type Values, say } from './context';

// Tariffs and billing from the command line: load a head-office tariff file, run and issue a
// month's bills, list and show them, and print notices to PDF.

const stringOption = { type: 'string' } as const;

function period(v: Values): string {
  if (typeof v.period !== 'string') throw new UsageError(say('cli.err.needs', { what: '--period YYYY-MM' }));
  if (!isPeriod(v.period)) throw new InputError(say('cli.err.badPeriod', { what: '--period', value: v.period }));
  return v.period;
}

/** --book takes the book number (抄表本号) as printed, e.g. B01. */
function bookId(cli: CliContext, v: Values): string | undefined {
  if (v.book === undefined) return undefined;
  const id = cli.backend().store.read.value<string>(sql`SELECT id FROM books WHERE book_no = ${String(v.book)}`);
  if (!id) throw new InputError(say('cli.noBook', { book: String(v.book) }));
  return id;
}

async function finished(cli: CliContext, kind: 'billing.run' | 'billing.issue', jobId: string): Promise<JobState> {
  // cli.job throws the job's refusal in --lang and checks the result against its kind's schema.
  await cli.job(kind, { jobId });
  return (await cli.backend().jobs.finished(jobId));
}

const yuan = (fen: number) => fenToYuan(fen);

/** A billing problem's reason in --lang (the desk's words for each code). */
export function problemText(cli: CliContext, code: string, detail: string): string {
  const key = `billing.problem.${code}`;
  return hasMessage(key) ? cli.t(key, { detail }) : `${code} ${detail}`.trim();
}

/** A bill as `bills list --json` prints it: kWh and money both exact (centi/fen) and as text. */
function billJson(cli: CliContext, b: BillRow) {
  return {
    billNo: b.billNo,
    account: b.accountNo,
    name: b.customerName,
    period: b.period,
    status: b.status,
    tariff: b.tariffCode,
    tariffEffectiveFrom: b.tariffEffectiveFrom,
    book: b.bookNo,
    kwh: formatCenti(b.kwh),
    kwhCenti: b.kwh,
    amountFen: b.totalFen,
    amountYuan: yuan(b.totalFen),
    dueDate: b.dueDate,
    flags: b.flags.map((f) => f.code),
    lines: (b.lines ?? []).map((l) => ({
      lineNo: l.lineNo,
      item: billLineLabel(l, cli.locale),
      kind: l.kind,
      tier: l.tier,
      touPeriod: l.touPeriod,
      quantity: l.quantity === null ? null : formatCenti(l.quantity),
      quantityCenti: l.quantity,
      unit: l.unit,
      unitPrice: l.unitPrice,
      amountFen: l.amountFen,
      amountYuan: yuan(l.amountFen),
    })),
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => {
          const width = [...cell].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
          return cell + ' '.repeat(Math.max(0, (widths[i] ?? 0) - width));
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The staff member whose session renders notices: --staff, else someone who may read bills. */
function printingStaff(cli: CliContext, v: Values): string {
  const db = cli.backend().store.read;
  if (typeof v.staff === 'string') {
    const id = db.value<string>(sql`SELECT id FROM staff WHERE staff_no = ${v.staff} AND active = 1`);
    if (!id) throw new InputError(say('cli.noStaff', { staffNo: String(v.staff) }));
    return id;
  }
  const id = db.value<string>(sql`
    SELECT s.id FROM staff s JOIN staff_roles r ON r.staff_id = s.id
    WHERE s.active = 1 AND r.role IN ('billing_clerk', 'station_head', 'clerk')
    ORDER BY CASE r.role WHEN 'billing_clerk' THEN 0 WHEN 'station_head' THEN 1 ELSE 2 END, s.staff_no LIMIT 1`);
  if (!id) throw new InputError(say('cli.err.noBillReader'));
  return id;
}

export const billingCommands: CliCommand[] = [
  {
    name: 'tariffs import',
    summary: 'Load a head-office tariff file (all of it or nothing; loaded versions are never changed)',
    channels: ['tariffs.check', 'tariffs.import'],
    json: '{ ok, imported, unchanged, policies, tariffs[], policies[] }; refused: { ok: false, problems[] }',
    usage: 'FILE.json',
    positionals: [1, 1],
    async run(cli, _v, [file]) {
      const path = resolve(String(file));
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        throw new InputError(say('cli.err.cannotRead', { path, reason: (error as Error).message }));
      }
      const check = await cli.invoke('tariffs.check', { text });
      if (!check.ok) {
        if (cli.json) cli.print({ ok: false, problems: check.problems }, () => '');
        for (const problem of check.problems) cli.io.stderr(`  ${problem}`);
        throw new InputError(say('cli.err.fileProblems', { path, count: check.problems.length }));
      }
      const result = await cli.invoke('tariffs.import', { text, fileName: path });
      cli.print({ ok: true, ...result, tariffs: check.tariffs, policies: check.policies }, () =>
        [
          ...check.tariffs.map((t) => cli.t('cli.tariffs.row', { status: cli.t(t.status === 'new' ? 'cli.loadedNew' : 'cli.loadedSame'), code: t.code, from: t.effectiveFrom, name: t.name })),
          ...check.policies.map((p) => cli.t('cli.tariffs.policy', { status: cli.t(p.status === 'new' ? 'cli.loadedNew' : 'cli.loadedSame'), from: p.effectiveFrom })),
          cli.t('cli.tariffs.loaded', { imported: result.imported, policies: result.policies, unchanged: result.unchanged }),
        ].join('\n'),
      );
    },
  },
  {
    name: 'tariffs list',
    summary: 'List the tariff catalogue (every version, which one is in force)',
    channels: ['tariffs.list'],
    json: '{ tariffs: [{ code, effectiveFrom, inForce, customerClass, customers, name, … }], policies }',
    async run(cli) {
      const { rows, policies } = await cli.invoke('tariffs.list', {});
      cli.print({ tariffs: rows, policies }, () =>
        table([
          cli.t('cli.tariffs.cols').split('|'),
          ...rows.map((r) => [r.code, r.effectiveFrom, r.inForce ? cli.t('cli.yes') : '', hasMessage(`billing.class.${r.customerClass}`) ? cli.t(`billing.class.${r.customerClass}` as 'billing.class.residential') : r.customerClass, String(r.customers), r.name]),
        ]),
      );
    },
  },
  {
    name: 'bill',
    summary: 'Run the billing of a period (a book, or the whole station); prints counts and total',
    channels: ['billing.run', 'billing.exceptions'],
    json: '{ period, book, billed, totalFen, totalYuan, kwh, flagged, problems, alreadyBilled, waiting, changed, problemRows: [{ account, name, book, code, reason }], flaggedBills: [{ billNo, account, name, flags[] }], runId, bookId, twoThreads, computed, slices, longestSliceMs }',
    usage: '--period YYYY-MM [--book BOOK_NO]',
    options: { period: stringOption, book: stringOption },
    async run(cli, v) {
      const p = period(v);
      const book = bookId(cli, v);
      const { jobId } = await cli.invoke('billing.run', { period: p, ...(book ? { bookId: book } : {}) });
      const result = jobResult('billing.run', await finished(cli, 'billing.run', jobId));
      // Which customers could not be billed and why, and which drafts wait for review: the
      // clerk's next step names them (the same list as the desk's exceptions screen).
      const exceptions = result.problems > 0 || result.flagged > 0 ? await cli.invoke('billing.exceptions', { period: p, ...(book ? { bookId: book } : {}) }) : { bills: [], problems: [] };
      const problems = exceptions.problems.map((x) => ({
        account: x.accountNo,
        name: x.customerName,
        book: x.bookNo,
        code: x.code,
        reason: problemText(cli, x.code, x.detail),
      }));
      const flagged = exceptions.bills.filter((b) => b.status === 'draft' && b.flags.length > 0 && !b.reviewed).map((b) => ({ billNo: b.billNo, account: b.accountNo, name: b.customerName, flags: b.flags.map((f) => f.code) }));
      cli.print({ ...result, period: p, book: v.book ?? null, totalYuan: yuan(result.totalFen), problemRows: problems, flaggedBills: flagged }, () =>
        [
          cli.t('cli.bill.head', { period: p, book: v.book ? cli.t('cli.bill.book', { book: String(v.book) }) : '', billed: result.billed, kwh: formatCenti(result.kwh), total: formatYuan(result.totalFen) }),
          cli.t('cli.bill.counts', { flagged: result.flagged, problems: result.problems, already: result.alreadyBilled, waiting: result.waiting }),
          ...problems.map((x) => cli.t('cli.bill.problem', { account: x.account, name: x.name, book: x.book ?? '—', code: x.code, detail: x.reason })),
          ...(problems.length ? [cli.t('cli.next', { hint: cli.t('cli.hint.billProblems', { period: p }) })] : []),
          ...flagged.map((b) => cli.t('cli.bill.flagged', { billNo: b.billNo, account: b.account, name: b.name, flags: b.flags.join(',') })),
          ...(flagged.length ? [cli.t('cli.next', { hint: cli.t('cli.hint.billFlagged', { period: p }) })] : []),
          ...(result.waiting > 0 ? [cli.t('cli.next', { hint: cli.t('cli.hint.waiting', { period: p }) })] : []),
        ].join('\n'),
      );
    },
  },
  {
    name: 'bills issue',
    summary: 'Issue the drafts of a period (or book) to the ledger; flagged drafts wait for review',
    channels: ['billing.issue'],
    json: '{ period, issued, totalFen, totalYuan, held, dueDate }',
    usage: '--period YYYY-MM [--book BOOK_NO]',
    options: { period: stringOption, book: stringOption },
    async run(cli, v) {
      const p = period(v);
      const book = bookId(cli, v);
      const { jobId } = await cli.invoke('billing.issue', { period: p, ...(book ? { bookId: book } : {}) });
      const result = jobResult('billing.issue', await finished(cli, 'billing.issue', jobId));
      cli.print({ period: p, ...result, totalYuan: yuan(result.totalFen) }, () =>
        cli.t('cli.bill.issued', { period: p, issued: result.issued, total: formatYuan(result.totalFen), due: result.dueDate ?? '—', held: result.held }),
      );
    },
  },
  {
    name: 'bills list',
    summary: 'List the bills of a period with their lines (amounts in fen and yuan)',
    channels: ['bills.list'],
    json: '[{ billNo, account, name, period, status, tariff, book, kwh, kwhCenti, amountFen, amountYuan, dueDate, tariffEffectiveFrom, flags[], lines: [{ lineNo, item, kind, tier, quantity, quantityCenti, unit, unitPrice, amountFen, amountYuan }] }]',
    usage: '--period YYYY-MM [--book BOOK_NO] [--account ACCOUNT_NO]',
    options: { period: stringOption, book: stringOption, account: stringOption },
    async run(cli, v) {
      const p = period(v);
      const book = bookId(cli, v);
      const { rows } = await cli.invoke('bills.list', {
        period: p,
        ...(book ? { bookId: book } : {}),
        ...(typeof v.account === 'string' ? { search: v.account } : {}),
        includeLines: true,
        limit: 200_000,
      });
      const bills = rows.filter((r) => typeof v.account !== 'string' || r.accountNo === v.account);
      cli.print(bills.map((b) => billJson(cli, b)), () =>
        table([
          cli.t('cli.bills.cols').split('|'),
          ...bills.map((b) => [b.billNo, b.accountNo, b.customerName, cli.t(`billing.status.${b.status}`), formatCenti(b.kwh), formatYuan(b.totalFen), b.dueDate ?? '']),
        ]),
      );
    },
  },
  {
    name: 'bills show',
    summary: 'Show one bill: readings, lines, tiers, status',
    channels: ['bills.get'],
    json: 'the bill: { billNo, period, status, lines[], readings[], details: { tiers, powerFactor: { value, standard, percent, baseFen, kwh, kvarh }, … }, flags[], … }',
    usage: 'BILL_NO',
    positionals: [1, 1],
    async run(cli, _v, [billNo]) {
      const bill = await cli.invoke('bills.get', { billNo: String(billNo) });
      cli.print(bill, () => showBill(cli, bill));
    },
  },
  {
    name: 'bills notice',
    summary: 'Print bill notices to PDF: one bill, or a book of a period in book order',
    channels: ['bills.notices'],
    json: '{ out, notices, paper, ms }',
    usage: 'BILL_NO --out FILE.pdf | --book BOOK_NO --period YYYY-MM --out FILE.pdf [--paper A5|A4]',
    options: { out: stringOption, book: stringOption, period: stringOption, paper: stringOption },
    positionals: [0, 1],
    async run(cli, v, [billNo]) {
      if (typeof v.out !== 'string') throw new UsageError(say('cli.err.needs', { what: '--out FILE.pdf' }));
      const paper = v.paper === undefined ? 'A5' : String(v.paper);
      if (paper !== 'A5' && paper !== 'A4') throw new UsageError(say('cli.err.oneOf', { what: '--paper', values: 'A5, A4' }));
      let query: URLSearchParams;
      let input: { billNos: string[] } | { period: string; bookId?: string };
      if (billNo !== undefined) {
        query = new URLSearchParams({ bills: billNo, paper });
        input = { billNos: [billNo] };
      } else {
        if (v.book === undefined) throw new UsageError(say('cli.err.eitherOf', { a: 'BILL_NO', b: '--book BOOK_NO --period YYYY-MM' }));
        const p = period(v);
        const book = bookId(cli, v) ?? '';
        query = new URLSearchParams({ period: p, book, paper });
        input = { period: p, bookId: book };
      }
      // Ask the back end first: a clear message for a bill that is not issued, and the count.
      const { notices } = (await cli.invoke('bills.notices', input)) as OutputOf<'bills.notices'>;
      if (notices.length === 0) throw new InputError(say('cli.err.noIssuedBills'));
      const out = resolve(v.out);
      const started = performance.now();
      await printJobs(cli, [{ route: `/print/bill-notices?${query.toString()}`, as: { staffId: printingStaff(cli, v) }, out }]);
      const ms = Math.round(performance.now() - started);
      cli.print({ out, notices: notices.length, paper, ms }, () => cli.t('cli.bills.printed', { count: notices.length, paper, out, ms }));
    },
  },
];

/** 力调: the factor, the standard and the percentage the power-factor line applied. */
function powerFactorNote(cli: CliContext, pf: OutputOf<'bills.get'>['details']['powerFactor']): string {
  if (!pf) return '';
  const percent = pf.percent.startsWith('-') ? pf.percent : `+${pf.percent}`;
  return `  (${cli.t('cli.pfLine', { factor: pf.value, standard: pf.standard, percent })}; ${formatCenti(pf.kvarh)} kvarh / ${formatCenti(pf.kwh)} kWh, ${formatYuan(pf.baseFen)})`;
}

function showBill(cli: CliContext, bill: OutputOf<'bills.get'>): string {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(cli.locale, key, params);
  const out = [
    `${bill.billNo}  ${bill.period}  ${t(`billing.status.${bill.status}`)}${bill.kind === 'correction' ? `  ${t('billing.bill.kind.correction')}` : ''}`,
    `${bill.accountNo} ${bill.customerName}  ${t(`billing.class.${bill.customerClass}`)}  ${bill.tariffName} (${bill.tariffCode} ${bill.tariffEffectiveFrom})`,
    ...bill.readings.map(
      (r) => `  ${t('billing.bill.meter')} ${r.meterNo}  ${formatCenti(r.previousValue ?? 0)} → ${formatCenti(r.value ?? 0)} ×${r.multiplier} = ${formatCenti(r.consumption)} kWh  (${r.readingDate})`,
    ),
    ...bill.lines.map(
      (l) =>
        `  ${String(l.lineNo).padStart(2)}. ${billLineLabel(l, cli.locale)}  ${l.quantity === null ? '' : `${formatCenti(l.quantity)} ${l.unit ?? ''} × ${l.unitPrice} = `}${formatYuan(l.amountFen)}` +
        (l.kind === 'power_factor' ? powerFactorNote(cli, bill.details.powerFactor) : ''),
    ),
    `  ${t('notice.total')} ${formatYuan(bill.totalFen)}  (${formatCenti(bill.kwh)} kWh)`,
  ];
  const tiers = bill.details.tiers;
  if (tiers) {
    out.push(
      tiers.basis === 'annual'
        ? `  ${t('billing.bill.tiersAnnual', { start: tiers.tierYearStart ?? '', t1: tiers.bounds[0], t2: tiers.bounds[1], before: formatCenti(tiers.cumulativeBefore ?? 0) })}`
        : `  ${t('billing.bill.tiersMonthly', { t1: tiers.bounds[0], t2: tiers.bounds[1] })}`,
    );
  }
  if (bill.dueDate) out.push(`  ${t('notice.dueDate')} ${bill.dueDate}`);
  if (bill.replaces) out.push(`  ${t('billing.bill.replaces', { billNo: bill.replaces.billNo })}`);
  if (bill.replacedBy) out.push(`  ${t('billing.bill.replacedBy', { billNo: bill.replacedBy.billNo })}`);
  for (const f of bill.flags) out.push(`  ! ${hasMessage(`billing.flag.${f.code}`) ? t(`billing.flag.${f.code}` as 'billing.flag.zero', f.params) : f.code}`);
  return out.join('\n');
}
