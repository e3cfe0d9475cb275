import { test, expect } from '@playwright/test';
import { DEMO, expectAccessible, signIn, staffSignIn } from './helpers';

/**
 * Vaccine certificates, with JavaScript on and off: the vaccination site where the demo
 * mother's latest dose was given signs its ready records in one batch; she sees her QR
 * (drawn on the server, large enough to scan) and its text, and anyone can check that text on
 * the public verification page. The two projects share one server: the second finds the
 * batch already signed.
 */
test('a site signs the day\'s batch and the citizen sees the QR that the public check accepts', async ({ page }) => {
  await staffSignIn(page, 'ttyt.demo@example.vn');
  await page.goto('/co-so/chung-nhan');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ký chứng nhận tiêm chủng');
  await expectAccessible(page);
  const summary = page.getByText(/hồ sơ sẵn sàng ký · \d+ đã ký hôm nay/);
  const ready = Number(/^(\d+)/.exec(await summary.innerText())![1]);
  if (ready > 0) {
    await page.getByRole('button', { name: `Duyệt và ký tất cả (${ready})` }).click();
    await expect(page.getByRole('status')).toHaveText(`Đã ký ${ready} chứng nhận.`);
  }
  await expect(summary).toHaveText(/^0 hồ sơ sẵn sàng ký · [1-9]\d* đã ký hôm nay$/);

  await signIn(page, DEMO.id);
  const mother = page.locator('article.person').filter({ has: page.getByRole('heading', { name: 'Nguyễn Thị Lan' }) });
  const certificate = mother.locator('section.certificate');
  await expect(certificate).toContainText('Đã cấp ngày');
  const qr = certificate.locator('.qr-code svg');
  await expect(qr).toBeVisible();
  const box = (await qr.boundingBox())!;
  expect(box.width, 'large enough to scan from a phone screen').toBeGreaterThanOrEqual(250);
  const text = await certificate.getByLabel('Nội dung mã QR (để dán vào ứng dụng kiểm tra)').inputValue();
  expect(text).toMatch(/^HC1:[0-9A-Z $%*+\-./:]+$/);
  await expectAccessible(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    certificate.getByRole('link', { name: 'Tải mã QR (PNG)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^chung-nhan-tiem-chung-\d+\.png$/);

  await page.goto('/kiem-tra');
  await page.getByLabel('Nội dung mã QR').fill(text);
  await page.getByRole('button', { name: 'Kiểm tra' }).click();
  await expect(page.getByRole('status')).toContainText('Hợp lệ');
  await expect(page.getByRole('status')).toContainText('Nguyễn Thị Lan');
  await expectAccessible(page);
});
