import { defineConfig } from '@playwright/test';
import suite from './playwright.config';

// `make bench-lighthouse`: the suite's servers and browser, one project with JavaScript, and
// the benchmarks in bench/ instead of the tests.
export default defineConfig({
  ...suite,
  testDir: './bench',
  testMatch: '*.bench.ts',
  timeout: 3_600_000,
  projects: [{ name: 'javascript', use: { javaScriptEnabled: true } }],
});
