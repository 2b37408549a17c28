import { test as base, expect, type Locator, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { runCli, startHost } from './fixtures';

// The shared screen table (issue 16 item 4), as the office meets it on the demo station: amounts
// right-aligned in tabular figures on every list, a header that stays in view while a long list
// scrolls, a row count, an empty state, and an Excel export holding exactly the rows shown.

const test = base.extend<{ demo: { url: string } }>({
  demo: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'griddesk-tables-'));
    const db = join(dir, 'station.db');
    const built = runCli(db, ['demo', '--customers', '120', '--months', '3']);
    if (built.status !== 0) throw new Error(`demo failed: ${built.stderr}`);
    let host: { url: string; child: ChildProcess } | undefined;
    try {
      host = await startHost(db);
      await use({ url: host.url });
    } finally {
      host?.child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

async function loginAs(page: Page, url: string, staffNo: string) {
  await page.goto(url);
  await page.getByLabel('工号').fill(staffNo);
  await page.getByLabel('密码').fill('demo1234');
  await page.getByLabel('密码').press('Enter');
  await expect(page.getByRole('button', { name: /退出/ })).toBeVisible();
}

/** The computed alignment and digit style of a cell. */
async function figureStyle(cell: Locator) {
  return cell.evaluate((el) => {
    const style = getComputedStyle(el);
    return { align: style.textAlign, digits: style.fontVariantNumeric };
  });
}

/** Every body cell of a column (by header text) is right-aligned in tabular figures. */
async function expectFiguresRight(table: Locator, header: string) {
  const headers = await table.locator('thead th').allInnerTexts();
  const index = headers.findIndex((h) => h.trim() === header);
  expect(index, `column ${header} in ${headers.join(' | ')}`).toBeGreaterThanOrEqual(0);
  const cells = table.locator(`tbody tr td:nth-child(${index + 1})`);
  expect(await cells.count()).toBeGreaterThan(0);
  for (const cell of [cells.first(), cells.last(), table.locator(`thead th:nth-child(${index + 1})`)]) {
    expect(await figureStyle(cell)).toEqual({ align: 'right', digits: 'tabular-nums' });
  }
  // The figures' right edges line up with the column's right edge.
  const boxes = await Promise.all([cells.first(), cells.last()].map((c) => c.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const text = range.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return { textRight: text.right, cellRight: box.right - parseFloat(getComputedStyle(el).paddingRight) };
  })));
  for (const b of boxes) expect(Math.abs(b.textRight - b.cellRight)).toBeLessThan(2);
}

test('bills list: amounts right-aligned, sticky header, row count, empty state, export equals what is shown', async ({ page, demo }) => {
  test.setTimeout(120_000);
  await loginAs(page, demo.url, 'B001');
  await page.goto(`${demo.url}#/bills`);
  const table = page.getByRole('table', { name: '电费查询' });
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expectFiguresRight(table, '电费');
  await expectFiguresRight(table, '电量（千瓦时）');

  // The row count says how many bills the list holds.
  await expect(page.getByText(/^共 \d+ 条$/)).toBeVisible();

  // Scroll the list: the header stays at the top of its box.
  const scroller = page.locator('.data-table-scroll').first();
  await scroller.evaluate((el) => el.scrollTo({ top: 600 }));
  await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(100);
  const [boxTop, headTop] = await Promise.all([
    scroller.evaluate((el) => el.getBoundingClientRect().top),
    table.locator('thead th').first().evaluate((el) => el.getBoundingClientRect().top),
  ]);
  expect(Math.abs(headTop - boxTop)).toBeLessThan(2);
  await expect(table.locator('thead th').first()).toBeInViewport();

  // Sort by amount (largest first), then export: the file holds the rows in the order shown.
  await table.getByRole('button', { name: '电费' }).click();
  await table.getByRole('button', { name: '电费' }).click();
  await expect(table.locator('thead th', { hasText: '电费' }).first()).toHaveAttribute('aria-sort', 'descending');
  const shown = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
  const amounts = shown.map((r) => Number(r[6]!.replace(/[¥,]/g, '')));
  expect(amounts).toEqual([...amounts].sort((a, b) => b - a));

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出本表' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('电费查询.xlsx');
  const book = XLSX.read(readFileSync(await file.path()), { type: 'buffer' });
  const sheet = book.Sheets[book.SheetNames[0]!]!;
  const aoa = XLSX.utils.sheet_to_json<(string | number)[]>(sheet, { header: 1, raw: true, defval: '' });
  expect(aoa[0]).toEqual(['账单号', '账期', '户号', '户名', '电价', '电量（千瓦时）', '电费', '状态', '缴费截止']);
  expect(aoa.length - 1).toBe(shown.length);
  for (const [i, row] of shown.entries()) {
    const got = aoa[i + 1]!;
    expect(got[0]).toBe(row[0]);
    expect(got[2]).toBe(row[2]);
    // Amounts and quantities are numbers, equal to what the cell shows.
    expect(typeof got[6]).toBe('number');
    expect(got[6]).toBe(Number(row[6]!.replace(/[¥,]/g, '')));
    expect(got[5]).toBe(Number(row[5]));
  }

  // A search that finds nothing says so, in the list.
  await page.getByLabel('户号、户名或账单号').fill('没有这个人');
  await expect(table.getByRole('cell', { name: '没有符合条件的账单' })).toBeVisible();
  await expect(page.getByText('共 0 条')).toBeVisible();
});

test('the station head: arrears and day closings right-align their amounts, count their rows, and say so when a filter finds nothing; English too', async ({ page, demo }) => {
  test.setTimeout(120_000);
  await loginAs(page, demo.url, 'H001');
  await page.goto(`${demo.url}#/arrears`);
  const arrears = page.getByRole('table', { name: '欠费清单' });
  await expect(arrears.locator('tbody tr').first()).toBeVisible();
  await expectFiguresRight(arrears, '欠费金额');
  await expect(page.locator('.data-table-count').first()).toHaveText(/^共 \d+ 条$/);

  // A minimum no account reaches: the list says it is empty, and counts 0.
  await page.getByLabel('欠费金额至少（元）').fill('99999999');
  await expect(arrears.getByRole('cell', { name: '没有记录' })).toBeVisible();
  await expect(page.locator('.data-table-count').first()).toHaveText('共 0 条');

  await page.goto(`${demo.url}#/collection/closings`);
  const closings = page.getByRole('table', { name: '日结查询' });
  await expect(closings.locator('tbody tr').first()).toBeVisible();
  if ((await closings.getByRole('cell', { name: '没有日结记录' }).count()) === 0) await expectFiguresRight(closings, '实收合计');

  // The same table in English: its count, header and empty state follow the app's language.
  await page.goto(`${demo.url}#/arrears`);
  await page.evaluate(() => localStorage.setItem('griddesk.locale', 'en'));
  await page.reload();
  const english = page.getByRole('table', { name: 'Arrears' });
  await expect(english.locator('tbody tr').first()).toBeVisible();
  await expect(page.locator('.data-table-count').first()).toHaveText(/^\d+ rows$/);
  await expect(page.getByRole('button', { name: 'Export this table' })).toHaveCount(0);
  await expectFiguresRight(english, 'Arrears');
});
