import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { SessionStaff } from '../../shared/contract';
import { DEFAULT_LOCALE, type Locale } from '../../shared/i18n';
import { PERMISSIONS } from '../../shared/permissions';
import type { Actor } from '../backend/audit/record';
import type { Backend } from '../backend/context';
import { sql } from '../backend/db/sql';
import { dispatch } from '../backend/dispatch';
import { createHandlers } from '../backend/handlers';
import { InputError } from './cli/context';
import { defaultRendererDir, startWebHost } from './web';

// Printable documents to PDF outside the desktop app (the CLI's `receipt --out`, bill notices):
// the same print route the UI prints, rendered headlessly. The web host serves the built
// renderer in-process on a random local port, Debian's Chromium (playwright-core) opens the
// route, and `page.pdf()` writes it with the route's own @page size. The page's API calls are
// answered in-process by `dispatch`, as the named staff member or as the station's operator —
// so what prints is exactly what the screen would print, checked by the same back end.

export interface PdfOptions {
  /** A route of the app's hash router: '/print/receipt/GD01-R-00000001?paper=Roll80'. */
  route: string;
  /** Where the PDF goes (written to a temp file beside it, then renamed). */
  out: string;
  /** Print as this staff member; without it, as the local operator below. */
  staffNo?: string | undefined;
  operator: Actor;
  locale?: Locale;
  timeoutMs?: number;
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
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** The operator shown to the UI as a session (the back end checks every call as the operator). */
function operatorSession(operator: Actor): SessionStaff {
  return { id: '', staffNo: operator.label, name: operator.label, roles: [], permissions: [...PERMISSIONS], mustChangePassword: false };
}

export async function renderPdf(backend: Backend, options: PdfOptions): Promise<{ path: string; bytes: number }> {
  if (!existsSync(join(defaultRendererDir(), 'index.html'))) throw new InputError('the UI is not built yet: run `npm run build` first');
  if (!existsSync(chromiumPath())) throw new InputError(`no Chromium at ${chromiumPath()}: install chromium (Debian) or set CHROMIUM_PATH`);
  let token: string | null = null;
  if (options.staffNo) {
    const id = backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = ${options.staffNo} AND active = 1`);
    if (!id) throw new InputError(`--staff ${options.staffNo}: no active staff member with that number`);
    token = backend.sessions.start(id).token;
  }
  const locale = options.locale ?? DEFAULT_LOCALE;
  const handlers = createHandlers();
  const host = await startWebHost({ backend, port: 0, handlers });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const partial = `${options.out}.partial`;
  try {
    const page = await browser.newPage({ locale: locale === 'en' ? 'en-US' : 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await page.addInitScript((l) => localStorage.setItem('griddesk.locale', l), locale);
    await page.route(`${host.url}api/**`, async (route) => {
      const name = decodeURIComponent(new URL(route.request().url()).pathname.slice('/api/'.length));
      const body = route.request().postData();
      const result =
        name === 'auth.me' && token === null
          ? { ok: true, value: { staff: operatorSession(options.operator) } }
          : await dispatch(backend, handlers, name, body ? JSON.parse(body) : {}, {
              token,
              locale,
              setSessionToken: () => {},
              ...(token === null ? { operator: options.operator } : {}),
            });
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(result) });
    });
    await page.goto(`${host.url}#${options.route}`);
    const timeout = options.timeoutMs ?? 30_000;
    const shown = await Promise.race([
      page.waitForSelector('.print-doc', { timeout }).then(() => 'document' as const),
      page.waitForSelector('[role="alert"]', { timeout }).then(() => 'alert' as const),
    ]);
    if (shown === 'alert') throw new InputError((await page.locator('[role="alert"]').first().innerText()).trim());
    await page.waitForLoadState('networkidle');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: partial, printBackground: true, preferCSSPageSize: true });
    renameSync(partial, options.out);
    return { path: options.out, bytes: statSync(options.out).size };
  } finally {
    rmSync(partial, { force: true });
    await browser.close();
    await host.close();
    backend.sessions.end(token);
  }
}
