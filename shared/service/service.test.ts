import { describe, expect, it } from 'vitest';
import { shanghaiMidnight } from '../time';
import { resolveSegmentRules, resolveServiceLimits, segmentPolicyDay, validateServicePolicy } from './policy';
import { checkDispatchRow, classify, DEFAULT_SEGMENT_POLICY, DEFAULT_SERVICE_POLICY, dueTime, EMPTY_CALENDAR, isWorkingDay, limitStatus, makeCalendar, needsHeadApprovalToDisconnect, orderLimits, parseReceivedAt, surveySample, type CustomerFacts, type LimitRule, type WorkingCalendar } from './index';

const at = (text: string) => parseReceivedAt(text) as number;
// 2026 National Day: Oct 1–7 off (Thu–Wed), Sat Oct 10 a make-up working day (调休上班).
const october = makeCalendar([
  ...['01', '02', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, kind: 'holiday' as const })),
  { date: '2026-10-10', kind: 'workday' as const },
]);

describe('working-day calendar (工作日历)', () => {
  it.each([
    ['2026-12-07', EMPTY_CALENDAR, true, 'a Monday'],
    ['2026-12-05', EMPTY_CALENDAR, false, 'a Saturday'],
    ['2026-10-01', october, false, 'National Day, a Thursday holiday'],
    ['2026-10-10', october, true, 'a make-up Saturday'],
    ['2026-10-08', october, true, 'the Thursday after the holiday'],
  ] as [string, WorkingCalendar, boolean, string][])('%s is a working day: %s (%s)', (date, cal, expected, _why) => {
    expect(isWorkingDay(date, cal)).toBe(expected);
  });
});

