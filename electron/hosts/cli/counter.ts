import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ClosingSummary } from '../../../shared/contract/collection';
import { fenToYuan as y } from '../../../shared/money';
import { InputError, UsageError, type CliCommand, type CliContext, say } from './context';
import { printRoute } from './print';
import { bookByNo, cols, dateOf, flag, intOf, label, required, staffByNo, str, table, text, when } from './helpers';

// The counter beyond pay/balance/reverse/close-day (collection.ts): penalty waivers (违约金减免),
// the reversal queue the station head decides (冲正审批), payments, a clerk's day, closings and
// their sign-off, and arrears reminders and disconnection notices (催费、停电通知).

function writeFile(out: string, base64: string): string {
  const path = resolve(out);
  writeFileSync(`${path}.partial`, Buffer.from(base64, 'base64'));
  renameSync(`${path}.partial`, path);
  return path;
}

function closingLine(cli: CliContext, c: ClosingSummary): string {
  return cli.t('cli.closing.line', { date: c.businessDate, staffNo: c.clerk.staffNo, name: c.clerk.name, payments: c.paymentCount, net: y(c.netFen), difference: y(c.differenceFen), status: label(cli, 'closing.status', c.status), id: c.closingId });
}

async function reversalOf(cli: CliContext, name: string): Promise<string> {
  const { rows } = await cli.invoke('collection.reversals', { status: 'pending', limit: 500 });
  const hit = rows.find((r) => r.requestId === name || r.receiptNo.toUpperCase() === name.toUpperCase());
  if (!hit) throw new InputError(say('cli.err.noReversal', { name }));
  return hit.requestId;
}

async function customerIds(cli: CliContext, accounts: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const accountNo of accounts) ids.push((await cli.invoke('collection.balance', { accountNo })).customer.id);
  return ids;
}

const approverOptions = { approver: text, 'approver-password': text };

