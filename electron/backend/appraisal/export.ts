// The month as a workbook (导出): the summary with ranking and pay, every item of every sheet,
// the points entered with their reasons, and every KPI figure. Written from our own data.
import { formatPoints, KPI_CODES, KPI_UNITS } from '../../../shared/appraisal';
import { translate, type Locale, type MessageKey } from '../../../shared/i18n';
import { fenToYuan } from '../../../shared/money';
import { shanghaiDateTime } from '../../../shared/time';
import type { ReadableDB } from '../db/store';
import { getAppraisal, periodSummary } from './appraisals';
import type { Drill } from './kpis';

const points = (c: number | null) => (c === null ? null : Number(formatPoints(c)));

export async function exportMonth(db: ReadableDB, period: string, locale: Locale): Promise<{ fileName: string; base64: string }> {
  const XLSX = await import('xlsx');
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const summary = periodSummary(db, period);
  const role = (r: string) => t(`appraisal.role.${r}` as MessageKey);
  const status = (s: string) => t(`appraisal.status.${s}` as MessageKey);
  const summarySheet: (string | number | null)[][] = [
    [`${t('appraisal.title')} ${period}`],
    [t('appraisal.rank'), t('appraisal.staffNo'), t('appraisal.name'), t('appraisal.roles'), t('appraisal.itemsScore'), t('appraisal.adjustments'), t('appraisal.total'), t('appraisal.status'), t('appraisal.versions'), t('appraisal.pay')],
    ...summary.rows.map((r) => [r.rank, r.staffNo, r.name, r.roles.map(role).join('、'), points(r.itemsCenti), points(r.adjustmentsCenti), points(r.totalCenti), status(r.status), r.versionNo, Number(fenToYuan(r.payFen))]),
  ];
  const items: (string | number | null)[][] = [[t('appraisal.staffNo'), t('appraisal.name'), t('appraisal.version', { n: '' }).trim(), t('appraisal.area'), t('appraisal.item'), t('appraisal.points'), t('appraisal.data'), t('appraisal.score')]];
  const entries: (string | number | null)[][] = [[t('appraisal.staffNo'), t('appraisal.name'), t('appraisal.version', { n: '' }).trim(), t('appraisal.entry.item'), t('appraisal.entry.points'), t('appraisal.entry.reason'), t('appraisal.entry.by'), t('appraisal.entry.at')]];
  const kpis: (string | number | null)[][] = [[t('appraisal.staffNo'), t('appraisal.name'), ...KPI_CODES.map((c) => t(`appraisal.kpi.${c}` as MessageKey))]];
  for (const r of summary.rows) {
    const a = getAppraisal(db, period, r.staffId);
    const v = a.versions[0]!;
    for (const i of v.items) {
      const data = i.data === null ? t('appraisal.manual') : i.data.value === null ? t('appraisal.notMeasured') : i.data.value;
      items.push([r.staffNo, r.name, v.versionNo, i.areaName, i.name, i.points, data, points(i.scoreCenti)]);
    }
    for (const e of v.entries) entries.push([r.staffNo, r.name, v.versionNo, e.itemName ?? t('appraisal.entry.general'), points(e.pointsCenti), e.reason, e.by, shanghaiDateTime(e.at)]);
    const byCode = new Map(v.items.filter((i) => i.data).map((i) => [i.data!.code, i.data!]));
    kpis.push([r.staffNo, r.name, ...KPI_CODES.map((c) => {
      const k = byCode.get(c);
      if (!k) return null;
      if (k.value === null) return t('appraisal.notMeasured');
      return KPI_UNITS[c] === 'fen' ? Number(fenToYuan(k.value)) : k.value;
    })]);
  }
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(summarySheet), t('appraisal.export.sheetSummary'));
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(items), t('appraisal.export.sheetItems'));
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(entries), t('appraisal.export.sheetEntries'));
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(kpis), t('appraisal.export.sheetKpis'));
  return { fileName: `${t('appraisal.export.fileName')}-${period}.xlsx`, base64: XLSX.write(wb, { type: 'base64', bookType: 'xlsx', compression: true }) as string };
}

/** The rows behind a KPI as a workbook (the drill-down list on screen, exported). */
export async function exportDrill(drill: Drill, staffNo: string, period: string, locale: Locale): Promise<{ fileName: string; base64: string }> {
  const XLSX = await import('xlsx');
  const t = (key: MessageKey) => translate(locale, key);
  const head = drill.columns.map((c) => t(c.key));
  const body = drill.rows.map((row) => row.map((cell, i) => {
    const kind = drill.columns[i]?.kind;
    if (cell === null) return null;
    if (kind === 'fen') return Number(fenToYuan(Number(cell)));
    if (kind === 'time') return shanghaiDateTime(Number(cell));
    return cell;
  }));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([head, ...body]), t(`appraisal.kpi.${drill.kpi}` as MessageKey).slice(0, 30));
  return { fileName: `${t('appraisal.export.drillFileName')}-${staffNo}-${period}-${drill.kpi}.xlsx`, base64: XLSX.write(wb, { type: 'base64', bookType: 'xlsx', compression: true }) as string };
}
