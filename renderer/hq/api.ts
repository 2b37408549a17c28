// The head-office UI's typed client: fetch against the hq host's /api (cookie session).
import type { HqImportAnswer, HqMe, HqMonthRow, HqPack, HqReferenceItem, HqSeriesPoint, HqStationDetail, HqStationRow } from '../../shared/hq/types';

export class HqApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let locale = 'zh-CN';
export function setApiLocale(l: string): void {
  locale = l;
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, { ...init, headers: { 'X-GridDesk-Locale': locale, ...(init.headers ?? {}) }, credentials: 'same-origin' });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
  if (!body.ok) throw new HqApiError(body.error?.code ?? 'internal', body.error?.message ?? res.statusText);
  return body.value as T;
}

const json = (v: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(v) });

export const hqApi = {
  me: () => call<HqMe>('/api/me'),
  login: (login: string, password: string) => call<HqMe>('/api/login', json({ login, password })),
  logout: () => call<null>('/api/logout', json({})),
  month: (period?: string) => call<{ period: string; rows: HqMonthRow[]; series: HqSeriesPoint[] }>(`/api/month${period ? `?period=${period}` : ''}`),
  stations: () => call<HqStationRow[]>('/api/stations'),
  station: (code: string) => call<HqStationDetail & { series: HqSeriesPoint[] }>(`/api/station/${encodeURIComponent(code)}`),
  upload: (file: Blob) => call<HqImportAnswer>('/api/upload', { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: file }),
  reference: () => call<{ items: HqReferenceItem[]; packs: HqPack[] }>('/api/reference'),
  loadReference: (type: string, name: string, data: unknown) => call<{ id: number }>('/api/reference/load', json({ type, name, data })),
  publish: (stations: string[]) => call<{ version: number; items: number }>('/api/reference/publish', json({ stations })),
};
