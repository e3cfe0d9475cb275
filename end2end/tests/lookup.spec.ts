import { test, expect } from '@playwright/test';
import { DEMO, expectAccessible, messageCount, newCode } from './helpers';

test('a citizen looks up their record and sees doses and diagnosis', async ({ page }, info) => {
  // One project looks up by ID number, the other by the shared phone number.
  const identifier = info.project.name === 'javascript' ? DEMO.id : DEMO.phone;
  await page.goto('/');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Tra cứu hồ sơ' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tra cứu hồ sơ tiêm chủng');
  await expectAccessible(page);

  const before = await messageCount(DEMO.email);
  await page.getByLabel('Số CCCD/CMND/mã định danh, hoặc số điện thoại').fill(identifier);
  await page.getByLabel('Ngày sinh').fill(DEMO.birth);
  await page.getByRole('button', { name: 'Gửi mã xác thực' }).click();
  await expect(page).toHaveURL(/\/tra-cuu\/ma$/);
  await expectAccessible(page);

  const code = await newCode(DEMO.email, before);
  await page.getByLabel('Mã xác thực (6 chữ số)').fill(code);
  await page.getByRole('button', { name: 'Xem hồ sơ' }).click();
  await expect(page).toHaveURL(/\/ho-so$/);

  await expect(page.getByRole('heading', { name: 'Nguyễn Thị Lan' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Trần Minh Khôi' })).toBeVisible();
  const lan = page.locator('article', { has: page.getByRole('heading', { name: 'Nguyễn Thị Lan' }) });
  await expect(lan.getByText('Mũi nhắc lại lần 1')).toBeVisible();
  await expect(lan.getByText('FG3530')).toBeVisible();
  // The mother's record matches; the grandmother's needs correcting whatever the complaint
  // story (which may run first) has fixed: no ID at first, a year-only birth date after.
  await expect(lan.getByText('Khớp với Cơ sở dữ liệu quốc gia về dân cư')).toBeVisible();
  const grandmother = page.locator('article', { has: page.getByRole('heading', { name: 'Phạm Thị Hoà' }) });
  await expect(grandmother.getByRole('heading', { name: 'Hồ sơ cần được sửa' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/ho-so');
  await expect(page).toHaveURL(/\/tra-cuu$/);
});

test('a rejected lookup keeps what was typed and says what to fix', async ({ page }) => {
  await page.goto('/tra-cuu');
  await page.getByLabel('Số CCCD/CMND/mã định danh, hoặc số điện thoại').fill('03119001234');
  await page.getByLabel('Ngày sinh').fill('31/02/1990');
  await page.getByRole('button', { name: 'Gửi mã xác thực' }).click();
  await expect(page.getByLabel('Ngày sinh')).toHaveValue('31/02/1990');
  await expect(page.getByLabel('Số CCCD/CMND/mã định danh, hoặc số điện thoại')).toHaveValue('03119001234');
  await expect(page.getByText('Nhập ngày sinh dạng ngày/tháng/năm')).toBeVisible();
  await expect(page.getByText('Nhập số CCCD/CMND/mã định danh (9 hoặc 12 chữ số)')).toBeVisible();
  await expectAccessible(page);
});

test('the language switch turns the page into English', async ({ page }) => {
  await page.goto('/tra-cuu');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Look up a vaccination record');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tra cứu hồ sơ tiêm chủng');
});

test('the ID field says what it reads as you type @js', async ({ page }) => {
  // The page's Content-Security-Policy allows its own nonce script and the wasm, nothing else:
  // hydration must work under it without a single violation.
  const violations: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') violations.push(m.text());
  });
  page.on('pageerror', (e) => violations.push(e.message));
  // Islands hydrate once the wasm has loaded and the browser is idle.
  await page.goto('/tra-cuu', { waitUntil: 'networkidle' });
  const field = page.getByLabel('Số CCCD/CMND/mã định danh, hoặc số điện thoại');
  await field.pressSequentially('0912345678');
  await expect(page.locator('#identifier-msg')).toHaveText('Số điện thoại');
  await field.fill('');
  await field.pressSequentially('031190012345');
  await expect(page.locator('#identifier-msg')).toHaveText('Số CCCD / mã định danh cá nhân (12 chữ số)');
  expect(violations).toEqual([]);
});
