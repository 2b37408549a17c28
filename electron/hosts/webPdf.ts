import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refuse } from '../backend/errors';
import type { Handler } from '../backend/handler';

// Save as PDF in browser mode (保存为PDF, issue 16 item 13). The desktop app saves a print page
// with Electron's printToPDF (shell.savePdf); a browser cannot write a PDF itself (window.print's
// "save as PDF" is the OS dialog's, and not every station PC has one), so the web host renders
// the same print route in Chromium, as the caller (a session of their own, so the back end
// checks what they may read), exactly as the CLI prints, and answers the file for download.

/** A file name a clerk would expect: the document's title, no path separators, ending in .pdf. */
export function pdfFileName(name: string): string {
  const base = name.replace(/\.pdf$/i, '').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim() || 'griddesk';
  return `${base.slice(0, 150)}.pdf`;
}

export const webPrintPdf: Handler<'print.pdf'> = async (input, call) => {
  if (!call.staff) throw refuse('print.pdf.needsStaff', {}, 'forbidden');
  const { printRoutesToPdf, PrintUnavailable } = await import('./printToPdf'); // Chromium's driver loads only when asked
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-pdf-'));
  try {
    const out = join(dir, 'document.pdf');
    try {
      await printRoutesToPdf(call.backend, [{ route: input.route, as: { staffId: call.staff.id }, out, timeoutMs: 60_000 }], call.locale);
    } catch (error) {
      if (error instanceof PrintUnavailable) throw refuse('print.pdf.failed', { reason: error.message }, 'not_available');
      throw error;
    }
    return { fileName: pdfFileName(input.fileName), base64: readFileSync(out).toString('base64') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
