// The customer-service policy (客户服务政策) as versions head office sends in its reference pack:
// the time limits per kind (服务时限) and the segment rules' parameters (客户画像规则). The built-in
// defaults (DEFAULT_SERVICE_POLICY, DEFAULT_SEGMENT_POLICY) are the baseline version; a version
// from head office names only the keys it changes (a province promising a shorter complaint
// answer sends `limits.complaint.answer.workingDays`), and the rest stay at the defaults.
// docs/service.md "Policy keys" lists every key with its default and source.
import { z } from 'zod';
import { ORDER_KINDS, type OrderKind } from './kinds';
import { DEFAULT_SERVICE_POLICY, type LimitRule, type Milestone, type ServicePolicy } from './limits';
import { DEFAULT_SEGMENT_POLICY, type SegmentPolicy } from './segments';

/** The two policy kinds of this desk in a reference pack's `policy` rows. */
export const SERVICE_POLICY_KINDS = ['serviceLimits', 'segmentRules'] as const;
export type ServicePolicyKind = (typeof SERVICE_POLICY_KINDS)[number];

const positiveInt = (max: number) => z.number().int().min(1).max(max);

/** One limit's override: minutes for a clock limit, working days for a calendar limit (the unit stays the default's). */
const limitOverride = z.object({ minutes: positiveInt(7 * 24 * 60).optional(), workingDays: positiveInt(60).optional(), nonResidentialWorkingDays: positiveInt(60).optional() }).strict();

export const serviceLimitsDefinitionSchema = z
  .object({
    /** `limits.<kind>.<milestone>.<minutes|workingDays|nonResidentialWorkingDays>` */
    limits: z.record(z.string(), z.record(z.string(), limitOverride)).optional(),
    /** How long before a limit the head is alerted: minutes, for minute limits and for working-day limits. */
    alertMinutes: z.object({ minuteLimits: z.number().int().min(0).max(24 * 60).optional(), workingDayLimits: z.number().int().min(0).max(7 * 24 * 60).optional() }).strict().optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    for (const [kind, milestones] of Object.entries(d.limits ?? {})) {
      if (!(ORDER_KINDS as readonly string[]).includes(kind)) {
        ctx.addIssue({ code: 'custom', path: ['limits', kind], message: `unknown kind (${ORDER_KINDS.join('/')})` });
        continue;
      }
      const rules = DEFAULT_SERVICE_POLICY.limits[kind as OrderKind];
      for (const [milestone, o] of Object.entries(milestones)) {
        const rule = rules.find((r) => r.milestone === milestone);
        if (!rule) {
          ctx.addIssue({ code: 'custom', path: ['limits', kind, milestone], message: `unknown milestone of ${kind} (${rules.map((r) => r.milestone).join('/')})` });
          continue;
        }
        const clock = rule.minutes !== undefined;
        if (clock && (o.workingDays !== undefined || o.nonResidentialWorkingDays !== undefined)) ctx.addIssue({ code: 'custom', path: ['limits', kind, milestone], message: 'a limit in minutes takes "minutes"' });
        if (!clock && o.minutes !== undefined) ctx.addIssue({ code: 'custom', path: ['limits', kind, milestone, 'minutes'], message: 'a limit in working days takes "workingDays"' });
        if (!clock && o.nonResidentialWorkingDays !== undefined && rule.nonResidentialWorkingDays === undefined)
          ctx.addIssue({ code: 'custom', path: ['limits', kind, milestone, 'nonResidentialWorkingDays'], message: `${kind} has one limit for every customer` });
      }
    }
  });
export type ServiceLimitsDefinition = z.infer<typeof serviceLimitsDefinitionSchema>;

const month = z.number().int().min(1).max(12);
export const segmentRulesDefinitionSchema = z
  .object({
    arrearsRisk: z.object({ lateMonths: positiveInt(12).optional(), windowMonths: positiveInt(12).optional() }).strict().optional(),
    highConsumption: z
      .object({ windowMonths: positiveInt(12).optional(), kwhByClass: z.object({ residential: z.number().positive().optional(), commercial: z.number().positive().optional(), large_industry: z.number().positive().optional(), agricultural: z.number().positive().optional() }).strict().optional() })
      .strict()
      .optional(),
    seasonalIrrigation: z.object({ months: z.array(month).min(1).max(12).optional(), minShare: z.number().gt(0).max(1).optional() }).strict().optional(),
    zeroConsumption: z.object({ months: positiveInt(12).optional() }).strict().optional(),
    poorPowerFactor: z.object({ below: z.number().gt(0).max(1).optional() }).strict().optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const late = d.arrearsRisk?.lateMonths ?? DEFAULT_SEGMENT_POLICY.arrearsRisk.lateMonths;
    const window = d.arrearsRisk?.windowMonths ?? DEFAULT_SEGMENT_POLICY.arrearsRisk.windowMonths;
    if (late > window) ctx.addIssue({ code: 'custom', path: ['arrearsRisk', 'lateMonths'], message: `${late} late months in a window of ${window}` });
  });