describe('due times (时限)', () => {
  const cases: { name: string; received: string; rule: LimitRule; residential?: boolean; calendar?: typeof october; suspensions?: { from: string; to: string | null }[]; due: string | null }[] = [
    { name: 'a rural repair received at 09:00 must be reached by 10:30', received: '2026-12-07 09:00', rule: { milestone: 'arrival', minutes: 90 }, due: '2026-12-07 10:30' },
    { name: 'a repair suspended 20 minutes (customer not home) is due 20 minutes later', received: '2026-12-07 09:00', rule: { milestone: 'arrival', minutes: 90 }, suspensions: [{ from: '2026-12-07 09:30', to: '2026-12-07 09:50' }], due: '2026-12-07 10:50' },
    { name: 'a repair still suspended has no due time', received: '2026-12-07 09:00', rule: { milestone: 'arrival', minutes: 90 }, suspensions: [{ from: '2026-12-07 09:30', to: null }], due: null },
    { name: 'a complaint taken on Monday is contacted by the end of Tuesday', received: '2026-12-07 15:00', rule: { milestone: 'contact', workingDays: 1 }, due: '2026-12-09 00:00' },
    { name: 'a complaint taken on Friday is contacted by the end of Monday', received: '2026-12-04 15:00', rule: { milestone: 'contact', workingDays: 1 }, due: '2026-12-08 00:00' },
    { name: 'a meter check taken Monday is due in 5 working days: the end of the next Monday', received: '2026-12-07 10:00', rule: { milestone: 'result', workingDays: 5 }, due: '2026-12-15 00:00' },
    { name: 'a meter query taken before National Day waits for the holiday and counts the make-up Saturday: the end of Tue 13th', received: '2026-09-30 10:00', rule: { milestone: 'answer', workingDays: 5 }, calendar: october, due: '2026-10-14 00:00' },
    { name: 'a residential new connection: 5 working days', received: '2026-12-07 10:00', rule: { milestone: 'complete', workingDays: 5, nonResidentialWorkingDays: 6 }, due: '2026-12-15 00:00' },
    { name: 'a low-voltage non-residential new connection: 6 working days', received: '2026-12-07 10:00', rule: { milestone: 'complete', workingDays: 5, nonResidentialWorkingDays: 6 }, residential: false, due: '2026-12-16 00:00' },
    { name: 'a whole working day suspended moves a working-day limit by one day', received: '2026-12-07 10:00', rule: { milestone: 'result', workingDays: 5 }, suspensions: [{ from: '2026-12-09 00:00', to: '2026-12-10 00:00' }], due: '2026-12-16 00:00' },
    { name: 'a weekend suspension does not move a working-day limit', received: '2026-12-07 10:00', rule: { milestone: 'result', workingDays: 5 }, suspensions: [{ from: '2026-12-12 00:00', to: '2026-12-14 00:00' }], due: '2026-12-15 00:00' },
  ];
  it.each(cases)('$name', (c) => {
    const due = dueTime({
      receivedAt: at(c.received),
      rule: c.rule,
      residential: c.residential ?? true,
      calendar: c.calendar ?? EMPTY_CALENDAR,
      suspensions: (c.suspensions ?? []).map((s) => ({ from: at(s.from), to: s.to === null ? null : at(s.to) })),
    });
    expect(due).toBe(c.due === null ? null : at(c.due));
  });

  it('restore is due 4 hours after the repairer arrived, and a repair order met both limits when closed in time', () => {
    const limits = orderLimits({
      kind: 'repair',
      receivedAt: at('2026-12-07 09:00'),
      residential: true,
      steps: [{ kind: 'arrive', at: at('2026-12-07 10:00') }, { kind: 'close', at: at('2026-12-07 13:00') }],
      policy: DEFAULT_SERVICE_POLICY,
      calendar: EMPTY_CALENDAR,
      now: at('2026-12-07 20:00'),
    });
    expect(limits.map((l) => [l.milestone, l.status])).toEqual([['arrival', 'metOnTime'], ['restore', 'metOnTime']]);
    expect(limits[1]?.due).toBe(at('2026-12-07 14:00'));
  });

  it('a repair nobody reached in 90 minutes is overdue; 20 minutes before the limit it is due soon', () => {
    const base = { kind: 'repair' as const, receivedAt: at('2026-12-07 09:00'), residential: true, steps: [], policy: DEFAULT_SERVICE_POLICY, calendar: EMPTY_CALENDAR };
    expect(orderLimits({ ...base, now: at('2026-12-07 10:31') })[0]?.status).toBe('overdue');
    expect(orderLimits({ ...base, now: at('2026-12-07 10:10') })[0]?.status).toBe('dueSoon');
    expect(orderLimits({ ...base, now: at('2026-12-07 09:30') })[0]?.status).toBe('ok');
  });

  it('a re-opened complaint is met again only by a later close', () => {
    const limits = orderLimits({
      kind: 'complaint',
      receivedAt: at('2026-12-07 09:00'),
      residential: true,
      steps: [{ kind: 'close', at: at('2026-12-08 09:00') }, { kind: 'reopen', at: at('2026-12-09 09:00') }],
      policy: DEFAULT_SERVICE_POLICY,
      calendar: EMPTY_CALENDAR,
      now: at('2026-12-10 09:00'),
    });
    expect(limits.map((l) => l.status)).toEqual(['metOnTime', 'ok']);
  });

  it.each([
    [null, null, 'paused'],
    [1000, 900, 'metOnTime'],
    [1000, 1100, 'metLate'],
  ] as const)('due %s met %s → %s', (due, met, status) => {
    expect(limitStatus(due, met, 0, 30)).toBe(status);
  });
});

