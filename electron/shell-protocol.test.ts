import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, registerAppScheme, rendererFileFor, serveRenderer } from './shell-protocol';
import { app, protocol, resetFakeElectron } from './testing/fake-electron';

vi.mock('electron', () => import('./testing/fake-electron'));

// A built renderer in a temp folder, with a secret file beside it that must never be served.
let dir: string;
let root: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'griddesk-protocol-'));
  root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>GridDesk</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'noto.woff2'), 'font');
  writeFileSync(join(root, 'assets', '收据.svg'), '<svg/>');
  writeFileSync(join(dir, 'griddesk.db'), 'the station book');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  resetFakeElectron();
  serveRenderer(root);
});

describe('app:// scheme', () => {
  it('is registered as standard and secure before Electron is ready', () => {
    registerAppScheme();
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) },
    ]);
    expect(protocol.privileged[0]).not.toHaveProperty('privileges.bypassCSP');
  });

  it('cannot be registered after ready (the stand-in refuses, as Electron does)', async () => {
    await app.becomeReady();
    expect(() => registerAppScheme()).toThrow(/before app is ready/);
  });
});

describe('serving the built renderer', () => {
  it('serves index.html for the root, as HTML, with the CSP header', async () => {
    const response = await protocol.fetch('app://griddesk/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<title>GridDesk</title>');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('has a CSP that allows only our own scripts and no remote anything', () => {
    const rules = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((rule) => [rule.split(' ')[0], rule.split(' ').slice(1)]));
    expect(rules['default-src']).toEqual(["'self'"]);
    expect(rules['script-src']).toEqual(["'self'"]);
    expect(rules['connect-src']).toEqual(["'self'"]);
    expect(rules['object-src']).toEqual(["'none'"]);
    expect(rules['base-uri']).toEqual(["'none'"]);
    expect(rules['frame-ancestors']).toEqual(["'none'"]);
    expect(rules['form-action']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('gives scripts, styles, fonts and images their MIME types (module scripts need text/javascript)', async () => {
    const types = await Promise.all(
      ['assets/index-abc.js', 'assets/index-abc.css', 'assets/noto.woff2', 'assets/%E6%94%B6%E6%8D%AE.svg'].map(
        async (file) => (await protocol.fetch(`app://griddesk/${file}`)).headers.get('content-type'),
      ),
    );
    expect(types).toEqual(['text/javascript; charset=utf-8', 'text/css; charset=utf-8', 'font/woff2', 'image/svg+xml']);
  });

  it('answers 404 for a file the build does not have, and for a folder', async () => {
    expect((await protocol.fetch('app://griddesk/assets/missing.js')).status).toBe(404);
    expect((await protocol.fetch('app://griddesk/assets/')).status).toBe(404);
  });

  it('never serves a file outside the renderer folder, however the path is spelled', async () => {
    for (const url of [
      'app://griddesk/../griddesk.db',
      'app://griddesk/%2e%2e/griddesk.db',
      'app://griddesk/..%2fgriddesk.db',
      'app://griddesk/assets/..%2f..%2fgriddesk.db',
      'app://griddesk/..%5cgriddesk.db',
      'app://griddesk/index.html%00.js',
    ]) {
      const response = await protocol.fetch(url);
      expect(await response.text(), url).not.toContain('station book');
      expect(response.status, url).toBe(404);
    }
  });

  it('serves only the griddesk host', async () => {
    expect((await protocol.fetch('app://elsewhere/index.html')).status).toBe(404);
  });
});

describe('rendererFileFor on a Windows station PC', () => {
  const winRoot = 'C:\\Program Files\\GridDesk\\resources\\app.asar\\dist\\renderer';
  it('maps app URLs into the folder', () => {
    expect(rendererFileFor(winRoot, 'app://griddesk/assets/index-abc.js', path.win32)).toBe(`${winRoot}\\assets\\index-abc.js`);
    expect(rendererFileFor(winRoot, 'app://griddesk/', path.win32)).toBe(`${winRoot}\\index.html`);
  });
  it('refuses backslash climbs, drive letters and NTFS streams', () => {
    for (const url of [
      'app://griddesk/..%5c..%5cgriddesk.db',
      'app://griddesk/C:/Windows/win.ini',
      'app://griddesk/index.html:secret',
    ]) {
      expect(rendererFileFor(winRoot, url, path.win32), url).toBeNull();
    }
  });
});
