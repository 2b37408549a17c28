import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Actor } from '../../backend/audit/record';
import { sql } from '../../backend/db/sql';
import { bootstrapStation } from '../../backend/sync/bootstrap';
import { applyAck, applyReference, exportBatch, installHqKey, pullReference, pushBatch, rotateStationKey, syncStatus, writeEnrolment } from '../../backend/sync/station';
import { InputError, UsageError, type CliCommand, type CliContext, say } from './context';

// Sync with head office (数据上报与下发) from the command line: docs/sync.md.

const stringOption = { type: 'string' } as const;

/** The CLI acts as the local operator, or with --staff as a station head or administrator. */
function actor(cli: CliContext): Actor {
  if (!cli.staffNo) return cli.operator;
  const backend = cli.backend();
  const staff = backend.store.read.get<{ id: string; name: string }>(sql`SELECT id, name FROM staff WHERE staff_no = ${cli.staffNo} AND active = 1`);
  if (!staff) throw new InputError(say('cli.noStaff', { staffNo: cli.staffNo ?? '' }));
  const roles = backend.store.read.column<string>(sql`SELECT role FROM staff_roles WHERE staff_id = ${staff.id}`);
  if (!roles.includes('station_head') && !roles.includes('admin')) throw new InputError(say('cli.err.syncWho', { staffNo: cli.staffNo ?? '' }));
  return { staffId: staff.id, label: `${cli.staffNo} ${staff.name}` };
}

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

