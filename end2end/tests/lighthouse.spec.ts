import { test, expect, chromium } from '@playwright/test';
import lighthouse from 'lighthouse';
import config, { BASE_URL } from '../playwright.config';
import { signIn } from './helpers';

/**
 * Citizen pages on a mid-range phone, as Lighthouse scores them (its mobile preset, with this
 * machine's Chromium): performance, accessibility, best practices and SEO each 100, the pages
 * behind the lookup too. Scores, not timings. One resident, verified from the start in the e2e
 * seed, signs in for the record page, the complaint form and a complaint's tracking page.
 */
const RESIDENT = { id: '031058549773', birth: '07/06/1958', email: 'giadinh243@example.vn', name: 'NGUYEN THANH CUONG' };
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const PORT = 9333;

test('citizen pages score 100 in every Lighthouse category @js', async ({ page }) => {
  test.setTimeout(300_000);
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

  const browser = await chromium.launch({ ...config.use!.launchOptions, args: [...config.use!.launchOptions!.args!, `--remote-debugging-port=${PORT}`] });
  const scores: string[] = [];
  try {
    for (const [path, signedIn] of [
      ['/', false],
      ['/tra-cuu', false],
      ['/tra-cuu/ma', false],
      ['/kiem-tra', false],
      ['/ho-so', true],
      [form, true],
      [tracking, true],
    ] as const) {
      const result = await lighthouse(`${BASE_URL}${path}`, {
        port: PORT,
        output: 'json',
        logLevel: 'error',
        onlyCategories: CATEGORIES,
        extraHeaders: signedIn ? { Cookie: `phien=${session.value}` } : undefined,
      });
      const lhr = result!.lhr;
      expect(lhr.finalDisplayedUrl, 'the page itself, not a sign-in redirect').toBe(`${BASE_URL}${path}`);
      for (const category of CATEGORIES) {
        const score = Math.round((lhr.categories[category].score ?? 0) * 100);
        const failing = lhr.categories[category].auditRefs
          .map((ref) => lhr.audits[ref.id])
          .filter((a) => a.score !== null && a.score < 1 && ref_weight(lhr, category, a.id) > 0)
          .map((a) => `${a.id} (${a.title})`);
        scores.push(`${path} ${category} ${score}${failing.length ? `: ${failing.join(', ')}` : ''}`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(scores.join('\n'));
  expect(scores.filter((s) => !/ 100$/.test(s))).toEqual([]);
});

function ref_weight(lhr: { categories: Record<string, { auditRefs: { id: string; weight: number }[] }> }, category: string, id: string): number {
  return lhr.categories[category].auditRefs.find((r) => r.id === id)?.weight ?? 0;
}