describe('segments (客户画像)', () => {
  const months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const base: CustomerFacts = { customerClass: 'residential', lateMonths: 0, kwhByMonth: months.map(() => 100), monthOf: months, powerFactor: null };
  it.each<[string, Partial<CustomerFacts>, string[]]>([
    ['a resident who paid on time and used 100 kWh a month is in no segment', {}, []],
    ['late in 2 of the last 6 months: arrears risk', { lateMonths: 2 }, ['arrears_risk']],
    ['late once: not yet', { lateMonths: 1 }, []],
    ['a resident averaging 600 kWh over 3 months: high consumption', { kwhByMonth: [...months.slice(3).map(() => 100), 600, 600, 600] }, ['high_consumption']],
    ['no consumption for the last 3 months', { kwhByMonth: [...months.slice(3).map(() => 100), 0, 0, 0] }, ['zero_consumption']],
    ['no bill for one of the 3 months is not "zero"', { kwhByMonth: [...months.slice(3).map(() => 100), 0, null, 0] }, []],
    ['an irrigation pump using 80% of its year from April to September', { customerClass: 'agricultural', kwhByMonth: months.map((m) => (m >= 4 && m <= 9 ? 400 : 100)) }, ['seasonal_irrigation']],
    ['large industry at power factor 0.82 against 0.90', { customerClass: 'large_industry', powerFactor: 0.82 }, ['poor_power_factor']],
    ['large industry at 0.92 is fine', { customerClass: 'large_industry', powerFactor: 0.92 }, []],
  ])('%s', (_name, over, expected) => {
    expect(classify({ ...base, ...over }, DEFAULT_SEGMENT_POLICY)).toEqual(expected);
  });

  it.each([
    [['elderly_alone'], true],
    [['medical_equipment', 'arrears_risk'], true],
    [['arrears_risk', 'high_consumption'], false],
  ] as const)('tags %j need the head to approve a disconnection: %s', (tags, expected) => {
    expect(needsHeadApprovalToDisconnect(tags)).toBe(expected);
  });

  it('a survey sample is spread over the list and moves with the period', () => {
    const list = Array.from({ length: 100 }, (_, i) => i);
    expect(surveySample(list, 10, '2026-12')).toHaveLength(10);
    expect(surveySample(list, 10, '2026-12')).not.toEqual(surveySample(list, 10, '2026-11'));
  });
});

describe('95598 dispatch rows (派单)', () => {
  const ctx = { stationCode: 'GD01', accountKnown: (a: string) => a === 'GD010000001', alreadyTaken: (n: string) => n === 'W-OLD' };
  const row = { dispatchNo: 'W-1', stationCode: 'GD01', kind: '投诉', receivedAt: '2026-12-07 09:00', accountNo: 'GD010000001', content: '抄表员态度差' };
  it.each<[string, Partial<typeof row>, string | undefined, string | undefined]>([
    ['a complaint for this station and a known customer is taken', {}, undefined, undefined],
    ['an order for another station is refused', { stationCode: 'GD02' }, 'stationCode', 'service.dispatch.otherStation'],
    ['an unknown account is refused', { accountNo: 'GD019999999' }, 'accountNo', 'service.dispatch.unknownCustomer'],
    ['no account (a non-customer) is taken', { accountNo: '' }, undefined, undefined],
    ['a kind head office does not use is refused', { kind: '表扬' }, 'kind', 'service.dispatch.badKind'],
    ['a time that is not a time is refused', { receivedAt: '2026-13-01 09:00' }, 'receivedAt', 'service.dispatch.badTime'],
    ['empty content is refused', { content: ' ' }, 'content', 'service.dispatch.missing'],
    ['a 95598 number taken before is refused', { dispatchNo: 'W-OLD' }, 'dispatchNo', 'service.dispatch.duplicate'],
  ])('%s', (_name, over, field, problem) => {
    const check = checkDispatchRow({ ...row, ...over }, ctx);
    expect(check.field).toBe(field);
    expect(check.problem).toBe(problem);
    expect(check.ok).toBe(problem === undefined);
  });
  it('a received time is read in Asia/Shanghai', () => {
    expect(parseReceivedAt('2026-12-07 00:00')).toBe(shanghaiMidnight('2026-12-07'));
  });
});

