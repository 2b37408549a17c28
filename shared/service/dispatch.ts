// 95598 dispatches (派单): head office forwards orders taken on the national hotline to the
// station, in a reference pack ('workOrder' rows) or as an xlsx file. Both carry the same fields;
// each row is checked on its own and a bad row is refused with its row, field and reason while
// the good rows are taken (docs/service.md "Dispatch file").
import { ORDER_KINDS, type OrderKind } from './kinds';

/** The xlsx header, in this order (Chinese headers as head office's export writes them; English accepted too). */
export const DISPATCH_COLUMNS = [
  { key: 'dispatchNo', zh: '工单编号', en: 'Order no' },
  { key: 'stationCode', zh: '供电所编码', en: 'Station code' },
  { key: 'kind', zh: '工单类型', en: 'Kind' },
  { key: 'receivedAt', zh: '受理时间', en: 'Received at' },
  { key: 'accountNo', zh: '户号', en: 'Account no' },
  { key: 'contactName', zh: '联系人', en: 'Contact' },
  { key: 'contactPhone', zh: '联系电话', en: 'Phone' },
  { key: 'content', zh: '诉求内容', en: 'Content' },
] as const;
export type DispatchField = (typeof DISPATCH_COLUMNS)[number]['key'];

/** Kind names as they appear in head office's files (Chinese) besides the codes. */
export const KIND_NAMES_ZH: Record<OrderKind, string> = {
  complaint: '投诉',
  report: '举报',
  opinion: '意见',
  consultation: '咨询',
  repair: '故障报修',
  meter_check: '电表校验',
  meter_query: '电量电费异常',
  new_connection: '业扩报装',
  change_of_use: '变更用电',
};

export interface DispatchRow {
  dispatchNo: string;
  stationCode: string;
  kind: string;
  /** "YYYY-MM-DD HH:mm" (Asia/Shanghai) or "YYYY-MM-DDTHH:mm:ss+08:00". */
  receivedAt: string;
  accountNo?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  content: string;
}

export type DispatchProblem =
  | 'service.dispatch.missing' // a required field is empty
  | 'service.dispatch.otherStation' // the order is for another station
  | 'service.dispatch.badKind'
  | 'service.dispatch.badTime'
  | 'service.dispatch.unknownCustomer'
  | 'service.dispatch.duplicate'; // the same 95598 number again (already taken, or twice in the file)

export interface DispatchCheck {
  ok: boolean;
  field?: DispatchField;
  problem?: DispatchProblem;
  kind?: OrderKind;
  receivedMs?: number;
}

export function kindFromText(text: string): OrderKind | null {
  const t = text.trim();
  if ((ORDER_KINDS as readonly string[]).includes(t)) return t as OrderKind;
  const hit = (Object.entries(KIND_NAMES_ZH) as [OrderKind, string][]).find(([, zh]) => zh === t);
  return hit ? hit[0] : null;
}

/** "2026-12-05 09:30" or an ISO time with offset → epoch ms; null when it is neither. */
export function parseReceivedAt(text: string): number | null {
  const t = text.trim();
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (local) {
    const [, y, mo, d, h, mi, s] = local;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)) - 8 * 3600_000;
    const back = new Date(ms + 8 * 3600_000);
    if (back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59) return null;
    return ms;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(t)) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/**
 * Checks one dispatch row against the station (its code) and what the station knows: whether
 * the account exists, whether the 95598 number was taken before. The first problem is reported.
 */
export function checkDispatchRow(row: DispatchRow, ctx: { stationCode: string; accountKnown: (accountNo: string) => boolean; alreadyTaken: (dispatchNo: string) => boolean }): DispatchCheck {
  for (const f of ['dispatchNo', 'stationCode', 'kind', 'receivedAt', 'content'] as const) {
    if (!String(row[f] ?? '').trim()) return { ok: false, field: f, problem: 'service.dispatch.missing' };
  }
  if (row.stationCode.trim() !== ctx.stationCode) return { ok: false, field: 'stationCode', problem: 'service.dispatch.otherStation' };
  const kind = kindFromText(row.kind);
  if (!kind) return { ok: false, field: 'kind', problem: 'service.dispatch.badKind' };
  const receivedMs = parseReceivedAt(row.receivedAt);
  if (receivedMs === null) return { ok: false, field: 'receivedAt', problem: 'service.dispatch.badTime' };
  const account = (row.accountNo ?? '').trim();
  if (account && !ctx.accountKnown(account)) return { ok: false, field: 'accountNo', problem: 'service.dispatch.unknownCustomer' };
  if (ctx.alreadyTaken(row.dispatchNo.trim())) return { ok: false, field: 'dispatchNo', problem: 'service.dispatch.duplicate' };
  return { ok: true, kind, receivedMs };
}
