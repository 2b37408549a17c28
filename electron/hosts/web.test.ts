import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../backend/db/sql';
import { makeTestStation, type TestStation } from '../backend/testing';
import { sharedStringBomb } from '../backend/customers/workbook/hostile.fixture';
import { startWebHost, type WebHost } from './web';

let station: TestStation;
let host: WebHost;
afterEach(async () => {
  await host?.close();
  station?.close();
});

async function start(): Promise<string> {
  station = makeTestStation();
  await station.setUp();
  const renderer = join(station.dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>GridDesk</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(station.dir, 'secret.txt'), 'not for browsers');
  host = await startWebHost({ backend: station.backend, port: 0, rendererDir: renderer });
  return host.url;
}

const post = (url: string, name: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}api/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

/** node:http lets a test set the Host header, which fetch refuses to. */
function rawPost(url: string, name: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/api/${name}`, method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('the web host', () => {
  it('logs in with an HttpOnly SameSite=Strict cookie and answers calls with it', async () => {
    const url = await start();
    const login = await post(url, 'auth.login', JSON.stringify({ staffNo: 'A001', password: 'admin1234' }));
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^gd_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
    const list = await post(url, 'staff.list', '{}', { Cookie: cookie.split(';')[0] ?? '' });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { value: { rows: unknown[] } }).value.rows).toHaveLength(1);
    const logout = await post(url, 'auth.logout', '{}', { Cookie: cookie.split(';')[0] ?? '' });
    expect(logout.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  it('answers each kind of bad request with its own code and status, changing nothing', async () => {
    const url = await start();
    const auditBefore = station.backend.store.read.value(sql`SELECT count(*) FROM audit_log`);
    const cases: [Response, number, string][] = [
      [await post(url, 'auth.login', '{"staffNo": "A001", '), 400, 'bad_request'],
      [await fetch(`${url}api/auth.login`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' }), 400, 'bad_request'],
      [await post(url, 'no.such.channel', '{}'), 404, 'unknown_channel'],
      [await post(url, 'auth.login', '{"staffNo": 1}'), 400, 'invalid_input'],
      [await post(url, 'staff.create', '{}'), 401, 'not_logged_in'],
      [await post(url, 'system.info', '{}', { Origin: 'http://evil.example' }), 403, 'forbidden'],
    ];
    // A page on another name that resolves here (DNS rebinding) sends its own Host header.
    const rebinding = await rawPost(url, 'system.info', { Host: 'evil.example' });
    expect(rebinding.status).toBe(403);
    expect(rebinding.body).toContain('"forbidden"');
    for (const [response, status, code] of cases) {
      expect(response.status).toBe(status);
      const body = (await response.json()) as { ok: boolean; error: { code: string; message: string } };
      expect(body.ok).toBe(false);
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(0);
    }
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM audit_log`)).toBe(auditBefore);
  });

  it('answers in English when asked', async () => {
    const url = await start();
    const response = await post(url, 'staff.list', '{}', { 'X-GridDesk-Locale': 'en' });
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('Please log in first');
  });

  it('serves the renderer with security headers, and never a file outside it', async () => {
    const url = await start();
    const index = await fetch(url);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    expect((await fetch(`${url}assets/app.js`)).headers.get('content-type')).toContain('text/javascript');
    for (const path of ['../secret.txt', '%2e%2e/secret.txt', 'assets/../../secret.txt']) {
      const response = await fetch(`${url}${path}`);
      expect(await response.text()).not.toContain('not for browsers');
    }
  });

  it('streams the progress of the caller’s own jobs as server-sent events', async () => {
    const url = await start();
    const login = await post(url, 'auth.login', JSON.stringify({ staffNo: 'A001', password: 'admin1234' }));
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await fetch(`${url}api/events`)).status).toBe(401);
    const controller = new AbortController();
    const events = await fetch(`${url}api/events`, { headers: { Cookie: cookie }, signal: controller.signal });
    const reader = events.body?.getReader();
    const started = (await (await post(url, 'backup.run', '{}', { Cookie: cookie })).json()) as { value: { jobId: string } };
    let text = '';
    while (!text.includes('"status":"succeeded"')) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    expect(text).toContain(`"id":"${started.value.jobId}"`);
    expect(text).toMatch(/event: job\ndata: \{.*"status":"succeeded"/);
  });
});

