// The shell's own channels — print, save as PDF, save an export — served by the main process for
// the one window. The back end answers `not_available` for them in any other host; here they
// replace its handlers through createHandlers' overrides. Printable documents (receipts, bill
// notices, closing reports…) are routes with print CSS, so "print" means "print the page shown".
import { app, dialog, type BrowserWindow, type FileFilter, type PrintToPDFOptions } from 'electron';
import { writeFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import type { ParsedInputOf } from '../shared/contract';
import type { Locale } from '../shared/i18n';
import { AppError } from './backend/errors';
import type { HandlerGroup } from './backend/handler';
import { shellText } from './shell-text';

export type SavePdfInput = ParsedInputOf<'shell.savePdf'>;
export type SaveFileInput = ParsedInputOf<'shell.saveFile'>;
export interface Saved {
  saved: boolean;
  file?: string;
}

const MM_PER_INCH = 25.4;
/** An 80 mm receipt roll (收据): printToPDF takes inches; 297 mm is longer than any one receipt. */
export const ROLL80_PAGE = { width: 80 / MM_PER_INCH, height: 297 / MM_PER_INCH };
/** Receipt printers print nearly to the edge: 4 mm margins instead of Chromium's 10 mm. */
const ROLL80_MARGINS = { top: 4 / MM_PER_INCH, bottom: 4 / MM_PER_INCH, left: 4 / MM_PER_INCH, right: 4 / MM_PER_INCH };

export function pdfOptions(input: Pick<SavePdfInput, 'landscape' | 'pageSize'>): PrintToPDFOptions {
  const common = { landscape: input.landscape ?? false, printBackground: true }; // shading and stamps are backgrounds
  const pageSize = input.pageSize ?? 'A4';
  if (pageSize === 'Roll80') return { ...common, pageSize: ROLL80_PAGE, margins: ROLL80_MARGINS };
  return { ...common, pageSize };
}

/**
 * The page's suggested name made safe to offer: no folders, nothing Windows refuses in a name,
 * and the expected extension (so "收据 0001" is offered as "收据 0001.pdf").
 */
export function safeFileName(suggested: string, fallback: string, extension?: string): string {
  let name = suggested
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 120);
  if (!name) name = fallback;
  if (extension && extname(name).toLowerCase() !== extension) name += extension;
  return name;
}

/** Resolves true when printed, false when the clerk cancelled or the printer refused. */
export function printPage(window: BrowserWindow, silent = false): Promise<boolean> {
  return new Promise((resolve) => {
    window.webContents.print({ silent, printBackground: true }, (success, failureReason) => {
      if (!success && failureReason && !/cancel/i.test(failureReason)) console.warn(`shell.print: ${failureReason}`);
      resolve(success);
    });
  });
}

// The folder of the last save, so a clerk saving a month of notices is not sent back to
// Documents each time. Kept for the run only.
let lastFolder: string | undefined;

async function chooseFile(window: BrowserWindow, name: string, filters: FileFilter[]): Promise<string | null> {
  const result = await dialog.showSaveDialog(window, {
    defaultPath: join(lastFolder ?? app.getPath('documents'), name),
    filters,
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (result.canceled || !result.filePath) return null;
  lastFolder = dirname(result.filePath);
  return result.filePath;
}

async function writeChosenFile(file: string, bytes: Uint8Array, locale: Locale): Promise<void> {
  try {
    await writeFile(file, bytes);
  } catch (error) {
    // Typically the file is open in Excel or a PDF reader (Windows locks it), or the disk is full.
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new AppError('conflict', 'error.conflict', { what: shellText(locale, 'saveFailed', { file, reason }) });
  }
}

/** Save dialog, then the page as PDF into the chosen file. */
export async function savePagePdf(window: BrowserWindow, input: SavePdfInput, locale: Locale = 'zh-CN'): Promise<Saved> {
  const file = await chooseFile(window, safeFileName(input.suggestedName, 'GridDesk', '.pdf'), [{ name: 'PDF', extensions: ['pdf'] }]);
  if (!file) return { saved: false };
  const pdf = await window.webContents.printToPDF(pdfOptions(input));
  await writeChosenFile(file, pdf, locale);
  return { saved: true, file };
}

/** Save dialog, then the bytes (an export the back end made) into the chosen file. */
export async function saveBytes(window: BrowserWindow, input: SaveFileInput, locale: Locale = 'zh-CN'): Promise<Saved> {
  const name = safeFileName(input.suggestedName, 'GridDesk');
  const extension = extname(name).slice(1);
  const filters = extension ? [{ name: extension.toUpperCase(), extensions: [extension] }] : [];
  const file = await chooseFile(window, name, filters);
  if (!file) return { saved: false };
  await writeChosenFile(file, Buffer.from(input.base64, 'base64'), locale);
  return { saved: true, file };
}

/** The shell channels for `window`, to pass to createHandlers as overrides. */
export function shellChannels(window: BrowserWindow) {
  return {
    'shell.print': async (input) => ({ printed: await printPage(window, input.silent ?? false) }),
    'shell.savePdf': (input, call) => savePagePdf(window, input, call.locale),
    'shell.saveFile': (input, call) => saveBytes(window, input, call.locale),
  } satisfies HandlerGroup;
}
