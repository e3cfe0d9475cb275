import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEMO = {
  id: '031190012345',
  phone: '0912 345 678',
  birth: '07/03/1990',
  email: 'lan.nguyen@example.vn',
};

const MAILBOX_URL = 'http://127.0.0.1:2580';

const CODE = /Mã xác thực tra cứu hồ sơ tiêm chủng COVID-19 của bạn là (\d{6})/;

async function codeMessages(to: string): Promise<{ body: string }[]> {
  const res = await fetch(`${MAILBOX_URL}/messages?to=${encodeURIComponent(to)}`);
  return (await res.json()).filter((m: { body: string }) => CODE.test(m.body));
}

/** How many lookup codes `to` has received so far (other mail, such as complaint notices, aside). */
export async function messageCount(to: string): Promise<number> {
  return (await codeMessages(to)).length;
}

/** Waits for a code message newer than the `before`-th and returns its 6-digit code. */
export async function newCode(to: string, before: number): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const messages = await codeMessages(to);
    if (messages.length > before) {
      return CODE.exec(messages[messages.length - 1].body)![1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code arrived for ${to}`);
}

/**
 * Runs axe-core on the page. axe is JavaScript: for a page loaded with JavaScript off, the
 * same HTML (as the server sent it, form errors and all) is checked in a JavaScript-enabled
 * page of the same browser.
 */
export async function expectAccessible(page: Page) {
  let target = page;
  let scratch = null;
  if (test.info().project.use.javaScriptEnabled === false) {
    const html = await page.content();
    const url = page.url();
    scratch = await page.context().browser()!.newContext({ javaScriptEnabled: true });
    target = await scratch.newPage();
    await target.route(url, (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
    await target.goto(url);
  }
  const results = await new AxeBuilder({ page: target }).analyze();
  await scratch?.close();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
}

/** Looks up a household (the demo one unless told) and signs in with the emailed code. */
export async function signIn(page: Page, identifier: string, person: { birth: string; email: string } = DEMO) {
  await page.goto('/tra-cuu');
  const before = await messageCount(person.email);
  await page.getByLabel('Số CCCD/CMND/mã định danh, hoặc số điện thoại').fill(identifier);
  await page.getByLabel('Ngày sinh').fill(person.birth);
  await page.getByRole('button', { name: 'Gửi mã xác thực' }).click();
  await expect(page).toHaveURL(/\/tra-cuu\/ma$/);
  const code = await newCode(person.email, before);
  await page.getByLabel('Mã xác thực (6 chữ số)').fill(code);
  await page.getByRole('button', { name: 'Xem hồ sơ' }).click();
  await expect(page).toHaveURL(/\/ho-so$/);
}

/** The authenticator app's code (RFC 6238) for a base32 key at `unixSeconds`. */
function totp(base32: string, unixSeconds: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/\s/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[19] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/**
 * Signs a staff member in: the password, then the second step if the account has one (set up
 * on first sign-in from the key the page shows, as a person types it into their phone's app;
 * the key is kept in a file so the other project's run signs in with the same app).
 */
export async function staffSignIn(page: Page, email: string, password = 'tiemchung-demo-2021') {
  await page.goto('/co-so/dang-nhap');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/dang-nhap'));
  if (!page.url().endsWith('/co-so/xac-thuc')) return;
  const keyFile = join(tmpdir(), `portal-e2e-totp-${email}`);
  const shown = page.locator('.totp-key');
  if (await shown.count()) writeFileSync(keyFile, (await shown.textContent()) ?? '');
  await expectAccessible(page);
  const key = readFileSync(keyFile, 'utf8');
  // A code works once: within the same 30 seconds, the next step's code (accepted as drift).
  for (const offset of [0, 30]) {
    await page.getByRole('textbox').fill(totp(key, Date.now() / 1000 + offset));
    const answered = page.waitForResponse((r) => r.url().endsWith('/co-so/xac-thuc') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Xác nhận' }).click();
    await answered;
    await page.waitForLoadState();
    if (await page.getByRole('heading', { name: 'Mã khôi phục' }).count()) {
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Tôi đã cất mã, tiếp tục' }).click();
      return;
    }
    if (!page.url().endsWith('/co-so/xac-thuc')) return;
  }
  throw new Error(`the second step was refused for ${email}`);
}