describe('service policy versions (客户服务政策版本)', () => {
  it.each([
    ['a shorter complaint answer', { limits: { complaint: { answer: { workingDays: 3 } } } }, 'complaint', [{ milestone: 'contact', workingDays: 1 }, { milestone: 'answer', workingDays: 3 }]],
    ['a 60-minute repair arrival; restore stays 4 h after arrival', { limits: { repair: { arrival: { minutes: 60 } } } }, 'repair', [{ milestone: 'arrival', minutes: 60 }, { milestone: 'restore', minutes: 240, after: 'arrival' }]],
    ['new connection: residential 3, non-residential 5', { limits: { new_connection: { complete: { workingDays: 3, nonResidentialWorkingDays: 5 } } } }, 'new_connection', [{ milestone: 'complete', workingDays: 3, nonResidentialWorkingDays: 5 }]],
    ['nothing named: the defaults', {}, 'meter_check', [{ milestone: 'result', workingDays: 5 }]],
  ] as const)('%s', (_name, definition, kind, expected) => {
    const p = resolveServiceLimits(definition, '2027-01-01', '2027-01-01');
    expect(p.limits[kind]).toEqual(expected);
    expect(p.version).toBe('2027-01-01');
  });

  it.each([
    ['an unknown kind', 'serviceLimits', { limits: { hotline: { answer: { workingDays: 1 } } } }, 'limits.hotline'],
    ['a milestone the kind does not have', 'serviceLimits', { limits: { complaint: { arrival: { minutes: 30 } } } }, 'limits.complaint.arrival'],
    ['minutes on a working-day limit', 'serviceLimits', { limits: { complaint: { answer: { minutes: 30 } } } }, 'limits.complaint.answer.minutes'],
    ['working days on a minute limit', 'serviceLimits', { limits: { repair: { arrival: { workingDays: 1 } } } }, 'limits.repair.arrival'],
    ['a non-residential limit on a kind with one limit', 'serviceLimits', { limits: { complaint: { answer: { nonResidentialWorkingDays: 3 } } } }, 'limits.complaint.answer.nonResidentialWorkingDays'],
    ['zero days', 'serviceLimits', { limits: { complaint: { answer: { workingDays: 0 } } } }, 'workingDays'],
    ['an unknown key', 'serviceLimits', { limit: {} }, 'limit'],
    ['more late months than the window', 'segmentRules', { arrearsRisk: { lateMonths: 4, windowMonths: 3 } }, 'arrearsRisk.lateMonths'],
    ['a month 13 in the irrigation season', 'segmentRules', { seasonalIrrigation: { months: [4, 13] } }, 'seasonalIrrigation.months'],
    ['a power factor above 1', 'segmentRules', { poorPowerFactor: { below: 1.2 } }, 'poorPowerFactor.below'],
  ] as const)('refuses %s, naming the key', (_name, kind, definition, key) => {
    let message = '';
    try {
      validateServicePolicy(kind, definition);
    } catch (e) {
      const issues = (e as { issues: { path: (string | number)[]; message: string }[] }).issues;
      message = issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    }
    expect(message).toContain(key);
  });

  it('segment rules: the named keys over the defaults', () => {
    const p = resolveSegmentRules({ arrearsRisk: { lateMonths: 1 }, highConsumption: { kwhByClass: { residential: 400 } }, seasonalIrrigation: { months: [7, 5, 6, 5] } }, '2027-01-01', '2027-01-01');
    expect(p.arrearsRisk).toEqual({ lateMonths: 1, windowMonths: 6 });
    expect(p.highConsumption).toEqual({ windowMonths: 3, kwhByClass: { residential: 400, commercial: 5000 } });
    expect(p.seasonalIrrigation).toEqual({ months: [5, 6, 7], minShare: 0.7 });
    expect(p.poorPowerFactor.below).toBe(0.9);
  });

  it('a month uses the version in force on its first day', () => {
    expect(segmentPolicyDay('2026-12')).toBe('2026-12-01');
  });
});
