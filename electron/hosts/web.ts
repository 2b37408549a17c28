import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiResult, ErrorCode } from '../../shared/errors';
import { DEFAULT_LOCALE, isLocale, translate } from '../../shared/i18n';
import { CONTENT_SECURITY_POLICY, RENDERER_MIME_TYPES } from '../../shared/security';
import type { Backend } from '../backend/context';
import { dispatch } from '../backend/dispatch';
import type { HandlerTable } from '../backend/handler';
import { createHandlers } from '../backend/handlers';

// The local web host: the same back end over HTTP on 127.0.0.1, for the browser mode and the
// end-to-end tests. `POST /api/<channel>` with a JSON body calls `dispatch`; the session is an
// HttpOnly, SameSite=Strict cookie; `GET /api/events` streams job progress (server-sent
// events); everything else serves the built renderer.

export const SESSION_COOKIE = 'gd_session';
/** Large enough for a 50,000-row workbook sent as base64, small enough to refuse nonsense. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

const STATUS: Record<ErrorCode, number> = {
  unknown_channel: 404,
  bad_request: 400,
  invalid_input: 400,
  not_logged_in: 401,
  forbidden: 403,
  bad_credentials: 401,
  account_locked: 423,
  account_inactive: 403,
  not_found: 404,
  conflict: 409,
  validation: 422,
  not_available: 501,
  not_set_up: 409,
  internal: 500,
};

export interface WebHostOptions {
  backend: Backend;
  port?: number;
  host?: string;
  /** The built renderer (default: dist/renderer in the project). */
  rendererDir?: string;
  handlers?: HandlerTable;
}

export interface WebHost {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export function defaultRendererDir(): string {
  return fileURLToPath(new URL('../../dist/renderer', import.meta.url));
}

function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

function sessionCookie(token: string | null): string {
  const base = `${SESSION_COOKIE}=${token ? encodeURIComponent(token) : ''}; Path=/; HttpOnly; SameSite=Strict`;
  return token ? base : `${base}; Max-Age=0`;
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(tooLarge ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { backend } = options;
  const handlers = options.handlers ?? createHandlers();
  const rendererDir = resolve(options.rendererDir ?? defaultRendererDir());
  const host = options.host ?? '127.0.0.1';
  const allowedHosts = new Set<string>();

  const badRequest = (res: ServerResponse, locale: 'zh-CN' | 'en', detail?: string) =>
    sendJson(res, 400, {
      ok: false,
      error: { code: 'bad_request', message: translate(locale, 'error.bad_request') + (detail ? `: ${detail}` : '') },
    } satisfies ApiResult<never>);

  async function handleApi(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const localeHeader = req.headers['x-griddesk-locale'];
    const locale = isLocale(localeHeader) ? localeHeader : DEFAULT_LOCALE;
    // Cross-site requests are refused: the cookie is SameSite=Strict, a JSON content type
    // forces a CORS preflight we never answer, a foreign Origin is turned away, and so is a
    // Host we do not serve under (DNS rebinding).
    const hostHeader = req.headers.host ?? '';
    if (!allowedHosts.has(hostHeader) || (req.headers.origin && req.headers.origin !== `http://${hostHeader}`)) {
      return sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'cross-origin request refused' } });
    }
    if (req.method !== 'POST') return badRequest(res, locale, 'use POST');
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return badRequest(res, locale, 'Content-Type must be application/json');
    }
    const body = await readBody(req);
    if (body === 'too_large') return badRequest(res, locale, `body over ${MAX_BODY_BYTES / 1024 / 1024} MB`);
    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        return badRequest(res, locale, 'body is not valid JSON');
      }
    }
    let cookie: string | undefined;
    const result = await dispatch(backend, handlers, name, input, {
      token: readCookie(req, SESSION_COOKIE),
      locale,
      setSessionToken: (token) => {
        cookie = sessionCookie(token);
      },
    });
    if (cookie) res.setHeader('Set-Cookie', cookie);
    sendJson(res, result.ok ? 200 : STATUS[result.error.code], result);
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse): void {
    const session = backend.sessions.get(readCookie(req, SESSION_COOKIE));
    if (!session) return sendJson(res, 401, { ok: false, error: { code: 'not_logged_in', message: translate(DEFAULT_LOCALE, 'error.not_logged_in') } });
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubscribe = backend.jobs.subscribe((state, owner) => {
      if (owner === session.staffId) res.write(`event: job\ndata: ${JSON.stringify(state)}\n\n`);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 20_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const index = join(rendererDir, 'index.html');
    if (!existsSync(index)) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The renderer is not built yet: run `npm run build` (or `npm run serve`, which builds it).');
      return;
    }
    const wanted = resolve(rendererDir, `.${normalize(decodeURIComponent(pathname))}`);
    const inside = wanted === rendererDir || wanted.startsWith(rendererDir + sep);
    const file = inside && existsSync(wanted) && statSync(wanted).isFile() ? wanted : index;
    const immutable = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'Content-Type': RENDERER_MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  }

  const server = createServer((req, res) => {
    securityHeaders(res);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pathname = url.pathname;
    const run = async () => {
      if (pathname === '/api/events') return handleEvents(req, res);
      if (pathname.startsWith('/api/')) return handleApi(req, res, decodeURIComponent(pathname.slice('/api/'.length)));
      return serveStatic(req, res, pathname);
    };
    run().catch((error: unknown) => {
      console.error('web host: request failed', error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: translate(DEFAULT_LOCALE, 'error.internal') } });
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  for (const name of [shownHost, '127.0.0.1', 'localhost', '[::1]']) allowedHosts.add(`${name}:${address.port}`);
  return {
    url: `http://${shownHost}:${address.port}/`,
    server,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
