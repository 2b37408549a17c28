import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { count, notMeasured, rate, type KpiValue } from './kpis';
import { appraisedInPeriod, deductionScore, entryOutOfBounds, formatPoints, linearScore, parsePoints, rank, ratioScore, scoreSheet, splitPay, stepScore } from './score';
import { renderMessage, type CodedMessage } from '../i18n/coded';
import { checkScoreSheetFile, itemsForRoles, type ScoreSheet } from './sheet';

const en = (problem: CodedMessage) => renderMessage('en', problem);

const docs = join(import.meta.dirname, '..', '..', 'docs', 'appraisal');
const shipped = (file: string) => JSON.parse(readFileSync(join(docs, file), 'utf8')) as ScoreSheet;

describe('linear scale (线性计分)', () => {
  it.each([
    // points, floor, target, value → centi-points
    [30, 95, 100, 100, 3000],
    [30, 95, 100, 101, 3000],
    [30, 95, 100, 95, 0],
    [30, 95, 100, 90, 0],
    [30, 95, 100, 97.5, 1500],
    [30, 95, 100, 99.8, 2880],
    // lower is better: error rate, full at ≤ 0.2 %, nothing at ≥ 1 %
    [20, 1, 0.2, 0.2, 2000],
    [20, 1, 0.2, 0, 2000],
    [20, 1, 0.2, 1, 0],
    [20, 1, 0.2, 0.6, 1000],
    [20, 1, 0.2, 0.5, 1250],
  ])('%i points, floor %d, target %d, value %d → %i', (points, floor, target, value, expected) => {
    expect(linearScore(points, floor, target, value)).toBe(expected);
  });
});

describe('step table (分档计分)', () => {
  const steps = [{ min: 100, score: 20 }, { min: 98, max: 100, score: 15 }, { min: 95, max: 98, score: 10 }, { min: 0, max: 95, score: 0 }];
  it.each([
    [100, 2000],
    [99.99, 1500],
    [98, 1500],
    [97.99, 1000],
    [95, 1000],
    [50, 0],
    [-1, 0], // below every band
  ])('value %d → %i', (value, expected) => expect(stepScore(steps, value)).toBe(expected));
});

describe('per-occurrence deduction with a cap (按次扣分)', () => {
  it.each([
    // points, per, cap, occurrences → centi
    [30, 5, 30, 0, 3000],
    [30, 5, 30, 1, 2500],
    [30, 5, 30, 6, 0],
    [30, 5, 30, 9, 0],
    [30, 5, 20, 9, 1000], // the cap leaves 10
    [10, 2.5, 10, 3, 250],
  ])('%i points, %d each, cap %d, %i times → %i', (points, per, cap, n, expected) => expect(deductionScore(points, per, cap, n)).toBe(expected));
});

describe('ratio × weight (比率计分)', () => {
  it.each([
    [20, 100, 2000],
    [20, 95.5, 1910],
    [10, 33.33, 333],
    [20, 120, 2000], // capped at 100 %
    [20, -5, 0],
  ])('%i points at %d %% → %i', (points, percent, expected) => expect(ratioScore(points, percent)).toBe(expected));
});

