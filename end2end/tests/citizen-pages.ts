import { expect, chromium, type Page } from '@playwright/test';
import lighthouse, { type Flags } from 'lighthouse';
import type { Result } from 'lighthouse';
import config, { BASE_URL } from '../playwright.config';
import { signIn } from './helpers';

/**
 * The citizen pages Lighthouse scores, shared by the suite (accessibility, best practices, SEO)
 * and `make bench-lighthouse` (performance). One resident, verified from the start in the e2e
 * seed, signs in for the record page, the complaint form and a complaint's tracking page.
 */
const RESIDENT = { id: '031058549773', birth: '07/06/1958', email: 'giadinh243@example.vn', name: 'NGUYEN THANH CUONG' };
const DEBUG_PORT = 9333;

export interface CitizenPages {
  /** Each page's path and whether it needs the signed-in session. */
  paths: (readonly [string, boolean])[];
  session: string;
}

/** Signs the resident in and files a complaint, so that every citizen page has something to show. */
export async function citizenPages(page: Page): Promise<CitizenPages> {
  await signIn(page, RESIDENT.id, RESIDENT);
  const card = page.locator('article.person').filter({ has: page.getByRole('heading', { name: RESIDENT.name, exact: true }) });
  await card.getByRole('link', { name: `Gửi phản ánh về hồ sơ của ${RESIDENT.name}` }).click();
  const form = page.url().replace(BASE_URL, '');
  await page.getByLabel('Vấn đề khác').check();
  await page.getByLabel('Mô tả thêm', { exact: true }).fill('Xin kiểm tra lại lô vắc xin mũi gần nhất.');
  await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
  await expect(page).toHaveURL(/\/phan-anh\/PA-/);
  const tracking = page.url().replace(BASE_URL, '');
  const session = (await page.context().cookies()).find((c) => c.name === 'phien')!;
  return {
    paths: [
      ['/', false],
      ['/tra-cuu', false],
      ['/tra-cuu/ma', false],
      ['/kiem-tra', false],
      ['/ho-so', true],
      [form, true],
      [tracking, true],
    ],
    session: session.value,
  };
}

/**
 * Runs Lighthouse (its default, mobile preset) on `url` in a Chromium of the suite's launch
 * options, with the citizen's session cookie when `session` is given.
 */
export async function audit(url: string, categories: string[], session?: string): Promise<Result> {
  const options = config.use!.launchOptions!;
  const browser = await chromium.launch({ ...options, args: [...options.args!, `--remote-debugging-port=${DEBUG_PORT}`] });
  try {
    const flags: Flags = {
      port: DEBUG_PORT,
      output: 'json',
      logLevel: 'error',
      onlyCategories: categories,
      extraHeaders: session ? { Cookie: `phien=${session}` } : undefined,
    };
    const result = await lighthouse(url, flags);
    return result!.lhr;
  } finally {
    await browser.close();
  }
}

/** The audits of `category` that carry weight in its score and did not pass, as "id (title)". */
export function failingAudits(lhr: Result, category: string): string[] {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0)
    .map((ref) => lhr.audits[ref.id])
    .filter((a) => a.score !== null && a.score < 1)
    .map((a) => `${a.id} (${a.title})`);
}
