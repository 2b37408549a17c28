import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { BrowserWindow as ElectronWindow } from 'electron';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from './backend/errors';
import { pdfOptions, printPage, ROLL80_PAGE, safeFileName, saveBytes, savePagePdf } from './shell-channels';
import { BrowserWindow, dialog, resetFakeElectron } from './testing/fake-electron';

vi.mock('electron', () => import('./testing/fake-electron'));

const dir = mkdtempSync(join(tmpdir(), 'griddesk-channels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let window: BrowserWindow;
const asElectron = () => window as unknown as ElectronWindow;
beforeEach(() => {
  resetFakeElectron();
  window = new BrowserWindow();
});

describe('save as PDF', () => {
  it('writes exactly the bytes Chromium rendered to the file the clerk chose', async () => {
    const file = join(dir, '电费通知单-2026-11.pdf');
    dialog.saveResult = { canceled: false, filePath: file };
    window.webContents.pdfBytes = Buffer.from('%PDF-1.7\n青山供电所 电费通知单\n%%EOF');
    const result = await savePagePdf(asElectron(), { suggestedName: '电费通知单-2026-11', pageSize: 'A4', landscape: true });
    expect(result).toEqual({ saved: true, file });
    expect(readFileSync(file)).toEqual(window.webContents.pdfBytes);
    expect(window.webContents.pdfCalls).toEqual([{ pageSize: 'A4', landscape: true, printBackground: true }]);
  });

  it('asks with a save dialog on our window, offering the suggested name as a .pdf', async () => {
    dialog.saveResult = { canceled: true };
    await savePagePdf(asElectron(), { suggestedName: '收据 0001' });
    const [call] = dialog.saveCalls;
    expect(call?.window).toBe(window);
    expect(basename(call?.options.defaultPath)).toBe('收据 0001.pdf');
    expect(call?.options.filters).toEqual([{ name: 'PDF', extensions: ['pdf'] }]);
  });

  it('does nothing when the clerk cancels', async () => {
    dialog.saveResult = { canceled: true };
    expect(await savePagePdf(asElectron(), { suggestedName: 'x' })).toEqual({ saved: false });
    expect(window.webContents.pdfCalls).toEqual([]);
  });

  it('offers the folder of the last save next time', async () => {
    const folder = join(dir, '十一月');
    mkdirSync(folder);
    dialog.saveResult = { canceled: false, filePath: join(folder, 'a.pdf') };
    await savePagePdf(asElectron(), { suggestedName: 'a' });
    dialog.saveResult = { canceled: true };
    await savePagePdf(asElectron(), { suggestedName: 'b' });
    expect(dirname(dialog.saveCalls[1]?.options.defaultPath)).toBe(folder);
  });

  it('reports a file it cannot write (open in another program) in words a clerk can read', async () => {
    dialog.saveResult = { canceled: false, filePath: join(dir, 'no-such-folder', 'x.pdf') };
    const error = await savePagePdf(asElectron(), { suggestedName: 'x' }, 'zh-CN').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('conflict');
    expect((error as AppError).messageIn('zh-CN')).toMatch(/^无法保存 .*x\.pdf：ENOENT/);
  });
});

describe('page sizes', () => {
  it('prints an 80 mm receipt roll on an 80 mm wide page with narrow margins', () => {
    const options = pdfOptions({ pageSize: 'Roll80' });
    expect(options.pageSize).toEqual(ROLL80_PAGE);
    expect(ROLL80_PAGE.width * 25.4).toBeCloseTo(80, 6);
    expect(options.margins?.left! * 25.4).toBeCloseTo(4, 6);
  });

  it('uses A4 portrait unless told otherwise, with backgrounds', () => {
    expect(pdfOptions({})).toEqual({ pageSize: 'A4', landscape: false, printBackground: true });
    expect(pdfOptions({ pageSize: 'A5', landscape: true })).toEqual({ pageSize: 'A5', landscape: true, printBackground: true });
  });
});

describe('save an export', () => {
  it('writes the decoded bytes, offering the file type of the suggested name', async () => {
    const file = join(dir, '欠费清单.xlsx');
    dialog.saveResult = { canceled: false, filePath: file };
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]);
    const result = await saveBytes(asElectron(), { suggestedName: '欠费清单.xlsx', base64: bytes.toString('base64') });
    expect(result).toEqual({ saved: true, file });
    expect(readFileSync(file)).toEqual(bytes);
    expect(dialog.saveCalls[0]?.options.filters).toEqual([{ name: 'XLSX', extensions: ['xlsx'] }]);
  });
});

describe('print', () => {
  it('prints with the system dialog and backgrounds, resolving true when printed', async () => {
    expect(await printPage(asElectron())).toBe(true);
    expect(window.webContents.printCalls).toEqual([{ silent: false, printBackground: true }]);
  });

  it('resolves false when the clerk cancels the dialog', async () => {
    window.webContents.printResult = { success: false, failureReason: 'Print job canceled' };
    expect(await printPage(asElectron())).toBe(false);
  });
});

describe('safeFileName', () => {
  it('keeps a plain Chinese name and adds the extension', () => {
    expect(safeFileName('日结报表 2026-11-26', 'GridDesk', '.pdf')).toBe('日结报表 2026-11-26.pdf');
    expect(safeFileName('a.PDF', 'GridDesk', '.pdf')).toBe('a.PDF');
  });

  it('cannot name a folder or a character Windows refuses', () => {
    expect(safeFileName('../../Windows/system32/x', 'GridDesk', '.pdf')).toBe('_.._Windows_system32_x.pdf');
    expect(safeFileName('a<b>:c"d|e?f*', 'GridDesk')).toBe('a_b__c_d_e_f_');
    expect(safeFileName('  ...  ', 'GridDesk', '.pdf')).toBe('GridDesk.pdf');
  });
});
