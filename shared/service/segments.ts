// Customer segments (客户画像) computed monthly from the station's own rows, by rules that are
// policy (versioned; head office may send its own), and the manual tags staff set with a reason.
// Each segment says what service follows: a reminder before the due date, a visit, or "never
// disconnect without the head's approval" (停电须所长批准).

export const COMPUTED_SEGMENTS = [
  'arrears_risk', // 欠费风险: late in `lateMonths` of the last `windowMonths` months
  'high_consumption', // 高耗电: average monthly kWh over the window at or above the class's threshold
  'seasonal_irrigation', // 季节性排灌: agricultural, most of the year's kWh in the irrigation months
  'zero_consumption', // 连续零电量: no consumption for `months` months running (空置或窃电嫌疑)
  'poor_power_factor', // 大工业功率因数低: large industry whose last billed power factor is below the standard
] as const;
export type ComputedSegment = (typeof COMPUTED_SEGMENTS)[number];

export const MANUAL_TAGS = [
  'elderly_alone', // 独居老人
  'low_income', // 低保/五保 (with a subsidy)
  'medical_equipment', // 家有医疗设备: priority on outages
] as const;
export type ManualTag = (typeof MANUAL_TAGS)[number];

export type SegmentCode = ComputedSegment | ManualTag;
export const SEGMENT_CODES: readonly SegmentCode[] = [...COMPUTED_SEGMENTS, ...MANUAL_TAGS];

export function isManualTag(text: string): text is ManualTag {
  return (MANUAL_TAGS as readonly string[]).includes(text);
}

export interface SegmentPolicy {
  version: string;
  effectiveFrom: string; // YYYY-MM
  arrearsRisk: { lateMonths: number; windowMonths: number };
  /** kWh per month (average over the window), by customer class; a class not listed is never "high". */
  highConsumption: { windowMonths: number; kwhByClass: Partial<Record<'residential' | 'commercial' | 'large_industry' | 'agricultural', number>> };
  seasonalIrrigation: { months: number[]; minShare: number };
  zeroConsumption: { months: number };
  poorPowerFactor: { below: number };
}

export const DEFAULT_SEGMENT_POLICY: SegmentPolicy = {
  version: 'default-1',
  effectiveFrom: '2000-01',
  arrearsRisk: { lateMonths: 2, windowMonths: 6 },
  highConsumption: { windowMonths: 3, kwhByClass: { residential: 500, commercial: 5000 } },
  // 春灌 and 夏灌: April to September; 70% of the last 12 months' kWh in those months.
  seasonalIrrigation: { months: [4, 5, 6, 7, 8, 9], minShare: 0.7 },
  zeroConsumption: { months: 3 },
  poorPowerFactor: { below: 0.9 },
};

/** What the monthly computation knows about one customer (aggregated by the back end). */
export interface CustomerFacts {
  customerClass: string;
  /** Months (of the arrears window) in which a bill was paid after its due date or is still unpaid past it. */
  lateMonths: number;
  /** kWh (not centi) per month, oldest first, the last 12 months ending with the month computed; null = no bill that month. */
  kwhByMonth: readonly (number | null)[];
  /** Calendar month (1–12) of each entry of kwhByMonth. */
  monthOf: readonly number[];
  /** The last billed power factor, when the customer is billed with one. */
  powerFactor: number | null;
}

/** The segments one customer falls in this month under `policy`. */
export function classify(f: CustomerFacts, policy: SegmentPolicy): ComputedSegment[] {
  const out: ComputedSegment[] = [];
  if (f.lateMonths >= policy.arrearsRisk.lateMonths) out.push('arrears_risk');

  const threshold = policy.highConsumption.kwhByClass[f.customerClass as keyof SegmentPolicy['highConsumption']['kwhByClass']];
  const recent = f.kwhByMonth.slice(-policy.highConsumption.windowMonths).filter((v): v is number => v !== null);
  if (threshold !== undefined && recent.length > 0 && recent.reduce((a, b) => a + b, 0) / recent.length >= threshold) out.push('high_consumption');

  if (f.customerClass === 'agricultural') {
    let inSeason = 0;
    let total = 0;
    f.kwhByMonth.forEach((v, i) => {
      if (v === null) return;
      total += v;
      if (policy.seasonalIrrigation.months.includes(f.monthOf[i] ?? 0)) inSeason += v;
    });
    if (total > 0 && inSeason / total >= policy.seasonalIrrigation.minShare) out.push('seasonal_irrigation');
  }

  const lastN = f.kwhByMonth.slice(-policy.zeroConsumption.months);
  if (lastN.length === policy.zeroConsumption.months && lastN.every((v) => v === 0)) out.push('zero_consumption');

  if (f.customerClass === 'large_industry' && f.powerFactor !== null && f.powerFactor < policy.poorPowerFactor.below) out.push('poor_power_factor');
  return out;
}

/** What each segment's service list is for (shown as the list's purpose). */
export const SEGMENT_SERVICE: Record<SegmentCode, { remind: boolean; visit: boolean; protectFromDisconnection: boolean }> = {
  arrears_risk: { remind: true, visit: false, protectFromDisconnection: false },
  high_consumption: { remind: false, visit: false, protectFromDisconnection: false },
  seasonal_irrigation: { remind: false, visit: true, protectFromDisconnection: false }, // 排灌季前检查
  zero_consumption: { remind: false, visit: true, protectFromDisconnection: false }, // 空置或窃电核查
  poor_power_factor: { remind: false, visit: true, protectFromDisconnection: false }, // 无功补偿上门指导
  elderly_alone: { remind: true, visit: true, protectFromDisconnection: true },
  low_income: { remind: false, visit: false, protectFromDisconnection: true },
  medical_equipment: { remind: false, visit: true, protectFromDisconnection: true },
};

/** True when a customer with these tags may be disconnected only with the head's approval. */
export function needsHeadApprovalToDisconnect(codes: readonly string[]): boolean {
  return codes.some((c) => (SEGMENT_CODES as readonly string[]).includes(c) && SEGMENT_SERVICE[c as SegmentCode].protectFromDisconnection);
}

/** Satisfaction: 4 and 5 of 5 count as satisfied (满意), 3 and below as unsatisfied — re-open or escalate. */
export function isSatisfied(score: number): boolean {
  return score >= 4;
}

/**
 * A reproducible sample for a satisfaction survey (满意度调查): every k-th customer of the list in
 * account order, starting at an offset taken from the period, so next month asks others.
 */
export function surveySample<T>(sortedCustomers: readonly T[], size: number, period: string): T[] {
  if (size <= 0 || sortedCustomers.length === 0) return [];
  const step = Math.max(1, Math.floor(sortedCustomers.length / size));
  const offset = Number(period.replace('-', '')) % step;
  const out: T[] = [];
  for (let i = offset; i < sortedCustomers.length && out.length < size; i += step) out.push(sortedCustomers[i] as T);
  return out;
}
