import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Correction } from '../../../shared/contract';
import { fenToYuan, formatCenti, formatYuan } from '../../../shared/money';
import { problemText } from './billing';
import { InputError, UsageError, type CliCommand, type CliContext, type Values, say } from './context';
import { bookByNo, cols, label, periodOf, required, str, table, text } from './helpers';

// The billing clerk's month beyond run-and-issue (billing.ts): where a period stands, the
// exceptions list, reactive energy and demand of large customers (无功电量、最大需量), reviewing or
// voiding flagged drafts, period totals and their workbook, a customer's account, and
// corrections (更正) requested by the clerk and decided by the station head.

async function scope(cli: CliContext, v: Values): Promise<{ period: string; bookId?: string }> {
  const period = periodOf(v.period);
  const book = str(v, 'book');
  return { period, ...(book ? { bookId: (await bookByNo(cli, book)).id } : {}) };
}

async function billIdOf(cli: CliContext, billNo: string): Promise<string> {
  return (await cli.invoke('bills.get', { billNo })).id;
}

async function customerIdOf(cli: CliContext, accountNo: string): Promise<string> {
  return (await cli.invoke('customers.get', { accountNo })).customer.id;
}

/** A correction by its id, or the pending one of a bill number. */
async function correctionOf(cli: CliContext, name: string): Promise<Correction> {
  const { rows } = await cli.invoke('corrections.list', {});
  const hit = rows.find((c) => c.id === name) ?? rows.find((c) => c.billNo.toUpperCase() === name.toUpperCase() && c.status === 'pending');
  if (!hit) throw new InputError(say('cli.err.noCorrection', { name }));
  return hit;
}

function correctionLine(cli: CliContext, c: Correction): string {
  return cli.t('cli.corr.line', {
    billNo: c.billNo,
    account: c.accountNo,
    name: c.customerName,
    period: c.period,
    from: formatYuan(c.originalTotalFen),
    to: formatYuan(c.expectedTotalFen),
    status: label(cli, 'cli.corr.status', c.status),
    newBill: c.newBillNo ? cli.t('cli.corr.newBill', { billNo: c.newBillNo }) : '',
    reason: c.reason,
    id: c.id,
  });
}

const scopeOptions = { period: text, book: text };

