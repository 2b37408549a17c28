import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { HqContext } from '../../hq/context';
import { EXIT_BAD_INPUT, InputError, UsageError, type CliCommand, type CliContext, type Values, say } from './context';
import { cols, label, table } from './helpers';

// `griddesk hq …`: head office (总部), the same program in another mode. Its store is PostgreSQL
// (--pg URL or GRIDDESK_PG), else PGlite in <home>/pgdata; its home folder (--home, else
// GRIDDESK_HQ_HOME, else ~/.griddesk-hq) keeps the raw batch files, the published packs and its
// signing key. Messages follow --lang.

const str = { type: 'string' } as const;
const HQ_OPTIONS = { home: str, pg: str } as const;

export function hqHome(v: Values): string {
  return resolve(typeof v.home === 'string' ? v.home : process.env.GRIDDESK_HQ_HOME || join(homedir(), '.griddesk-hq'));
}

/**
 * The head-office code (its PostgreSQL and PGlite clients, the dashboard server, xlsx) loads only
 * for `griddesk hq …`: the station's verbs start without it (issue 21, start-up; it was half of
 * `griddesk balance`'s time).
 */
async function hqModules() {
  const [context, dashboard, errors, importer, reference, server, stations, users] = await Promise.all([
    import('../../hq/context'),
    import('../../hq/dashboard'),
    import('../../hq/errors'),
    import('../../hq/importer'),
    import('../../hq/reference'),
    import('../../hq/server'),
    import('../../hq/stations'),
    import('../../hq/users'),
  ]);
  return { ...context, ...dashboard, ...errors, ...importer, ...reference, ...server, ...stations, ...users };
}
type HqModules = Awaited<ReturnType<typeof hqModules>>;

async function withHq<T>(cli: CliContext, v: Values, work: (hq: HqContext, m: HqModules) => Promise<T>): Promise<T> {
  const m = await hqModules();
  const hq = await m.HqContext.open({ home: hqHome(v), pg: typeof v.pg === 'string' ? v.pg : undefined });
  try {
    return await work(hq, m);
  } catch (e) {
    if (e instanceof m.HqError) throw new InputError(e.messageIn(cli.locale === 'en' ? 'en' : 'zh-CN') + ` [${e.code}]`);
    throw e;
  } finally {
    await hq.close();
  }
}

const actor = () => `hqcli:${process.env.USER ?? 'unknown'}`;

