import { expect, openMenu } from './fixtures';
import { signIn, test } from './demo-station';

// Issue 16 item 14: dates follow the app's language, not the operating system's. The browser's
// own date input showed “12/05/2026” on the Chinese screen; GridDesk's shows 2026-12-05 and
// 2026年12月 (English: 2026-12-05 and Dec 2026), reads what a clerk types, and refuses what is
// not a date with a message.

test('在中文界面：日期显示为 2026-12-05，月份为 2026年12月；键入日期即生效，无效日期被拒并说明原因', async ({ page, demo }) => {
  await signIn(page, demo, 'H001');
  await openMenu(page, '日结查询');
  const date = page.getByLabel('日结日期');
  await expect(date).toHaveValue('');
  await expect(date).toHaveAttribute('placeholder', '2026-12-05');

  // Typed the way a paper form has it: shown the app's way, and the list follows.
  await date.click();
  await page.keyboard.type('2026/12/5', { delay: 60 });
  await page.keyboard.press('Tab');
  await expect(date).toHaveValue('2026-12-05');
  await expect(page.getByRole('table', { name: '日结查询' })).toContainText('没有日结记录');

  // A day that does not exist is refused, said so, and the filter keeps the last good date.
  await date.fill('');
  await date.pressSequentially('2026-02-30', { delay: 60 });
  await date.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('“2026-02-30”不是有效日期：请按 2026-12-05 的格式输入（也可按 Alt+↓ 打开日历）');
  await expect(date).toHaveAttribute('aria-invalid', 'true');
  // Esc drops the wrong text and the message.
  await date.press('Escape');
  await expect(date).toHaveValue('2026-12-05');
  await expect(page.getByRole('alert')).toHaveCount(0);

  // The calendar, labelled in Chinese, Monday first; arrows and Enter pick a day.
  await date.press('Alt+ArrowDown');
  const calendar = page.getByRole('dialog', { name: '日历' });
  await expect(calendar).toBeVisible();
  await expect(calendar.getByRole('grid', { name: '2026年12月' })).toBeVisible();
  await expect(calendar.getByRole('columnheader').first()).toHaveText('一');
  await expect(calendar.getByRole('button', { name: '2026年12月5日 星期六' })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowUp');
  await expect(calendar.getByRole('button', { name: '2026年11月27日 星期五' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(calendar).toBeHidden();
  await expect(date).toHaveValue('2026-11-27');
  await expect(date).toBeFocused();
  // ↑ in the field is a day later; Esc in the calendar closes it without a change.
  await page.keyboard.press('ArrowUp');
  await expect(date).toHaveValue('2026-11-28');
  await page.keyboard.press('F4');
  await expect(calendar).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(calendar).toBeHidden();
  await expect(date).toHaveValue('2026-11-28');

  // A month: the billing clerk's 账期.
  await page.getByRole('button', { name: '退出登录' }).click();
  await signIn(page, demo, 'B001');
  await openMenu(page, '电费核算');
  const period = page.getByLabel('账期');
  await expect(period).toHaveValue('2026年12月');
  await period.fill('');
  await period.pressSequentially('2026年11月', { delay: 60 });
  await expect(page.locator('dl.counts')).toContainText(/¥[\d,]+\.\d\d/);
  await period.press('Tab');
  await expect(period).toHaveValue('2026年11月');
  await period.fill('2026-13');
  await period.press('Tab');
  await expect(page.getByRole('alert').filter({ hasText: '不是有效月份' })).toHaveText('“2026-13”不是有效月份：请按 2026-12 或 2026年12月 的格式输入');
  // The month picker, by keyboard: a year of months, ← is a month earlier.
  await period.press('Escape');
  await expect(period).toHaveValue('2026年11月');
  await period.press('Alt+ArrowDown');
  const months = page.getByRole('dialog', { name: '月份' });
  await expect(months.getByRole('button', { name: '2026年11月' })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await expect(period).toHaveValue('2026年10月');
});

test('in English: dates read 2026-12-05, months Dec 2026, the calendar is in English, a wrong date is refused in English', async ({ page, demo }) => {
  await signIn(page, demo, 'H001');
  await page.getByLabel('语言').selectOption('en');
  const menu = page.getByRole('navigation', { name: 'Main menu' });
  await menu.getByRole('link', { name: 'Closings' }).click();
  const date = page.getByLabel('Business day');
  await date.click();
  await page.keyboard.type('2026年12月5日', { delay: 60 });
  await page.keyboard.press('Tab');
  await expect(date).toHaveValue('2026-12-05');
  await date.fill('31/12/2026');
  await date.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('“31/12/2026” is not a valid date: type it as 2026-12-05 (or press Alt+↓ for the calendar)');
  await date.press('Escape');
  await date.press('Alt+ArrowDown');
  const calendar = page.getByRole('dialog', { name: 'Calendar' });
  await expect(calendar.getByRole('grid', { name: 'December 2026' })).toBeVisible();
  await expect(calendar.getByRole('columnheader').first()).toHaveText('Mo');
  await expect(calendar.getByRole('button', { name: 'Saturday 5 December 2026' })).toBeFocused();
  await page.keyboard.press('PageDown');
  await expect(calendar.getByRole('grid', { name: 'January 2027' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(date).toHaveValue('2026-12-05');

  await menu.getByRole('link', { name: 'Billing totals' }).click();
  const period = page.getByLabel('Period', { exact: true });
  await expect(period).toHaveValue('Dec 2026');
  await period.fill('');
  await period.pressSequentially('Nov 2026', { delay: 60 });
  await period.press('Enter');
  await expect(period).toHaveValue('Nov 2026');
  await expect(page.getByRole('table', { name: 'By customer class' })).toContainText(/¥[\d,]+\.\d\d/);
  await period.fill('2026-10');
  await period.press('Tab');
  await expect(period).toHaveValue('Oct 2026');
  await period.fill('Smarch 2026');
  await period.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('“Smarch 2026” is not a valid month: type it as 2026-12 or Dec 2026');
  await expect(period).toHaveAttribute('aria-invalid', 'true');
  await period.press('Escape');
  await expect(period).toHaveValue('Oct 2026');
  await period.press('Alt+ArrowDown');
  const months = page.getByRole('dialog', { name: 'Months' });
  await expect(months.getByRole('grid', { name: '2026' })).toBeVisible();
  await expect(months.getByRole('button', { name: 'October 2026' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(period).toHaveValue('Jan 2027');
});