export const syncCommands: CliCommand[] = [
  {
    name: 'sync status',
    channels: [],
    summary: 'What waits to go to head office (by kind), the last export and acknowledgement, the reference data in force',
    async run(cli) {
      const s = syncStatus(cli.backend());
      cli.print(s, () =>
        [
          `epoch ${s.epoch}  station key ${s.keyId ?? '(not made yet)'}  head office key ${s.hqKeyId ?? '(not installed)'}`,
          `acknowledged to seq ${s.ackedSeq}; ${s.waitingTotal} waiting`,
          ...s.waiting.map((w) => `  ${w.entity.padEnd(24)} ${w.count}`),
          `last export: ${s.lastExport ? `${s.lastExport.fileName} (${s.lastExport.count} rows)` : 'none'}`,
          `reference data version: ${s.referenceVersion ?? 'none'}`,
          ...s.answers.slice(0, 5).map((a) => `  answer ${a.status} ${a.fromSeq ?? ''}–${a.toSeq ?? ''} ${a.reason}`),
        ].join('\n'),
      );
    },
  },
  {
    name: 'sync export',
    channels: [],
    summary: 'Write one signed batch of everything since the last acknowledgement (the same range again gives the same file)',
    usage: '--out DIR',
    options: { out: stringOption },
    async run(cli, v) {
      if (typeof v.out !== 'string') throw new UsageError(say('cli.err.needs', { what: '--out DIR' }));
      const r = await exportBatch(cli.backend(), actor(cli), { outDir: resolve(v.out), progress: progressBar(cli) });
      cli.print(r, () => `${r.again ? 'Wrote again (same bytes)' : 'Wrote'} ${r.file}: ${r.count} rows, seq ${r.fromSeq}–${r.toSeq}, epoch ${r.epoch}, ${r.bytes} bytes, sha256 ${r.sha256}`);
    },
  },
  {
    name: 'sync ack',
    channels: [],
    summary: "Apply head office's acknowledgement: checks signature, station and range, then prunes the outbox",
    usage: 'FILE',
    positionals: [1, 1],
    async run(cli, _v, [file]) {
      const r = await applyAck(cli.backend(), actor(cli), readInput(file!));
      cli.print(r, () => `Head office: ${r.status}${r.reason ? ` (${r.reason})` : ''}; acknowledged to seq ${r.ackedSeq}; ${r.pruned} outbox rows pruned`);
    },
  },
  {
    name: 'sync apply',
    channels: [],
    summary: 'Apply a signed reference pack from head office (tariffs, score sheets, policies, staff, notices) in one transaction',
    usage: 'FILE',
    positionals: [1, 1],
    async run(cli, _v, [file]) {
      const r = await applyReference(cli.backend(), actor(cli), readInput(file!));
      cli.print(r, () =>
        r.already
          ? `Reference pack version ${r.version} was already applied; nothing changed`
          : `Applied reference pack version ${r.version}: ${r.tariffs} tariff version(s) loaded${Object.keys(r.held).length ? `; kept for their desks: ${Object.entries(r.held).map(([k, n]) => `${k} ${n}`).join(', ')}` : ''}`,
      );
    },
  },
  {
    name: 'sync push',
    channels: [],
    summary: "Export and send the batch to head office's endpoint, then apply the acknowledgement it answers",
    usage: '--url URL [--out DIR]',
    options: { url: stringOption, out: stringOption },
    async run(cli, v) {
      if (typeof v.url !== 'string') throw new UsageError(say('cli.err.needs', { what: '--url URL' }));
      const r = await pushBatch(cli.backend(), actor(cli), v.url, { ...(typeof v.out === 'string' ? { outDir: resolve(v.out) } : {}), progress: progressBar(cli) });
      cli.print(r, () => `Sent ${r.export.fileName} (${r.export.count} rows); head office: ${r.ack.status}${r.ack.reason ? ` (${r.ack.reason})` : ''}; acknowledged to seq ${r.ack.ackedSeq}; ${r.ack.pruned} pruned`);
    },
  },
  {
    name: 'sync pull',
    channels: [],
    summary: "Fetch and apply head office's newest reference pack, if newer than the one in force",
    usage: '--url URL',
    options: { url: stringOption },
    async run(cli, v) {
      if (typeof v.url !== 'string') throw new UsageError(say('cli.err.needs', { what: '--url URL' }));
      const r = await pullReference(cli.backend(), actor(cli), v.url);
      cli.print(r ?? { none: true }, () => (r ? `Applied reference pack version ${r.version}: ${r.tariffs} tariff version(s) loaded` : 'Head office has no newer reference pack'));
    },
  },
  {
    name: 'sync enrol',
    channels: [],
    summary: "Write the station's enrolment file (public key, fingerprint, station id and code) for head office",
    usage: '--out FILE',
    options: { out: stringOption },
    async run(cli, v) {
      if (typeof v.out !== 'string') throw new UsageError(say('cli.err.needs', { what: '--out FILE' }));
      const r = await writeEnrolment(cli.backend(), actor(cli), v.out);
      cli.print(r, () => `Wrote ${r.file}\nkey id ${r.keyId}, epoch ${r.epoch}\nfingerprint ${r.fingerprint}\n(read the fingerprint to head office by phone to confirm)`);
    },
  },
  {
    name: 'sync trust',
    channels: [],
    summary: "Install head office's public key (once, at enrolment): PEM, base64, or JSON with publicKey and hqId",
    usage: 'HQKEYFILE [--hq-id ID]',
    positionals: [1, 1],
    options: { 'hq-id': stringOption },
    async run(cli, v, [file]) {
      const text = readInput(file!).toString('utf8');
      const r = installHqKey(cli.backend(), actor(cli), text, typeof v['hq-id'] === 'string' ? v['hq-id'] : undefined);
      cli.print(r, () => `${r.already ? 'Already installed' : 'Installed'} head office key ${r.keyId}\nfingerprint ${r.fingerprint}`);
    },
  },
  {
    name: 'sync rotate-key',
    channels: [],
    summary: 'Make a new station key and start a new epoch (then send head office a new enrolment file)',
    async run(cli) {
      const r = rotateStationKey(cli.backend(), actor(cli));
      cli.print(r, () => `New key ${r.keyId}, epoch ${r.epoch}\nfingerprint ${r.fingerprint}\nSend head office the new enrolment file: griddesk sync enrol --out FILE`);
    },
  },
  {
    name: 'sync bootstrap',
    channels: [],
    summary: "Restore a replaced station PC from head office's bootstrap file (empty database), with a new key and a new epoch",
    usage: 'FILE --hq-key HQKEYFILE',
    positionals: [1, 1],
    options: { 'hq-key': stringOption },
    async run(cli, v, [file]) {
      if (typeof v['hq-key'] !== 'string') throw new UsageError(say('cli.err.needs', { what: '--hq-key HQKEYFILE' }));
      const r = await bootstrapStation(cli.backend(), cli.operator, readInput(file!), readInput(v['hq-key']).toString('utf8'));
      cli.print(r, () => `Restored station ${r.stationCode}: ${r.rows} rows (${r.skipped} recorded changes kept for head office only); epoch ${r.epoch}, new key ${r.keyId}\nSend head office the new enrolment file: griddesk sync enrol --out FILE`);
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
