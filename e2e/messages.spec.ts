import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StationFixture } from '../electron/backend/billing/testing/fixture';
import { untranslated } from '../shared/i18n/untranslated';
import { ADMIN, expect, login, openMenu, test, type Station } from './fixtures';
import { addStaff, PERIOD, staffId, withStation } from './readings-seed';

// Issue 16 item 5: what the shared rules say reaches the billing clerk in the app's language. A
// factory (大工业) whose reactive energy (无功电量, kvarh) was never entered cannot be billed: the
// billing run lists it with the reason fully in Chinese, and fully in English once the clerk
// switches the language, on the common station PC's 1366×768 screen.

const SAMPLE_TARIFFS = join(import.meta.dirname, '..', 'docs', 'tariffs', 'sample-catalogue.json');
const PASSWORD = 'billing123';

async function seedFactory(station: Station): Promise<{ accountNo: string }> {
  const imported = station.cli(['tariffs', 'import', SAMPLE_TARIFFS]);
  if (imported.status !== 0) throw new Error(`tariffs import failed: ${imported.stderr}`);
  return withStation(station.db, async (backend) => {
    await addStaff(backend, [{ staffNo: 'B001', name: '钱核算', roles: ['billing_clerk'], password: PASSWORD }]);
    const f = new StationFixture(backend, staffId(backend, 'A001'));
    const book = f.book('B09', '工业专线本');
    const factory = f.customer({ name: '青山水泥厂', customerClass: 'large_industry', tariffCode: 'LI-10KV', bookId: book, seq: 1, capacityKva: 400, tou: true, multiplier: 100 });
    f.openPeriod(PERIOD);
    // 50,000 kWh read on the TOU registers; the kvarh for the power factor (力调) is missing.
    f.read(PERIOD, factory.pointId, { kwh: 5_000_000, tou: { peak: 1_500_000, valley: 2_000_000 } });
    return { accountNo: factory.accountNo };
  });
}

test('a factory with no kvarh reading: the billing run gives the reason fully in Chinese, then fully in English', async ({ page, station }) => {
  test.slow(); // a CLI run and a billing job on a busy machine
  await page.setViewportSize({ width: 1366, height: 768 });
  const { accountNo } = await seedFactory(station);

  await login(page, station, 'B001', PASSWORD);
  await openMenu(page, '电费核算');
  await page.getByLabel('抄表本', { exact: true }).selectOption({ label: 'B09 工业专线本' });
  await page.getByRole('button', { name: '开始核算' }).click();
  await expect(page.getByRole('progressbar', { name: '正在核算…' })).toHaveAttribute('aria-valuenow', '100');

  const problems = page.getByRole('table', { name: '无法核算的客户' });
  const row = problems.getByRole('row').filter({ hasText: '青山水泥厂' });
  const reason = row.getByRole('cell').nth(4);
  await expect(reason).toHaveText('无法计算：缺少功率因数考核（标准 0.90）所需的无功电量（kvarh）');
  await expect(reason).toBeInViewport();
  // Not only the reason: nothing on the problem row is in English (the account and tariff code aside).
  expect(untranslated('zh-CN', (await row.innerText()).replace(/\s+/g, ' '), [accountNo, 'B09', 'LI-10KV'])).toEqual([]);

  // The clerk switches the app to English: the same list, the reason in English.
  await page.getByLabel('语言').selectOption('en');
  await page.getByLabel('Book', { exact: true }).selectOption({ label: 'B09 工业专线本' });
  const english = page.getByRole('table', { name: 'Customers that could not be billed' });
  const englishReason = english.getByRole('row').filter({ hasText: accountNo }).getByRole('cell').nth(4);
  await expect(englishReason).toHaveText('Cannot compute: reactive consumption (kvarh) for the power-factor assessment (standard 0.90) is missing');
  expect(untranslated('en', await englishReason.innerText())).toEqual([]);

  // The command line asks the same channel: the reason in its --lang (Chinese by default).
  const reasonIn = (lang: string[]) => {
    const out = station.cli(['billing', 'exceptions', '--period', PERIOD, '--json', ...lang]);
    expect(out.status, out.stderr).toBe(0);
    return (JSON.parse(out.stdout) as { problems: { detail: string }[] }).problems[0]?.detail;
  };
  expect(reasonIn([])).toBe('缺少功率因数考核（标准 0.90）所需的无功电量（kvarh）');
  expect(reasonIn(['--lang', 'en'])).toBe('reactive consumption (kvarh) for the power-factor assessment (standard 0.90) is missing');
});

