import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../backend/db/sql';
import { makeTestStation, type TestStation } from '../backend/testing';
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
