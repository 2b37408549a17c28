// Time limits (服务时限) per kind of work order, as versioned policy, and the due-time computation
// that follows the working-day calendar and leaves suspended time (挂起) out.
import { addDays, shanghaiDate, shanghaiMidnight } from '../time';
import { DAY_MS, isWorkingDay, nextDayStart, type WorkingCalendar } from './calendar';
import type { OrderKind, StepKind } from './kinds';

export type Milestone = 'arrival' | 'restore' | 'contact' | 'answer' | 'result' | 'complete';

/**
 * One promised limit. `minutes` count wall-clock time from the start; `workingDays` count whole
 * working days from the day after the order was received (受理次日起算), so a limit of 5 working
 * days on an order taken on a Monday ends at 24:00 on the next Monday. `nonResidentialWorkingDays`
 * is the longer limit for a non-residential customer (业扩: residential 5, low-voltage non-residential 6).
 * `after` starts the clock at another milestone's step instead (power restored 4 h after arrival).
 */
export interface LimitRule {
  milestone: Milestone;
  minutes?: number;
  workingDays?: number;
  nonResidentialWorkingDays?: number;
  after?: Milestone;
}

export interface ServicePolicy {
  version: string;
  effectiveFrom: string; // YYYY-MM-DD
  /** The last rule of a kind is the order's own limit (closing the order meets it). */
  limits: Record<OrderKind, LimitRule[]>;
  /** How long before a limit the head is alerted (临期预警): minutes for minute limits, for working-day limits. */
  alertMinutes: { minuteLimits: number; workingDayLimits: number };
}

/** The published defaults (rural station; DOMAIN.md). Provinces may promise less: head office sends its own version. */
export const DEFAULT_SERVICE_POLICY: ServicePolicy = {
  version: 'default-2023',
  effectiveFrom: '2000-01-01',
  limits: {
    complaint: [
      { milestone: 'contact', workingDays: 1 },
      { milestone: 'answer', workingDays: 7 },
    ],
    report: [{ milestone: 'answer', workingDays: 7 }],
    opinion: [{ milestone: 'answer', workingDays: 7 }],
    consultation: [{ milestone: 'answer', workingDays: 1 }],
    repair: [
      { milestone: 'arrival', minutes: 90 },
      { milestone: 'restore', minutes: 240, after: 'arrival' },
    ],
    meter_check: [{ milestone: 'result', workingDays: 5 }],
    meter_query: [{ milestone: 'answer', workingDays: 5 }],
    new_connection: [{ milestone: 'complete', workingDays: 5, nonResidentialWorkingDays: 6 }],
    change_of_use: [{ milestone: 'complete', workingDays: 5, nonResidentialWorkingDays: 6 }],
  },
  alertMinutes: { minuteLimits: 30, workingDayLimits: 24 * 60 },
};

/** Which step meets a milestone. The final milestone is always met by closing the order. */
export function stepMeets(milestone: Milestone, step: StepKind, final: boolean): boolean {
  if (step === 'close') return true;
  if (final) return false;
  if (milestone === 'arrival') return step === 'arrive';
  if (milestone === 'restore') return step === 'restore';
  if (milestone === 'contact') return step === 'contact';
  return false;
}

/** A stretch of time the order was suspended; `to` null while it still is. */
export interface Suspension {
  from: number;
  to: number | null;
}

/**
 * When the clock that starts at `startMs` has counted `budgetMs`, counting only the moments
 * `counts(date)` allows and leaving out the suspensions. Null while a suspension that began
 * before the limit is still open: the clock is stopped, there is no due time.
 */
function runClock(startMs: number, budgetMs: number, counts: (date: string) => boolean, suspensions: readonly Suspension[]): number | null {
  const sus = [...suspensions].sort((a, b) => a.from - b.from);
  let t = startMs;
  let left = budgetMs;
  let guard = 0;
  while (guard++ < 20000) {
    const date = shanghaiDate(t);
    const dayEnd = shanghaiMidnight(addDays(date, 1));
    if (!counts(date)) {
      t = dayEnd;
      continue;
    }
    // The next suspension that touches [t, dayEnd).
    const s = sus.find((x) => (x.to === null || x.to > t) && x.from < dayEnd);
    const runEnd = s ? Math.max(t, Math.min(s.from, dayEnd)) : dayEnd;
    if (runEnd - t >= left) return t + left;
    left -= runEnd - t;
    if (s && s.from < dayEnd) {
      if (s.to === null) return null;
      t = Math.max(runEnd, s.to);
    } else {
      t = dayEnd;
    }
  }
  throw new Error('time limit beyond 50 years: check the calendar and the policy');
}

