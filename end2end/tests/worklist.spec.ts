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

test('a station works a record with wrong data off its worklist and the district sees it verified', async ({ page, browser }, info) => {
  await staffSignIn(page, 'tram.demo@example.vn');
  await page.goto('/co-so/lam-sach?nhom=data_differs');
  const rows = page.getByRole('rowheader');
  expect(await rows.count(), 'the demo station has records with wrong data').toBeGreaterThan(0);
  await rows.first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const recordUrl = page.url();
  await expectAccessible(page);

  // Every field that differs takes the registry's value, as the station checks it in person.
  const table = page.locator('table.changes');
  for (const field of ['Họ và tên', 'Ngày sinh', 'Giới tính']) {
    const row = table.getByRole('row', { name: new RegExp(`^${field}`) });
    const recorded = (await row.getByRole('cell').nth(0).innerText()).trim();
    const registry = (await row.getByRole('cell').nth(1).innerText()).trim();
    if (recorded !== registry) await page.getByLabel(field, { exact: true }).fill(registry);
  }
  await page.getByRole('button', { name: 'Lưu và đối chiếu lại' }).click();
  await expect(page).toHaveURL(recordUrl);
  await expect(page.locator('p.status')).toHaveText('Khớp CSDL dân cư');

  // The district supervisor's numbers: the station has records verified this week.
  const supervisor = await (await browser.newContext({ ...info.project.use })).newPage();
  await staffSignIn(supervisor, 'giamsat.huyen@example.vn');
  await supervisor.getByRole('link', { name: 'Số liệu của khu vực' }).click();
  await expect(supervisor.getByRole('heading', { name: 'Tiến độ làm sạch' })).toBeVisible();
  await expect(supervisor.getByRole('img', { name: 'Số hồ sơ được xác minh khớp mỗi tuần' })).toBeVisible();
  const stations = supervisor.getByRole('table', { name: /^Theo trạm y tế xã/ }).getByRole('row', { name: /^Trạm Y tế/ });
  const verifiedThisWeek = [];
  for (const row of await stations.all()) verifiedThisWeek.push(Number(await row.getByRole('cell').nth(2).innerText()));
  expect(Math.max(...verifiedThisWeek), `verified in the last 7 days per station: ${verifiedThisWeek}`).toBeGreaterThan(0);
  await expectAccessible(supervisor);
});

test('a record without an ID is matched to its registry person and merged with its split twin @js', async ({ page }) => {
  await staffSignIn(page, 'tram.demo@example.vn');
  await page.goto('/co-so/lam-sach?tim=pham+thi+hoa');
  await page.getByRole('rowheader').getByRole('link', { name: 'Phạm Thị Hoà' }).first().click();
  await expect(page.getByRole('heading', { name: 'Gợi ý từ CSDL dân cư' })).toBeVisible();
  const candidate = page.locator('li.candidate', { hasText: '031156007311' });
  await expect(candidate).toContainText('Họ và tên: trùng khớp');
  await expectAccessible(page);
  // The registry's number is already on a second record: confirming opens the merge screen.
  await candidate.getByRole('button', { name: 'Xác nhận đúng người này' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Một người, hai hồ sơ?');
  await expect(page.getByText('202107B2145').first()).toBeVisible();
  await expect(page.getByText('FK8891')).toBeVisible();
  await expectAccessible(page);
  // Keep the family's record (the first): the booster moves to it.
  await expect(page.getByRole('radio').first()).toBeChecked();
  await page.getByRole('button', { name: 'Gộp hai hồ sơ' }).click();
  await expect(page.getByRole('heading', { name: 'Các mũi tiêm' })).toBeVisible();
  await expect(page.getByText('FK8891')).toBeVisible();
  await expect(page.getByText('202107B2145')).toHaveCount(2);
});
