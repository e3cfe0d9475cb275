import { test, expect, type Page } from '@playwright/test';

// Citizens are on cheap phones and slow networks: a first load of any citizen page stays
// within 150 KB transferred (HTML, CSS, JS and wasm, compressed). A size, not a timing.
const BUDGET = 150 * 1024;

async function transferred(page: Page, path: string): Promise<{ total: number; parts: string[] }> {
  const sizes: Promise<[string, number]>[] = [];
  page.on('requestfinished', (request) => {
    sizes.push(request.sizes().then((s) => [request.url(), s.responseBodySize + s.responseHeadersSize]));
  });
  await page.goto(path, { waitUntil: 'networkidle' });
  const all = await Promise.all(sizes);
  return { total: all.reduce((sum, [, n]) => sum + n, 0), parts: all.map(([u, n]) => `${u}: ${n}`) };
}

for (const path of ['/', '/tra-cuu', '/tra-cuu/ma', '/kiem-tra']) {
  test(`first load of ${path} stays within 150 KB`, async ({ page }) => {
    const { total, parts } = await transferred(page, path);
    console.log(`${path}: ${total} bytes\n  ${parts.join('\n  ')}`);
    expect(total, parts.join('\n')).toBeLessThan(BUDGET);
    expect(total).toBeGreaterThan(1000);
    // Without JavaScript nothing of the bundle is fetched; with it, the bundle loads.
    const bundle = parts.filter((p) => /\/pkg\/.*\.(wasm|js):/.test(p));
    if (test.info().project.use.javaScriptEnabled) {
      expect(bundle.length, parts.join('\n')).toBeGreaterThan(0);
    } else {
      expect(bundle, 'a browser without JavaScript fetches no wasm or script').toEqual([]);
    }
  });
}

test('the wasm bundle is served compressed @js', async ({ page }) => {
  const wasm = page.waitForResponse((r) => r.url().endsWith('.wasm'));
  await page.goto('/tra-cuu');
  const response = await wasm;
  expect(['br', 'gzip']).toContain(response.headers()['content-encoding']);
});