// Issue 16 item 5, head-office files: the administrator loads a tariff file (电价文件) with bad
// rows on the tariff screen and reads every problem — which tariff, which field, what is wrong —
// in Chinese, then in English after switching the language (the screen asks the back end again).
test('a tariff file with bad rows: every problem names the tariff and field, fully in Chinese, then fully in English', async ({ page, station }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const file = join(station.dir, 'tariffs-2027.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        tariffs: [
          { code: 'RES-GD', name: '居民生活用电', class: 'residential', effectiveFrom: '2027-01-01', energy: { flat: '0.598868751' } },
          { code: 'AGR', name: '农业生产用电', class: 'farm', effectiveFrom: '2027-01-01', energy: { flat: 0.5 } },
        ],
      },
      null,
      2,
    ),
  );
  await login(page, station, ADMIN.staffNo, ADMIN.password);
  await openMenu(page, '电价目录');
  await page.getByLabel('电价文件（JSON）').setInputFiles(file);

  const alert = page.getByRole('alert').filter({ hasText: '文件有问题，不能导入' });
  const problems = alert.getByRole('listitem');
  await expect(problems).toHaveText([
    '第 1 个电价 RES-GD（2027-01-01 起执行），字段 energy.flat：“0.598868751”有 9 位小数，电价最多 8 位小数',
    '第 2 个电价 AGR（2027-01-01 起执行），字段 class：应为 "residential", "commercial", "large_industry", "agricultural" 之一，而不是 "farm"',
    '第 2 个电价 AGR（2027-01-01 起执行），字段 energy.flat：须写在引号里，如 "0.5"（不加引号的数字可能丢失小数位）',
  ]);
  await expect(alert).toBeInViewport();
  // What is in the file stays as written (codes, field names, values); every word around it is Chinese.
  const asWritten = ['RES-GD', 'AGR', 'energy.flat', 'class', '"residential", "commercial", "large_industry", "agricultural"', '"farm"'];
  expect(untranslated('zh-CN', (await alert.innerText()).replace(/\s+/g, ' '), asWritten)).toEqual([]);
  await expect(page.getByRole('button', { name: '确认导入' })).toHaveCount(0);

  // The administrator switches to English: the same problems, in English.
  await page.getByLabel('语言').selectOption('en');
  const english = page.getByRole('alert').filter({ hasText: 'The file has problems and cannot be loaded' });
  await expect(english.getByRole('listitem')).toHaveText([
    'Tariff #1 RES-GD effective 2027-01-01, energy.flat: "0.598868751" has 9 decimal places; a price may have at most 8',
    'Tariff #2 AGR effective 2027-01-01, class: must be one of "residential", "commercial", "large_industry", "agricultural", not "farm"',
    'Tariff #2 AGR effective 2027-01-01, energy.flat: must be written in quotes, e.g. "0.5" (a bare number may lose decimal places)',
  ]);
  expect(untranslated('en', await english.innerText())).toEqual([]);
});

// The same for the score sheet (考核方案): a head-office sheet whose points do not add up and whose
// item names an unknown KPI, read on the 考核方案 screen in Chinese, then in English.
test('a score sheet with bad items: every problem names the sheet, area, item and field, in Chinese, then in English', async ({ page, station }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const sheet = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'docs', 'appraisal', 'kpi-100.json'), 'utf8')) as { areas: { id: string; items: { id: string; points: number; scoring: { kpi?: string } }[] }[] };
  const first = sheet.areas[0]!.items[0]!;
  first.points -= 5;
  first.scoring.kpi = 'reading.speed';
  const file = join(station.dir, 'sheet-bad.json');
  writeFileSync(file, JSON.stringify(sheet, null, 2));
  const [area, item] = [sheet.areas[0]!.id, first.id];

  await login(page, station, ADMIN.staffNo, ADMIN.password);
  await openMenu(page, '考核方案');
  await page.getByLabel('导入考核方案').setInputFiles(file);
  const alert = page.getByRole('alert').filter({ hasText: '方案文件有 2 处问题' });
  const problems = alert.getByRole('listitem');
  await expect(problems).toHaveCount(2);
  await expect(problems.nth(0)).toContainText(`考核方案 KPI100（2025-01），大项 ${area}，细项 ${item}，字段 scoring.kpi：未知的指标“reading.speed”（可用：`);
  await expect(problems.nth(1)).toHaveText('考核方案 KPI100（2025-01），字段 fullScore：适用于抄表员的细项合计 95 分，而不是 100 分');
  const kpis = (await problems.nth(0).innerText()).replace(/^.*（可用：(.*)）$/, '$1');
  expect(untranslated('zh-CN', (await alert.innerText()).replace(/\s+/g, ' '), [kpis, 'reading.speed', 'scoring.kpi', 'KPI100', 'fullScore', item, area])).toEqual([]);

  await page.getByLabel('语言').selectOption('en');
  const english = page.getByRole('alert').filter({ hasText: 'The sheet file has 2 problem(s)' });
  await expect(english.getByRole('listitem').nth(0)).toContainText(`sheet KPI100 2025-01, area ${area}, item ${item}, scoring.kpi: unknown KPI "reading.speed" (known: `);
  await expect(english.getByRole('listitem').nth(1)).toHaveText('sheet KPI100 2025-01, fullScore: the items for the role Meter reader add up to 95 points, not 100');
  expect(untranslated('en', await english.innerText())).toEqual([]);
});
