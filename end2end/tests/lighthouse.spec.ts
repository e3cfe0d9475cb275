import { test, expect } from '@playwright/test';
import { BASE_URL } from '../playwright.config';
import { audit, citizenPages, failingAudits } from './citizen-pages';

/**
 * Citizen pages on a mid-range phone, as Lighthouse scores them (its mobile preset, with this
 * machine's Chromium): accessibility, best practices and SEO each 100 with every weighted audit
 * passed, the pages behind the lookup too. Performance is a timing that moves with how busy the
 * machine is: `make bench-lighthouse` measures it in a report, never here.
 */
const CATEGORIES = ['accessibility', 'best-practices', 'seo'];

test('citizen pages score 100 in Lighthouse accessibility, best practices and SEO @js', async ({ page }) => {
  test.setTimeout(300_000);
  const { paths, session } = await citizenPages(page);
  const scores: string[] = [];
  for (const [path, signedIn] of paths) {
    const lhr = await audit(`${BASE_URL}${path}`, CATEGORIES, signedIn ? session : undefined);
    expect(lhr.finalDisplayedUrl, 'the page itself, not a sign-in redirect').toBe(`${BASE_URL}${path}`);
    for (const category of CATEGORIES) {
      const score = Math.round((lhr.categories[category].score ?? 0) * 100);
      const failing = failingAudits(lhr, category);
      scores.push(`${path} ${category} ${score}${failing.length ? `: ${failing.join(', ')}` : ''}`);
    }
  }
  console.log(scores.join('\n'));
  expect(scores.filter((s) => !/ 100$/.test(s))).toEqual([]);
});