export interface DueInput {
  receivedAt: number;
  rule: LimitRule;
  residential: boolean;
  calendar: WorkingCalendar;
  suspensions: readonly Suspension[];
  /** When the milestone named by `rule.after` was met (e.g. the repairer arrived). */
  afterAt?: number | null;
  /** The due time of the `after` milestone, used while it is not met yet. */
  afterDue?: number | null;
}

/** The due time of one limit, or null while the clock is stopped by an open suspension. */
export function dueTime(input: DueInput): number | null {
  const { rule } = input;
  let start = input.receivedAt;
  if (rule.after) {
    const from = input.afterAt ?? input.afterDue;
    if (from === null || from === undefined) return null;
    start = from;
  }
  if (rule.minutes !== undefined) return runClock(start, rule.minutes * 60_000, () => true, input.suspensions);
  const days = !input.residential && rule.nonResidentialWorkingDays !== undefined ? rule.nonResidentialWorkingDays : (rule.workingDays ?? 0);
  return runClock(nextDayStart(start), days * DAY_MS, (d) => isWorkingDay(d, input.calendar), input.suspensions);
}

export type LimitStatus = 'ok' | 'dueSoon' | 'overdue' | 'paused' | 'metOnTime' | 'metLate';

/** How a limit stands at `now`: met (on time or late), paused, overdue, due soon (inside the alert window), or fine. */
export function limitStatus(due: number | null, metAt: number | null, now: number, alertMinutes: number): LimitStatus {
  if (metAt !== null) return due === null || metAt <= due ? 'metOnTime' : 'metLate';
  if (due === null) return 'paused';
  if (now > due) return 'overdue';
  if (now >= due - alertMinutes * 60_000) return 'dueSoon';
  return 'ok';
}

/** The alert window of a rule: minute limits alert shortly before, working-day limits a day before. */
export function alertMinutesOf(rule: LimitRule, policy: ServicePolicy): number {
  return rule.minutes !== undefined ? policy.alertMinutes.minuteLimits : policy.alertMinutes.workingDayLimits;
}

export interface OrderLimitView {
  milestone: Milestone;
  due: number | null;
  metAt: number | null;
  status: LimitStatus;
}

export interface OrderStepFact {
  kind: StepKind;
  at: number;
}

/** Suspensions from an order's steps (suspend … resume pairs; a suspend without a resume is still open). */
export function suspensionsOf(steps: readonly OrderStepFact[]): Suspension[] {
  const out: Suspension[] = [];
  let open: number | null = null;
  for (const s of [...steps].sort((a, b) => a.at - b.at)) {
    if (s.kind === 'suspend' && open === null) open = s.at;
    else if (s.kind === 'resume' && open !== null) {
      out.push({ from: open, to: s.at });
      open = null;
    }
  }
  if (open !== null) out.push({ from: open, to: null });
  return out;
}

/**
 * Every limit of an order at `now`: due, when met, status. A re-opened order is measured against
 * the same limits (the customer waited from the first receipt); it is met again only by a close
 * after the last re-open.
 */
export function orderLimits(input: { kind: OrderKind; receivedAt: number; residential: boolean; steps: readonly OrderStepFact[]; policy: ServicePolicy; calendar: WorkingCalendar; now: number }): OrderLimitView[] {
  const rules = input.policy.limits[input.kind];
  const steps = [...input.steps].sort((a, b) => a.at - b.at);
  const lastReopen = steps.filter((s) => s.kind === 'reopen').at(-1)?.at ?? -Infinity;
  const suspensions = suspensionsOf(steps);
  const out: OrderLimitView[] = [];
  rules.forEach((rule, i) => {
    const final = i === rules.length - 1;
    const met = steps.find((s) => stepMeets(rule.milestone, s.kind, final) && (!final || s.at > lastReopen));
    const metAt = met?.at ?? null;
    const before = rule.after ? out.find((o) => o.milestone === rule.after) : undefined;
    const due = dueTime({ receivedAt: input.receivedAt, rule, residential: input.residential, calendar: input.calendar, suspensions, afterAt: before?.metAt ?? null, afterDue: before?.due ?? null });
    out.push({ milestone: rule.milestone, due, metAt, status: limitStatus(due, metAt, input.now, alertMinutesOf(rule, input.policy)) });
  });
  return out;
}

/** The status that decides the order's place on the lists: the worst open limit. */
export function worstStatus(limits: readonly OrderLimitView[]): LimitStatus {
  const order: LimitStatus[] = ['overdue', 'dueSoon', 'paused', 'ok', 'metLate', 'metOnTime'];
  return limits.map((l) => l.status).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? 'ok';
}
