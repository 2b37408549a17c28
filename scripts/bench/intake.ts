import Database from 'better-sqlite3';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SHEET_COLUMNS, sheetRowOf } from '../../shared/customers/sheet';
import { demoCustomer } from '../../electron/backend/demo/customersStep';
import { Random } from '../../electron/backend/demo/random';
import { runMeasured, sharedStringBomb, spawnMeasured, type ChildRun } from '../../electron/backend/customers/workbook/hostile.fixture';
import { writeWorkbook } from '../../electron/backend/customers/workbook/write';
import { demoStationCopy } from './customers';
import type { Bench, BenchContext } from './harness';

// Issue 15 item 2: peak resident memory (VmHWM, threads included) of real child processes
// importing workbooks — the hostile ones (100,000 rows naming one 32,767-character shared
// string: ~0.5 MB and ~0.8 MB on disk) and the largest real ones (a 100,000-row customer file,
// a 60,000-row handheld file) — and of the web host previewing the hostile file, which must keep
// answering. Baseline in the same run: the same CLI printing its version (the process's floor).
// Limit: about 500 MB for any input.

const ROOT = resolve(import.meta.dirname, '..', '..');
const GRIDDESK = join(ROOT, 'bin', 'griddesk.mjs');
const SEED = 20261205;

const griddesk = (args: string[]) => runMeasured(process.execPath, [GRIDDESK, ...args]);

function figure(run: ChildRun) {
  return { peakRssMb: run.peakRssMb, ms: run.ms, exit: run.code, message: run.stderr.trim().split('\n')[0]?.slice(0, 160) ?? '' };
}

async function customerWorkbook(ctx: BenchContext, rows: number): Promise<string> {
  const file = join(ctx.workDir, `intake-customers-${rows}-s${SEED}.xlsx`);
  if (existsSync(file)) return file;
  const r = Random.forStep(SEED, 'intake');
  const areas = [{ township: '新丰镇', village: '新丰村', transformerArea: '新丰村1号台区' }, { township: '新丰镇', village: '河西村', transformerArea: '河西村1号台区' }];
  const sheet: string[][] = [SHEET_COLUMNS.map((c) => c.header)];
  for (let i = 0; i < rows; i++) {
    const c = demoCustomer(r, i, areas, '2025-10-01');
    const point = c.points?.[0];
    sheet.push(sheetRowOf({ ...c, accountNo: '', status: 'active', statusDate: c.openedDate }, point ? { ...point, meter: { ...point.meter, meterNo: `IK${String(i).padStart(8, '0')}` } } : null));
  }
  writeFileSync(file, await writeWorkbook([{ name: '客户', rows: sheet }]));
  return file;
}

/** A full handheld workbook: the export's columns, 60,000 rows (the import's limit). */
async function handheldWorkbook(ctx: BenchContext, period: string, meters: { account: string; meter: string }[]): Promise<string> {
  const file = join(ctx.workDir, `intake-handheld-60000-${ctx.customers}.xlsx`);
  const header = ['序号', '户号', '户名', '地址', '表号', '位数', '倍率', '起码', '止码', '抄表日期', '抄表员', '类型', '原因'];
  const rows: string[][] = [header];
  for (let i = 0; i < 60_000; i++) {
    const m = meters[i % meters.length]!;
    rows.push([String(i + 1), m.account, '住户', '新丰镇新丰村', m.meter, '6', '1', '100', String(200 + (i % 50)), `${period}-25`, 'M001', '', '']);
  }
  writeFileSync(file, await writeWorkbook([{ name: '抄表', rows }]));
  return file;
}

/** Starts `griddesk serve` as a child, measured; resolves once its URL is printed. */
function startServer(db: string): Promise<{ url: string; done: Promise<ChildRun>; stop(): void }> {
  return new Promise((resolveStart, reject) => {
    const run = spawnMeasured(process.execPath, [GRIDDESK, 'serve', '--port', '0', '--db', db, '--json'], {
      onStdout: (text) => {
        const match = /"url":\s*"([^"]+)"/.exec(text);
        if (match) resolveStart({ url: match[1]!, done: run.promise, stop: run.stop });
      },
    });
    run.promise.then((r) => reject(new Error(`serve exited: ${r.stderr}`)), reject);
  });
}