describe('performance pay (绩效工资), exact to the fen', () => {
  const people = [
    { staffNo: 'M001', scoreCenti: 9550 },
    { staffNo: 'M002', scoreCenti: 8800 },
    { staffNo: 'C001', scoreCenti: 10000 },
  ];
  it('points × (base ÷ full score), half up per person', () => {
    const { shares, remainderFen } = splitPay({ method: 'points', baseFen: 300000 }, 310, [{ staffNo: 'A', scoreCenti: 29050 }, { staffNo: 'B', scoreCenti: 31000 }, { staffNo: 'C', scoreCenti: 100 }]);
    // 290.5 × 3000/310 = 2811.2903… → 281129 fen; 310 → 300000; 1 point → 967.74 fen → 968
    expect(shares.map((s) => s.payFen)).toEqual([281129, 300000, 968]);
    expect(remainderFen).toBe(0);
  });
  it.each([
    [1000000, [336861, 310405, 352734], 2], // 336860.67 / 310405.64 / 352733.69: the two fen to .69 and .67
    [100, [34, 31, 35], 1], // 33.69 / 31.04 / 35.27: one fen left, to the largest fraction (.69)
    [1, [0, 0, 1], 1],
    [0, [0, 0, 0], 0],
  ])('a pool of %i fen shared by points: %j, %i fen placed by largest fraction', (pool, expected, remainder) => {
    const { shares, remainderFen } = splitPay({ method: 'pool', poolFen: pool }, 100, people);
    expect(shares.map((s) => s.payFen)).toEqual(expected);
    expect(shares.reduce((s, x) => s + x.payFen, 0)).toBe(pool);
    expect(remainderFen).toBe(remainder);
  });
  it('equal fractions: the fen goes to the lower staff number', () => {
    const { shares } = splitPay({ method: 'pool', poolFen: 1 }, 100, [{ staffNo: 'M002', scoreCenti: 5000 }, { staffNo: 'M001', scoreCenti: 5000 }]);
    expect(shares).toEqual([{ staffNo: 'M002', scoreCenti: 5000, payFen: 0 }, { staffNo: 'M001', scoreCenti: 5000, payFen: 1 }]);
  });
  it('nobody scored: nothing paid', () => {
    expect(splitPay({ method: 'pool', poolFen: 500 }, 100, [{ staffNo: 'A', scoreCenti: 0 }]).shares[0]?.payFen).toBe(0);
  });
});

describe('ranking and points text', () => {
  it('equal scores share a rank', () => {
    expect(rank([{ scoreCenti: 90 }, { scoreCenti: 95 }, { scoreCenti: 90 }, { scoreCenti: 80 }]).map((r) => [r.scoreCenti, r.rank])).toEqual([[95, 1], [90, 2], [90, 2], [80, 4]]);
  });
  it.each([
    ['-2', -200],
    ['+1.5', 150],
    ['0.25', 25],
    ['3', 300],
    ['1.234', null],
    ['abc', null],
  ])('parsePoints(%s) = %s', (text, expected) => expect(parsePoints(text)).toBe(expected));
  it.each([
    [-200, '-2'],
    [150, '1.5'],
    [9525, '95.25'],
    [0, '0'],
  ])('formatPoints(%i) = %s', (c, text) => expect(formatPoints(c)).toBe(text));
});

describe('joined mid-month (月中入职)', () => {
  it.each([
    ['2026-09-30', '2026-10', true],
    ['2026-10-01', '2026-10', true],
    ['2026-10-16', '2026-10', true],
    ['2026-10-17', '2026-10', false],
    ['2026-11-01', '2026-10', false],
  ])('started %s, appraised in %s: %s', (start, period, expected) => expect(appraisedInPeriod(start, period)).toBe(expected));
});

