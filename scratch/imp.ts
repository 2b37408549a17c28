import { SHEET_COLUMNS, sheetRowOf } from '../shared/customers/sheet';
import { Backend } from '../electron/backend/context';
import { newCustomerInput, newMeterInput } from '../electron/backend/customers/fixtures';
import { commitImport, previewImport } from '../electron/backend/customers/spreadsheet';
import { writeWorkbook } from '../electron/backend/customers/workbook/write';
import { JOB_PACE } from '../electron/backend/jobs/pace';
import { flushedCopy } from '../scripts/bench/harness';
const station = '/work/main/.bench/billing-100000-v16.db';
const copy = '/tmp/imp-copy.db';
const progress = { tick: async () => {} } as never;
const N = 50_000;
const header = SHEET_COLUMNS.map((c) => c.header);
const rows: string[][] = [header];
for (let i = 0; i < N; i++) rows.push(sheetRowOf({ ...newCustomerInput({ name: `新户${i + 1}`, phone: `137${String(i).padStart(8, '0')}`, village: `新村${i % 40}`, addressDetail: `${i % 90}组${i % 300}号` }), accountNo: '', status: 'active', statusDate: '2026-01-05' } as never, { label: '', meter: newMeterInput({ meterNo: `NW${String(i).padStart(8, '0')}` }) } as never));
const workbook = await writeWorkbook([{ name: '客户', rows }]);
const variants: Record<string, object> = { one: { sliced: false }, sliced: {}, nockpt: { pace: { ...JOB_PACE, checkpoint: false } } , big: { pace: { ...JOB_PACE, targetMs: 120 } } };
const which = (process.argv[2] ?? 'one,sliced,nockpt,big').split(',');
for (let round = 0; round < 3; round++) {
  for (const v of which) {
    flushedCopy(station, copy);
    const b = new Backend({ db: copy });
    const p = await previewImport(b, { staffId: null }, 'x.xlsx', workbook, 'zh-CN', progress);
    let sum = 0; let n = 0;
    const t = performance.now();
    await commitImport(b, { staffId: null, label: 'x' } as never, p.importId, progress, { ...variants[v], onSlice: (_c: number, ms: number) => { sum += ms; n++; } } as never);
    const total = performance.now() - t;
    b.close();
    console.log(round, v, Math.round(total), 'slices', n, 'in slices', Math.round(sum));
  }
}
