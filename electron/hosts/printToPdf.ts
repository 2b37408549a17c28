import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from '../backend/context';
import { defaultRendererDir, SESSION_COOKIE, startWebHost } from './web';

// Printing a document route (receipt, bill notices, …) to PDF without a window: the same
// print route the app prints, rendered by the system Chromium through the in-process web host.
// The desktop app prints with Electron's printToPDF instead; this is for the CLI and the bench.

export class PrintUnavailable extends Error {
  override name = 'PrintUnavailable';
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new PrintUnavailable(
      `no Chromium at ${path}: install it (Debian: apt-get install chromium fonts-noto-cjk) or set CHROMIUM_PATH to a Chromium or Chrome executable`,
    );
  }
  return path;
}

export interface PrintJob {
  /** The route after '#', e.g. '/print/bill-notices?period=2026-10&book=…'. */
  route: string;
  /** Whose session renders the page (a staff member allowed to read it). */
  staffId: string;
  out: string;
  /** Milliseconds to wait for the document (large books take a while). */
  timeoutMs?: number;
}

/** Renders each print route to its PDF file, one browser for all of them. */
export async function printRoutesToPdf(backend: Backend, jobs: PrintJob[]): Promise<void> {
  const rendererDir = defaultRendererDir();
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new PrintUnavailable(`the user interface is not built (${rendererDir}): run npm run build first`);
  }
  const executablePath = chromiumPath();
  const { chromium } = await import('playwright-core');
  const host = await startWebHost({ backend, port: 0, rendererDir });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const tokens: string[] = [];
  try {
    for (const job of jobs) {
      const session = backend.sessions.start(job.staffId);
      tokens.push(session.token);
      const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      await context.addCookies([{ name: SESSION_COOKIE, value: session.token, url: host.url, httpOnly: true, sameSite: 'Strict' }]);
      const page = await context.newPage();
      await page.goto(`${host.url}#${job.route}`);
      // The document marks itself ready once its data is in; an error banner ends the wait too.
      const ready = page.locator('[data-print-ready="true"], [role="alert"]').first();
      await ready.waitFor({ timeout: job.timeoutMs ?? 120_000 });
      const alert = page.getByRole('alert');
      if ((await alert.count()) > 0) throw new PrintUnavailable(`cannot print ${job.route}: ${(await alert.first().innerText()).trim()}`);
      await page.pdf({ path: job.out, preferCSSPageSize: true, printBackground: true });
      await context.close();
    }
  } finally {
    for (const token of tokens) backend.sessions.end(token);
    await browser.close();
    await host.close();
  }
}
