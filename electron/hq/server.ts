import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import XLSX from 'xlsx';
import { CONTENT_SECURITY_POLICY, RENDERER_MIME_TYPES } from '../../shared/security';
import type { HqImportAnswer } from '../../shared/hq/types';
import type { HqContext } from './context';
import { latestPeriod, monthTable, series, stationDetail } from './dashboard';
import { HqError, type HqLocale } from './errors';
import { importBatch, type ImportResult } from './importer';
import { listReference, loadReferenceItem, packFor, publishPack } from './reference';
import { listStations } from './stations';
import { checkLogin, HqSessions } from './users';

// The head-office host (`griddesk hq serve`):
//   POST /sync/batch           a station's batch file (octet-stream) → the signed ack bytes
//                              (200), or 422 {code, message} when the file is refused
//   GET  /sync/reference?after=V&station=ID   the newest pack above V, or 204
//   /api/…                     the head-office UI's calls (login cookie; roles checked here)
//   everything else            the built UI (dist/renderer/hq/)

export const HQ_COOKIE = 'gd_hq_session';

export interface HqHostOptions {
  hq: HqContext;
  port?: number;
  host?: string;
  rendererDir?: string;
}

export interface HqHost {
  url: string;
  server: Server;
  close(): Promise<void>;
}

function defaultRendererDir(): string {
  return fileURLToPath(new URL('../../dist/renderer', import.meta.url));
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

function localeOf(req: IncomingMessage, url: URL): HqLocale {
  const l = url.searchParams.get('lang') ?? req.headers['x-griddesk-locale'];
  return l === 'en' ? 'en' : 'zh-CN';
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

async function readJson(req: IncomingMessage, max = 8 * 1024 * 1024): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > max) throw new HqError('too_large', `${max} bytes`, 413);
    chunks.push(c as Buffer);
  }
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new HqError('invalid_input', (e as Error).message, 400);
  }
}

/** Spools a request body to a temp file (memory bounded), refusing past the cap. */
async function spool(req: IncomingMessage, max: number): Promise<{ file: string; done: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'gdhq-upload-'));
  const file = join(dir, 'batch.gdsync');
  const done = () => rmSync(dir, { recursive: true, force: true });
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) {
    done();
    throw new HqError('too_large', `${declared} bytes > ${max}`, 413);
  }
  const out = createWriteStream(file);
  let size = 0;
  try {
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > max) throw new HqError('too_large', `> ${max} bytes`, 413);
      if (!out.write(c)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
    await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  } catch (e) {
    out.destroy();
    done();
    throw e;
  }
  return { file, done };
}

export function importAnswer(r: ImportResult): HqImportAnswer {
  return { outcome: r.outcome, code: r.code, reason: r.reason, stationCode: r.stationCode, fromSeq: r.fromSeq, toSeq: r.toSeq, rows: r.rows, sha256: r.sha256, ackedSeq: r.ackedSeq };
}

