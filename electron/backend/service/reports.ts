// Reports (报表): orders by kind, source, time-limit compliance and staff over a range of months,
// the satisfaction trend month by month; and the same as a workbook. The month's reminder list as
// a workbook or an SMS file for head office's gateway (短信网关).
import { ORDER_KINDS, type OrderKind } from '../../../shared/service';
import { translate, type Locale, type MessageKey } from '../../../shared/i18n';
import { fenToYuan } from '../../../shared/money';
import { addMonths, shanghaiMidnight } from '../../../shared/time';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { refuse } from '../errors';
import { serviceList } from './segments';

export function report(db: ReadableDB, from: string, to: string, now: number) {
  if (from > to) throw refuse('service.err.badRange', { from, to });
  const start = shanghaiMidnight(`${from}-01`);
  const end = shanghaiMidnight(`${addMonths(to, 1)}-01`);
  const kinds = new Map(db.all<{ kind: OrderKind; orders: number; closed: number; on_time: number; overdue_open: number }>(sql`
    SELECT o.kind, count(*) AS orders, sum(s.state = 'closed') AS closed, coalesce(sum(s.on_time), 0) AS on_time,
           sum(s.state <> 'closed' AND s.next_due_at IS NOT NULL AND s.next_due_at < ${now}) AS overdue_open
    FROM work_orders o JOIN work_order_state s ON s.order_id = o.id
    WHERE o.received_at >= ${start} AND o.received_at < ${end} GROUP BY o.kind`).map((r) => [r.kind, r]));
  const byKind = ORDER_KINDS.map((kind) => {
    const r = kinds.get(kind);
    return { kind, orders: r?.orders ?? 0, closed: r?.closed ?? 0, onTime: r?.on_time ?? 0, overdueOpen: r?.overdue_open ?? 0 };
  });
  const bySource = db.all<{ source: string; orders: number }>(sql`
    SELECT source, count(*) AS orders FROM work_orders WHERE received_at >= ${start} AND received_at < ${end} GROUP BY source ORDER BY source`);
  const byStaff = db.all<{ staffNo: string; name: string; assigned: number; closed: number; onTime: number; validComplaints: number }>(sql`
    SELECT st.staff_no AS staffNo, st.name, count(*) AS assigned, sum(s.state = 'closed') AS closed, coalesce(sum(s.on_time), 0) AS onTime,
           (SELECT count(DISTINCT x.order_id) FROM work_order_steps x WHERE x.attributed_to = st.id AND x.valid_complaint = 1 AND x.at >= ${start} AND x.at < ${end}) AS validComplaints
    FROM work_order_state s JOIN work_orders o ON o.id = s.order_id JOIN staff st ON st.id = s.assignee_id
    WHERE o.received_at >= ${start} AND o.received_at < ${end} GROUP BY st.id ORDER BY st.staff_no`);
  const satisfaction: { period: string; reached: number; satisfied: number; notReached: number }[] = [];
  for (let p = from; p <= to; p = addMonths(p, 1)) {
    const a = shanghaiMidnight(`${p}-01`);
    const b = shanghaiMidnight(`${addMonths(p, 1)}-01`);
    const r = db.get<{ reached: number | null; satisfied: number | null; not_reached: number | null }>(sql`
      SELECT sum(reached) AS reached, sum(reached = 1 AND satisfaction >= 4) AS satisfied, sum(reached = 0) AS not_reached
      FROM return_visit_results WHERE at >= ${a} AND at < ${b}`);
    satisfaction.push({ period: p, reached: r?.reached ?? 0, satisfied: r?.satisfied ?? 0, notReached: r?.not_reached ?? 0 });
    if (satisfaction.length > 36) break;
  }
  return { from, to, byKind, bySource, byStaff, satisfaction };
}

export async function exportReport(db: ReadableDB, from: string, to: string, now: number, locale: Locale) {
  const XLSX = await import('xlsx');
  const t = (key: MessageKey) => translate(locale, key);
  const r = report(db, from, to, now);
  const pct = (n: number, d: number) => (d > 0 ? Math.round((n * 10000) / d) / 100 : null);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([
    [t('service.report.kind'), t('service.report.orders'), t('service.report.closed'), t('service.report.onTime'), t('service.report.compliance'), t('service.report.overdueOpen')],
    ...r.byKind.map((k) => [t(`service.kind.${k.kind}` as MessageKey), k.orders, k.closed, k.onTime, pct(k.onTime, k.closed), k.overdueOpen]),
  ]), t('service.report.sheetKind'));
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([[t('service.report.source'), t('service.report.orders')], ...r.bySource.map((s) => [t(`service.source.${s.source}` as MessageKey), s.orders])]), t('service.report.sheetSource'));
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([
    [t('service.report.staffNo'), t('service.report.name'), t('service.report.assigned'), t('service.report.closed'), t('service.report.onTime'), t('service.report.validComplaints')],
    ...r.byStaff.map((s) => [s.staffNo, s.name, s.assigned, s.closed, s.onTime, s.validComplaints]),
  ]), t('service.report.sheetStaff'));
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([
    [t('service.report.period'), t('service.report.reached'), t('service.report.satisfied'), t('service.report.satisfactionRate'), t('service.report.notReached')],
    ...r.satisfaction.map((s) => [s.period, s.reached, s.satisfied, pct(s.satisfied, s.reached), s.notReached]),
  ]), t('service.report.sheetSatisfaction'));
  return { fileName: `${t('service.report.fileName')}-${from}-${to}.xlsx`, base64: XLSX.write(wb, { type: 'base64', bookType: 'xlsx', compression: true }) as string };
}

/**
 * The month's reminder list (催缴提醒名单): customers whose segment asks for a reminder before the
 * due date. As a workbook to print, or as an SMS file for head office's gateway: UTF-8 CSV with
 * the header `phone,account_no,message`, one line per customer with a phone number.
 */
export async function exportReminders(db: ReadableDB, period: string, format: 'xlsx' | 'sms', stationName: string, locale: Locale) {
  const t = (key: MessageKey) => translate(locale, key);
  const list = serviceList(db, period, 'remind');
  if (format === 'sms') {
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const lines = ['phone,account_no,message'];
    for (const r of list.rows) {
      if (!r.phone.trim()) continue;
      const owed = r.balanceFen > 0 ? `，当前欠费${fenToYuan(r.balanceFen)}元` : '';
      lines.push([r.phone.trim(), r.accountNo, quote(`【${stationName}】尊敬的${r.name}（户号${r.accountNo}）：本月电费请按期缴纳${owed}。`)].join(','));
    }
    return { fileName: `${t('service.reminders.fileName')}-${period}.csv`, base64: Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8').toString('base64') };
  }
  const XLSX = await import('xlsx');
  const rows = [
    [t('service.list.account'), t('service.list.name'), t('service.list.address'), t('service.list.phone'), t('service.list.segments'), t('service.list.balance')],
    ...list.rows.map((r) => [r.accountNo, r.name, r.address, r.phone, r.codes.map((c) => t(`service.segment.${c}` as MessageKey)).join('、'), Number(fenToYuan(r.balanceFen))]),
  ];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), period);
  return { fileName: `${t('service.reminders.fileName')}-${period}.xlsx`, base64: XLSX.write(wb, { type: 'base64', bookType: 'xlsx', compression: true }) as string };
}
