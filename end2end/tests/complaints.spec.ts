import { test, expect } from '@playwright/test';
import { DEMO, expectAccessible, signIn } from './helpers';

// The two projects share one database, so each corrects a different member of the demo
// household: with JavaScript, the son's wrong birth date; without, the grandmother's missing ID.
const STORY = {
  javascript: {
    person: 'Trần Minh Khôi',
    kind: 'Thông tin cá nhân bị sai (họ tên, ngày sinh, giới tính)',
    field: 'Ngày sinh',
    before: '02/05/2012',
    after: '20/05/2012',
  },
  'no-javascript': {
    person: 'Phạm Thị Hoà',
    kind: 'Chưa có hoặc sai số CCCD/CMND/mã định danh',
    field: 'Số CCCD/CMND/mã định danh',
    before: '(chưa có)',
    after: '031156007311',
  },
} as const;

test('a complaint is filed, corrected by the right site, and the correction flows back', async ({ page }, info) => {
  const story = STORY[info.project.name as keyof typeof STORY];
  await signIn(page, info.project.name === 'javascript' ? DEMO.id : DEMO.phone);

  // The citizen files it; the diagnosis pre-selects the kind.
  await page.getByRole('link', { name: `Gửi phản ánh về hồ sơ của ${story.person}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Phản ánh sai sót hồ sơ tiêm chủng');
  await expect(page.getByLabel(story.kind)).toBeChecked();
  await expectAccessible(page);
  await page.getByLabel(story.field, { exact: true }).fill(story.after);
  await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
  await expect(page).toHaveURL(/\/phan-anh\/PA-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expect(page.getByText('Đang chờ cơ sở xử lý')).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: 'Trạm Y tế' })).toBeVisible();
  await expect(page.getByText('Hạn trả lời')).toBeVisible();
  await expectAccessible(page);
  const tracking = page.url();
  const reference = tracking.split('/').pop()!;

  // Staff of the commune health station sign in and find it in their inbox (sorted by
  // deadline: other specs' complaints, filed earlier, come before it).
  await page.goto('/co-so/dang-nhap');
  await expectAccessible(page);
  await page.getByLabel('Email').fill('tram.demo@example.vn');
  await page.getByLabel('Mật khẩu').fill('tiemchung-demo-2021');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page).toHaveURL(/\/co-so$/);
  await expect(page.locator('.inbox li').filter({ hasText: reference })).toHaveCount(1);
  await expectAccessible(page);
  await page.getByRole('link', { name: reference }).click();
  await expect(page.getByLabel(story.field, { exact: true })).toHaveValue(story.after);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Sửa hồ sơ và hoàn tất phản ánh' }).click();
  await expect(page.getByRole('heading', { name: 'Hồ sơ đã được sửa' })).toBeVisible();

  // The citizen sees the before and after, and the corrected record.
  await page.goto(tracking);
  await expect(page.getByRole('heading', { name: 'Hồ sơ đã được sửa' })).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(story.field) }).last();
  await expect(row).toContainText(story.after);
  await expect(page.getByText('Đã sửa, chờ bạn xác nhận')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Xác nhận hồ sơ đã đúng' }).click();
  await expect(page.getByText('Phản ánh đã hoàn tất.')).toBeVisible();
  await page.goto('/ho-so');
  const card = page.locator('article', { has: page.getByRole('heading', { name: story.person }) });
  await expect(card.getByRole('definition').filter({ hasText: story.after })).toBeVisible();

  // A missing dose: the site search is a plain form, so it works without JavaScript and
  // keeps what was typed.
  await page.getByRole('link', { name: 'Đã tiêm nhưng hồ sơ thiếu mũi? Báo thiếu mũi tiêm' }).first().click();
  await expect(page.getByRole('heading', { name: 'Báo thiếu mũi tiêm' })).toBeVisible();
  await page.getByLabel('Ngày tiêm').fill('10/09/2022');
  await page.getByLabel('Tỉnh/thành phố (nơi tiêm)').selectOption({ label: 'Thành phố Hải Phòng' });
  await page.getByLabel('Tên cơ sở hoặc xã/phường (không bắt buộc)').fill('trung tam y te');
  await page.getByRole('button', { name: 'Tìm cơ sở' }).click();
  await expect(page.getByLabel('Ngày tiêm')).toHaveValue('10/09/2022');
  await expectAccessible(page);
  await page.getByRole('radio', { name: /Trung tâm Y tế/ }).first().check();
  await page.getByLabel('Mũi thứ').selectOption({ label: 'Mũi nhắc lại lần 2' });
  await page.getByLabel('Vắc xin').selectOption({ label: 'Comirnaty (Pfizer-BioNTech)' });
  await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
  await expect(page).toHaveURL(/\/phan-anh\/PA-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expect(page.getByRole('definition').filter({ hasText: 'Trung tâm Y tế' })).toBeVisible();
});
