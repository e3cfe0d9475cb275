import { test, expect } from '@playwright/test';
import { expectAccessible, staffSignIn } from './helpers';

test('a station finds a record to clean on its worklist, by group and by name as it is said', async ({ page }) => {
  await staffSignIn(page, 'tram.demo@example.vn');
  await page.getByRole('link', { name: 'Làm sạch dữ liệu' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Danh sách hồ sơ cần làm sạch');
  await expectAccessible(page);

  // The group of records without an ID number, then a name typed without its marks.
  await page.getByRole('link', { name: /^Chưa có số giấy tờ \(\d+\)$/ }).click();
  await expect(page).toHaveURL(/nhom=no_id/);
  await page.getByLabel('Tìm theo họ tên hoặc số giấy tờ').fill('pham thi hoa');
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  await expect(page).toHaveURL(/tim=pham/);
  await expect(page.getByRole('rowheader', { name: /Phạm Thị Hoà/ })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Chưa có số giấy tờ', exact: true })).toBeVisible();
  await expectAccessible(page);
});
