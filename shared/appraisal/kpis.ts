// The KPIs (考核指标) an appraisal sheet may score, each computed per member of staff and month
// from the station's own rows (electron/backend/appraisal/kpis.ts) and drillable to them.
// A rate with nothing to measure (no visits, no new connections closed) is "not measured"
// (value null), never 0. The service figures come from the customer-service desk (issue 22).

export const KPI_CODES = [
  'reading.actualRate', // 实抄率: meters actually read ÷ meters due in the reader's books (%)
  'reading.errorRate', // 抄表差错率: readings later corrected ÷ readings entered (%)
  'reading.errorCount', // 抄表差错: readings later corrected (count)
  'reading.onTimeRate', // 抄表及时率: books completed by their deadline ÷ books due (%)
  'collection.rate', // 电费回收率: collected ÷ billed for the customers of the person's books (%)
  'closing.differenceCount', // 日结差错: daily closings with a cash difference (count)
  'closing.differenceFen', // 日结差错金额: the differences' absolute amounts (fen)
  'collection.reversals', // 冲正申请: reversals requested (count)
  'collection.payments', // 收费笔数: payments taken (workload, count)
  'billing.corrections', // 账单更正: bill corrections requested (count)
  'service.complaints', // 有效投诉: complaints closed as valid and attributed to the person (count)
  'service.satisfaction', // 回访满意率: return visits on the person's orders, satisfied ÷ reached (%)
  'service.newConnectionTimeliness', // 业扩时限达标率: the person's new connections closed within every limit ÷ closed (%)
] as const;
export type KpiCode = (typeof KPI_CODES)[number];

export type KpiUnit = 'percent' | 'count' | 'fen';

export const KPI_UNITS: Record<KpiCode, KpiUnit> = {
  'reading.actualRate': 'percent',
  'reading.errorRate': 'percent',
  'reading.errorCount': 'count',
  'reading.onTimeRate': 'percent',
  'collection.rate': 'percent',
  'closing.differenceCount': 'count',
  'closing.differenceFen': 'fen',
  'collection.reversals': 'count',
  'collection.payments': 'count',
  'billing.corrections': 'count',
  'service.complaints': 'count',
  'service.satisfaction': 'percent',
  'service.newConnectionTimeliness': 'percent',
};

/** KPIs with no rows at the station yet: always "not measured" (none since the customer-service desk). */
export const UNMEASURED_KPIS: readonly KpiCode[] = [];

/**
 * One KPI's figure for a person and month. A rate keeps its numerator and denominator (shown as
 * "998 / 1,000"); `value` is the rate in percent (2 decimals) or the count / amount, and null
 * when there is nothing to measure (no meters due, no readings, the desk does not exist yet).
 */
export interface KpiValue {
  code: KpiCode;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

export function isKpiCode(text: string): text is KpiCode {
  return (KPI_CODES as readonly string[]).includes(text);
}

/** A rate in percent with 2 decimals, or null (not measured) when nothing was due. */
export function rate(code: KpiCode, numerator: number, denominator: number): KpiValue {
  if (denominator <= 0) return { code, value: null, numerator, denominator };
  return { code, value: Math.round((numerator * 10000) / denominator) / 100, numerator, denominator };
}

export function count(code: KpiCode, value: number): KpiValue {
  return { code, value, numerator: null, denominator: null };
}

export function notMeasured(code: KpiCode): KpiValue {
  return { code, value: null, numerator: null, denominator: null };
}
