import { test, expect } from '@playwright/test';
import ExcelJS from 'exceljs';
import { expectAccessible, staffSignIn } from './helpers';

/**
 * The round trip with the commune police, as a clerk does it, with JavaScript on and off: a
 * batch of the records with wrong data goes out as Excel, comes back filled in by the police
 * (who check against the population database: the test reads the registry's values from the
 * station's record page), is previewed row by row, and applied; the record is verified.
 */
test('a clerk sends a batch to the commune police, imports the filled file, previews and applies it', async ({ page }, info) => {
  await staffSignIn(page, 'tram.demo@example.vn');
  await page.goto('/co-so/lam-sach?nhom=id_contradicts_record');
  const first = page.getByRole('rowheader').first();
  const name = (await first.getByRole('link').innerText()).trim();
  await first.getByRole('link').click();
  const recordUrl = page.url();
  const registry: Record<string, string> = {};
  for (const field of ['Họ và tên', 'Ngày sinh', 'Giới tính']) {
    const row = page.locator('table.changes').getByRole('row', { name: new RegExp(`^${field}`) });
    registry[field] = (await row.getByRole('cell').nth(1).innerText()).trim();
  }

  // The batch: every record in that group that is not already with the police.
  await page.goto('/co-so/lam-sach?nhom=id_contradicts_record');
  await page.getByRole('button', { name: 'Lập lô gửi công an xã' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Lô gửi công an xã số \d+$/);
  await expect(page.locator('p.status')).toContainText('Đang ở công an xã');
  await expectAccessible(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Tải danh sách để in (Excel)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^lo-\d+-gui-cong-an\.xlsx$/);

  // The police fill in the record's row: the right name, date of birth (an Excel date, or a
  // number when only the year is known) and gender.
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await download.path());
  const sheet = book.worksheets[0];
  const header = sheet.getRow(4);
  const column = (title: string) => {
    let found = 0;
    header.eachCell((cell, n) => { if (String(cell.value) === title) found = n; });
    expect(found, `column ${title}`).toBeGreaterThan(0);
    return found;
  };
  expect(sheet.getColumn(column('Mã dòng')).hidden, 'the row key column is hidden').toBe(true);
  let filled = 0;
  sheet.eachRow((row, n) => {
    if (n <= 4 || String(row.getCell(column('Họ và tên')).value) !== name || filled) return;
    const birth = registry['Ngày sinh'];
    const [d, m, y] = birth.split('/').map(Number);
    row.getCell(column('Họ tên đúng')).value = registry['Họ và tên'];
    row.getCell(column('Ngày sinh đúng')).value = /^\d{4}$/.test(birth) ? Number(birth) : new Date(Date.UTC(y, m - 1, d));
    row.getCell(column('Giới tính đúng')).value = registry['Giới tính'];
    row.getCell(column('Ghi chú của công an')).value = 'Đã đối chiếu CSDL dân cư';
    filled = n;
  });
  expect(filled, `${name} is on the list`).toBeGreaterThan(0);
  const returned = info.outputPath('tra-ve.xlsx');
  await book.xlsx.writeFile(returned);

  await page.getByLabel('Tệp Excel (.xlsx) đã điền').setInputFiles(returned);
  await page.getByRole('button', { name: 'Tải lên và xem trước' }).click();
  await expect(page.getByText('1 dòng sẽ cập nhật hồ sơ')).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(name) }).first();
  await expect(row).toContainText('→');
  await expect(row).toContainText('Ghi chú của công an: Đã đối chiếu CSDL dân cư');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Cập nhật hồ sơ (1)' }).click();
  await expect(page.getByRole('status')).toContainText('1 hồ sơ thay đổi');

  await page.goto(recordUrl);
  await expect(page.locator('p.status')).toHaveText('Khớp CSDL dân cư');
});
