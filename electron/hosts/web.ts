import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { channelDef, isChannelName, type ChannelName } from '../../shared/contract';
import type { ApiResult, ErrorCode } from '../../shared/errors';
import { hasPermission } from '../../shared/permissions';
import { DEFAULT_LOCALE, isLocale, translate } from '../../shared/i18n';
import { CONTENT_SECURITY_POLICY, RENDERER_MIME_TYPES } from '../../shared/security';
import type { Backend } from '../backend/context';
import { dispatch } from '../backend/dispatch';
import type { HandlerTable } from '../backend/handler';
import { createHandlers } from '../backend/handlers';
import { loadCallStaff } from '../backend/staff/staff';
import { webPrintPdf } from './webPdf';

// The local web host: the same back end over HTTP on 127.0.0.1, for the browser mode and the
// end-to-end tests. `POST /api/<channel>` with a JSON body calls `dispatch`; the session is an
// HttpOnly, SameSite=Strict cookie; `GET /api/events` streams job progress (server-sent
// events); everything else serves the built renderer.

export const SESSION_COOKIE = 'gd_session';
/**
 * Body caps (issue 15 item 6). Every channel's input fits in 2 MB (the largest are lists of
 * 5,000 ids); only the upload channels take more: a 30 MB workbook as base64 (40 MB), a tariff
 * file of up to 5 million characters. A body over its channel's cap is refused from its
 * Content-Length before a byte of it is read, or as soon as the bytes read pass the cap.
 */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
export const UPLOAD_BODY_BYTES: Partial<Record<ChannelName, number>> = {
  'customers.importPreview': 64 * 1024 * 1024,
  'readings.importPreview': 64 * 1024 * 1024,
  'tariffs.check': 16 * 1024 * 1024,
  'tariffs.import': 16 * 1024 * 1024,
  // A screen table's rows sent back to be packed as .xlsx (a long list: thousands of rows).
  'system.exportTable': 32 * 1024 * 1024,
};

/** A request the host refuses before reading its body (thrown, answered with its status). */
class Refused extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly detail: string,
  ) {
    super(detail);
  }
}

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

/** URL decoding that answers 400 (not 500) on a malformed escape such as `%E0%A4%A`. */
function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Refused(400, 'bad_request', `malformed ${what}`);
  }
}

function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decode(rest.join('='), 'cookie');
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

/** The body, at most `cap` bytes: past it the reading stops and the request is refused (413). */
function readBody(req: IncomingMessage, cap: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        req.off('data', onData);
        reject(new Refused(413, 'bad_request', `body over ${cap / 1024 / 1024} MB`));
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { backend } = options;
  // Browser mode saves a print page as PDF here (Chromium, as the caller); see webPdf.ts.
  const handlers: HandlerTable = { ...(options.handlers ?? createHandlers()), 'print.pdf': webPrintPdf };
  const rendererDir = resolve(options.rendererDir ?? defaultRendererDir());
  const host = options.host ?? '127.0.0.1';
  const allowedHosts = new Set<string>();

  const badRequest = (res: ServerResponse, locale: 'zh-CN' | 'en', detail?: string) =>
    sendJson(res, 400, {
      ok: false,
      error: { code: 'bad_request', message: translate(locale, 'error.bad_request') + (detail ? `: ${detail}` : '') },
    } satisfies ApiResult<never>);

  const localeOf = (req: IncomingMessage) => {
    const localeHeader = req.headers['x-griddesk-locale'];
    return isLocale(localeHeader) ? localeHeader : DEFAULT_LOCALE;
  };

  /**
   * Cross-site requests are refused: the cookie is SameSite=Strict, a JSON content type forces
   * a CORS preflight we never answer, a foreign Origin is turned away, and so is a Host we do
   * not serve under (DNS rebinding). The same for every /api/ path, the event stream included.
   */
  function sameOrigin(req: IncomingMessage, res: ServerResponse): boolean {
    const hostHeader = req.headers.host ?? '';
    if (!allowedHosts.has(hostHeader) || (req.headers.origin && req.headers.origin !== `http://${hostHeader}`)) {
      sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'cross-origin request refused' } });
      return false;
    }
    return true;
  }

  /**
   * What is checked before a byte of the body is read (issue 15 item 6: a 60 MB body sent
   * without a session once held the host for 20 s): the channel, the session and its
   * permission, and the declared length against the channel's cap. dispatch checks the session
   * and permission again; this only keeps strangers from making the host read and parse.
   */
  function admit(req: IncomingMessage, name: string): number {
    if (!isChannelName(name)) return MAX_BODY_BYTES; // dispatch answers unknown_channel
    const def = channelDef(name);
    if (def.access !== 'public') {
      const session = backend.sessions.get(readCookie(req, SESSION_COOKIE));
      const staff = session ? loadCallStaff(backend.store.read, session.staffId) : undefined;
      if (!staff || !staff.active) throw new Refused(401, 'not_logged_in', '');
      if (def.access !== 'session' && !hasPermission(staff.roles, def.access)) throw new Refused(403, 'forbidden', def.access);
    }
    const cap = UPLOAD_BODY_BYTES[name] ?? MAX_BODY_BYTES;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > cap) throw new Refused(413, 'bad_request', `body over ${cap / 1024 / 1024} MB`);
    return cap;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, rawName: string): Promise<void> {
    const locale = localeOf(req);
    if (!sameOrigin(req, res)) return;
    if (req.method !== 'POST') return badRequest(res, locale, 'use POST');
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return badRequest(res, locale, 'Content-Type must be application/json');
    }
    const name = decode(rawName, 'channel name');
    const cap = admit(req, name);
    const body = await readBody(req, cap);
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
    if (!sameOrigin(req, res)) return;
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
    const wanted = resolve(rendererDir, `.${normalize(decode(pathname, 'path'))}`);
    const inside = wanted === rendererDir || wanted.startsWith(rendererDir + sep);
    const file = inside && existsSync(wanted) && statSync(wanted).isFile() ? wanted : index;
    const immutable = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'Content-Type': RENDERER_MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  }

  /**
   * Answers a refusal at once. The connection is closed after the answer rather than kept for
   * the next request, so the host never reads (nor waits for) the rest of a refused body.
   */
  function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refused): void {
    if (res.headersSent) return void res.end();
    const locale = localeOf(req);
    const message =
      refusal.code === 'not_logged_in' ? translate(locale, 'error.not_logged_in')
      : refusal.code === 'forbidden' ? translate(locale, 'error.forbidden', { permission: refusal.detail })
      : `${translate(locale, 'error.bad_request')}: ${refusal.detail}`;
    res.setHeader('Connection', 'close');
    sendJson(res, refusal.status, { ok: false, error: { code: refusal.code, message } } satisfies ApiResult<never>);
    res.once('finish', () => req.socket.destroySoon?.() ?? req.socket.end());
  }

  const server = createServer((req, res) => {
    securityHeaders(res);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return refuse(req, res, new Refused(400, 'bad_request', 'malformed URL'));
    }
    const pathname = url.pathname;
    const run = async () => {
      if (pathname === '/api/events') return handleEvents(req, res);
      if (pathname.startsWith('/api/')) return handleApi(req, res, pathname.slice('/api/'.length));
      return serveStatic(req, res, pathname);
    };
    run().catch((error: unknown) => {
      if (error instanceof Refused) return refuse(req, res, error);
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
