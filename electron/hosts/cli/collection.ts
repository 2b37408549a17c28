import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { ArrearsRow } from '../../../shared/contract/collection';
import { COUNTER_CHANNELS, type CounterChannel } from '../../../shared/contract/collection';
import { fenToYuan, yuanToFen } from '../../../shared/money';
import { isDate, shanghaiDate } from '../../../shared/time';
import { sql } from '../../backend/db/sql';
import { printJobs } from './print';
import { InputError, UsageError, type CliCommand, type CliContext, type Values, say } from './context';
import { cols, label, table } from './helpers';

// Counter fee collection from the command line: pay, balance, reverse, close-day, arrears,
// receipt. Clerk actions (pay, close-day) need --staff STAFF_NO: the clerk whose drawer it is.

const text = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;

function yuanOption(values: Values, name: string, required: true): number;
function yuanOption(values: Values, name: string, required: false): number | undefined;
function yuanOption(values: Values, name: string, required: boolean): number | undefined {
  const value = values[name];
  if (value === undefined) {
    if (required) throw new UsageError(say('cli.err.needs', { what: `--${name} YUAN` }));
    return undefined;
  }
  try {
    const fen = yuanToFen(String(value));
    if (fen < 0) throw new Error('negative');
    return fen;
  } catch {
    throw new InputError(say('cli.err.amount', { what: `--${name}`, value: String(value) }));
  }
}

