import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, request, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Backend } from '../../electron/backend/context';
import { loadMigrations } from '../../electron/backend/db/migrations';
import { openStore } from '../../electron/backend/db/open';
import { startWebHost } from '../../electron/hosts/web';
import { measure, ratio, type Bench, type BenchContext } from './harness';

// Platform figures (issue "Platform"):
// - open + migrate-check of a 1 GB station database, median, beside a bare better-sqlite3 open;
// - one login-checked no-op API call through the web host, median, beside a bare node:http
//   round trip on the same keep-alive connection.

const GB = 1024 * 1024 * 1024;

/** A set-up station grown to ~1 GB with audit rows (the busiest table of a real station). */
async function oneGigabyteStation(ctx: BenchContext): Promise<string> {
  const file = join(ctx.workDir, `station-1gb-v${loadMigrations().length}.db`);
  if (existsSync(file) && statSync(file).size >= GB) return file;
  ctx.log('platform: building a 1 GB station database (cached in .bench/ for later runs)…');
  const building = `${file}.building`;
  for (const f of [building, `${building}-wal`, `${building}-shm`]) rmSync(f, { force: true });
  const backend = new Backend({ db: building });
  const { setupStation } = await import('../../electron/backend/station/setup');
  await setupStation(backend, { stationCode: 'BENCH', stationName: '基准供电所', adminNo: 'A001', adminName: '管理员', password: 'bench1234' });
  const db = backend.store.db;
  const insert = db.prepare(
    `INSERT INTO audit_log (at, staff_id, actor, action, entity, entity_id, summary) VALUES (?, NULL, 'A001 管理员', 'payment.post', 'payment', ?, ?)`,
  );
  const summary = JSON.stringify({ account: 'BENCH0000001', amount: '123.45', channel: 'cash', note: '收费 '.repeat(40) });
  let at = Date.parse('2024-01-01T00:00:00Z');
  while (statSync(building).size < GB) {
    db.transaction(() => {
      for (let i = 0; i < 50_000; i++) insert.run((at += 1000), `p-${at}`, summary);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
  backend.close();
  renameSync(building, file);
  return file;
}

async function openFigures(ctx: BenchContext) {
  const file = await oneGigabyteStation(ctx);
  const size = statSync(file).size;
  const griddesk = await measure(21, () => {
    const { store } = openStore({ file });
    store.db.close(); // close without PRAGMA optimize: only the open is measured
  }, 3);
  const bare = await measure(21, () => {
    const db = new Database(file);
    db.pragma('user_version', { simple: true });
    db.close();
  }, 3);
  return {
    databaseBytes: size,
    openAndMigrateCheckMs: griddesk,
    bareOpenMs: bare,
    ratioMedian: ratio(griddesk.median, bare.median),
    targetMedianMs: 300,
    meetsTarget: griddesk.median < 300,
  };
}

function post(agent: Agent, port: number, path: string, body: string, cookie?: string): Promise<{ status: number; body: string; setCookie?: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...(cookie ? { Cookie: cookie } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), ...(res.headers['set-cookie'] ? { setCookie: res.headers['set-cookie'] } : {}) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function apiFigures(ctx: BenchContext) {
  const dir = join(ctx.workDir, 'api-station');
  rmSync(dir, { recursive: true, force: true });
  const backend = new Backend({ db: join(dir, 'griddesk.db') });
  const { setupStation } = await import('../../electron/backend/station/setup');
  await setupStation(backend, { stationCode: 'BENCH', stationName: '基准供电所', adminNo: 'A001', adminName: '管理员', password: 'bench1234' });
  const host = await startWebHost({ backend, port: 0 });
  const port = Number(new URL(host.url).port);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const login = await post(agent, port, '/api/auth.login', JSON.stringify({ staffNo: 'A001', password: 'bench1234' }));
  const cookie = login.setCookie?.[0]?.split(';')[0];
  if (login.status !== 200 || !cookie) throw new Error(`bench login failed: ${login.body}`);
  const ping = await measure(3000, async () => {
    const r = await post(agent, port, '/api/system.ping', '{}', cookie);
    if (r.status !== 200) throw new Error(`ping failed: ${r.body}`);
  });
  await host.close();
  backend.close();

  // Baseline: node:http answering a fixed JSON body, same client, same keep-alive socket.
  const bareServer = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 2 });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => bareServer.listen(0, '127.0.0.1', r));
  const barePort = (bareServer.address() as AddressInfo).port;
  const bareAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const bare = await measure(3000, () => post(bareAgent, barePort, '/api/system.ping', '{}', cookie));
  bareServer.close();
  agent.destroy();
  bareAgent.destroy();
  rmSync(dir, { recursive: true, force: true });
  return { loginCheckedNoopMs: ping, bareHttpRoundTripMs: bare, ratioMedian: ratio(ping.median, bare.median), targetMedianMs: 2, meetsTarget: ping.median < 2 };
}

export const platformBench: Bench = {
  name: 'platform',
  async run(ctx) {
    return { open1GbStation: await openFigures(ctx), webHostCall: await apiFigures(ctx) };
  },
};