describe('score sheets (考核方案)', () => {
  it('ships two sheets that pass every check: 100 points with KPIs, and 310 points in 8 areas', () => {
    const kpi = checkScoreSheetFile(shipped('kpi-100.json'));
    const area = checkScoreSheetFile(shipped('area-310.json'));
    expect(kpi).toMatchObject({ ok: true });
    expect(area).toMatchObject({ ok: true });
    if (area.ok) {
      expect(area.sheets[0]?.fullScore).toBe(310);
      expect(area.sheets[0]?.areas).toHaveLength(8);
      expect(area.sheets[0]?.areas.map((a) => itemsForRoles({ ...area.sheets[0]!, areas: [a] }, ['meter_reader']).reduce((s, x) => s + x.item.points, 0))).toEqual([50, 40, 80, 40, 40, 30, 10, 20]);
    }
  });

  const base = () => shipped('kpi-100.json');
  it.each<[string, (s: ScoreSheet) => void, string[]]>([
    ['points not adding up', (s) => (s.areas[0]!.items[0]!.points = 25), ['sheet KPI100 2025-01, fullScore: the items for the role Meter reader add up to 95 points, not 100']],
    ['an unknown KPI', (s) => Object.assign(s.areas[0]!.items[1]!.scoring, { kpi: 'reading.speed' }), [expect.stringMatching(/^sheet KPI100 2025-01, area reading, item R2, scoring\.kpi: unknown KPI "reading\.speed"/) as unknown as string]],
    ['overlapping steps', (s) => Object.assign(s.areas[0]!.items[3]!.scoring, { steps: [{ min: 100, score: 20 }, { min: 95, max: 100.5, score: 10 }, { min: 0, max: 95, score: 0 }] }), ['sheet KPI100 2025-01, area reading, item R4, scoring.steps[0].min: the step from 100 overlaps step 1 (95 to 100.5)']],
    ['a step worth more than the item', (s) => Object.assign(s.areas[0]!.items[3]!.scoring, { steps: [{ min: 0, score: 25 }] }), ['sheet KPI100 2025-01, area reading, item R4, scoring.steps[0].score: 25 is more than the item\'s 20 points']],
    ['a cap above the points', (s) => Object.assign(s.areas[1]!.items[1]!.scoring, { cap: 40 }), ['sheet KPI100 2025-01, area counter, item C2, scoring.cap: the cap 40 is more than the item\'s 30 points']],
    ['a field of the wrong type', (s) => Object.assign(s.areas[0]!.items[0]!.scoring, { floor: 'high' }), [expect.stringMatching(/^sheet KPI100, area reading, item R1, scoring\.floor: /) as unknown as string]],
    ['a duplicate item id', (s) => (s.areas[1]!.items[0]!.id = 'R1'), ['sheet KPI100 2025-01, area counter, item R1, id: the item id "R1" is used twice']],
  ])('refuses %s, naming the item and field', (_case, spoil, problems) => {
    const sheet = base();
    spoil(sheet);
    const result = checkScoreSheetFile({ sheets: [shipped('area-310.json'), sheet] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map(en)).toEqual(problems);
  });

  it('names the sheet, area, item and field in Chinese too', () => {
    const sheet = base();
    sheet.areas[1]!.items[1]!.scoring = { ...sheet.areas[1]!.items[1]!.scoring, cap: 40 } as ScoreSheet['areas'][number]['items'][number]['scoring'];
    sheet.areas[0]!.items[0]!.points = 25;
    const result = checkScoreSheetFile([sheet, { ...base(), code: 'kpi', areas: [{ id: 'x', name: 'x', items: [{ id: 'x1', name: 'x', roles: 'all', points: 1, scoring: { kind: 'guess' } }] }] }]);
    expect(!result.ok && result.problems.map((p) => renderMessage('zh-CN', p))).toEqual([
      '考核方案 KPI100（2025-01），大项 counter，细项 C2，字段 scoring.cap：扣分上限 40 超过该细项的 30 分',
      '考核方案 KPI100（2025-01），字段 fullScore：适用于抄表员的细项合计 95 分，而不是 100 分',
      '考核方案 kpi，字段 code：代码只能由大写字母、数字、- 和 _ 组成（2–31 个字符）',
      '考核方案 kpi，大项 x，细项 x1，字段 scoring.kind：应为 "linear", "steps", "deduction", "ratio", "manual" 之一，而不是 "guess"',
    ]);
  });

  it('a file with no sheet, or a sheet twice, is refused', () => {
    const empty = checkScoreSheetFile([]);
    expect(!empty.ok && empty.problems.map(en)).toEqual(['the file holds no score sheet']);
    const twice = checkScoreSheetFile([base(), base()]);
    expect(!twice.ok && twice.problems.map(en)).toEqual(['sheet KPI100: KPI100@2025-01 is given twice in the file']);
  });
});

describe('scoring a whole sheet', () => {
  const sheet = shipped('kpi-100.json');
  const kpis = (values: KpiValue[]) => new Map(values.map((v) => [v.code, v]));
  const readerKpis = kpis([
    rate('reading.actualRate', 199, 200), // 99.5 % → 30 × 0.9 = 27
    rate('reading.errorRate', 1, 200), // 0.5 % → 12.5
    rate('reading.onTimeRate', 2, 2), // 20
    rate('collection.rate', 985, 1000), // 98.5 % → 15
    notMeasured('service.complaints'),
  ]);

  it('a reader: measured items out of their points, scaled to the full score; the complaints slot not measured', () => {
    const r = scoreSheet(sheet, ['meter_reader'], readerKpis, []);
    expect(r.items.map((i) => [i.itemId, i.scoreCenti])).toEqual([['R1', 2700], ['R2', 1250], ['R3', 2000], ['R4', 1500], ['S1', null]]);
    // 74.5 of 90 measured points → 82.78 of 100
    expect(r.itemsCenti).toBe(8278);
    expect(r.totalCenti).toBe(8278);
  });

  it('the head\'s −2 with a reason lowers the total by 2', () => {
    const r = scoreSheet(sheet, ['meter_reader'], readerKpis, [{ itemId: null, pointsCenti: -200 }]);
    expect(r.adjustmentsCenti).toBe(-200);
    expect(r.totalCenti).toBe(8078);
  });

  it('no readings at all: the reading items are not measured, never 0', () => {
    const r = scoreSheet(sheet, ['meter_reader'], kpis([rate('reading.actualRate', 0, 0), rate('reading.errorRate', 0, 0), rate('reading.onTimeRate', 0, 0), rate('collection.rate', 0, 0)]), []);
    expect(r.items.every((i) => i.scoreCenti === null)).toBe(true);
    expect(r.totalCenti).toBe(0);
    expect(r.items[0]?.data).toEqual({ code: 'reading.actualRate', value: null, numerator: 0, denominator: 0 });
  });

  it('two roles: the items of both apply, each once, scored on the same full score', () => {
    const r = scoreSheet(sheet, ['meter_reader', 'clerk'], new Map([...readerKpis, ['collection.payments', count('collection.payments', 120)], ['closing.differenceCount', count('closing.differenceCount', 1)], ['collection.reversals', count('collection.reversals', 0)]]), []);
    expect(r.items.map((i) => i.itemId)).toEqual(['R1', 'R2', 'R3', 'R4', 'C1', 'C2', 'C3', 'C4', 'S1']);
    // reader 74.5 + clerk 20 + 25 + 10 = 129.5 of 160 measured points (C4, S1 not measured) → 80.94
    expect(r.totalCenti).toBe(8094);
  });

  it('manual items start at their default and take the head\'s entries within bounds', () => {
    const head = scoreSheet(sheet, ['station_head'], new Map(), [{ itemId: 'H1', pointsCenti: -500 }]);
    expect(head.items.map((i) => [i.itemId, i.scoreCenti])).toEqual([['H1', 5500], ['H2', 3000], ['S1', null]]);
    const h1 = sheet.areas[3]!.items[0]!;
    expect(entryOutOfBounds(sheet, h1, -500, -5600)).toEqual({ min: 0, max: 60 });
    expect(entryOutOfBounds(sheet, h1, -500, -5500)).toBeNull();
    expect(entryOutOfBounds(sheet, h1, 0, 100)).toEqual({ min: 0, max: 60 });
    // A computed item takes no entries; bonus and deduction points stay within −10..+10 in total.
    expect(entryOutOfBounds(sheet, sheet.areas[0]!.items[0]!, 0, -100)).not.toBeNull();
    expect(entryOutOfBounds(sheet, null, -800, -200)).toBeNull();
    expect(entryOutOfBounds(sheet, null, -800, -300)).toEqual({ min: -10, max: 10 });
  });
});
