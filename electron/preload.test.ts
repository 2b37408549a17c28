import { beforeAll, describe, expect, it, vi } from 'vitest';
import { contextBridge, ipcRenderer } from './testing/fake-electron';

vi.mock('electron', () => import('./testing/fake-electron'));

describe('preload', () => {
  beforeAll(async () => {
    await import('./preload');
  });

  it('exposes exactly one object, window.griddesk, with exactly one function: invoke', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['griddesk']);
    const api = contextBridge.exposed.get('griddesk') as Record<string, unknown>;
    expect(Object.keys(api)).toEqual(['invoke']);
    expect(typeof api.invoke).toBe('function');
  });

  it('forwards a call to the one IPC channel, with the locale, and hands back the answer', async () => {
    const api = contextBridge.exposed.get('griddesk') as { invoke: (...args: unknown[]) => Promise<unknown> };
    const answer = await api.invoke('customers.find', { query: '张' }, { locale: 'en' });
    expect(ipcRenderer.calls).toEqual([['griddesk:invoke', 'customers.find', { query: '张' }, { locale: 'en' }]]);
    expect(answer).toEqual({ ok: true, value: 'answered' });
  });
});
