import { test, expect, chromium, type Page } from '@playwright/test';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import config, { BASE_URL } from '../playwright.config';
import { expectAccessible, signIn, staffSignIn } from './helpers';

/**
 * A resident verified from the start in the e2e seed (`--seed 7`), with an email, whose latest
 * dose was given at the demo station (no other spec edits him). Not the demo mother: the other
 * specs spend her five codes a day.
 */
const CITIZEN = { id: '031058549773', birth: '07/06/1958', email: 'giadinh243@example.vn', name: 'NGUYEN THANH CUONG' };

async function citizenSignIn(page: Page) {
  await signIn(page, CITIZEN.id, CITIZEN);
}

/**
 * Vaccine certificates, with JavaScript on and off: the vaccination site signs its ready
 * records in one batch; the citizen sees his QR (drawn on the server, large enough to scan),
 * its text, downloads it as a PNG, and anyone can check that text on the public verification
 * page. The two projects share one server: the second finds the batch already signed.
 */
test('a site signs the day\'s batch and the citizen sees the QR that the public check accepts', async ({ page }) => {
  await staffSignIn(page, 'tram.demo@example.vn');
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

  await citizenSignIn(page);
  const person = page.locator('article.person').filter({ has: page.getByRole('heading', { name: CITIZEN.name, exact: true }) });
  const certificate = person.locator('section.certificate');
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
  const png = readFileSync((await download.path())!);

  await page.goto('/kiem-tra');
  await page.getByLabel('Nội dung mã QR').fill(text);
  await page.getByRole('button', { name: 'Kiểm tra' }).click();
  await expect(page.getByRole('status')).toContainText('Hợp lệ');
  await expect(page.getByRole('status')).toContainText(CITIZEN.name);
  await expectAccessible(page);

  if (test.info().project.use.javaScriptEnabled) {
    await scanWithCamera(page, png);
  }
});

/**
 * A border officer points a phone's camera at the QR: Chromium's fake camera shows the QR the
 * citizen downloaded, the scanner island sends frames until the server reads it, and the page
 * checks it.
 */
async function scanWithCamera(page: Page, png: Buffer) {
  const video = join(tmpdir(), `qr-camera-${process.pid}.y4m`);
  writeFileSync(video, await cameraPicture(page, png));
  const browser = await chromium.launch({
    ...config.use!.launchOptions,
    args: [
      ...config.use!.launchOptions!.args!,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  try {
    const context = await browser.newContext({ baseURL: BASE_URL, locale: 'vi-VN', permissions: ['camera'], viewport: { width: 390, height: 844 } });
    const officer = await context.newPage();
    await officer.goto('/kiem-tra');
    await officer.getByRole('button', { name: 'Quét mã QR bằng camera' }).click();
    await expect(officer.getByRole('status')).toContainText('Hợp lệ', { timeout: 20_000 });
    await expect(officer.getByRole('status')).toContainText(CITIZEN.name);
  } finally {
    await browser.close();
    rmSync(video, { force: true });
  }
}

/** The QR on a white 640x480 picture, as one frame of a Y4M video (luma; no colour). */
async function cameraPicture(page: Page, png: Buffer): Promise<Buffer> {
  const [width, height] = [640, 480];
  const scratch = await page.context().newPage();
  const luma: number[] = await scratch.evaluate(
    async ({ data, width, height }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#fff';
      context.fillRect(0, 0, width, height);
      const side = height - 40;
      context.drawImage(image, (width - side) / 2, 20, side, side);
      const rgba = context.getImageData(0, 0, width, height).data;
      const out: number[] = [];
      for (let i = 0; i < width * height; i++) out.push(Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]));
      return out;
    },
    { data: png.toString('base64'), width, height },
  );
  await scratch.close();
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`);
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  return Buffer.concat([header, Buffer.from(luma), chroma]);
}
