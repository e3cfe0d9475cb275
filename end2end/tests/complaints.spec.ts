import { test, expect } from '@playwright/test';
import { DEMO, expectAccessible, signIn } from './helpers';

test('a citizen reports a wrong birth date and sees where it went and by when', async ({ page }, info) => {
  await signIn(page, info.project.name === 'javascript' ? DEMO.id : DEMO.phone);
  await page.getByRole('link', { name: 'Gửi phản ánh về hồ sơ của Trần Minh Khôi' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Phản ánh sai sót hồ sơ tiêm chủng');
  // The diagnosis (birth date differs) pre-selects the kind.
  await expect(page.getByLabel('Thông tin cá nhân bị sai (họ tên, ngày sinh, giới tính)')).toBeChecked();
  await expectAccessible(page);

  await page.getByLabel('Ngày sinh', { exact: true }).fill('20/05/2012');
  await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
  await expect(page).toHaveURL(/\/phan-anh\/PA-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expect(page.getByText('Đang chờ cơ sở xử lý')).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: 'Trạm Y tế' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '20/05/2012' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '02/05/2012' })).toBeVisible();
  await expect(page.getByText('Hạn trả lời')).toBeVisible();
  await expectAccessible(page);

  const reference = page.url().split('/').pop()!;
  await page.getByRole('link', { name: 'Quay lại hồ sơ' }).click();
  await expect(page.getByRole('link', { name: reference })).toBeVisible();
});