export type SegmentRulesDefinition = z.infer<typeof segmentRulesDefinitionSchema>;

/** Throws (a zod error naming the key) when a definition of this kind is not acceptable. */
export function validateServicePolicy(kind: ServicePolicyKind, definition: unknown): void {
  if (kind === 'serviceLimits') serviceLimitsDefinitionSchema.parse(definition);
  else segmentRulesDefinitionSchema.parse(definition);
}

/** The time limits of a version: the defaults with head office's keys laid over them. */
export function resolveServiceLimits(definition: unknown, version: string, effectiveFrom: string): ServicePolicy {
  const d = serviceLimitsDefinitionSchema.parse(definition);
  const limits = {} as Record<OrderKind, LimitRule[]>;
  for (const kind of ORDER_KINDS) {
    const over = d.limits?.[kind] ?? {};
    limits[kind] = DEFAULT_SERVICE_POLICY.limits[kind].map((rule) => {
      const o = over[rule.milestone as Milestone];
      return o ? { ...rule, ...o } : { ...rule };
    });
  }
  return { version, effectiveFrom, limits, alertMinutes: { ...DEFAULT_SERVICE_POLICY.alertMinutes, ...d.alertMinutes } };
}

/** The segment rules of a version: the defaults with head office's keys laid over them. */
export function resolveSegmentRules(definition: unknown, version: string, effectiveFrom: string): SegmentPolicy {
  const d = segmentRulesDefinitionSchema.parse(definition);
  const D = DEFAULT_SEGMENT_POLICY;
  return {
    version,
    effectiveFrom,
    arrearsRisk: { ...D.arrearsRisk, ...d.arrearsRisk },
    highConsumption: { windowMonths: d.highConsumption?.windowMonths ?? D.highConsumption.windowMonths, kwhByClass: { ...D.highConsumption.kwhByClass, ...d.highConsumption?.kwhByClass } },
    seasonalIrrigation: { months: d.seasonalIrrigation?.months ? [...new Set(d.seasonalIrrigation.months)].sort((a, b) => a - b) : [...D.seasonalIrrigation.months], minShare: d.seasonalIrrigation?.minShare ?? D.seasonalIrrigation.minShare },
    zeroConsumption: { ...D.zeroConsumption, ...d.zeroConsumption },
    poorPowerFactor: { ...D.poorPowerFactor, ...d.poorPowerFactor },
  };
}

/** The month's segments use the version in force on the month's first day: one rule for the whole month. */
export const segmentPolicyDay = (period: string): string => `${period}-01`;

/** Flattens a resolved policy to its keys (`limits.complaint.answer.workingDays` → 7), for screens and docs. */
export function serviceLimitKeys(p: ServicePolicy): { key: string; value: number }[] {
  const out: { key: string; value: number }[] = [];
  for (const kind of ORDER_KINDS)
    for (const r of p.limits[kind]) {
      if (r.minutes !== undefined) out.push({ key: `limits.${kind}.${r.milestone}.minutes`, value: r.minutes });
      if (r.workingDays !== undefined) out.push({ key: `limits.${kind}.${r.milestone}.workingDays`, value: r.workingDays });
      if (r.nonResidentialWorkingDays !== undefined) out.push({ key: `limits.${kind}.${r.milestone}.nonResidentialWorkingDays`, value: r.nonResidentialWorkingDays });
    }
  out.push({ key: 'alertMinutes.minuteLimits', value: p.alertMinutes.minuteLimits }, { key: 'alertMinutes.workingDayLimits', value: p.alertMinutes.workingDayLimits });
  return out;
}

export function segmentRuleKeys(p: SegmentPolicy): { key: string; value: string }[] {
  return [
    { key: 'arrearsRisk.lateMonths', value: String(p.arrearsRisk.lateMonths) },
    { key: 'arrearsRisk.windowMonths', value: String(p.arrearsRisk.windowMonths) },
    { key: 'highConsumption.windowMonths', value: String(p.highConsumption.windowMonths) },
    ...Object.entries(p.highConsumption.kwhByClass).map(([c, v]) => ({ key: `highConsumption.kwhByClass.${c}`, value: String(v) })),
    { key: 'seasonalIrrigation.months', value: p.seasonalIrrigation.months.join(',') },
    { key: 'seasonalIrrigation.minShare', value: String(p.seasonalIrrigation.minShare) },
    { key: 'zeroConsumption.months', value: String(p.zeroConsumption.months) },
    { key: 'poorPowerFactor.below', value: String(p.poorPowerFactor.below) },
  ];
}
