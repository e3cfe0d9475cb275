import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

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

/** Looks up the demo household and signs in with the emailed code. */
export async function signIn(page: Page, identifier: string) {
  await page.goto('/tra-cuu');
  const before = await messageCount(DEMO.email);
  await page.getByLabel('Số CCCD/CMND/mã định danh, hoặc số điện thoại').fill(identifier);
  await page.getByLabel('Ngày sinh').fill(DEMO.birth);
  await page.getByRole('button', { name: 'Gửi mã xác thực' }).click();
  await expect(page).toHaveURL(/\/tra-cuu\/ma$/);
  const code = await newCode(DEMO.email, before);
  await page.getByLabel('Mã xác thực (6 chữ số)').fill(code);
  await page.getByRole('button', { name: 'Xem hồ sơ' }).click();
  await expect(page).toHaveURL(/\/ho-so$/);
}