// Issue 15 item 6 (bodies are not read before the session is checked) and item 2 (a hostile
// workbook previewed through the host leaves it answering).
describe('the web host before the body', () => {
  /** A clerk logged in over HTTP: the session cookie. */
  async function clerkCookie(url: string): Promise<string> {
    await station.staffClient('C001', ['clerk'], '王芳');
    const login = await post(url, 'auth.login', JSON.stringify({ staffNo: 'C001', password: 'changed123' }));
    expect(login.status).toBe(200);
    return (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }

  /**
   * Sends a body of `megabytes` of nested JSON ([[[…]]]) in 1 MB writes, and resolves with the
   * status and when it came, and how much of the body had been written by then.
   */
  function sendHuge(url: string, name: string, megabytes: number, headers: Record<string, string> = {}, declareLength = true) {
    const { port } = new URL(url);
    const total = megabytes * 1024 * 1024;
    const started = performance.now();
    return new Promise<{ status: number; ms: number; writtenMb: number; body: string }>((resolve, reject) => {
      let written = 0;
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: `/api/${name}`,
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(declareLength ? { 'Content-Length': String(total) } : {}), ...headers },
        },
        (res) => {
          const ms = performance.now() - started;
          const writtenMb = written / 1024 / 1024;
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms, writtenMb, body }));
          res.on('error', () => resolve({ status: res.statusCode ?? 0, ms, writtenMb, body }));
        },
      );
      req.on('error', (error) => (written >= total ? reject(error) : undefined)); // the host may close while we still send
      const open = Buffer.alloc(1024 * 1024, '[');
      const close = Buffer.alloc(1024 * 1024, ']');
      const write = () => {
        while (written < total) {
          const chunk = written < total / 2 ? open : close;
          written += chunk.length;
          if (req.destroyed) return;
          if (!req.write(chunk)) return void req.once('drain', write);
        }
        req.end();
      };
      write();
    });
  }

  it('refuses a 60 MB nested body without a session at once, while a logged-in search answers fast', async () => {
    const url = await start();
    const cookie = await clerkCookie(url);
    for (const name of ['customers.search', 'customers.importPreview', 'staff.create']) {
      const huge = sendHuge(url, name, 60);
      const searchStarted = performance.now();
      const search = await post(url, 'customers.search', JSON.stringify({ query: '张' }), { Cookie: cookie });
      const searchMs = performance.now() - searchStarted;
      const refused = await huge;
      expect(search.status).toBe(200);
      expect(searchMs).toBeLessThan(1_000);
      expect(refused.status).toBe(401);
      expect(refused.body).toContain('"not_logged_in"');
      expect(refused.ms).toBeLessThan(1_000);
      expect(refused.writtenMb).toBeLessThan(60); // answered before the body was sent, let alone read
    }
  }, 60_000);

  it('caps the body of every channel but the uploads at 2 MB, by its length or as it is read', async () => {
    const url = await start();
    const cookie = await clerkCookie(url);
    const declared = await sendHuge(url, 'customers.search', 60, { Cookie: cookie });
    expect(declared).toMatchObject({ status: 413 });
    expect(declared.writtenMb).toBeLessThan(60);
    const chunked = await sendHuge(url, 'customers.search', 60, { Cookie: cookie }, false);
    expect(chunked).toMatchObject({ status: 413 });
    expect(chunked.writtenMb).toBeLessThan(60);
    // An upload channel takes a big body (a 3 MB workbook here: not a workbook, refused by the reader).
    const upload = await post(url, 'customers.importPreview', JSON.stringify({ fileName: 'a.xlsx', base64: Buffer.alloc(3 * 1024 * 1024, 1).toString('base64') }), { Cookie: cookie });
    expect(upload.status).toBe(200);
    // The host still answers.
    expect((await post(url, 'customers.search', JSON.stringify({ query: '张' }), { Cookie: cookie })).status).toBe(200);
  }, 120_000);

  it('checks Origin and Host on the event stream too', async () => {
    const url = await start();
    const cookie = await clerkCookie(url);
    expect((await fetch(`${url}api/events`, { headers: { Cookie: cookie, Origin: 'http://evil.example' } })).status).toBe(403);
    const { port } = new URL(url);
    const rebinding = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/events', headers: { Host: 'evil.example', Cookie: cookie } }, (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      });
      req.on('error', reject);
      req.end();
    });
    expect(rebinding).toBe(403);
  });

  it('answers a malformed cookie or URL encoding with 400, not 500', async () => {
    const url = await start();
    const cases = [
      await post(url, 'customers.search', JSON.stringify({ query: '张' }), { Cookie: 'gd_session=%E0%A4%A' }),
      await post(url, '%E0%A4%A', '{}'),
      await fetch(`${url}%E0%A4%A`),
    ];
    for (const response of cases) {
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    }
  });

  it('previews the hostile workbook (100,000 cells naming one long string) and keeps answering', async () => {
    const url = await start();
    const cookie = await clerkCookie(url);
    const base64 = sharedStringBomb().toString('base64');
    const started = (await (await post(url, 'customers.importPreview', JSON.stringify({ fileName: 'bomb.xlsx', base64 }), { Cookie: cookie, 'X-GridDesk-Locale': 'en' })).json()) as {
      value: { jobId: string };
    };
    const searchStarted = performance.now();
    expect((await post(url, 'customers.search', JSON.stringify({ query: '张' }), { Cookie: cookie })).status).toBe(200);
    expect(performance.now() - searchStarted).toBeLessThan(2_000);
    const state = await station.backend.jobs.finished(started.value.jobId);
    expect(state.status).toBe('failed');
    expect(state.error?.message).toContain('holds too much text');
    expect((await post(url, 'customers.search', JSON.stringify({ query: '张' }), { Cookie: cookie })).status).toBe(200);
  }, 60_000);
});
