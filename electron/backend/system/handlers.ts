import { writeWorkbook } from '../customers/workbook/write';
import type { HandlerGroup } from '../handler';
import { homeSummary } from '../home/cards';

export const systemHandlers = {
  'system.info': (_input, { backend }) => {
    const station = backend.station() ?? null;
    return {
      setUp: station !== null,
      station,
      appVersion: backend.appVersion,
      schemaVersion: backend.schemaVersion,
      desktop: backend.desktop,
    };
  },
  'system.ping': (_input, { backend }) => ({ at: backend.now() }),
  // A screen table's export (导出表格): the rows as the clerk sees them, through the same writer
  // as the desks' exports; a file name safe on Windows, always ending .xlsx.
  'system.exportTable': async (input) => {
    const safe = input.fileName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/\.xlsx$/i, '');
    const sheetName = input.sheetName.replace(/[\\/:*?[\]]/g, '_');
    const buffer = await writeWorkbook([
      {
        name: sheetName,
        rows: [input.columns.map((c) => c.header), ...input.rows],
        widths: input.columns.map((c) => c.width),
        formats: input.columns.map((c) => (c.format === 'money' ? 'money' : undefined)),
      },
    ]);
    return { fileName: `${safe}.xlsx`, base64: buffer.toString('base64') };
  },
  // The home page's cards for the caller's roles (electron/backend/home/cards.ts).
  'home.summary': (_input, call) => homeSummary(call),
} satisfies HandlerGroup;