export const hqCommands: CliCommand[] = [
  {
    name: 'hq init',
    json: '{ home, store, where, hqId, publicKey, fingerprint }',
    channels: [],
    summary: 'Head office: create the store and signing key, and the first administrator',
    usage: '--admin LOGIN --password P [--name NAME] [--home DIR] [--pg URL]',
    options: { ...HQ_OPTIONS, admin: str, password: str, name: str },
    async run(cli, v) {
      await withHq(cli, v, async (hq, m) => {
        if (typeof v.admin === 'string') {
          if (typeof v.password !== 'string') throw new UsageError(say('cli.err.together', { a: '--admin', b: '--password' }));
          await m.addUser(hq, v.admin, typeof v.name === 'string' ? v.name : v.admin, 'admin', v.password, actor());
        }
        cli.print({ home: hq.home, store: hq.db.kind, where: hq.db.where, hqId: hq.hqId, publicKey: hq.publicKeyBase64, fingerprint: hq.fingerprint }, () =>
          [cli.t('cli.hq.ready', { home: hq.home, store: hq.db.kind, where: hq.db.where }), cli.t('cli.hq.key', { key: hq.key.keyId, fingerprint: hq.fingerprint }), cli.t('cli.hq.publicKey', { key: hq.publicKeyBase64 })].join('\n'),
        );
      });
    },
  },
  {
    name: 'hq serve',
    json: '{ url, home, store } (then runs until Ctrl+C)',
    channels: [],
    summary: 'Head office: serve the dashboard and the station push endpoint (POST /sync/batch)',
    usage: '[--port N] [--host H] [--admin LOGIN --password P] [--home DIR] [--pg URL]',
    options: { ...HQ_OPTIONS, port: str, host: str, admin: str, password: str },
    async run(cli, v) {
      const port = v.port === undefined ? 5180 : Number(v.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(say('cli.err.port', { value: String(v.port) }));
      const m = await hqModules();
      const hq = await m.HqContext.open({ home: hqHome(v), pg: typeof v.pg === 'string' ? v.pg : undefined });
      try {
        if (typeof v.admin === 'string' && typeof v.password === 'string') {
          const users = await hq.db.query('SELECT 1 FROM hq_users LIMIT 1');
          if (!users.length) await m.addUser(hq, v.admin, v.admin, 'admin', v.password, actor());
        }
        const host = await m.startHqHost({ hq, port, host: typeof v.host === 'string' ? v.host : '127.0.0.1' });
        cli.print({ url: host.url, home: hq.home, store: hq.db.kind }, () => cli.t('cli.hq.running', { url: host.url, store: hq.db.kind, where: hq.db.where }));
        await new Promise<void>((done) => {
          const stop = () => void host.close().then(done);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      } finally {
        await hq.close();
      }
    },
  },
  {
    name: 'hq import',
    json: 'one row per file: { file, outcome, code, reason, station, fromSeq, toSeq, rows, ackedSeq, ack, released } (a refused file: { file, outcome: "refused", code, reason })',
    channels: [],
    summary: 'Head office: import station batch files exactly once (writes each ack beside it or into --acks DIR)',
    usage: 'FILE… [--acks DIR] [--home DIR] [--pg URL]',
    options: { ...HQ_OPTIONS, acks: str },
    positionals: [1, 10_000],
    async run(cli, v, files) {
      let failed = 0;
      const results: unknown[] = [];
      await withHq(cli, v, async (hq, m) => {
        for (const file of files) {
          try {
            const r = await m.importBatch(hq, file, 'cli');
            const ackPath = typeof v.acks === 'string' ? join(v.acks, `ack-${r.stationCode}-${r.epoch}-${r.fromSeq}-${r.toSeq}.gdsync`) : `${file}.ack.gdsync`;
            m.writeAckFile(ackPath, r.ack);
            if (r.outcome === 'rejected') failed++;
            results.push({ file, outcome: r.outcome, code: r.code, reason: r.reason, station: r.stationCode, fromSeq: r.fromSeq, toSeq: r.toSeq, rows: r.rows, ackedSeq: r.ackedSeq, ack: ackPath, released: r.released });
            cli.say(
              cli.t('cli.hq.imported', { file, outcome: label(cli, 'cli.hq.outcome', r.outcome), reason: r.reason ? cli.t('cli.sync.reason', { reason: r.reason }) : '', station: r.stationCode, from: r.fromSeq, to: r.toSeq, rows: r.rows, acked: r.ackedSeq, ack: ackPath }) +
                (r.released.length ? cli.t('cli.hq.released', { ranges: r.released.map((x) => `${x.fromSeq}–${x.toSeq}`).join(', ') }) : ''),
            );
          } catch (e) {
            if (!(e instanceof m.HqError)) throw e;
            failed++;
            const message = e.messageIn(cli.locale === 'en' ? 'en' : 'zh-CN');
            results.push({ file, outcome: 'refused', code: e.code, reason: message });
            cli.io.stderr(cli.t('cli.hq.refused', { file, code: e.code, message }));
          }
        }
      });
      if (cli.json) cli.io.stdout(JSON.stringify(results, null, 2));
      return failed ? EXIT_BAD_INPUT : 0;
    },
  },
  {
    name: 'hq stations',
    json: 'list: [stations with keys]; add/rotate: the station and its key; revoke: { revoked }',
    channels: [],
    summary: 'Head office: list | add --enrol FILE | rotate --enrol FILE | revoke CODE [--key ID] --reason R',
    usage: '[list | add --enrol FILE | rotate --enrol FILE | revoke CODE [--key KEYID] --reason TEXT] [--home DIR] [--pg URL]',
    options: { ...HQ_OPTIONS, enrol: str, key: str, reason: str },
    positionals: [0, 2],
    async run(cli, v, args) {
      const verb = args[0] ?? 'list';
      await withHq(cli, v, async (hq, m) => {
        if (verb === 'list') {
          const rows = await m.listStations(hq);
          cli.print(rows, () =>
            rows.length
              ? rows.map((r) => cli.t('cli.hq.station', { code: r.code.padEnd(8), name: r.name, epoch: r.epoch, acked: r.ackedSeq, last: r.lastBatchAt ?? '—', held: r.held, rejected: r.rejected, flag: r.flagged ? cli.t('cli.hq.flag', { count: r.flagged }) : '', keys: r.keys.map((k) => `${k.keyId}:${k.status}`).join(',') })).join('\n')
              : cli.t('cli.hq.noStations'),
          );
        } else if (verb === 'add' || verb === 'rotate') {
          if (typeof v.enrol !== 'string') throw new UsageError(say('cli.err.needs', { what: '--enrol FILE' }));
          const info = verb === 'add' ? await m.enrolStation(hq, v.enrol, actor()) : await m.rotateStationKey(hq, v.enrol, actor());
          cli.print(info, () => cli.t(verb === 'add' ? 'cli.hq.enrolled' : 'cli.hq.rotated', { code: info.stationCode, name: info.stationName, id: info.stationId, epoch: info.epoch, key: info.keyId, fingerprint: info.fingerprint }));
        } else if (verb === 'revoke') {
          if (!args[1]) throw new UsageError(say('cli.err.needs', { what: 'STATION_CODE' }));
          if (typeof v.reason !== 'string') throw new UsageError(say('cli.err.needs', { what: '--reason TEXT' }));
          const n = await m.revokeKey(hq, args[1], typeof v.key === 'string' ? v.key : undefined, v.reason, actor());
          cli.print({ revoked: n }, () => cli.t('cli.hq.revoked', { count: n, station: args[1]! }));
        } else {
          throw new UsageError(say('cli.err.unknownVerb', { what: 'hq stations', verb: String(verb) }));
        }
      });
    },
  },
  {
    name: 'hq bootstrap',
    json: 'the bootstrap: { file, rows, throughSeq, epoch, … }',
    channels: [],
    summary: 'Head office: a bootstrap file for a replaced station PC (retires its key, starts a new epoch)',
    usage: '--station CODE --out FILE [--home DIR] [--pg URL]',
    options: { ...HQ_OPTIONS, station: str, out: str },
    async run(cli, v) {
      if (typeof v.station !== 'string' || typeof v.out !== 'string') throw new UsageError(say('cli.err.needs', { what: '--station CODE --out FILE' }));
      await withHq(cli, v, async (hq, m) => {
        const r = await m.issueBootstrap(hq, v.station as string, resolve(v.out as string), actor());
        cli.print(r, () => cli.t('cli.hq.bootstrap', { station: String(v.station), rows: r.rows, seq: r.throughSeq, epoch: r.epoch, file: r.file }));
      });
    },
  },
  {
    name: 'hq ack',
    json: '{ out }',
    channels: [],
    summary: 'Head office: write again the ack answered for a batch (by its SHA-256)',
    usage: '--station CODE --batch SHA256 --out FILE [--home DIR] [--pg URL]',
    options: { ...HQ_OPTIONS, station: str, batch: str, out: str },
    async run(cli, v) {
      if (typeof v.station !== 'string' || typeof v.batch !== 'string' || typeof v.out !== 'string') throw new UsageError(say('cli.err.needs', { what: '--station CODE --batch N --out FILE' }));
      await withHq(cli, v, async (hq, m) => {
        const station = await m.findStation(hq, v.station as string);
        const ack = await m.storedAck(hq, station.station_id, v.batch as string);
        if (!ack) throw new InputError(say('cli.err.noBatch', { batch: String(v.batch), station: String(v.station) }));
        m.writeAckFile(v.out as string, ack);
        cli.print({ out: v.out }, () => cli.t('cli.hq.ackWritten', { file: String(v.out) }));
      });
    },
  },
  {
    name: 'hq pack',
    json: 'load: { id }; publish: { version, items, file, … }; list: { items, packs }',
    channels: [],
    summary: 'Head office reference data: load --type T FILE | publish [--stations A,B] | list',
    usage: '[load --type tariff|scoreSheet|policy|staff|notice|calendar|workOrder FILE.json | publish [--stations CODE,CODE] | list] [--home DIR] [--pg URL]',
    options: { ...HQ_OPTIONS, type: str, stations: str },
    positionals: [1, 2],
    async run(cli, v, args) {
      await withHq(cli, v, async (hq, m) => {
        if (args[0] === 'load') {
          if (typeof v.type !== 'string' || !args[1]) throw new UsageError(say('cli.err.needs', { what: '--type TYPE FILE' }));
          const id = await m.loadReferenceFile(hq, v.type, args[1], actor());
          cli.print({ id }, () => cli.t('cli.hq.loaded', { type: v.type as string, file: args[1]!, id }));
        } else if (args[0] === 'publish') {
          const codes = typeof v.stations === 'string' ? v.stations.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
          const r = await m.publishPack(hq, actor(), codes);
          cli.print(r, () => cli.t('cli.hq.published', { version: r.version, items: r.items, stations: codes ? cli.t('cli.hq.forStations', { codes: codes.join(', ') }) : cli.t('cli.hq.allStations'), file: r.file }));
        } else if (args[0] === 'list') {
          const r = await m.listReference(hq);
          cli.print(r, () => [...r.items.map((i) => cli.t('cli.hq.item', { id: i.id, type: i.type, name: i.name })), ...r.packs.map((p) => cli.t('cli.hq.pack', { version: p.version, items: p.items, stations: p.stations ? p.stations.join(',') : cli.t('cli.hq.allStations'), appliedBy: p.appliedBy.join(', ') || '—' }))].join('\n') || cli.t('cli.hq.nothing'));
        } else {
          throw new UsageError(say('cli.err.unknownVerb', { what: 'hq pack', verb: String(args[0]) }));
        }
      });
    },
  },
  {
    name: 'hq month',
    json: '{ period, rows: [one per station] }',
    channels: [],
    summary: 'Head office: every station side by side for a month (billed, collected, arrears, reading rates, appraisal)',
    usage: '[--period YYYY-MM] [--home DIR] [--pg URL]',
    options: { ...HQ_OPTIONS, period: str },
    async run(cli, v) {
      await withHq(cli, v, async (hq, m) => {
        const period = typeof v.period === 'string' ? v.period : ((await m.latestPeriod(hq)) ?? new Date().toISOString().slice(0, 7));
        const rows = await m.monthTable(hq, period);
        const pct = (x: number | null) => (x == null ? '—' : `${(x * 100).toFixed(1)}%`);
        const yuan = (f: number) => (f / 100).toFixed(2);
        cli.print({ period, rows }, () =>
          [
            `${period}:`,
            table([
              cols(cli, 'cli.hq.monthCols'),
              ...rows.map((r) => [`${r.code} ${r.name}`, String(r.customers), (r.kwhCenti / 100).toFixed(0), yuan(r.billedFen), yuan(r.collectedFen), pct(r.collectionRate), yuan(r.arrears30Fen), yuan(r.arrears90Fen), pct(r.actualReadRate), pct(r.errorRate), r.appraisalAvg == null ? cli.t('cli.hq.notReceived') : r.appraisalAvg.toFixed(1)]),
            ]),
          ].join('\n'),
        );
      });
    },
  },
  {
    name: 'hq user',
    json: '{ login, role }',
    channels: [],
    summary: 'Head office: add a login (role admin or analyst)',
    usage: 'add LOGIN --role admin|analyst --password P [--name NAME] [--home DIR] [--pg URL]',
    options: { ...HQ_OPTIONS, role: str, password: str, name: str },
    positionals: [2, 2],
    async run(cli, v, args) {
      if (args[0] !== 'add') throw new UsageError(say('cli.err.expected', { what: 'hq user add LOGIN --role ROLE --password P' }));
      if (typeof v.role !== 'string' || typeof v.password !== 'string') throw new UsageError(say('cli.err.needs', { what: '--role ROLE --password P' }));
      await withHq(cli, v, async (hq, m) => {
        await m.addUser(hq, args[1]!, typeof v.name === 'string' ? v.name : args[1]!, v.role as 'admin', v.password as string, actor());
        cli.print({ login: args[1], role: v.role }, () => cli.t('cli.hq.userAdded', { login: args[1]!, role: String(v.role) }));
      });
    },
  },
];
