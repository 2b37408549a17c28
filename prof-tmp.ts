import { copyFileSync, rmSync } from 'node:fs';
import { SHEET_COLUMNS, sheetRowOf } from './shared/customers/sheet';
import { Backend } from './electron/backend/context';
import { commitImport, previewImport } from './electron/backend/customers/spreadsheet';
import { demoCustomer } from './electron/backend/demo/customersStep';
import { Random } from './electron/backend/demo/random';
import { writeWorkbook } from './electron/backend/customers/workbook/write';
for (const s of ['', '-wal', '-shm']) rmSync('/tmp/imp.db' + s, { force: true });
copyFileSync('.bench/demo-100000-v4-s20261126.db', '/tmp/imp.db');
const N = Number(process.argv[2] ?? 20000);
const r = new Random(5);
const areas = [{ township: '新丰镇', village: '新丰村', transformerArea: 'T' }];
const rows: string[][] = [SHEET_COLUMNS.map((c) => c.header)];
for (let i = 0; i < N; i++) { const c = demoCustomer(r, i, areas, '2025-01-01'); const p = c.points?.[0]; rows.push(sheetRowOf({ ...c, accountNo: '', status: 'active', statusDate: c.openedDate }, p ? { ...p, meter: { ...p.meter, meterNo: `IMP${i}` } } : null)); }
const wb = await writeWorkbook([{ name: 's', rows }]);
const b = new Backend({ db: '/tmp/imp.db', backupsDir: '/tmp/imp-b' });
if (process.argv[3]) b.store.db.pragma('cache_size = -' + process.argv[3]);
const tick = { tick: async () => {} };
let cpu = process.cpuUsage(); let t = performance.now();
const p = await previewImport(b, { staffId: null }, 'x.xlsx', wb, 'zh-CN', tick);
let u = process.cpuUsage(cpu); console.log('preview', p.validRows, Math.round(performance.now() - t), 'wall', Math.round((u.user + u.system) / 1000), 'cpu');
const Stmt = Object.getPrototypeOf(b.store.db.prepare('SELECT 1'));
const times = new Map<string, [number, number]>();
for (const m of ['run', 'get', 'all']) { const orig = Stmt[m]; Stmt[m] = function (this: { source: string }, ...a: unknown[]) { const t0 = performance.now(); try { return orig.apply(this, a); } finally { const k = this.source.replace(/\s+/g, ' ').slice(0, 90); const e = times.get(k) ?? [0, 0]; e[0] += performance.now() - t0; e[1]++; times.set(k, e); } }; }
cpu = process.cpuUsage(); t = performance.now();
await commitImport(b, { staffId: null, label: 'x' }, p.importId, tick);
u = process.cpuUsage(cpu); console.log('commit', Math.round(performance.now() - t), 'wall', Math.round((u.user + u.system) / 1000), 'cpu');
console.log([...times].sort((a, b) => b[1][0] - a[1][0]).slice(0, 14).map(([k, [ms, n]]) => `${Math.round(ms)}ms ${n}x ${k}`).join('\n'));
b.close();