export const counterCommands: CliCommand[] = [
  {
    name: 'waive',
    summary: 'Waive a bill\'s penalty (违约金减免) with a reason: the station head (--staff), or a clerk with the head\'s login (--approver)',
    usage: 'BILL_NO --reason TEXT [--whole] [--approver HEAD_NO --approver-password P]',
    options: { reason: text, whole: flag, ...approverOptions },
    positionals: [1, 1],
    channels: ['bills.get', 'collection.waivePenalty'],
    json: '{ waivedFen, whole }',
    async run(cli, v, [billNo = '']) {
      const approverNo = str(v, 'approver');
      const password = str(v, 'approver-password');
      if ((approverNo === undefined) !== (password === undefined)) throw new UsageError(say('cli.err.together', { a: '--approver STAFF_NO', b: '--approver-password P' }));
      const billId = (await cli.invoke('bills.get', { billNo })).id;
      const result = await cli.invoke('collection.waivePenalty', {
        billId,
        reason: required(v, 'reason', 'TEXT'),
        whole: v.whole === true,
        ...(approverNo && password !== undefined ? { approver: { staffNo: approverNo, password } } : {}),
      });
      cli.print(result, () => cli.t('cli.waive.done', { billNo, amount: y(result.waivedFen), whole: result.whole ? cli.t('cli.waive.whole') : '' }));
    },
  },
  {
    name: 'reversals list',
    summary: 'Reversal requests (冲正) waiting for the station head (--all: every request)',
    usage: '[--all]',
    options: { all: flag },
    channels: ['collection.reversals'],
    json: '{ rows: [{ requestId, receiptNo, accountNo, customerName, amountFen, channel, reason, requestedBy, requestedAt, status, decidedBy, decidedAt, note }] }',
    async run(cli, v) {
      const { rows } = await cli.invoke('collection.reversals', { status: v.all === true ? 'all' : 'pending', limit: 500 });
      cli.print({ rows }, () =>
        rows.length ? table([cols(cli, 'cli.reversals.cols'), ...rows.map((r) => [r.receiptNo, r.accountNo, r.customerName, y(r.amountFen), r.reason, r.requestedBy, label(cli, 'cli.corr.status', r.status)])]) : cli.t('cli.reversals.none'),
      );
    },
  },
  {
    name: 'reversals approve',
    summary: 'Approve a reversal from the queue (station head, --staff): the payment is reversed',
    usage: 'RECEIPT_NO|REQUEST_ID --staff HEAD_NO [--note TEXT]',
    options: { note: text },
    positionals: [1, 1],
    channels: ['collection.reversals', 'collection.decideReversal'],
    json: '{ status: "approved" }',
    async run(cli, v, [name = '']) {
      const note = str(v, 'note');
      const result = await cli.invoke('collection.decideReversal', { requestId: await reversalOf(cli, name), approve: true, ...(note ? { note } : {}) });
      cli.print(result, () => cli.t('cli.reversals.decided', { name, status: label(cli, 'cli.corr.status', result.status) }));
    },
  },
  {
    name: 'reversals reject',
    summary: 'Reject a reversal from the queue (station head, --staff): the payment stands',
    usage: 'RECEIPT_NO|REQUEST_ID --staff HEAD_NO --note TEXT',
    options: { note: text },
    positionals: [1, 1],
    channels: ['collection.reversals', 'collection.decideReversal'],
    json: '{ status: "rejected" }',
    async run(cli, v, [name = '']) {
      const result = await cli.invoke('collection.decideReversal', { requestId: await reversalOf(cli, name), approve: false, note: required(v, 'note', 'TEXT') });
      cli.print(result, () => cli.t('cli.reversals.decided', { name, status: label(cli, 'cli.corr.status', result.status) }));
    },
  },
  {
    name: 'payments',
    summary: 'Payments, newest first: of one customer, or one receipt',
    usage: '[ACCOUNT_NO] [--receipt RECEIPT_NO] [--limit N]',
    options: { receipt: text, limit: text },
    positionals: [0, 1],
    channels: ['collection.balance', 'collection.payments'],
    json: '{ rows: [{ paymentId, receiptNo, postedAt, payDate, businessDate, accountNo, customerName, amountFen, channel, clerk, status }] }',
    async run(cli, v, [accountNo]) {
      const receiptNo = str(v, 'receipt');
      const limit = str(v, 'limit');
      const { rows } = await cli.invoke('collection.payments', {
        ...(accountNo ? { customerId: (await customerIds(cli, [accountNo]))[0] } : {}),
        ...(receiptNo ? { receiptNo } : {}),
        limit: limit ? intOf(limit, '--limit', 1, 500) : 50,
      });
      cli.print({ rows }, () => table([cols(cli, 'cli.payments.cols'), ...rows.map((r) => [r.receiptNo, r.payDate, r.accountNo, r.customerName, y(r.amountFen), label(cli, 'collection.channel', r.channel), r.clerk.staffNo, label(cli, 'collection.status', r.status)])]));
    },
  },
  {
    name: 'day',
    summary: 'A clerk\'s day so far (own day with --staff; the station head may name another clerk)',
    usage: '[--clerk STAFF_NO] [--date YYYY-MM-DD]',
    options: { clerk: text, date: text },
    channels: ['staff.directory', 'collection.day'],
    json: '{ clerk, today, businessDate, currentBusinessDate, closing, paymentCount, paymentsFen, reversalCount, reversalsFen, netFen, … }',
    async run(cli, v) {
      const clerk = str(v, 'clerk');
      const date = str(v, 'date');
      const day = await cli.invoke('collection.day', { ...(clerk ? { staffId: (await staffByNo(cli, clerk)).id } : {}), ...(date ? { businessDate: dateOf(date, '--date') } : {}) });
      cli.print(day, () =>
        cli.t('cli.day.line', { date: day.businessDate, staffNo: day.clerk.staffNo, name: day.clerk.name, payments: day.paymentCount, paymentsFen: y(day.paymentsFen), reversals: day.reversalCount, reversalsFen: y(day.reversalsFen), net: y(day.netFen), closed: day.closing ? cli.t('cli.day.closed', { status: label(cli, 'closing.status', day.closing.status) }) : '' }),
      );
    },
  },
  {
    name: 'day station',
    summary: 'The station head\'s day (全所日报): every clerk\'s payments, reversals, net and closing, the station\'s totals; --out prints the A4 report to PDF',
    usage: '[--date YYYY-MM-DD] [--out FILE.pdf]',
    options: { date: text, out: text },
    channels: ['collection.stationDay'],
    json: '{ station, today, businessDate, clerks: [{ clerk, paymentCount, paymentsFen, reversalCount, reversalsFen, netFen, cashTakingsFen, byChannel, firstReceiptNo, lastReceiptNo, closing, reversals }], paymentCount, paymentsFen, reversalCount, reversalsFen, netFen, cashTakingsFen, byChannel, closedCount, unclosedCount, differenceFen, awaitingSignOff, pdf }',
    async run(cli, v) {
      const date = str(v, 'date');
      const day = await cli.invoke('collection.stationDay', date ? { businessDate: dateOf(date, '--date') } : {});
      const out = str(v, 'out');
      // The same A4 page as the day screen's print view, through the system Chromium.
      const pdf = out ? await printRoute(cli, `/print/station-day?date=${encodeURIComponent(day.businessDate)}`, out) : null;
      cli.print({ ...day, pdf }, () =>
        [
          cli.t('cli.stationDay.head', { code: day.station.code, name: day.station.name, date: day.businessDate, today: day.today }),
          day.clerks.length
            ? table([
                cols(cli, 'cli.stationDay.cols'),
                ...day.clerks.map((c) => [
                  c.clerk.staffNo,
                  c.clerk.name,
                  String(c.paymentCount),
                  y(c.paymentsFen),
                  String(c.reversalCount),
                  y(c.reversalsFen),
                  y(c.netFen),
                  y(c.cashTakingsFen),
                  c.firstReceiptNo ? `${c.firstReceiptNo} – ${c.lastReceiptNo ?? ''}` : '—',
                  c.closing ? label(cli, 'closing.status', c.closing.status) : cli.t('cli.stationDay.notClosed'),
                ]),
              ])
            : cli.t('cli.stationDay.none'),
          cli.t('cli.stationDay.total', { payments: day.paymentCount, paymentsFen: y(day.paymentsFen), reversals: day.reversalCount, reversalsFen: y(day.reversalsFen), net: y(day.netFen), cash: y(day.cashTakingsFen) }),
          cli.t('cli.stationDay.closings', { closed: day.closedCount, unclosed: day.unclosedCount, difference: y(day.differenceFen), awaiting: day.awaitingSignOff }),
          ...(pdf ? [cli.t('cli.stationDay.printed', { file: pdf.file, bytes: pdf.bytes })] : []),
        ].join('\n'),
      );
    },
  },
  {
    name: 'closings list',
    summary: 'Daily closings (日结), newest first; --awaiting: those with a cash difference to sign off',
    usage: '[--date YYYY-MM-DD] [--clerk STAFF_NO] [--awaiting]',
    options: { date: text, clerk: text, awaiting: flag },
    channels: ['staff.directory', 'collection.closings'],
    json: '{ rows: [{ closingId, clerk, businessDate, paymentCount, netFen, expectedCashFen, countedCashFen, differenceFen, status, … }] }',
    async run(cli, v) {
      const date = str(v, 'date');
      const clerk = str(v, 'clerk');
      const { rows } = await cli.invoke('collection.closings', {
        ...(date ? { businessDate: dateOf(date, '--date') } : {}),
        ...(clerk ? { staffId: (await staffByNo(cli, clerk)).id } : {}),
        ...(v.awaiting === true ? { awaitingSignOff: true } : {}),
      });
      cli.print({ rows }, () => (rows.length ? rows.map((c) => closingLine(cli, c)).join('\n') : cli.t('cli.closings.none')));
    },
  },
  {
    name: 'closings show',
    summary: 'The daily closing report (日结报表): totals, every receipt and reversal',
    usage: 'CLOSING_ID',
    positionals: [1, 1],
    channels: ['collection.closing'],
    json: 'the closing with station, payments[] and reversals[]',
    async run(cli, _v, [closingId = '']) {
      const report = await cli.invoke('collection.closing', { closingId });
      cli.print(report, () => [closingLine(cli, report), ...report.payments.map((p) => `  ${p.receiptNo} ${p.accountNo} ${p.customerName} ${y(p.amountFen)} ${label(cli, 'collection.channel', p.channel)} ${label(cli, 'collection.status', p.status)} ${when(p.postedAt)}`)].join('\n'));
    },
  },
  {
    name: 'closings sign-off',
    summary: 'The station head signs off a closing with a cash difference (--staff HEAD_NO)',
    usage: 'CLOSING_ID --staff HEAD_NO [--note TEXT]',
    options: { note: text },
    positionals: [1, 1],
    channels: ['collection.signOffClosing'],
    json: 'the closing summary',
    async run(cli, v, [closingId = '']) {
      const note = str(v, 'note');
      const closing = await cli.invoke('collection.signOffClosing', { closingId, ...(note ? { note } : {}) });
      cli.print(closing, () => cli.t('cli.closings.signed', { line: closingLine(cli, closing) }));
    },
  },
  {
    name: 'closings export',
    summary: 'Write a daily closing report as a workbook (xlsx)',
    usage: 'CLOSING_ID --out FILE.xlsx',
    options: { out: text },
    positionals: [1, 1],
    channels: ['collection.exportClosing'],
    json: '{ file }',
    async run(cli, v, [closingId = '']) {
      const out = required(v, 'out', 'FILE.xlsx');
      const file = await cli.invoke('collection.exportClosing', { closingId });
      const path = writeFile(out, file.base64);
      cli.print({ file: path }, () => cli.t('cli.wrote', { file: path }));
    },
  },
  {
    name: 'arrears export',
    summary: 'Write the arrears list (欠费清单) as a workbook (xlsx)',
    usage: '--out FILE.xlsx [--book BOOK_NO] [--village V] [--eligible]',
    options: { out: text, book: text, village: text, eligible: flag },
    channels: ['books.list', 'arrears.export'],
    json: '{ file }',
    async run(cli, v) {
      const out = required(v, 'out', 'FILE.xlsx');
      const book = str(v, 'book');
      const village = str(v, 'village');
      const file = await cli.invoke('arrears.export', {
        ...(book ? { bookId: (await bookByNo(cli, book)).id } : {}),
        ...(village ? { village } : {}),
        ...(v.eligible === true ? { eligibleOnly: true } : {}),
      });
      const path = writeFile(out, file.base64);
      cli.print({ file: path }, () => cli.t('cli.wrote', { file: path }));
    },
  },
  {
    name: 'arrears remind',
    summary: 'Issue arrears reminders (催费通知单): to everyone in arrears in a book, or to the accounts named',
    usage: '--book BOOK_NO | ACCOUNT_NO … [--days N]',
    options: { book: text, days: text },
    positionals: [0, 5000],
    channels: ['books.list', 'collection.balance', 'arrears.remind'],
    json: '{ batchId, count }',
    async run(cli, v, accounts) {
      const book = str(v, 'book');
      if (!book && accounts.length === 0) throw new UsageError(say('cli.err.eitherOf', { a: '--book BOOK_NO', b: 'ACCOUNT…' }));
      const days = str(v, 'days');
      const result = await cli.invoke('arrears.remind', {
        ...(book ? { bookId: (await bookByNo(cli, book)).id } : {}),
        ...(accounts.length ? { customerIds: await customerIds(cli, accounts) } : {}),
        ...(days ? { payWithinDays: intOf(days, '--days', 1, 60) } : {}),
      });
      cli.print(result, () => cli.t('cli.remind.done', { count: result.count, batch: result.batchId }));
    },
  },
  {
    name: 'arrears notice',
    summary: 'Issue a disconnection notice (停电通知) to an eligible account (nothing is cut automatically)',
    usage: 'ACCOUNT_NO',
    positionals: [1, 1],
    channels: ['collection.balance', 'arrears.issueNotice'],
    json: '{ noticeId }',
    async run(cli, _v, [accountNo = '']) {
      const [customerId = ''] = await customerIds(cli, [accountNo]);
      const result = await cli.invoke('arrears.issueNotice', { customerId });
      cli.print(result, () => cli.t('cli.notice.done', { account: accountNo, notice: result.noticeId }));
    },
  },
];