function stringOption(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

async function customerId(cli: CliContext, accountNo: string): Promise<string> {
  return (await cli.invoke('collection.balance', { accountNo })).customer.id;
}

function approverOf(values: Values): { staffNo: string; password: string } | undefined {
  const staffNo = stringOption(values, 'approver');
  const password = stringOption(values, 'approver-password');
  if (staffNo === undefined && password === undefined) return undefined;
  if (!staffNo || password === undefined) throw new UsageError(say('cli.err.together', { a: '--approver STAFF_NO', b: '--approver-password P' }));
  return { staffNo, password };
}

const y = fenToYuan;

function arrearsLine(cli: CliContext, r: ArrearsRow): string {
  return [r.accountNo.padEnd(14), r.name.padEnd(8), y(r.principalFen).padStart(10), y(r.penaltyFen).padStart(8), String(r.daysOverdue).padStart(5), ` ${r.periods.join(',')}`, r.eligible ? cli.t('cli.arrears.eligible') : ''].join(' ');
}
const channelName = (cli: CliContext, channel: string) => label(cli, 'collection.channel', channel);

export const collectionCommands: CliCommand[] = [
  {
    name: 'pay',
    summary: 'Take a payment (as the clerk named by --staff); prints the receipt number and the new balance',
    channels: ['collection.balance', 'collection.pay'],
    json: '{ receiptNo, amountFen, channel, accountNo, customerName, changeFen, lines: [{ period, penaltyFen, principalFen }], toPrepaidFen, balanceAfterFen, payDate, businessDate, duplicate, … }',
    usage: 'ACCOUNT_NO --amount YUAN --channel cash|card|qr|transfer [--tendered YUAN [--confirm-large-tender]] [--reference REF] [--key K] [--date YYYY-MM-DD --approver HEAD_NO --approver-password P] --staff STAFF_NO',
    positionals: [1, 1],
    options: { amount: text, channel: text, tendered: text, 'confirm-large-tender': flag, reference: text, key: text, date: text, approver: text, 'approver-password': text },
    async run(cli, v, [accountNo = '']) {
      const channel = stringOption(v, 'channel');
      if (!channel || !(COUNTER_CHANNELS as readonly string[]).includes(channel)) throw new UsageError(say('cli.err.oneOf', { what: '--channel', values: COUNTER_CHANNELS.join(', ') }));
      const amountFen = yuanOption(v, 'amount', true);
      const tenderedFen = yuanOption(v, 'tendered', false);
      const reference = stringOption(v, 'reference');
      // 补录: an earlier pay date (penalties to that day), with the station head's approval.
      const payDate = stringOption(v, 'date');
      if (payDate !== undefined && !isDate(payDate)) throw new UsageError(say('cli.err.badDate', { what: '--date', value: payDate }));
      const approver = approverOf(v);
      const posted = await cli.invoke('collection.pay', {
        ...(payDate ? { payDate } : {}),
        ...(approver ? { approver } : {}),
        customerId: await customerId(cli, accountNo),
        amountFen,
        channel: channel as CounterChannel,
        idempotencyKey: stringOption(v, 'key') ?? `cli-${randomUUID()}`,
        ...(tenderedFen !== undefined ? { tenderedFen } : {}),
        ...(v['confirm-large-tender'] === true ? { confirmedLargeTender: true } : {}),
        ...(reference ? { reference } : {}),
      });
      cli.print(posted, () =>
        [
          (posted.duplicate ? cli.t('cli.pay.duplicate') : '') +
            cli.t('cli.pay.posted', { receiptNo: posted.receiptNo, amount: y(posted.amountFen), channel: channelName(cli, posted.channel), account: posted.accountNo, name: posted.customerName }) +
            (posted.changeFen ? cli.t('cli.pay.change', { change: y(posted.changeFen) }) : ''),
          ...posted.lines.map((l) => cli.t('cli.pay.line', { period: l.period, penalty: y(l.penaltyFen), principal: y(l.principalFen) })),
          ...(posted.toPrepaidFen ? [cli.t('cli.pay.toPrepaid', { amount: y(posted.toPrepaidFen) })] : []),
          cli.t('cli.pay.balance', { balance: y(posted.balanceAfterFen), prepaid: posted.balanceAfterFen < 0 ? cli.t('cli.pay.prepaid') : '', day: posted.businessDate }),
        ].join('\n'),
      );
    },
  },
  {
    name: 'balance',
    summary: 'What a customer owes today (or on a later day with --as-of): unpaid bills by period, penalties, prepaid balance, total due',
    channels: ['collection.balance'],
    json: '{ customer, payDate, businessDate, bills: [{ billNo, period, dueDate, principalFen, penaltyFen, totalFen, daysLate, … }], principalFen, penaltyFen, arrearsFen, prepaidFen, totalDueFen, ledgerBalanceFen, recentPayments, prepaidOffsetFen, largeTenderOverFen }',
    usage: 'ACCOUNT_NO [--as-of YYYY-MM-DD] [--json]',
    positionals: [1, 1],
    options: { 'as-of': text },
    async run(cli, v, [accountNo = '']) {
      const asOf = stringOption(v, 'as-of');
      if (asOf !== undefined && !isDate(asOf)) throw new UsageError(say('cli.err.badDate', { what: '--as-of', value: asOf }));
      const b = await cli.invoke('collection.balance', { accountNo, ...(asOf ? { asOf } : {}) });
      cli.print(b, () =>
        [
          `${b.customer.accountNo} ${b.customer.name} (${label(cli, 'billing.class', b.customer.customerClass)}) ${b.customer.address}`,
          table([cols(cli, 'cli.balance.cols'), ...b.bills.map((bill) => [bill.period, bill.billNo, bill.dueDate, y(bill.principalFen), y(bill.penaltyFen), String(bill.daysLate)])]),
          cli.t('cli.balance.total', { arrears: y(b.arrearsFen), prepaid: y(b.prepaidFen), total: y(b.totalDueFen), date: b.payDate }),
        ].join('\n'),
      );
    },
  },
  {
    name: 'reverse',
    summary: 'Reverse a payment (冲正): approved at once with the station head\'s login, else queued for approval',
    channels: ['collection.requestReversal'],
    json: '{ receiptNo, requestId, status: "approved" | "pending" }',
    usage: 'RECEIPT_NO --reason TEXT [--approver STAFF_NO --approver-password P]',
    positionals: [1, 1],
    options: { reason: text, approver: text, 'approver-password': text },
    async run(cli, v, [receiptNo = '']) {
      const reason = stringOption(v, 'reason');
      if (!reason) throw new UsageError(say('cli.err.needs', { what: '--reason TEXT' }));
      const approver = approverOf(v);
      const result = await cli.invoke('collection.requestReversal', { receiptNo, reason, ...(approver ? { approver } : {}) });
      cli.print({ receiptNo, ...result }, () =>
        cli.t(result.status === 'approved' ? 'cli.reverse.done' : 'cli.reverse.pending', { receiptNo }),
      );
    },
  },
  {
    name: 'close-day',
    summary: 'Daily closing (日结) of the clerk named by --staff, with the cash counted',
    channels: ['collection.closeDay'],
    json: 'the closing: { closingId, clerk, businessDate, paymentCount, reversalCount, netFen, byChannel[], expectedCashFen, countedCashFen, differenceFen, status, … }',
    usage: '--staff STAFF_NO --counted YUAN [--float YUAN] [--date YYYY-MM-DD] [--reason TEXT] [--approver STAFF_NO --approver-password P]',
    options: { counted: text, float: text, date: text, reason: text, approver: text, 'approver-password': text },
    async run(cli, v) {
      const date = stringOption(v, 'date') ?? shanghaiDate(Date.now());
      if (!isDate(date)) throw new UsageError(say('cli.err.badDate', { what: '--date', value: date }));
      const approver = approverOf(v);
      const reason = stringOption(v, 'reason');
      const closing = await cli.invoke('collection.closeDay', {
        businessDate: date,
        countedCashFen: yuanOption(v, 'counted', true),
        openingFloatFen: yuanOption(v, 'float', false) ?? 0,
        ...(reason ? { reason } : {}),
        ...(approver ? { approver } : {}),
      });
      cli.print(closing, () =>
        [
          cli.t('cli.close.head', { date: closing.businessDate, staffNo: closing.clerk.staffNo, name: closing.clerk.name, payments: closing.paymentCount, reversals: closing.reversalCount, net: y(closing.netFen) }),
          closing.firstReceiptNo ? cli.t('cli.close.receipts', { first: closing.firstReceiptNo, last: closing.lastReceiptNo ?? '' }) : cli.t('cli.close.noReceipts'),
          ...closing.byChannel.filter((c) => c.paymentCount || c.reversalCount).map((c) => `  ${channelName(cli, c.channel)}  ${String(c.paymentCount).padStart(4)}  ${y(c.netFen).padStart(12)}`),
          cli.t('cli.close.cash', { expected: y(closing.expectedCashFen), counted: y(closing.countedCashFen), difference: y(closing.differenceFen) }) +
            (closing.status === 'awaiting_sign_off' ? cli.t('cli.close.awaits') : closing.status === 'signed_off' ? cli.t('cli.close.signed') : ''),
        ].join('\n'),
      );
    },
  },
  {
    name: 'arrears',
    summary: 'Customers in arrears, most overdue first (--eligible: those a disconnection notice may be given to)',
    channels: ['arrears.list'],
    json: '[{ accountNo, name, principalFen, penaltyFen, daysOverdue, periods[], eligible, … }]',
    usage: '[--village V] [--area TRANSFORMER_AREA] [--book BOOK_NO] [--min-days N] [--min-amount YUAN] [--eligible] [--json]',
    options: { village: text, area: text, book: text, 'min-days': text, 'min-amount': text, eligible: flag },
    async run(cli, v) {
      const bookNo = stringOption(v, 'book');
      let bookId: string | undefined;
      if (bookNo) {
        bookId = cli.backend().store.read.value<string>(sql`SELECT id FROM books WHERE book_no = ${bookNo}`);
        if (!bookId) throw new InputError(say('cli.noBook', { book: bookNo }));
      }
      const minDays = stringOption(v, 'min-days');
      if (minDays !== undefined && !/^\d+$/.test(minDays)) throw new UsageError(say('cli.err.wholeNumber', { what: '--min-days', value: minDays }));
      const village = stringOption(v, 'village');
      const area = stringOption(v, 'area');
      const minAmountFen = yuanOption(v, 'min-amount', false);
      const filter = {
        ...(village ? { village } : {}),
        ...(area ? { transformerArea: area } : {}),
        ...(bookId ? { bookId } : {}),
        ...(minDays !== undefined ? { minDaysOverdue: Number(minDays) } : {}),
        ...(minAmountFen !== undefined ? { minAmountFen } : {}),
        ...(v.eligible ? { eligibleOnly: true } : {}),
      };
      const rows: ArrearsRow[] = [];
      for (let offset = 0; ; offset += 1000) {
        const page = await cli.invoke('arrears.list', { ...filter, limit: 1000, offset });
        rows.push(...page.rows);
        if (rows.length >= page.total) break;
      }
      cli.print(rows, () => [cli.t('cli.arrears.count', { count: rows.length }), ...rows.map((r) => arrearsLine(cli, r))].join('\n'));
    },
  },
  {
    name: 'receipt',
    summary: 'Print a receipt to PDF (a copy if it was printed before)',
    channels: ['collection.receipt'],
    json: '{ receiptNo, file, bytes }',
    usage: 'RECEIPT_NO --out FILE.pdf [--paper roll80|a5]',
    positionals: [1, 1],
    options: { out: text, paper: text },
    async run(cli, v, [receiptNo = '']) {
      const out = stringOption(v, 'out');
      if (!out) throw new UsageError(say('cli.err.needs', { what: '--out FILE.pdf' }));
      const paper = stringOption(v, 'paper') ?? 'roll80';
      if (paper !== 'roll80' && paper !== 'a5') throw new UsageError(say('cli.err.oneOf', { what: '--paper', values: 'roll80, a5' }));
      await cli.invoke('collection.receipt', { receiptNo }); // a clear message for an unknown receipt, before any browser starts
      const staffId = cli.staffNo === undefined ? undefined : cli.backend().store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = ${cli.staffNo} AND active = 1`);
      if (cli.staffNo !== undefined && !staffId) throw new InputError(say('cli.noStaff', { staffNo: cli.staffNo ?? '' }));
      const job = {
        route: `/print/receipt/${encodeURIComponent(receiptNo.toUpperCase())}?paper=${paper === 'a5' ? 'A5' : 'Roll80'}`,
        as: staffId ? { staffId } : { operator: cli.operator },
        out: resolve(out),
        timeoutMs: 30_000,
      };
      const [file] = await printJobs(cli, [job]);
      if (!file) throw new InputError(say('cli.err.noPdf'));
      cli.print({ receiptNo, file: file.path, bytes: file.bytes }, () => cli.t('cli.receipt.saved', { receiptNo, file: file.path, bytes: file.bytes }));
    },
  },
];
