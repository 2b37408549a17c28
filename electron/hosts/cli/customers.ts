import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ImportPreview, JobKind, JobResultOf } from '../../../shared/contract';
import { formatCenti } from '../../../shared/money';
import { translate } from '../../../shared/i18n';
import { Backend } from '../../backend/context';
import { sql } from '../../backend/db/sql';
import { buildDemoStation, demoOptions, DEMO_STATION } from '../../backend/demo/build';
import { AppError } from '../../backend/errors';
import { readWorkbookFile } from '../../backend/customers/workbook/refusal';
import { appVersion, EXIT_BAD_INPUT, InputError, UsageError, type CliCommand, type CliContext, say } from './context';

const stringOption = { type: 'string' } as const;

/** Waits for a job started through a channel; a failed job becomes the CLI's error. */
function jobResult<K extends JobKind>(cli: CliContext, kind: K, jobId: string): Promise<JobResultOf<K>> {
  return cli.job(kind, { jobId });
}

function intOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(say('cli.err.wholeNumber', { what: `--${name}`, value: String(value) }));
  return n;
}

export const customersCommands: CliCommand[] = [
  {
    name: 'customers import',
    summary: 'Check a customer workbook row by row; with --commit, file its valid rows',
    channels: ['customers.importPreview', 'customers.importCommit'],
    json: 'the preview { importId, rows, validRows, customers, invalidRows, issues: [{ row, column, message }] }; with --commit { preview, committed: { customers, meters, batch } }',
    usage: 'FILE.xlsx [--commit]',
    options: { commit: { type: 'boolean' } },
    positionals: [1, 1],
    async run(cli, v, [file = '']) {
      const path = resolve(file);
      const bytes = readWorkbookFile(path, file);
      const started = await cli.invoke('customers.importPreview', { fileName: basename(path), base64: bytes.toString('base64') });
      const preview = await jobResult(cli, 'customers.importPreview', started.jobId);
      const lines = [
        translate(cli.locale, 'customers.import.summary', { rows: preview.rows, valid: preview.validRows, customers: preview.customers, invalid: preview.invalidRows }),
        ...preview.issues.map((i) => `  ${cli.t('cli.customers.row', { row: i.row, column: i.column, message: i.message })}`),
      ];
      if (!v.commit) {
        cli.print(preview, () => lines.join('\n'));
        return preview.invalidRows > 0 ? EXIT_BAD_INPUT : 0;
      }
      if (preview.customers === 0) throw new InputError(translate(cli.locale, 'customers.import.nothingValid'));
      const committed = await cli.invoke('customers.importCommit', { importId: preview.importId });
      const result = await jobResult(cli, 'customers.importCommit', committed.jobId);
      cli.print({ preview, committed: result }, () => [...lines, translate(cli.locale, 'customers.import.done', { customers: result.customers, meters: result.meters, batch: result.batch })].join('\n'));
    },
  },
  {
    name: 'customers export',
    summary: 'Write the customer list to an xlsx workbook (optionally filtered)',
    channels: ['customers.export'],
    json: '{ file, customers }',
    usage: '--out FILE.xlsx [--township T] [--village V] [--area A] [--class C] [--status S]',
    options: { out: stringOption, township: stringOption, village: stringOption, area: stringOption, class: stringOption, status: stringOption },
    async run(cli, v) {
      if (typeof v.out !== 'string') throw new UsageError(say('cli.err.needs', { what: '--out FILE.xlsx' }));
      const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
      const filter = {
        ...(str(v.township) ? { township: str(v.township) } : {}),
        ...(str(v.village) ? { village: str(v.village) } : {}),
        ...(str(v.area) ? { transformerArea: str(v.area) } : {}),
        ...(str(v.class) ? { customerClass: str(v.class) as never } : {}),
        ...(str(v.status) ? { status: str(v.status) as never } : {}),
      };
      const started = await cli.invoke('customers.export', filter);
      const result = await jobResult(cli, 'customers.export', started.jobId);
      const out = resolve(v.out);
      writeFileSync(out, Buffer.from(result.base64, 'base64'));
      cli.print({ file: out, customers: result.count }, () => cli.t('cli.customers.exported', { count: result.count, out }));
    },
  },
  {
    name: 'customers template',
    summary: 'Write the customer import template (header row and one example)',
    channels: ['customers.template'],
    json: '{ file }',
    usage: '--out FILE.xlsx',
    options: { out: stringOption },
    async run(cli, v) {
      if (typeof v.out !== 'string') throw new UsageError(say('cli.err.needs', { what: '--out FILE.xlsx' }));
      const { base64 } = await cli.invoke('customers.template', {});
      const out = resolve(v.out);
      writeFileSync(out, Buffer.from(base64, 'base64'));
      cli.print({ file: out }, () => cli.t('cli.customers.template', { out }));
    },
  },
  {
    name: 'customers search',
    summary: 'Find customers: account no., name, pinyin initials, phone tail, meter no. or address',
    channels: ['customers.search'],
    json: '[{ accountNo, name, phone, address, meterNos[], status, matchedBy }]',
    usage: 'QUERY [--limit N]',
    options: { limit: stringOption },
    positionals: [1, 1],
    async run(cli, v, [query = '']) {
      const { hits } = await cli.invoke('customers.search', { query, limit: Math.min(50, intOption(v.limit, 'limit', 20)) });
      const rows = hits.map((h) => ({ accountNo: h.accountNo, name: h.name, phone: h.phone, address: h.address, meterNos: h.meterNos, status: h.status, matchedBy: h.matchedBy }));
      cli.print(rows, () =>
        rows.length === 0
          ? translate(cli.locale, 'customers.noHits')
          : rows.map((r) => `${r.accountNo}  ${r.name}  ${r.phone}  ${r.address}  ${r.meterNos.join(',')}  ${translate(cli.locale, `customers.status.${r.status}`)}`).join('\n'),
      );
      return rows.length === 0 ? EXIT_BAD_INPUT : 0;
    },
  },
  {
    name: 'customers show',
    summary: 'Print one customer file with its meters',
    channels: ['customers.get'],
    json: '{ customer, points: [{ id, label, active, meters[] }] }',
    usage: 'ACCOUNT_NO',
    positionals: [1, 1],
    async run(cli, _v, [accountNo = '']) {
      const detail = await cli.invoke('customers.get', { accountNo });
      const c = detail.customer;
      const t = (key: Parameters<typeof translate>[1]) => translate(cli.locale, key);
      cli.print(detail, () =>
        [
          `${c.accountNo}  ${c.name}  (${t(`customers.status.${c.status}`)} ${c.statusDate})`,
          `  ${t('customers.field.address')}: ${c.address}   ${t('customers.field.transformerArea')}: ${c.transformerArea}`,
          `  ${t('customers.field.customerClass')}: ${t(`customers.class.${c.customerClass}`)}   ${t('customers.field.tariffCode')}: ${c.tariffCode ?? '-'}`,
          `  ${t('customers.field.phone')}: ${[c.phone, c.phone2].filter(Boolean).join(' / ') || '-'}   ${t('customers.field.idCard')}: ${c.idCard || '-'}`,
          ...detail.points.flatMap((p) =>
            p.meters.map(
              (m) =>
                `  ${p.label || '-'}  ${m.meterNo}  ×${m.multiplier}  ${m.digits}  ${m.installDate} ${formatCenti(m.startReading)}` +
                (m.removedDate ? `  → ${m.removedDate} ${formatCenti(m.finalReading ?? 0)}` : ''),
            ),
          ),
        ].join('\n'),
      );
    },
  },
  {
    name: 'demo',
    summary: 'Build a demo station (staff, customers, meters and every desk\'s demo data) in an empty database',
    channels: [],
    json: '{ db, station, options, seconds, logins: [{ staffNo, name, role, password }] }',
    usage: '[--customers N] [--months M] [--seed S] [--as-of YYYY-MM-DD]',
    options: { customers: stringOption, months: stringOption, seed: stringOption, 'as-of': stringOption },
    async run(cli, v) {
      const options = demoOptions({
        customers: intOption(v.customers, 'customers', 2000),
        months: intOption(v.months, 'months', 13),
        seed: intOption(v.seed, 'seed', 1),
        ...(typeof v['as-of'] === 'string' ? { asOf: v['as-of'] } : {}),
      });
      if (options.customers < 10) throw new UsageError(say('cli.err.atLeast', { what: '--customers', min: 10 }));
      if (!/^\d{4}-\d{2}-\d{2}$/.test(options.asOf)) throw new UsageError(say('cli.err.badDate', { what: '--as-of', value: options.asOf }));
      if (existsSync(cli.dbPath)) {
        const existing = new Backend({ db: cli.dbPath, appVersion: appVersion() });
        const setUp = existing.store.read.value(sql`SELECT 1 FROM station`);
        existing.close();
        if (setUp) throw new AppError('conflict', 'customers.err.stationExists');
      }
      let last = -1;
      const { staff, ms } = await buildDemoStation(cli.dbPath, options, {
        tick: async (done, _total, step) => {
          const percent = Math.floor(done / 10);
          if (percent !== last && !cli.json) process.stderr.write(`\r${step ?? ''} ${percent}%   `);
          last = percent;
        },
      });
      if (!cli.json) process.stderr.write('\n');
      const logins = staff.map(({ staffNo, name, role, password }) => ({ staffNo, name, role, password }));
      cli.print({ db: cli.dbPath, station: DEMO_STATION, options, seconds: ms / 1000, logins }, () =>
        [
          cli.t('cli.demo.head', { code: DEMO_STATION.code, name: DEMO_STATION.name, customers: options.customers, months: options.months, seed: options.seed, seconds: (ms / 1000).toFixed(1) }),
          cli.t('cli.demo.db', { db: cli.dbPath }),
          cli.t('cli.demo.logins'),
          ...logins.map((l) => `  ${l.staffNo}  ${l.name}  ${translate(cli.locale, `role.${l.role}`)}  ${cli.t('cli.demo.password', { password: l.password })}`),
        ].join('\n'),
      );
    },
  },
];
