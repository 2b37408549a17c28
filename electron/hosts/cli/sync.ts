import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { bootstrapStation } from '../../backend/sync/bootstrap';
import type { JobResultOf } from '../../../shared/contract';
import { InputError, UsageError, type CliCommand, type CliContext, say } from './context';
import { label } from './helpers';

const status = (cli: CliContext, code: string) => label(cli, 'sync.status', code);
const why = (cli: CliContext, reason: string) => (reason ? cli.t('cli.sync.reason', { reason }) : '');
const counts = (entries: [string, number][]) => entries.map(([k, n]) => `${k} ${n}`).join(', ');

// Sync with head office (数据上报与下发) from the command line: docs/sync.md.

const stringOption = { type: 'string' } as const;

function progressBar(cli: CliContext) {
  let last = -1;
  return (done: number, total: number) => {
    if (cli.json || !total) return;
    const pct = Math.floor((done / total) * 100);
    if (pct === last || !process.stderr.isTTY) return;
    last = pct;
    process.stderr.write(`\r  ${'#'.repeat(Math.floor(pct / 4)).padEnd(25, '.')} ${pct}% (${done}/${total})`);
    if (done >= total) process.stderr.write('\n');
  };
}

/** Waits for a sync job, drawing its progress bar on a terminal. */
async function runJob<K extends 'sync.export' | 'sync.push'>(cli: CliContext, kind: K, started: { jobId: string }): Promise<JobResultOf<K>> {
  const bar = progressBar(cli);
  const jobs = cli.backend().jobs;
  const timer = setInterval(() => {
    const s = jobs.get(started.jobId) as { done?: number; total?: number } | undefined;
    if (s?.total) bar(s.done ?? 0, s.total);
  }, 200);
  try {
    return await cli.job(kind, started);
  } finally {
    clearInterval(timer);
  }
}

/**
 * Copies a file the back end wrote (sync/outgoing beside the database) into the folder the person
 * named: a temp name in that folder, then a rename, so a half-copied file never has the final name.
 */
function copyInto(dir: string, file: string): string {
  const target = join(resolve(dir), basename(file));
  if (resolve(file) === target) return target;
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  copyFileSync(file, temp);
  renameSync(temp, target);
  return target;
}

function writeOut(out: string, bytes: Buffer): string {
  const target = resolve(out);
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, target);
  return target;
}

const fileInput = (file: string) => ({ fileName: basename(file), dataBase64: readInput(file).toString('base64') });

