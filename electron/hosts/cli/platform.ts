import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../backend/errors';
import Database from 'better-sqlite3';
import { loadMigrations } from '../../backend/db/migrations';
import { sql } from '../../backend/db/sql';
import { backupToFile, restoreFrom, restoreOverDamaged, scheduleDailyBackup, verifyBackupFile } from '../../backend/backup/backup';
import { checkStation } from '../../backend/checkStation';
import { scheduleRunResume } from '../../backend/billing/run';
import { INVARIANTS } from '../../backend/invariants';
import { EXIT_BAD_INPUT, UsageError, type CliCommand, type CliContext, say } from './context';
import { hasMessage } from '../../../shared/i18n';
import { versionInfo, versionText } from './version';

const stringOption = { type: 'string' } as const;

/** An invariant's name in --lang (the dictionary has each; a new one shows its English name until added). */
function checkName(cli: CliContext, name: string): string {
  const key = `cli.inv.${name}`;
  return hasMessage(key) ? cli.t(key) : name;
}

export const platformCommands: CliCommand[] = [
  {
    name: 'init',
    summary: 'Set up a new station and its first administrator',
    channels: ['station.setup'],
    json: '{ stationId, adminId, db }',
    usage: '--station CODE --name NAME --admin STAFF_NO --password PASSWORD [--admin-name NAME]',
    options: { station: stringOption, name: stringOption, admin: stringOption, password: stringOption, 'admin-name': stringOption },
    async run(cli, v) {
      for (const required of ['station', 'name', 'admin', 'password']) {
        if (typeof v[required] !== 'string') throw new UsageError(say('cli.err.needs', { what: `--${required}` }));
      }
      const result = await cli.invoke('station.setup', {
        stationCode: String(v.station),
        stationName: String(v.name),
        adminNo: String(v.admin),
        adminName: typeof v['admin-name'] === 'string' ? v['admin-name'] : String(v.admin),
        password: String(v.password),
      });
      cli.print({ ...result, db: cli.dbPath }, () => cli.t('cli.init.done', { code: String(v.station).toUpperCase(), name: String(v.name), db: cli.dbPath }));
    },
  },
  {
    name: 'serve',
    summary: 'Run the station in browser mode on this PC (prints the URL)',
    channels: [],
    json: '{ url, db } (then runs until Ctrl+C)',
    usage: '[--port N] [--host H]',
    options: { port: stringOption, host: stringOption },
    async run(cli, v) {
      const port = v.port === undefined ? 5174 : Number(v.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(say('cli.err.port', { value: String(v.port) }));
      const backend = cli.backend();
      // The web host (and the PDF printing it serves) loads for `serve` only: other verbs start without it.
      const { startWebHost } = await import('../web');
      const host = await startWebHost({ backend, port, host: typeof v.host === 'string' ? v.host : '127.0.0.1' });
      scheduleDailyBackup(backend);
      scheduleRunResume(backend); // a billing run a crash stopped half-way is finished (issue 18)
      cli.print({ url: host.url, db: cli.dbPath }, () => cli.t('cli.serve.running', { url: host.url, db: cli.dbPath }));
      await new Promise<void>((done) => {
        const stop = () => {
          void host.close().then(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    },
  },
  {
    name: 'check',
    summary: 'Check the database: schema version, integrity_check and invariants',
    channels: [],
    json: '{ db, schemaVersion, supportedVersion, integrity, checks[], problems: [{ check, problem }], ok }',
    async run(cli) {
      const backend = cli.backend();
      const { integrity, problems } = checkStation(backend);
      const report = {
        db: cli.dbPath,
        schemaVersion: backend.schemaVersion,
        supportedVersion: loadMigrations().length,
        integrity: integrity.join('; '),
        checks: INVARIANTS.map((i) => i.name),
        problems,
        ok: problems.length === 0,
      };
      cli.print(report, () =>
        [
          cli.t('cli.check.head', { db: report.db, version: report.schemaVersion }),
          cli.t('cli.check.integrity', { result: report.integrity }),
          ...INVARIANTS.map((i) => `${cli.t(problems.some((p) => p.check === i.name) ? 'cli.check.fail' : 'cli.check.ok')} ${checkName(cli, i.name)}`),
          ...problems.map((p) => `  ${p.check}: ${p.problem}`),
        ].join('\n'),
      );
      return report.ok ? 0 : EXIT_BAD_INPUT;
    },
  },
  {
    name: 'backup',
    summary: 'Copy the database to FILE while it stays in use',
    channels: [],
    json: '{ file, size }',
    usage: '--out FILE',
    options: { out: stringOption },
    async run(cli, v) {
      if (typeof v.out !== 'string') throw new UsageError(say('cli.err.needs', { what: '--out FILE' }));
      const out = resolve(v.out);
      if (!existsSync(dirname(out))) throw new AppError('validation', 'backup.noFolder', { dir: dirname(out) });
      // Checked before it is named FILE: a copy of a damaged database is left as FILE.failed.
      const size = await backupToFile(cli.backend(), out);
      cli.print({ file: out, size }, () => cli.t('cli.backup.done', { db: cli.dbPath, out, size }));
    },
  },
  {
    name: 'restore',
    summary: 'Replace the database with a backup (the current data is backed up first; refused while another program has it open)',
    channels: [],
    json: '{ restored, db, previousDataSavedAs }',
    usage: '--from FILE [--replace-station]',
    options: { from: stringOption, 'replace-station': { type: 'boolean' } },
    async run(cli, v) {
      if (typeof v.from !== 'string') throw new UsageError(say('cli.err.needs', { what: '--from FILE' }));
      const from = resolve(v.from);
      verifyBackupFile(from); // before opening (and maybe migrating) anything
      let backend;
      try {
        backend = cli.backend();
      } catch (error) {
        // The file is too damaged to open (what store.corrupt tells the office to fix with this very command).
        if (!(error instanceof AppError && error.key === 'store.corrupt')) throw error;
        const saved = restoreOverDamaged(cli.dbPath, join(dirname(cli.dbPath), 'backups'), from, Date.now());
        cli.backend(); // opens (and migrates) the restored file
        cli.print({ restored: from, db: cli.dbPath, previousDataSavedAs: join('failed', saved.file) }, () =>
          cli.t('cli.restore.damaged', { from, db: cli.dbPath, file: saved.file }),
        );
        return;
      }
      const { prerestore } = await restoreFrom(backend, from, { staffId: null, label: 'cli' }, { replaceStation: v['replace-station'] === true });
      cli.print({ restored: from, db: cli.dbPath, previousDataSavedAs: prerestore.file }, () =>
        cli.t('cli.restore.done', { from, db: cli.dbPath, file: prerestore.file }),
      );
    },
  },
  {
    name: 'version',
    summary: 'Print the program, schema, Node and SQLite versions',
    channels: [],
    json: '{ griddesk, schemaVersion, node, sqlite }',
    async run(cli) {
      const info = versionInfo(); // main.ts answers a plain `griddesk version` before loading the back end
      cli.print(info, () => versionText(info));
    },
  },
];