export const billsCommands: CliCommand[] = [
  {
    name: 'billing status',
    summary: 'Where a period\'s billing stands: ready, waiting, drafts, issued, flagged, problems, by book',
    usage: '--period YYYY-MM [--book BOOK_NO]',
    options: scopeOptions,
    channels: ['books.list', 'billing.status'],
    json: '{ period, totals: { due, ready, waiting, unbilled, draft, issued, flaggedUnreviewed, problems, draftFen, issuedFen }, books: [ …same per book, bookNo ], scope, lastRunAt }',
    async run(cli, v) {
      const s = await cli.invoke('billing.status', await scope(cli, v));
      const t = s.totals;
      cli.print(s, () =>
        [
          cli.t('cli.billing.status', { period: s.period, ready: t.ready, waiting: t.waiting, unbilled: t.unbilled, draft: t.draft, draftFen: formatYuan(t.draftFen), issued: t.issued, issuedFen: formatYuan(t.issuedFen), flagged: t.flaggedUnreviewed, problems: t.problems }),
          table([cols(cli, 'cli.billing.statusCols'), ...s.books.map((b) => [b.bookNo, String(b.draft), String(b.issued), String(b.flaggedUnreviewed), String(b.problems)])]),
        ].join('\n'),
      );
    },
  },
  {
    name: 'billing exceptions',
    summary: 'The review list before issue: flagged drafts, and customers that could not be billed with the reason',
    usage: '--period YYYY-MM [--book BOOK_NO]',
    options: scopeOptions,
    channels: ['books.list', 'billing.exceptions'],
    json: '{ bills: [bill rows with flags], problems: [{ customerId, accountNo, customerName, customerClass, tariffCode, bookNo, code, detail, reason }] }',
    async run(cli, v) {
      const s = await scope(cli, v);
      const result = await cli.invoke('billing.exceptions', s);
      const problems = result.problems.map((p) => ({ ...p, reason: problemText(cli, p.code, p.detail) }));
      cli.print({ bills: result.bills, problems }, () =>
        [
          cli.t('cli.billing.exceptions', { bills: result.bills.length, problems: problems.length }),
          ...result.bills.map((b) => `  ${b.billNo} ${b.accountNo} ${b.customerName} ${formatYuan(b.totalFen)} ${label(cli, 'billing.status', b.status)}${b.reviewed ? cli.t('cli.billing.reviewed') : ''}: ${b.flags.map((f) => f.code).join(', ')}`),
          ...problems.map((p) => `  ${p.accountNo} ${p.customerName} (${p.bookNo ?? '—'}): ${p.reason}`),
        ].join('\n'),
      );
    },
  },
  {
    name: 'billing extras',
    summary: 'Enter a large customer\'s reactive energy (kvarh, for the power-factor adjustment) and maximum demand (kW) for a period',
    usage: 'ACCOUNT_NO --period YYYY-MM [--kvarh N] [--demand KW]',
    options: { period: text, kvarh: text, demand: text },
    positionals: [1, 1],
    channels: ['customers.get', 'billing.enterExtras'],
    json: '{ done: true }',
    async run(cli, v, [accountNo = '']) {
      const period = periodOf(v.period);
      const kvarh = str(v, 'kvarh');
      const demand = str(v, 'demand');
      if (kvarh === undefined && demand === undefined) throw new UsageError(say('cli.err.eitherOf', { a: '--kvarh N', b: '--demand KW (or both)' }));
      await cli.invoke('billing.enterExtras', { period, customerId: await customerIdOf(cli, accountNo), ...(kvarh ? { kvarh } : {}), ...(demand ? { maxDemandKw: demand } : {}) });
      cli.print({ done: true }, () => cli.t('cli.billing.extrasSaved', { account: accountNo, period, what: (kvarh ? cli.t('cli.billing.kvarh', { kvarh }) : '') + (demand ? cli.t('cli.billing.demand', { demand }) : '') }));
    },
  },
  {
    name: 'billing summary',
    summary: 'A period\'s totals by book, customer class and tariff',
    usage: '--period YYYY-MM',
    options: { period: text },
    channels: ['billing.summary'],
    json: '{ period, byBook: [{ key, label, bills, kwh, amountFen }], byClass, byTariff, totals }',
    async run(cli, v) {
      const s = await cli.invoke('billing.summary', { period: periodOf(v.period) });
      const rows = (title: string, list: typeof s.byBook) => [[title, ...cols(cli, 'cli.billing.summaryCols')], ...list.map((r) => [r.label, String(r.bills), formatCenti(r.kwh), formatYuan(r.amountFen)])];
      cli.print(s, () =>
        [
          cli.t('cli.billing.summary', { period: s.period, bills: s.totals.bills, kwh: formatCenti(s.totals.kwh), total: formatYuan(s.totals.amountFen) }),
          table(rows(cli.t('cli.billing.byBook'), s.byBook)),
          table(rows(cli.t('cli.billing.byClass'), s.byClass)),
          table(rows(cli.t('cli.billing.byTariff'), s.byTariff)),
        ].join('\n\n'),
      );
    },
  },
  {
    name: 'billing export',
    summary: 'Write a period\'s totals workbook (xlsx); with --book also its bills and lines',
    usage: '--period YYYY-MM [--book BOOK_NO] --out FILE.xlsx',
    options: { ...scopeOptions, out: text },
    channels: ['books.list', 'billing.export'],
    json: '{ file }',
    async run(cli, v) {
      const out = resolve(required(v, 'out', 'FILE.xlsx'));
      const file = await cli.invoke('billing.export', await scope(cli, v));
      writeFileSync(`${out}.partial`, Buffer.from(file.base64, 'base64'));
      renameSync(`${out}.partial`, out);
      cli.print({ file: out }, () => cli.t('cli.wrote', { file: out }));
    },
  },
  {
    name: 'billing account',
    summary: 'A customer\'s bills and ledger (newest first) with the ledger balance',
    usage: 'ACCOUNT_NO',
    positionals: [1, 1],
    channels: ['customers.get', 'billing.customerAccount'],
    json: '{ balanceFen, bills: [bill rows], ledger: [{ id, at, entryType, amountFen, billNo, period, memo }] }',
    async run(cli, _v, [accountNo = '']) {
      const a = await cli.invoke('billing.customerAccount', { customerId: await customerIdOf(cli, accountNo) });
      cli.print(a, () =>
        [
          cli.t('cli.billing.balance', { account: accountNo, balance: formatYuan(a.balanceFen) }),
          table([cols(cli, 'cli.billing.ledgerCols'), ...a.ledger.map((l) => [label(cli, 'billing.ledger', l.entryType), l.billNo ?? '', l.period ?? '', formatYuan(l.amountFen), l.memo])]),
        ].join('\n'),
      );
    },
  },
  {
    name: 'bills review',
    summary: 'Let a flagged draft go to issue after looking at it (核算员复核), with a note',
    usage: 'BILL_NO [--note TEXT]',
    options: { note: text },
    positionals: [1, 1],
    channels: ['bills.get', 'bills.review'],
    json: '{ bill }',
    async run(cli, v, [billNo = '']) {
      const { bill } = await cli.invoke('bills.review', { billId: await billIdOf(cli, billNo), note: str(v, 'note') ?? '' });
      cli.print({ bill }, () => cli.t('cli.bills.reviewedLine', { billNo: bill.billNo, period: bill.period }));
    },
  },
  {
    name: 'bills void',
    summary: 'Withdraw a draft before issue (e.g. its reading goes back for correction); the next run bills again',
    usage: 'BILL_NO --reason TEXT',
    options: { reason: text },
    positionals: [1, 1],
    channels: ['bills.get', 'bills.void'],
    json: '{ bill }',
    async run(cli, v, [billNo = '']) {
      const { bill } = await cli.invoke('bills.void', { billId: await billIdOf(cli, billNo), reason: required(v, 'reason', 'TEXT') });
      cli.print({ bill }, () => cli.t('cli.bills.voided', { billNo: bill.billNo }));
    },
  },
  {
    name: 'corrections preview',
    summary: 'What a correction of an issued bill would give, from today\'s readings and customer file',
    usage: 'BILL_NO',
    positionals: [1, 1],
    channels: ['bills.get', 'corrections.preview'],
    json: '{ billNo, originalTotalFen, originalLines, newTotalFen, newLines, newKwh, differenceFen, tariffCode, tariffEffectiveFrom }',
    async run(cli, _v, [billNo = '']) {
      const p = await cli.invoke('corrections.preview', { billId: await billIdOf(cli, billNo) });
      cli.print(p, () => cli.t('cli.corr.preview', { billNo: p.billNo, from: formatYuan(p.originalTotalFen), to: formatYuan(p.newTotalFen), kwh: formatCenti(p.newKwh), diff: fenToYuan(p.differenceFen) }));
    },
  },
  {
    name: 'corrections request',
    summary: 'Ask for a correction (更正) of an issued bill; the station head approves it',
    usage: 'BILL_NO --reason TEXT',
    options: { reason: text },
    positionals: [1, 1],
    channels: ['bills.get', 'corrections.request'],
    json: '{ correction: { id, billNo, status, originalTotalFen, expectedTotalFen, … } }',
    async run(cli, v, [billNo = '']) {
      const { correction } = await cli.invoke('corrections.request', { billId: await billIdOf(cli, billNo), reason: required(v, 'reason', 'TEXT') });
      cli.print({ correction }, () => cli.t('cli.corr.requested', { line: correctionLine(cli, correction), billNo: correction.billNo }));
    },
  },
  {
    name: 'corrections list',
    summary: 'Corrections asked for, pending first',
    usage: '[--status pending|approved|rejected]',
    options: { status: text },
    channels: ['corrections.list'],
    json: '{ rows: [correction] }',
    async run(cli, v) {
      const status = str(v, 'status');
      if (status !== undefined && !['pending', 'approved', 'rejected'].includes(status)) throw new UsageError(say('cli.err.oneOf', { what: '--status', values: 'pending, approved, rejected' }));
      const { rows } = await cli.invoke('corrections.list', status ? { status: status as Correction['status'] } : {});
      cli.print({ rows }, () => (rows.length ? rows.map((c) => correctionLine(cli, c)).join('\n') : cli.t('cli.corr.none')));
    },
  },
  {
    name: 'corrections approve',
    summary: 'Approve a correction (station head, --staff): the original is credited and the new bill issued',
    usage: 'BILL_NO|CORRECTION_ID --staff HEAD_NO [--note TEXT]',
    options: { note: text },
    positionals: [1, 1],
    channels: ['corrections.list', 'corrections.approve'],
    json: '{ correction }',
    async run(cli, v, [name = '']) {
      const { correction } = await cli.invoke('corrections.approve', { correctionId: (await correctionOf(cli, name)).id, note: str(v, 'note') ?? '' });
      cli.print({ correction }, () => cli.t('cli.corr.approved', { line: correctionLine(cli, correction) }));
    },
  },
  {
    name: 'corrections reject',
    summary: 'Reject a correction (station head, --staff), with the reason',
    usage: 'BILL_NO|CORRECTION_ID --staff HEAD_NO --note TEXT',
    options: { note: text },
    positionals: [1, 1],
    channels: ['corrections.list', 'corrections.reject'],
    json: '{ correction }',
    async run(cli, v, [name = '']) {
      const { correction } = await cli.invoke('corrections.reject', { correctionId: (await correctionOf(cli, name)).id, note: required(v, 'note', 'TEXT') });
      cli.print({ correction }, () => cli.t('cli.corr.rejected', { line: correctionLine(cli, correction) }));
    },
  },
];
