import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionStaff } from '../../shared/contract';
import { DEFAULT_LOCALE, translate, type Locale, type MessageKey, type MessageParams } from '../../shared/i18n';
import { PERMISSIONS } from '../../shared/permissions';
import type { Actor } from '../backend/audit/record';
import type { Backend } from '../backend/context';
import { dispatch } from '../backend/dispatch';
import { createHandlers } from '../backend/handlers';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
import { defaultRendererDir, SESSION_COOKIE, startWebHost } from './web';

// Printing a document route (receipt, bill notices, …) to PDF without a window, for the CLI and
// the bench: the same print route the app prints, served by the in-process web host from the
// built renderer and rendered by the system Chromium (playwright-core), with the route's own
// @page size. The desktop app prints with Electron's printToPDF instead.
//
// A job renders as a staff member (a real session, so the back end checks their permissions) or
// as the station's local operator (the CLI without --staff): the operator has no session, so the
// page's API calls are answered in-process by `dispatch` as that operator, exactly as the CLI's
// own calls are. Each PDF is written beside its target and renamed, so a failed print leaves no
// half-written file.

export class PrintUnavailable extends Error {
  override name = 'PrintUnavailable';
  /** The message as a dictionary key (said in the caller's language by the CLI), or the page's own text. */
  constructor(readonly said: string | { key: MessageKey; params?: MessageParams }) {
    super(typeof said === 'string' ? said : translate('en', said.key, said.params));
  }
}

export { CHROMIUM_ARGS };

export function chromiumPath(): string {
  const path = CHROMIUM_PATH;
  if (!existsSync(path)) {
    throw new PrintUnavailable({ key: 'cli.err.noChromium', params: { path } });
  }
  return path;
}

export interface PrintJob {
  /** The route after '#', e.g. '/print/bill-notices?period=2026-10&book=…'. */
  route: string;
  /** Who renders the page: a staff member allowed to read it, or the station's local operator. */
  as: { staffId: string } | { operator: Actor };
  out: string;
  /** Milliseconds to wait for the document (large books take a while). */
  timeoutMs?: number;
}

/** The operator shown to the UI as a session; the back end still checks every call as the operator. */
function operatorSession(operator: Actor): SessionStaff {
  return { id: '', staffNo: operator.label, name: operator.label, roles: [], permissions: [...PERMISSIONS], mustChangePassword: false };
}

/** Renders each print route to its PDF file, one browser for all of them; returns each file's size. */
export async function printRoutesToPdf(backend: Backend, jobs: PrintJob[], locale: Locale = DEFAULT_LOCALE): Promise<{ path: string; bytes: number }[]> {
  const rendererDir = defaultRendererDir();
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new PrintUnavailable({ key: 'cli.err.noUi', params: { dir: rendererDir } });
  }
  const executablePath = chromiumPath();
  const { chromium } = await import('playwright-core'); // Chromium's driver loads only when a PDF is asked for
  const handlers = createHandlers();
  const host = await startWebHost({ backend, port: 0, rendererDir, handlers });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const tokens: string[] = [];
  const written: { path: string; bytes: number }[] = [];
  try {
    for (const job of jobs) {
      const context = await browser.newContext({ locale: locale === 'en' ? 'en-US' : 'zh-CN', timezoneId: 'Asia/Shanghai' });
      await context.addInitScript((l) => localStorage.setItem('griddesk.locale', l), locale);
      if ('staffId' in job.as) {
        const session = backend.sessions.start(job.as.staffId);
        tokens.push(session.token);
        await context.addCookies([{ name: SESSION_COOKIE, value: session.token, url: host.url, httpOnly: true, sameSite: 'Strict' }]);
      } else {
        const { operator } = job.as;
        await context.route(`${host.url}api/**`, async (route) => {
          const name = decodeURIComponent(new URL(route.request().url()).pathname.slice('/api/'.length));
          const body = route.request().postData();
          const result =
            name === 'auth.me'
              ? { ok: true, value: { staff: operatorSession(operator) } }
              : await dispatch(backend, handlers, name, body ? JSON.parse(body) : {}, { token: null, locale, setSessionToken: () => {}, operator });
          await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(result) });
        });
      }
      const page = await context.newPage();
      await page.goto(`${host.url}#${job.route}`);
      // The document is shown once its data is in (and marks itself ready when it says so); an
      // error banner ends the wait too.
      const timeout = job.timeoutMs ?? 120_000;
      await page.locator('.print-doc, [role="alert"]').first().waitFor({ timeout });
      await page.waitForLoadState('networkidle');
      const alert = page.getByRole('alert');
      if ((await alert.count()) > 0) throw new PrintUnavailable({ key: 'cli.err.cannotPrint', params: { route: job.route, detail: (await alert.first().innerText()).trim() } });
      await page.waitForFunction(() => !document.querySelector('[data-print-ready="false"]'), undefined, { timeout });
      const partial = `${job.out}.partial`;
      try {
        await page.pdf({ path: partial, preferCSSPageSize: true, printBackground: true });
        renameSync(partial, job.out);
      } finally {
        rmSync(partial, { force: true });
      }
      written.push({ path: job.out, bytes: statSync(job.out).size });
      await context.close();
    }
  } finally {
    for (const token of tokens) backend.sessions.end(token);
    await browser.close();
    await host.close();
  }
  return written;
}
