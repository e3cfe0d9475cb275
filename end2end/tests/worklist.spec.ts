import { test, expect } from '@playwright/test';
import { expectAccessible, staffSignIn } from './helpers';

/** A name as it is typed on a keyboard without Vietnamese input: no marks, đ as d, lower case. */
function withoutMarks(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

test('a station finds a record to clean on its worklist, by group and by name as it is said', async ({ page }) => {
  await staffSignIn(page, 'tram.demo@example.vn');
  await page.getByRole('link', { name: 'Làm sạch dữ liệu' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Danh sách hồ sơ cần làm sạch');
  await expectAccessible(page);

  // The first group that holds records (the browser tests correct the demo household's own
  // records, so which groups are left depends on the order the tests ran in).
  const groups = page.getByRole('navigation', { name: 'Nhóm' }).getByRole('link');
  let chosen = '';
  for (const name of await groups.allInnerTexts()) {
    const count = Number(/\((\d+)\)$/.exec(name)?.[1] ?? 0);
    if (!name.startsWith('Tất cả') && count > 0) {
      chosen = name.replace(/ \(\d+\)$/, '');
      await groups.filter({ hasText: name }).click();
      break;
    }
  }
  expect(chosen, 'some group holds records').not.toEqual('');
  await expect(page).toHaveURL(/nhom=/);
  const first = (await page.getByRole('rowheader').first().innerText()).split(' (')[0].trim();

  // Found again by its name typed without marks.
  await page.getByLabel('Tìm theo họ tên hoặc số giấy tờ').fill(withoutMarks(first));
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  await expect(page).toHaveURL(/tim=/);
  await expect(page.getByRole('rowheader', { name: first }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: new RegExp(`^${chosen}`) }).first()).toBeVisible();
  await expectAccessible(page);
});
