import type { Page } from '@playwright/test';
import { expect, login, openMenu, test, type Station } from './fixtures';
import { addMeters, addStaff, book, households, openPeriod, PERIOD, SYSTEM_ACTOR, withStation } from './readings-seed';

// Issue 16 ("front line"): what the office found at the counter and the reading grid that
// would put money or readings in the wrong place.

const PASSWORD = 'reading123';

function listReadings(station: Station, bookNo: string) {
  const out = station.cli(['readings', 'list', '--period', PERIOD, '--book', bookNo, '--json']);
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout).rows as { seq: number; meterNo: string; current: string | null; status: string }[];
}

const gridRow = (page: Page, seq: number) => page.getByRole('table', { name: '抄表录入' }).locator(`tr[data-row="${seq - 1}"]`);

test('20 readings keyed blind from a paper list at 80 ms a key, one refused: each saved reading is on its own meter', async ({ page, station }) => {
  test.setTimeout(120_000);
  const bookNo = await withStation(station.db, async (backend) => {
    await addStaff(backend, [{ staffNo: 'M001', name: '王抄表', roles: ['meter_reader'], password: PASSWORD }]);
    // Meter 9 stands at 50000: a figure of 40000 is neither a reading nor a plausible rollover.
    const points = addMeters(backend, [...households(8, 'P'), ...households(1, 'Q', { startReading: '50000' }), ...households(11, 'R')]);
    const b = book(backend, points, 'M001', '纸单本');
    await openPeriod(backend, SYSTEM_ACTOR, PERIOD);
    return b.bookNo;
  });
  await login(page, station, 'M001', PASSWORD);
  await openMenu(page, '抄表录入');
  await page.getByRole('link', { name: `录入 ${bookNo}` }).click();
  await expect(page.getByLabel('第 1 行止码')).toBeFocused();

  // The paper list: a distinct figure per meter, so a figure on the wrong meter shows.
  const paper = Array.from({ length: 20 }, (_, i) => (i === 8 ? '40000' : String(1000 + (i + 1) * 7)));
  // One stream of keys, 80 ms apart, Enter after each figure, never looking at the screen.
  await page.keyboard.type(`${paper.join('\n')}\n`, { delay: 80 });

  await expect(page.getByText('已录 19 / 应抄 20').first()).toBeVisible();
  // The refusal is marked on its row, counted, and holds exactly what was typed for it.
  await expect(gridRow(page, 9)).toHaveAttribute('data-attention', 'refused');
  await expect(gridRow(page, 9).getByRole('alert')).toContainText('止码 40000 小于起码 50000');
  await expect(page.getByLabel('第 9 行止码')).toHaveValue('40000');
  await expect(page.getByText('待处理 1 行')).toBeVisible();
  // The cursor stayed with the reader: after the 20th figure it is on the last row.
  await expect(page.getByLabel('第 20 行止码')).toBeFocused();

  // Checked in the station's book, not on the page: every figure on the meter it was typed for.
  const saved = listReadings(station, bookNo);
  expect(saved).toHaveLength(20);
  for (const [i, r] of saved.entries()) {
    expect(r.seq).toBe(i + 1);
    expect(r.current, `row ${i + 1} (${r.meterNo})`).toBe(i === 8 ? null : paper[i]);
  }

  // The reader goes back to the refused row, keys the right figure, and only that row changes.
  await page.keyboard.press('Alt+N');
  await expect(page.getByLabel('第 9 行止码')).toBeFocused();
  await page.keyboard.type('50123\n', { delay: 80 });
  await expect(page.getByText('已录 20 / 应抄 20').first()).toBeVisible();
  await expect(page.getByText('待处理 1 行')).toHaveCount(0);
  const after = listReadings(station, bookNo);
  expect(after.map((r) => r.current)).toEqual(paper.map((v, i) => (i === 8 ? '50123' : v)));
});