export async function startHqHost(options: HqHostOptions): Promise<HqHost> {
  const { hq } = options;
  const sessions = new HqSessions();
  const rendererDir = resolve(options.rendererDir ?? defaultRendererDir());

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://hq.local');
    const locale = localeOf(req, url);
    const path = url.pathname;
    try {
      // ------------------------------------------------------------ station endpoints (signed files)
      if (path === '/sync/batch') {
        if (req.method !== 'POST') throw new HqError('invalid_input', 'POST a batch file', 405);
        const { file, done } = await spool(req, hq.maxBatchBytes);
        try {
          const r = await importBatch(hq, file, 'push');
          res.writeHead(200, {
            'Content-Type': 'application/octet-stream',
            'X-GridDesk-Outcome': r.outcome,
            'X-GridDesk-Acked-Seq': String(r.ackedSeq),
            'Cache-Control': 'no-store',
          });
          res.end(r.ack);
        } finally {
          done();
        }
        return;
      }
      if (path === '/sync/reference') {
        if (req.method !== 'GET') throw new HqError('invalid_input', 'GET', 405);
        const after = Number(url.searchParams.get('after') ?? 0) || 0;
        const pack = await packFor(hq, url.searchParams.get('station'), after);
        if (!pack) {
          res.writeHead(204, { 'Cache-Control': 'no-store' });
          res.end();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'X-GridDesk-Reference-Version': String(pack.version), 'Cache-Control': 'no-store' });
        res.end(pack.bytes);
        return;
      }
      if (path === '/sync/hq-key') {
        send(res, 200, { hqId: hq.hqId, keyId: hq.key.keyId, publicKey: hq.publicKeyBase64, fingerprint: hq.fingerprint });
        return;
      }

      // ------------------------------------------------------------ the UI's API
      if (path.startsWith('/api/')) {
        const origin = req.headers.origin;
        if (req.method === 'POST' && origin && origin !== `http://${req.headers.host}`) throw new HqError('forbidden', 'foreign origin', 403);
        if (path === '/api/login' && req.method === 'POST') {
          const body = await readJson(req);
          const me = await checkLogin(hq, String(body.login ?? ''), String(body.password ?? ''));
          const token = sessions.start(me);
          send(res, 200, { ok: true, value: me }, { 'Set-Cookie': `${HQ_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` });
          return;
        }
        const token = cookie(req, HQ_COOKIE);
        const me = sessions.get(token);
        if (path === '/api/logout') {
          sessions.end(token);
          send(res, 200, { ok: true, value: null }, { 'Set-Cookie': `${HQ_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
          return;
        }
        if (!me) throw new HqError('not_logged_in', '', 401);
        const admin = () => {
          if (me.role !== 'admin') throw new HqError('forbidden', '', 403);
        };
        const ok = (value: unknown) => send(res, 200, { ok: true, value });
        if (path === '/api/me') return ok(me);
        if (path === '/api/stations') return ok(await listStations(hq));
        if (path === '/api/month') {
          const period = url.searchParams.get('period') ?? (await latestPeriod(hq)) ?? new Date().toISOString().slice(0, 7);
          return ok({ period, rows: await monthTable(hq, period), series: await series(hq, undefined, 12, period) });
        }
        if (path.startsWith('/api/station/')) {
          const id = decodeURIComponent(path.slice('/api/station/'.length));
          const detail = await stationDetail(hq, id);
          return ok({ ...detail, series: await series(hq, detail.station.stationId) });
        }
        if (path === '/api/month.xlsx') {
          const period = url.searchParams.get('period') ?? (await latestPeriod(hq)) ?? new Date().toISOString().slice(0, 7);
          const rows = await monthTable(hq, period);
          const en = locale === 'en';
          const sheet = XLSX.utils.aoa_to_sheet([
            en
              ? ['Station', 'Name', 'Customers', 'kWh billed', 'Billed (yuan)', 'Collected (yuan)', 'Collection rate', 'Arrears >30 d (yuan)', 'Arrears >90 d (yuan)', 'Actual-read rate', 'Error rate', 'Appraisal']
              : ['供电所编码', '供电所', '户数', '售电量(kWh)', '应收(元)', '实收(元)', '回收率', '欠费>30天(元)', '欠费>90天(元)', '实抄率', '差错率', '考核平均分'],
            ...rows.map((r) => [r.code, r.name, r.customers, r.kwhCenti / 100, r.billedFen / 100, r.collectedFen / 100, r.collectionRate, r.arrears30Fen / 100, r.arrears90Fen / 100, r.actualReadRate, r.errorRate, r.appraisalAvg ?? (en ? 'not received' : '未收到')]),
          ]);
          const book = XLSX.utils.book_new();
          XLSX.utils.book_append_sheet(book, sheet, period);
          const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
          res.writeHead(200, {
            ...SECURITY_HEADERS,
            'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            'Content-Disposition': `attachment; filename="stations-${period}.xlsx"`,
          });
          res.end(bytes);
          return;
        }
        if (path === '/api/upload' && req.method === 'POST') {
          admin();
          const { file, done } = await spool(req, hq.maxBatchBytes);
          try {
            return ok(importAnswer(await importBatch(hq, file, 'upload')));
          } finally {
            done();
          }
        }
        if (path === '/api/reference') return ok(await listReference(hq));
        if (path === '/api/reference/load' && req.method === 'POST') {
          admin();
          const body = await readJson(req, 32 * 1024 * 1024);
          return ok({ id: await loadReferenceItem(hq, String(body.type ?? ''), String(body.name ?? ''), body.data, `hq:${me.login}`) });
        }
        if (path === '/api/reference/publish' && req.method === 'POST') {
          admin();
          const body = await readJson(req);
          const codes = Array.isArray(body.stations) ? body.stations.map(String).filter(Boolean) : undefined;
          const r = await publishPack(hq, `hq:${me.login}`, codes);
          return ok({ version: r.version, items: r.items });
        }
        throw new HqError('not_found', path, 404);
      }

      // ------------------------------------------------------------ the built UI
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HqError('invalid_input', 'method', 405);
      if (path === '/' || path === '/hq' || path === '/hq/index.html') {
        res.writeHead(302, { Location: '/hq/' });
        res.end();
        return;
      }
      const rel = path === '/hq/' ? 'hq/index.html' : decodeURIComponent(path).replace(/^\/+/, '');
      const target = normalize(join(rendererDir, rel));
      if (!target.startsWith(rendererDir + sep) || !existsSync(target) || !statSync(target).isFile()) {
        if (rel.startsWith('hq/') && !extname(rel) && existsSync(join(rendererDir, 'hq/index.html'))) {
          res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
          res.end(readFileSync(join(rendererDir, 'hq/index.html')));
          return;
        }
        res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(existsSync(join(rendererDir, 'hq/index.html')) ? 'not found' : 'the head-office UI is not built: run `npx vite build`');
        return;
      }
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': RENDERER_MIME_TYPES[extname(target)] ?? 'application/octet-stream' });
      res.end(readFileSync(target));
    } catch (e) {
      const err = e instanceof HqError ? e : null;
      if (!err) console.error('hq host:', e);
      send(res, err?.status ?? 500, { ok: false, error: { code: err?.code ?? 'internal', message: err ? err.messageIn(locale) : 'internal error' } });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(options.port ?? 5180, options.host ?? '127.0.0.1', r));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}/`,
    server,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