// Every verb but `bootstrap` goes through dispatch (permission sync.read / sync.run, audit), as the
// local operator or, with --staff, as that staff member: only the station head and the
// administrator may export, apply or push.
export const syncCommands: CliCommand[] = [
  {
    name: 'sync status',
    json: '{ epoch, keyId, fingerprint, hqKeyId, hqId, ackedSeq, ackedAt, referenceVersion, referenceAppliedAt, waiting: [{ entity, count }], waitingTotal, outboxRows, lastExport, answers: [{ status, reason, fromSeq, toSeq, ackedSeq, at, outcome }], heldReference, keyProtection, notices: [{ id, title, body, until, receivedAt, version, readAt, readBy }] }',
    channels: ['sync.status'],
    summary: 'What waits to go to head office (by kind), the last export and acknowledgement, the reference data in force',
    async run(cli) {
      const s = await cli.invoke('sync.status', {});
      cli.print(s, () =>
        [
          cli.t('cli.sync.statusHead', { epoch: s.epoch, key: s.keyId ?? cli.t('cli.sync.keyNotMade'), hqKey: s.hqKeyId ?? cli.t('cli.sync.keyNotInstalled') }),
          cli.t('cli.sync.acked', { seq: s.ackedSeq, waiting: s.waitingTotal }),
          ...s.waiting.map((w) => `  ${w.entity.padEnd(24)} ${w.count}`),
          cli.t('cli.sync.lastExport', { what: s.lastExport ? cli.t('cli.sync.exportFile', { file: s.lastExport.fileName, count: s.lastExport.count }) : cli.t('cli.none') }),
          cli.t('cli.sync.refVersion', { version: s.referenceVersion ?? cli.t('cli.none') }),
          cli.t('cli.sync.keyKept', { how: s.keyProtection ?? '-' }),
          ...s.notices.filter((n) => n.readAt === null).map((n) => cli.t('cli.sync.notice', { id: n.id, title: n.title, body: n.body ? ` — ${n.body}` : '' })),
          ...s.answers.slice(0, 5).map((a) => cli.t('cli.sync.answer', { status: status(cli, a.status), from: a.fromSeq ?? '', to: a.toSeq ?? '', reason: a.reason })),
        ].join('\n'),
      );
    },
  },
  {
    name: 'sync export',
    optionHelp: { out: 'the folder to copy the batch file into (it is also kept in sync/outgoing beside the database)' },
    json: '{ file, fileName, sha256, bytes, epoch, fromSeq, toSeq, count, counts, again }',
    channels: ['sync.export'],
    summary: 'Write one signed batch of everything since the last acknowledgement (the same range again gives the same file)',
    usage: '--out DIR',
    options: { out: stringOption },
    async run(cli, v) {
      if (typeof v.out !== 'string') throw new UsageError(say('cli.err.needs', { what: '--out DIR' }));
      const done = await runJob(cli, 'sync.export', await cli.invoke('sync.export', {}));
      const r = { ...done, file: copyInto(v.out, done.file) };
      cli.print(r, () => cli.t(r.again ? 'cli.sync.exportedAgain' : 'cli.sync.exported', { file: r.file, count: r.count, from: r.fromSeq, to: r.toSeq, epoch: r.epoch, bytes: r.bytes, sha: r.sha256 }));
    },
  },
  {
    name: 'sync ack',
    json: '{ status, reason, ackedSeq, pruned, fromSeq, toSeq }',
    channels: ['sync.ack'],
    summary: "Apply head office's acknowledgement: checks signature, station and range, then prunes the outbox",
    usage: 'FILE',
    positionals: [1, 1],
    async run(cli, _v, [file]) {
      const r = await cli.invoke('sync.ack', fileInput(file!));
      cli.print(r, () => cli.t('cli.sync.ackDone', { status: status(cli, r.status), reason: why(cli, r.reason), seq: r.ackedSeq, pruned: r.pruned }));
    },
  },
  {
    name: 'sync apply',
    json: '{ version, already, tariffs, scoreSheets, held }',
    channels: ['sync.apply'],
    summary: 'Apply a signed reference pack from head office (tariffs, score sheets, policies, staff, notices) in one transaction',
    usage: 'FILE',
    positionals: [1, 1],
    async run(cli, _v, [file]) {
      const r = await cli.invoke('sync.apply', fileInput(file!));
      cli.print(r, () =>
        r.already
          ? cli.t('cli.sync.applyAlready', { version: r.version })
          : cli.t('cli.sync.applied', { version: r.version, tariffs: r.tariffs }) + (Object.keys(r.loaded).length ? cli.t('cli.sync.loaded', { loaded: counts(Object.entries(r.loaded)) }) : '') + (Object.keys(r.held).length ? cli.t('cli.sync.held', { held: counts(Object.entries(r.held)) }) : ''),
      );
    },
  },
  {
    name: 'sync notice-read',
    json: '{ id, already }',
    channels: ['sync.noticeRead'],
    summary: "Mark a head-office notice read, so it leaves every home page (its id is in `sync status`)",
    usage: 'ID',
    positionals: [1, 1],
    async run(cli, _v, [id]) {
      const r = await cli.invoke('sync.noticeRead', { id: id! });
      cli.print(r, () => cli.t(r.already ? 'cli.sync.noticeAlready' : 'cli.sync.noticeRead', { id: r.id }));
    },
  },
  {
    name: 'sync push',
    optionHelp: { url: 'head office\'s address, e.g. https://hq.example/ (the batch goes to /sync/batch)', out: 'also copy the batch file into this folder' },
    json: '{ export: { file, fileName, sha256, count, … }, ack: { status, reason, ackedSeq, pruned, … } }',
    channels: ['sync.push'],
    summary: "Export and send the batch to head office's endpoint, then apply the acknowledgement it answers",
    usage: '--url URL [--out DIR]',
    options: { url: stringOption, out: stringOption },
    async run(cli, v) {
      if (typeof v.url !== 'string') throw new UsageError(say('cli.err.needs', { what: '--url URL' }));
      const done = await runJob(cli, 'sync.push', await cli.invoke('sync.push', { url: v.url }));
      const r = typeof v.out === 'string' ? { ...done, export: { ...done.export, file: copyInto(v.out, done.export.file) } } : done;
      cli.print(r, () => cli.t('cli.sync.pushed', { file: r.export.fileName, count: r.export.count, status: status(cli, r.ack.status), reason: why(cli, r.ack.reason), seq: r.ack.ackedSeq, pruned: r.ack.pruned }));
    },
  },
  {
    name: 'sync pull',
    optionHelp: { url: 'head office\'s address, e.g. https://hq.example/' },
    json: '{ version, already, tariffs, scoreSheets, held } | { none: true } when head office has nothing newer',
    channels: ['sync.pull'],
    summary: "Fetch and apply head office's newest reference pack, if newer than the one in force",
    usage: '--url URL',
    options: { url: stringOption },
    async run(cli, v) {
      if (typeof v.url !== 'string') throw new UsageError(say('cli.err.needs', { what: '--url URL' }));
      const r = await cli.invoke('sync.pull', { url: v.url });
      cli.print(r ?? { none: true }, () => (r ? cli.t('cli.sync.applied', { version: r.version, tariffs: r.tariffs }) : cli.t('cli.sync.noNewer')));
    },
  },
  {
    name: 'sync enrol',
    optionHelp: { out: 'the enrolment file to write (take it to head office)' },
    json: '{ file, keyId, fingerprint, epoch, fromSeq }',
    channels: ['sync.enrol'],
    summary: "Write the station's enrolment file (public key, fingerprint, station id and code) for head office",
    usage: '--out FILE',
    options: { out: stringOption },
    async run(cli, v) {
      if (typeof v.out !== 'string') throw new UsageError(say('cli.err.needs', { what: '--out FILE' }));
      const e = await cli.invoke('sync.enrol', {});
      const r = { file: writeOut(v.out, Buffer.from(e.dataBase64, 'base64')), keyId: e.keyId, fingerprint: e.fingerprint, epoch: e.epoch, fromSeq: e.fromSeq };
      cli.print(r, () => cli.t('cli.sync.enrolled', { file: r.file, key: r.keyId, epoch: r.epoch, fingerprint: r.fingerprint }));
    },
  },
  {
    name: 'sync trust',
    optionHelp: { 'hq-id': 'head office\'s id, when the key file does not carry it' },
    json: '{ keyId, fingerprint, already }',
    channels: ['sync.trust'],
    summary: "Install head office's public key (once, at enrolment): PEM, base64, or JSON with publicKey and hqId",
    usage: 'HQKEYFILE [--hq-id ID]',
    positionals: [1, 1],
    options: { 'hq-id': stringOption },
    async run(cli, v, [file]) {
      const text = readInput(file!).toString('utf8');
      const r = await cli.invoke('sync.trust', { keyText: text, ...(typeof v['hq-id'] === 'string' ? { hqId: v['hq-id'] } : {}) });
      cli.print(r, () => cli.t(r.already ? 'cli.sync.trustedAlready' : 'cli.sync.trusted', { key: r.keyId, fingerprint: r.fingerprint }));
    },
  },
  {
    name: 'sync rotate-key',
    json: '{ keyId, epoch, fingerprint }',
    channels: ['sync.rotateKey'],
    summary: 'Make a new station key and start a new epoch (then send head office a new enrolment file)',
    async run(cli) {
      const r = await cli.invoke('sync.rotateKey', {});
      cli.print(r, () => `${cli.t('cli.sync.rotated', { key: r.keyId, epoch: r.epoch, fingerprint: r.fingerprint })}\n${cli.t('cli.sync.sendEnrol')}`);
    },
  },
  {
    name: 'sync bootstrap',
    optionHelp: { 'hq-key': 'head office\'s public key file (PEM, base64 or JSON)', admin: 'the new administrator\'s staff number (工号)', password: 'their password (at least 8 characters)', 'admin-name': 'their name' },
    json: '{ stationCode, rows, epoch, keyId, notRestored, admin: { staffNo, created }, staffToReset, … }',
    channels: [],
    summary: "Restore a replaced station PC from head office's bootstrap file (empty database): customer files, staff, books and facts; new key and epoch",
    usage: 'FILE --hq-key HQKEYFILE --admin STAFF_NO --password PASSWORD [--admin-name NAME]',
    positionals: [1, 1],
    options: { 'hq-key': stringOption, admin: stringOption, password: stringOption, 'admin-name': stringOption },
    async run(cli, v, [file]) {
      if (typeof v['hq-key'] !== 'string') throw new UsageError(say('cli.err.needs', { what: '--hq-key HQKEYFILE' }));
      if (typeof v.admin !== 'string' || typeof v.password !== 'string') throw new UsageError(say('cli.err.needs', { what: '--admin STAFF_NO --password PASSWORD' }));
      const r = await bootstrapStation(cli.backend(), cli.operator, readInput(file!), readInput(v['hq-key']).toString('utf8'), {
        staffNo: v.admin,
        password: v.password,
        ...(typeof v['admin-name'] === 'string' ? { name: v['admin-name'] } : {}),
      });
      const left = Object.entries(r.notRestored);
      cli.print(r, () =>
        [
          cli.t('cli.sync.restored', { code: r.stationCode, rows: r.rows, epoch: r.epoch, key: r.keyId }),
          ...(left.length ? [cli.t('cli.sync.notRestored', { what: counts(left) })] : []),
          cli.t(r.admin.created ? 'cli.sync.adminCreated' : 'cli.sync.adminReset', { staffNo: r.admin.staffNo, count: r.staffToReset }),
          cli.t('cli.sync.sendEnrol'),
        ].join('\n'),
      );
    },
  },
];

function readInput(file: string): Buffer {
  const path = resolve(file);
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InputError(say('cli.err.cannotRead', { path, reason: (error as Error).message }));
  }
}
