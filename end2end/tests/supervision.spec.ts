import { test, expect } from '@playwright/test';
import { expectAccessible, staffSignIn } from './helpers';

test('a supervisor audits their area, exports it, and the numbers are drawn on the server', async ({ page }) => {
  // Supervisors pass a second step after their password (set up on first sign-in).
  await staffSignIn(page, 'giamsat.tinh@example.vn');
  await expect(page).toHaveURL(/\/giam-sat$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Phản ánh quá hạn và sắp quá hạn');

  // Filters are a plain GET form.
  await page.getByLabel('Mức').selectOption({ label: 'Mọi phản ánh đang mở' });
  await page.getByLabel('Sắp xếp').selectOption({ label: 'Gửi lâu nhất trước' });
  await page.getByRole('button', { name: 'Lọc' }).click();
  await expect(page).toHaveURL(/muc=dang-mo/);
  await expect(page.getByLabel('Mức')).toHaveValue('dang-mo');
  const chart = page.getByRole('img', { name: 'Số phản ánh theo thời gian từ khi gửi' });
  await expect(chart).toBeVisible();
  await expect(chart.locator('rect')).toHaveCount(4);
  await expectAccessible(page);

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Tải CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^phan-anh-qua-han-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await (await file.createReadStream()).toArray();
  expect(Buffer.concat(csv).toString('utf-8')).toContain('Mã phản ánh,Cơ sở,Loại');

  // The area's public numbers: charts with their numbers, no sign-in needed.
  await page.getByRole('link', { name: 'Số liệu của khu vực' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Số liệu xử lý phản ánh');
  await expect(page.getByRole('img', { name: 'Số phản ánh giải quyết đúng hạn, trễ hạn và đang quá hạn' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Số hồ sơ theo nhóm làm sạch' })).toBeVisible();
  await expectAccessible(page);
});
