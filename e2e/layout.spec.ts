import type { Locator, Page, TestInfo } from '@playwright/test';
import Database from 'better-sqlite3';
import { expect, expectNoSidewaysScroll, openMenu, runCli } from './fixtures';

// Issue 16 items 7–9: the screens as the office finds them on the common station PC (1366×768)
// and on the older 1024×768 monitors, on the demo station. No pixel baselines (tables change
// often); a screenshot of each screen is attached to the report for a person to look at, and the
// checks are about what a clerk cannot read: a page that scrolls sideways, a figure or a word
// cut off by its box, a register of a time-of-use meter out of sight, search results that show
// one and a half customers.

import { signIn, test } from './demo-station';

/**
 * No text cut off by its box inside `scope`: every element holding text directly (cells, terms,
 * figures, labels) is at least as wide as its text. Returns what was checked, so a test can
 * tell it looked at something.
 */
async function expectNoClippedText(scope: Locator, what: string): Promise<number> {
  const found = await scope.evaluate((root) => {
    const clipped: string[] = [];
    let checked = 0;
    for (const el of root.querySelectorAll<HTMLElement>('*')) {
      if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement || el instanceof SVGElement) continue;
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (!ownText) continue;
      const style = getComputedStyle(el);
      if (style.display === 'inline' || style.display === 'none' || el.clientWidth === 0) continue;
      checked++;
      const text = `${el.tagName.toLowerCase()}.${el.className} “${(el.textContent ?? '').trim().slice(0, 40)}”`;
      if (el.scrollWidth > el.clientWidth + 1) clipped.push(`${text} needs ${el.scrollWidth}px wide, has ${el.clientWidth}px`);
      // Cut off below: a line hidden by a clamp or a short row. (A CJK font's line box reaches a
      // few px past a tight line-height without its glyphs being cut, hence the 6 px slack; a
      // hidden line is at least 12 px.)
      else if (style.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 6) clipped.push(`${text} needs ${el.scrollHeight}px high, has ${el.clientHeight}px`);
    }
    return { clipped, checked };
  });
  expect(found.clipped, `text cut off in ${what}`).toEqual([]);
  return found.checked;
}

/** Whether the element's box lies wholly inside the viewport and inside its scrolling ancestors. */
async function fullyVisible(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    if (box.left < 0 || box.top < 0 || box.right > window.innerWidth + 0.5 || box.bottom > window.innerHeight + 0.5) return false;
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (!/(auto|scroll|hidden|clip)/.test(style.overflowX + style.overflowY)) continue;
      const clip = p.getBoundingClientRect();
      if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5 || box.top < clip.top - 0.5 || box.bottom > clip.bottom + 0.5) return false;
    }
    return true;
  });
}

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot(), contentType: 'image/png' });
}

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1024, height: 768 },
];