export const intakeBench: Bench = {
  name: 'intake',
  async run(ctx) {
    const bomb = join(ctx.workDir, 'intake-bomb-448.xlsx');
    const bomb886 = join(ctx.workDir, 'intake-bomb-886.xlsx');
    writeFileSync(bomb, sharedStringBomb());
    writeFileSync(bomb886, sharedStringBomb({ cellsPerRow: 2 }));
    const db = await demoStationCopy(ctx, 'intake');
    // A period to import handheld files into: the month after the demo's last.
    const bare = new Database(db, { readonly: true });
    const last = bare.prepare(`SELECT max(period) FROM reading_periods`).pluck().get() as string;
    const meters = bare.prepare(`SELECT c.account_no AS account, m.meter_no AS meter FROM meters m JOIN metering_points p ON p.id = m.point_id JOIN customers c ON c.id = p.customer_id WHERE m.removed_date IS NULL LIMIT 60000`).all() as { account: string; meter: string }[];
    bare.close();
    const [y, mo] = last.split('-').map(Number) as [number, number];
    const period = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
    const opened = await griddesk(['period', 'open', period, '--db', db]);
    if (opened.code !== 0) throw new Error(`period open ${period}: ${opened.stderr}`);

    ctx.log('intake: baseline and hostile files…');
    const baseline = figure(await griddesk(['version', '--db', db]));
    const hostile = {
      customers448: figure(await griddesk(['customers', 'import', bomb, '--db', db, '--lang', 'en'])),
      customers886: figure(await griddesk(['customers', 'import', bomb886, '--db', db, '--lang', 'en'])),
      readings448: figure(await griddesk(['readings', 'import', bomb, '--period', period, '--db', db, '--lang', 'en'])),
      readings886: figure(await griddesk(['readings', 'import', bomb886, '--period', period, '--db', db, '--lang', 'en'])),
    };
    ctx.log('intake: the largest real files…');
    const customers = await customerWorkbook(ctx, 100_000);
    const handheld = await handheldWorkbook(ctx, period, meters);
    const real = {
      customers100k: figure(await griddesk(['customers', 'import', customers, '--db', db, '--lang', 'en'])),
      handheld60k: figure(await griddesk(['readings', 'import', handheld, '--period', period, '--db', db, '--lang', 'en'])),
    };

    ctx.log('intake: the web host previewing the hostile file…');
    const server = await startServer(db);
    const web = await previewOverHttp(server.url, bomb);
    server.stop();
    const serverRun = await server.done;
    rmSync(db, { force: true });
    return {
      station: { customers: ctx.customers },
      limitMb: 500,
      baselineVersion: baseline,
      hostile,
      real,
      webHost: { ...web, serverPeakRssMb: serverRun.peakRssMb },
    };
  },
};

/** Logs in as the demo administrator, previews the file, waits for the job, then times a search. */
async function previewOverHttp(url: string, file: string) {
  const { readFileSync } = await import('node:fs');
  let cookie = '';
  const call = async (channel: string, input: unknown) => {
    const res = await fetch(new URL(`/api/${channel}`, url), { method: 'POST', headers: { 'Content-Type': 'application/json', cookie }, body: JSON.stringify(input) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0]!;
    return (await res.json()) as { ok: boolean; value?: any; error?: { message: string } };
  };
  const login = await call('auth.login', { staffNo: 'C001', password: 'demo1234' });
  if (!login.ok) throw new Error(`login: ${login.error?.message}`);
  const started = performance.now();
  const preview = await call('customers.importPreview', { fileName: 'bomb.xlsx', base64: readFileSync(file).toString('base64') });
  if (!preview.ok) throw new Error(`preview: ${preview.error?.message}`);
  let state = preview.value;
  while (state?.status !== 'failed' && state?.status !== 'succeeded') state = (await call('jobs.watch', { jobId: preview.value.jobId, afterVersion: state?.version ?? 0 })).value;
  const previewMs = Math.round(performance.now() - started);
  const searchStart = performance.now();
  const search = await call('customers.search', { query: '张' });
  return { previewStatus: state.status, previewMessage: String(state.error?.message ?? '').slice(0, 120), previewMs, searchAfterwardsOk: search.ok, searchAfterwardsMs: Math.round(performance.now() - searchStart) };
}
