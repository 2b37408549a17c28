// Head office (总部) answers shared by the hq back end (electron/hq/) and its UI (renderer/hq/).
// Money in fen (integers), energy in centi-kWh, as on the station.

export interface HqStationRow {
  stationId: string;
  code: string;
  name: string;
  status: string;
  epoch: number;
  ackedSeq: number;
  lastBatchAt: string | null;
  lagDays: number | null;
  held: number;
  rejected: number;
  refusals: number;
  flagged: string | null;
  referenceVersion: number | null;
  schemaVersion: number | null;
  keys: { keyId: string; status: string; epoch: number }[];
}

export interface HqMonthRow {
  stationId: string;
  code: string;
  name: string;
  customers: number;
  bills: number;
  kwhCenti: number;
  billedFen: number;
  collectedFen: number;
  /** collected ÷ billed, 0–1; null when nothing was billed. */
  collectionRate: number | null;
  arrears30Fen: number;
  arrears90Fen: number;
  readings: number;
  /** 实抄率: actual ÷ first readings of the period; null without readings. */
  actualReadRate: number | null;
  /** 差错率: corrections ÷ first readings; null without readings. */
  errorRate: number | null;
  /** Average appraisal score; null = not received. */
  appraisalAvg: number | null;
}

export interface HqSeriesPoint {
  period: string;
  billedFen: number;
  collectedFen: number;
  kwhCenti: number;
}

export interface HqImportAnswer {
  outcome: 'applied' | 'duplicate' | 'held' | 'rejected';
  code: string | null;
  reason: string;
  stationCode: string;
  fromSeq: number;
  toSeq: number;
  rows: number;
  sha256: string;
  ackedSeq: number;
}

export interface HqMe {
  login: string;
  name: string;
  role: 'admin' | 'analyst';
}

export interface HqReferenceItem {
  id: number;
  type: string;
  name: string;
  loadedAt: string;
  loadedBy: string;
}

export interface HqPack {
  version: number;
  stations: string[] | null;
  items: number;
  publishedAt: string;
  publishedBy: string;
  appliedBy: string[];
}

export interface HqStationDetail {
  station: HqStationRow;
  months: HqMonthRow[];
  books: { bookNo: string; name: string; reader: string | null; readingDay: number | null; active: boolean }[];
  staff: { staffNo: string; name: string; active: boolean }[];
  batches: { sha256: string; fromSeq: number; toSeq: number; rows: number; status: string; reason: string; receivedAt: string }[];
  refusals: { at: string; code: string; reason: string; source: string }[];
}

/** The period before `period` by `n` months: prevPeriod('2026-03', 3) = '2025-12'. */
export function prevPeriod(period: string, n: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
