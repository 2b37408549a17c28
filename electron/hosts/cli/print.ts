import { resolve } from 'node:path';
import { sql } from '../../backend/db/sql';
import type { PrintJob } from '../printToPdf';
import { InputError, say, type CliCommand, type CliContext } from './context';
import { required, text } from './helpers';

// `griddesk print …`: the documents the arrears screen prints, as PDF files — arrears reminders
// (催费通知单) and disconnection notices (停电通知). The same print routes, pages and paper as the
// UI (renderer/collection/ReminderPrint.tsx, NoticePrint.tsx), rendered by the system Chromium
// through printRoutesToPdf, as the CLI's staff member (--staff) or the local operator.

/**
 * Renders print routes to PDF through the system Chromium; a machine without one is told so in
 * --lang. The printing code loads here, on the first print: the other verbs start without it
 * (issue 21, start-up).
 */
export async function printJobs(cli: CliContext, jobs: PrintJob[]): Promise<{ path: string; bytes: number }[]> {
  const { PrintUnavailable, printRoutesToPdf } = await import('../printToPdf');
  return printRoutesToPdf(cli.backend(), jobs, cli.locale).catch((error: unknown) => {
    throw error instanceof PrintUnavailable ? new InputError(error.said) : error;
  });
}

export async function printRoute(cli: CliContext, route: string, out: string): Promise<{ file: string; bytes: number }> {
  const staffId = cli.staffNo === undefined ? undefined : cli.backend().store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = ${cli.staffNo} AND active = 1`);
  if (cli.staffNo !== undefined && !staffId) throw new InputError(say('cli.noStaff', { staffNo: cli.staffNo }));
  const job = { route, as: staffId ? { staffId } : { operator: cli.operator }, out: resolve(out), timeoutMs: 60_000 };
  const [written] = await printJobs(cli, [job]);
  if (!written) throw new InputError(say('cli.err.noPdf'));
  return { file: written.path, bytes: written.bytes };
}

export const printCommands: CliCommand[] = [
  {
    name: 'print reminders',
    summary: 'Print a batch of arrears reminders (催费通知单) to PDF: one A5 page per customer, as the arrears screen prints them',
    usage: 'BATCH_ID --out FILE.pdf',
    positionals: [1, 1],
    options: { out: text },
    channels: ['arrears.reminders'],
    json: '{ batchId, customers, file, bytes }',
    async run(cli, v, [batchId = '']) {
      const out = required(v, 'out', 'FILE.pdf');
      // A clear message for an unknown batch before any browser starts.
      const batch = await cli.invoke('arrears.reminders', { batchId });
      if (batch.rows.length === 0) throw new InputError(say('cli.err.noReminderBatch', { batch: batchId }));
      const written = await printRoute(cli, `/print/reminders/${encodeURIComponent(batchId)}`, out);
      cli.print({ batchId, customers: batch.rows.length, ...written }, () => cli.t('cli.print.reminders', { count: batch.rows.length, file: written.file, bytes: written.bytes }));
    },
  },
  {
    name: 'print notice',
    summary: 'Print a disconnection notice (停电通知) to PDF, as the arrears screen prints it',
    usage: 'NOTICE_ID --out FILE.pdf',
    positionals: [1, 1],
    options: { out: text },
    channels: ['arrears.notice'],
    json: '{ noticeId, accountNo, file, bytes }',
    async run(cli, v, [noticeId = '']) {
      const out = required(v, 'out', 'FILE.pdf');
      const notice = await cli.invoke('arrears.notice', { noticeId });
      const written = await printRoute(cli, `/print/notice/${encodeURIComponent(noticeId)}`, out);
      cli.print({ noticeId, accountNo: notice.accountNo, ...written }, () => cli.t('cli.print.notice', { account: notice.accountNo, file: written.file, bytes: written.bytes }));
    },
  },
];
