// The window loads the built renderer from `app://griddesk/`, a privileged scheme served from
// dist/renderer, never from file:// (which would give the page the whole disk as its origin).
// Every answer carries the Content-Security-Policy, so the page can run only its own scripts and
// reach nothing outside the app.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import nodePath from 'node:path';
import { CONTENT_SECURITY_POLICY, RENDERER_MIME_TYPES } from '../shared/security';

export const APP_SCHEME = 'app';
export const APP_HOST = 'griddesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

export { CONTENT_SECURITY_POLICY };

export function mimeTypeOf(file: string): string {
  return RENDERER_MIME_TYPES[nodePath.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that an app:// URL names, or null when the URL is not ours or would
 * leave the folder (`..`, encoded slashes, backslashes, drive letters or NTFS streams `:`, NUL).
 * `paths` is node:path, or node:path.win32 in tests, since the stations run Windows.
 */
export function rendererFileFor(root: string, url: string, paths: typeof nodePath = nodePath): string | null {
  let parsed: URL;
  let pathname: string;
  try {
    parsed = new URL(url);
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  if (/[\0\\:]/.test(pathname)) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const base = paths.resolve(root);
  const file = paths.resolve(base, `.${pathname}`);
  const inside = paths.relative(base, file);
  if (inside === '' || inside.startsWith('..') || paths.isAbsolute(inside)) return null;
  return file;
}

function answer(status: number, body: BodyInit | null, type: string): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': type,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** Answers one request for the built renderer in `root`. */
export async function serveRendererFile(root: string, request: Request): Promise<Response> {
  const file = rendererFileFor(root, request.url);
  if (!file) return answer(404, 'Not found', 'text/plain; charset=utf-8');
  try {
    const bytes = await readFile(file);
    return answer(200, new Uint8Array(bytes), mimeTypeOf(file));
  } catch {
    // Missing file or a folder: the page asked for something the build does not have.
    return answer(404, 'Not found', 'text/plain; charset=utf-8');
  }
}

/**
 * Must run before `app` is ready. `standard` gives the scheme real origins and relative URLs,
 * `secure` makes it a secure context, `supportFetchAPI` lets module scripts load, `codeCache`
 * keeps compiled scripts between launches (start-up on the office's old PCs).
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves `rendererDir` (dist/renderer) on app://griddesk/; call once `app` is ready. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveRendererFile(rendererDir, request));
}