for (const size of SIZES) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: size });

    test('the counter lists namesakes for “zw” one per line, at least five in sight, each with name, account, phone, full address and meter', async ({ page, demo }, testInfo) => {
      await signIn(page, demo, 'C001');
      await openMenu(page, '柜台收费');
      const finder = page.getByRole('combobox', { name: '查找客户' });
      await finder.pressSequentially('zw', { delay: 80 });
      const hits = page.getByRole('listbox', { name: '查询结果' }).getByRole('option');
      await expect(hits.nth(5)).toBeAttached();
      const count = await hits.count();
      let inSight = 0;
      for (let i = 0; i < count; i++) if (await fullyVisible(hits.nth(i))) inSight++;
      expect(inSight, 'search results wholly in sight').toBeGreaterThanOrEqual(5);
      // One line per result: no taller than one line of the search box's text plus its padding,
      // and every part of it (the address above all) shown whole.
      for (let i = 0; i < Math.min(count, 8); i++) {
        const hit = hits.nth(i);
        const height = (await hit.boundingBox())?.height ?? 0;
        expect(height, `result ${i + 1} wraps`).toBeLessThan(40);
        const parts = await hit.evaluate((li) => [...li.children].map((c) => (c.textContent ?? '').trim()));
        expect(parts.length, `result ${i + 1}: account, name, phone, address, meter`).toBeGreaterThanOrEqual(5);
        expect(parts[3], `result ${i + 1} shows its address`).toMatch(/\S{2,}/);
      }
      await expectNoClippedText(page.getByRole('listbox', { name: '查询结果' }), 'the search results');
      await expectNoSidewaysScroll(page);
      await attachScreenshot(page, testInfo, `counter-zw-${size.width}`);

      // The counter's path is unchanged: Enter takes the first hit and shows its balance.
      await finder.press('Enter');
      await expect(page.locator('section.counter-balance h2')).toBeVisible();
      await expectNoClippedText(page.locator('.counter'), 'the counter');
      await expectNoSidewaysScroll(page);
      await attachScreenshot(page, testInfo, `counter-balance-${size.width}`);
    });

    test('the reading grid shows every register of a time-of-use meter and the whole status, without scrolling sideways', async ({ page, demo }, testInfo) => {
      // The reader's book with the most time-of-use meters (峰/平/谷 registers).
      const store = new Database(demo.db, { readonly: true });
      const book = store
        .prepare(
          `SELECT b.book_no AS bookNo, COUNT(*) AS tou FROM meters m JOIN book_points bp ON bp.point_id = m.point_id JOIN books b ON b.id = bp.book_id
            JOIN staff s ON s.id = b.reader_id WHERE m.tou = 1 AND m.removed_date IS NULL AND s.staff_no = 'M001' GROUP BY b.id ORDER BY tou DESC LIMIT 1`,
        )
        .get() as { bookNo: string; tou: number };
      store.close();
      expect(book.tou).toBeGreaterThan(0);

      await signIn(page, demo, 'M001');
      await openMenu(page, '抄表录入');
      await page.getByRole('link', { name: `录入 ${book.bookNo}` }).click();
      const grid = page.getByRole('table', { name: '抄表录入' });
      await expect(page.getByLabel('第 1 行止码')).toBeFocused();

      // Every register input of the rows on screen is wholly in sight (none behind “…”).
      const registers = grid.locator('td.entry-tou input');
      await expect(registers.first()).toBeVisible();
      const shown = await registers.count();
      expect(shown).toBeGreaterThan(0);
      let checked = 0;
      const foldAt = await page.locator('.entry-scroll').evaluate((el) => Math.min(window.innerHeight, el.getBoundingClientRect().bottom));
      for (let i = 0; i < shown; i++) {
        const input = registers.nth(i);
        const rowBottom = await input.evaluate((el) => el.closest('tr')!.getBoundingClientRect().bottom);
        if (rowBottom > foldAt) continue; // below the fold: the grid scrolls down, not sideways
        expect(await fullyVisible(input), `register input ${await input.getAttribute('aria-label')} is in sight`).toBe(true);
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
      // Every row keeps its 36 px (the grid's windowing counts on it), two-line cells included.
      const heights = await grid.locator('tbody tr.entry-row').evaluateAll((trs) => trs.map((tr) => `${tr.querySelector('td')?.textContent}: ${Math.round(tr.getBoundingClientRect().height)}`));
      expect(heights.filter((h) => !h.endsWith(': 36'))).toEqual([]);
      // The whole status, and every other cell, is readable.
      await expect(grid.locator('td.entry-status').first()).not.toBeEmpty();
      await expectNoClippedText(grid.locator('tbody'), 'the reading grid');
      await expectNoClippedText(grid.locator('thead'), 'the grid header');
      const scroller = await page.locator('.entry-scroll').evaluate((el) => [el.scrollWidth, el.clientWidth]);
      expect(scroller[0], 'the grid scrolls sideways').toBeLessThanOrEqual(scroller[1]!);
      await expectNoSidewaysScroll(page);
      await attachScreenshot(page, testInfo, `reading-grid-${size.width}`);
    });

    test('the billing run cards and the billing totals show each amount whole', async ({ page, demo }, testInfo) => {
      await signIn(page, demo, 'B001');
      await openMenu(page, '电费核算');
      // Last month, issued in full: the cards hold the month's real amounts.
      await page.getByLabel('账期').fill('2026-11');
      await page.getByLabel('账期').press('Enter');
      const cards = page.locator('dl.counts');
      await expect(cards.getByText('已发行')).toBeVisible();
      const issued = cards.locator('div', { hasText: '已发行' });
      await expect(issued).toContainText(/¥[\d,]+\.\d\d/);
      const status = await page.request.post(`${demo.url}api/billing.status`, { data: { period: '2026-11' } });
      const counts = ((await status.json()) as { value: { totals: { issued: number; issuedFen: number } } }).value.totals;
      expect(counts.issuedFen).toBeGreaterThan(0);
      // The amount as rendered is the full amount, not “¥82,763.”.
      const full = `¥${(counts.issuedFen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
      await expect(issued.locator('dd')).toContainText(full);
      expect(await expectNoClippedText(cards, 'the billing cards')).toBeGreaterThanOrEqual(8);
      await expectNoClippedText(page.locator('.content'), 'the billing run');
      await expectNoSidewaysScroll(page);
      await attachScreenshot(page, testInfo, `billing-run-${size.width}`);

      await openMenu(page, '电费统计');
      await page.getByLabel('账期').fill('2026-11');
      await page.getByLabel('账期').press('Enter');
      await expect(page.getByRole('table', { name: '按用电类别' })).toBeVisible();
      await expectNoClippedText(page.locator('.content'), 'the billing totals');
      await expectNoSidewaysScroll(page);
      await attachScreenshot(page, testInfo, `billing-summary-${size.width}`);
    });

    test('the day closing and the closings list read whole', async ({ page, demo }, testInfo) => {
      // Each size closes a different clerk's day: the demo station is shared by the two runs.
      const clerk = size.width === 1366 ? 'C001' : 'C002';
      const paid = runCli(demo.db, ['pay', 'QS010000024', '--amount', '88.50', '--channel', 'cash', '--tendered', '100', '--staff', clerk]);
      expect(paid.stderr).toBe('');
      await signIn(page, demo, clerk);
      await openMenu(page, '收费日结');
      await expect(page.locator('.content')).toContainText('88.50');
      await expectNoClippedText(page.locator('.content'), 'the day closing');
      await expectNoSidewaysScroll(page);
      await attachScreenshot(page, testInfo, `day-${size.width}`);

      const closed = runCli(demo.db, ['close-day', '--staff', clerk, '--counted', '88.50']);
      expect(closed.stderr).toBe('');
      await openMenu(page, '日结查询');
      const list = page.getByRole('table', { name: '日结查询' });
      await expect(list.locator('tbody tr').first()).toContainText('88.50');
      await expectNoClippedText(page.locator('.content'), 'the closings list');
      await expectNoSidewaysScroll(page);
      await attachScreenshot(page, testInfo, `closings-${size.width}`);
    });
  });
}
