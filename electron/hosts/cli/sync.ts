import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { bootstrapStation } from '../../backend/sync/bootstrap';
import type { ExportResult, PushResult } from '../../backend/sync/station';
import { InputError, UsageError, type CliCommand, type CliContext, say } from './context';

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
async function runJob<T>(cli: CliContext, started: { jobId: string }): Promise<T> {
  const bar = progressBar(cli);
  const jobs = cli.backend().jobs;
  const timer = setInterval(() => {
    const s = jobs.get(started.jobId) as { done?: number; total?: number } | undefined;
    if (s?.total) bar(s.done ?? 0, s.total);
  }, 200);
  try {
    return await cli.job<T>(started);
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
    channels: ['sync.status'],
    summary: 'What waits to go to head office (by kind), the last export and acknowledgement, the reference data in force',
    async run(cli) {
      const s = await cli.invoke('sync.status', {});
      cli.print(s, () =>
        [
          `epoch ${s.epoch}  station key ${s.keyId ?? '(not made yet)'}  head office key ${s.hqKeyId ?? '(not installed)'}`,
          `acknowledged to seq ${s.ackedSeq}; ${s.waitingTotal} waiting`,
          ...s.waiting.map((w) => `  ${w.entity.padEnd(24)} ${w.count}`),
          `last export: ${s.lastExport ? `${s.lastExport.fileName} (${s.lastExport.count} rows)` : 'none'}`,
          `reference data version: ${s.referenceVersion ?? 'none'}; key kept as ${s.keyProtection ?? '-'}`,
          ...s.notices.filter((n) => n.readAt === null).map((n) => `  notice ${n.id}: ${n.title}${n.body ? ` — ${n.body}` : ''}`),
          ...s.answers.slice(0, 5).map((a) => `  answer ${a.status} ${a.fromSeq ?? ''}–${a.toSeq ?? ''} ${a.reason}`),
        ].join('\n'),
      );
    },
  },
  {
    name: 'sync export',
    channels: ['sync.export'],
    summary: 'Write one signed batch of everything since the last acknowledgement (the same range again gives the same file)',
    usage: '--out DIR',
    options: { out: stringOption },
    async run(cli, v) {
      if (typeof v.out !== 'string') throw new UsageError(say('cli.err.needs', { what: '--out DIR' }));
      const done = await runJob<ExportResult>(cli, await cli.invoke('sync.export', {}));
      const r = { ...done, file: copyInto(v.out, done.file) };
      cli.print(r, () => `${r.again ? 'Wrote again (same bytes)' : 'Wrote'} ${r.file}: ${r.count} rows, seq ${r.fromSeq}–${r.toSeq}, epoch ${r.epoch}, ${r.bytes} bytes, sha256 ${r.sha256}`);
    },
  },
  {
    name: 'sync ack',
    channels: ['sync.ack'],
    summary: "Apply head office's acknowledgement: checks signature, station and range, then prunes the outbox",
    usage: 'FILE',
    positionals: [1, 1],
    async run(cli, _v, [file]) {
      const r = await cli.invoke('sync.ack', fileInput(file!));
      cli.print(r, () => `Head office: ${r.status}${r.reason ? ` (${r.reason})` : ''}; acknowledged to seq ${r.ackedSeq}; ${r.pruned} outbox rows pruned`);
    },
  },
  {
    name: 'sync apply',
    channels: ['sync.apply'],
    summary: 'Apply a signed reference pack from head office (tariffs, score sheets, policies, staff, notices) in one transaction',
    usage: 'FILE',
    positionals: [1, 1],
    async run(cli, _v, [file]) {
      const r = await cli.invoke('sync.apply', fileInput(file!));
      cli.print(r, () =>
        r.already
          ? `Reference pack version ${r.version} was already applied; nothing changed`
          : `Applied reference pack version ${r.version}: ${r.tariffs} tariff version(s) loaded${Object.keys(r.loaded).length ? `; ${Object.entries(r.loaded).map(([k, n]) => `${k} ${n}`).join(', ')}` : ''}${Object.keys(r.held).length ? `; kept for their desks: ${Object.entries(r.held).map(([k, n]) => `${k} ${n}`).join(', ')}` : ''}`,
      );
    },
  },
  {
    name: 'sync notice-read',
    channels: ['sync.noticeRead'],
    summary: "Mark a head-office notice read, so it leaves every home page (its id is in `sync status`)",
    usage: 'ID',
    positionals: [1, 1],
    async run(cli, _v, [id]) {
      const r = await cli.invoke('sync.noticeRead', { id: id! });
      cli.print(r, () => (r.already ? `Notice ${r.id} was already read` : `Notice ${r.id} marked read`));
    },
  },
  {
    name: 'sync push',
    channels: ['sync.push'],
    summary: "Export and send the batch to head office's endpoint, then apply the acknowledgement it answers",
    usage: '--url URL [--out DIR]',
    options: { url: stringOption, out: stringOption },
    async run(cli, v) {
      if (typeof v.url !== 'string') throw new UsageError(say('cli.err.needs', { what: '--url URL' }));
      const done = await runJob<PushResult>(cli, await cli.invoke('sync.push', { url: v.url }));
      const r = typeof v.out === 'string' ? { ...done, export: { ...done.export, file: copyInto(v.out, done.export.file) } } : done;
      cli.print(r, () => `Sent ${r.export.fileName} (${r.export.count} rows); head office: ${r.ack.status}${r.ack.reason ? ` (${r.ack.reason})` : ''}; acknowledged to seq ${r.ack.ackedSeq}; ${r.ack.pruned} pruned`);
    },
  },
  {
    name: 'sync pull',
    channels: ['sync.pull'],
    summary: "Fetch and apply head office's newest reference pack, if newer than the one in force",
    usage: '--url URL',
    options: { url: stringOption },
    async run(cli, v) {
      if (typeof v.url !== 'string') throw new UsageError(say('cli.err.needs', { what: '--url URL' }));
      const r = await cli.invoke('sync.pull', { url: v.url });
      cli.print(r ?? { none: true }, () => (r ? `Applied reference pack version ${r.version}: ${r.tariffs} tariff version(s) loaded` : 'Head office has no newer reference pack'));
    },
  },
  {
    name: 'sync enrol',
    channels: ['sync.enrol'],
    summary: "Write the station's enrolment file (public key, fingerprint, station id and code) for head office",
    usage: '--out FILE',
    options: { out: stringOption },
    async run(cli, v) {
      if (typeof v.out !== 'string') throw new UsageError(say('cli.err.needs', { what: '--out FILE' }));
      const e = await cli.invoke('sync.enrol', {});
      const r = { file: writeOut(v.out, Buffer.from(e.dataBase64, 'base64')), keyId: e.keyId, fingerprint: e.fingerprint, epoch: e.epoch, fromSeq: e.fromSeq };
      cli.print(r, () => `Wrote ${r.file}\nkey id ${r.keyId}, epoch ${r.epoch}\nfingerprint ${r.fingerprint}\n(read the fingerprint to head office by phone to confirm)`);
    },
  },
  {
    name: 'sync trust',
    channels: ['sync.trust'],
    summary: "Install head office's public key (once, at enrolment): PEM, base64, or JSON with publicKey and hqId",
    usage: 'HQKEYFILE [--hq-id ID]',
    positionals: [1, 1],
    options: { 'hq-id': stringOption },
    async run(cli, v, [file]) {
      const text = readInput(file!).toString('utf8');
      const r = await cli.invoke('sync.trust', { keyText: text, ...(typeof v['hq-id'] === 'string' ? { hqId: v['hq-id'] } : {}) });
      cli.print(r, () => `${r.already ? 'Already installed' : 'Installed'} head office key ${r.keyId}\nfingerprint ${r.fingerprint}`);
    },
  },
  {
    name: 'sync rotate-key',
    channels: ['sync.rotateKey'],
    summary: 'Make a new station key and start a new epoch (then send head office a new enrolment file)',
    async run(cli) {
      const r = await cli.invoke('sync.rotateKey', {});
      cli.print(r, () => `New key ${r.keyId}, epoch ${r.epoch}\nfingerprint ${r.fingerprint}\nSend head office the new enrolment file: griddesk sync enrol --out FILE`);
    },
  },
  {
    name: 'sync bootstrap',
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
          `Restored station ${r.stationCode}: ${r.rows} rows; epoch ${r.epoch}, new key ${r.keyId}`,
          ...(left.length ? [`Not restored (head office keeps them): ${left.map(([k, n]) => `${k} ${n}`).join(', ')}`] : []),
          `Administrator ${r.admin.staffNo} ${r.admin.created ? 'created' : 'given the new password'}; ${r.staffToReset} restored staff need a new password: griddesk staff reset-password`,
          'Send head office the new enrolment file: griddesk sync enrol --out FILE',
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
