import { test, expect } from '@playwright/test';
import type { Result } from 'lighthouse';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { BASE_URL } from '../playwright.config';
import { audit, citizenPages, failingAudits } from '../tests/citizen-pages';

/**
 * `make bench-lighthouse`: Lighthouse's performance score of every citizen page (mobile preset:
 * a mid-range phone on a slow 4G line, simulated), RUNS times each, against the release server on
 * SQLite as `make run` serves it. The yardstick, scored in the same rounds, is a static page of
 * one heading served by Node on this machine: when it misses 100, the machine was too busy for
 * the run to say anything about the portal. Writes the whole report (LIGHTHOUSE_REPORT).
 */
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 5);
const REPORT = process.env.LIGHTHOUSE_REPORT ?? '../server/benches/lighthouse-report.md';
const COMMAND = process.env.LIGHTHOUSE_COMMAND ?? 'make bench-lighthouse';
const TARGET = 100;
const YARDSTICK = 'yardstick (static page)';
const METRICS = [
  ['first-contentful-paint', 'FCP', 'ms'],
  ['largest-contentful-paint', 'LCP', 'ms'],
  ['total-blocking-time', 'TBT', 'ms'],
  ['cumulative-layout-shift', 'CLS', ''],
  ['speed-index', 'SI', 'ms'],
] as const;

interface Run {
  score: number;
  metrics: number[];
  failing: string[];
  load: number;
  benchmarkIndex: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[], digits = 0) =>
  `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;

function record(lhr: Result, load: number): Run {
  return {
    score: Math.round((lhr.categories.performance.score ?? 0) * 100),
    metrics: METRICS.map(([id]) => lhr.audits[id].numericValue ?? NaN),
    failing: failingAudits(lhr, 'performance'),
    load,
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

test('Lighthouse performance of the citizen pages, median of several runs', async ({ page }) => {
  const { paths, session } = await citizenPages(page);
  const yardstick = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      '<!doctype html><html lang="vi"><head><meta charset="utf-8">' +
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Thước đo</title></head>' +
        '<body><h1>Thước đo</h1><p>Một trang tĩnh.</p></body></html>',
    );
  });
  await new Promise<void>((ready) => yardstick.listen(0, '127.0.0.1', ready));
  const address = yardstick.address();
  const yardstickUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;

  const pages: [string, string, string | undefined][] = [
    [YARDSTICK, yardstickUrl, undefined],
    ...paths.map(([path, signedIn]) => [path, `${BASE_URL}${path}`, signedIn ? session : undefined] as [string, string, string | undefined]),
  ];
  const runs = new Map<string, Run[]>(pages.map(([name]) => [name, []]));
  let meta: Result | undefined;
  const started = new Date();
  // Rounds over every page, so that a busy minute of the machine falls on all pages alike.
  for (let round = 0; round < RUNS; round++) {
    for (const [name, url, cookie] of pages) {
      const load = loadavg()[0];
      const lhr = await audit(url, ['performance'], cookie);
      expect(lhr.finalDisplayedUrl, `${name}: the page itself, not a sign-in redirect`).toBe(url);
      runs.get(name)!.push(record(lhr, load));
      meta ??= lhr;
    }
  }
  yardstick.close();

  const all = [...runs.values()].flat();
  const verdict = (name: string) => {
    const m = median(runs.get(name)!.map((r) => r.score));
    return m >= TARGET ? 'met' : 'missed';
  };
  const header = ['page', `score (target ${TARGET})`, ...METRICS.map(([, label, unit]) => (unit ? `${label} ${unit}` : label)), 'target'];
  const rows = pages.map(([name]) => {
    const rs = runs.get(name)!;
    const cells = [
      `\`${name}\``,
      spread(rs.map((r) => r.score)),
      ...METRICS.map(([, label], i) => spread(rs.map((r) => r.metrics[i]), label === 'CLS' ? 3 : 0)),
      name === YARDSTICK ? '-' : verdict(name),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  const misses = pages.flatMap(([name]) => {
    const counts = new Map<string, number>();
    for (const r of runs.get(name)!) for (const f of r.failing) counts.set(f, (counts.get(f) ?? 0) + 1);
    return [...counts].map(([audit, n]) => `- \`${name}\`: ${audit} in ${n} of ${RUNS} runs`);
  });
  const citizen = pages.filter(([name]) => name !== YARDSTICK).map(([name]) => name);
  const met = citizen.filter((name) => verdict(name) === 'met').length;
  const yardstickMedian = median(runs.get(YARDSTICK)!.map((r) => r.score));

  const report = `# Lighthouse performance of the citizen pages

Written by \`${COMMAND}\` (end2end/bench/lighthouse.bench.ts); nothing in it is added by hand.
Lighthouse ${meta!.lighthouseVersion}, its default mobile preset (a mid-range phone, slow 4G and a
4x slower CPU, simulated), in ${meta!.environment.hostUserAgent.match(/(HeadlessChrome|Chrome)\/[\d.]+/)?.[0] ?? 'Chromium'}
from Debian, a fresh browser for each run. The portal is the release build on SQLite as
\`make run\` serves it (the end-to-end seed: 300 people), on loopback. Each page was scored ${RUNS}
times, in ${RUNS} rounds over all the pages; each cell is the median with the min-max beside it.
The yardstick is a static page of one heading served by Node in the same rounds: when it misses
${TARGET}, the machine was too busy for the run to judge the portal.

- Date: ${started.toISOString().slice(0, 10)}, ${Math.round((Date.now() - started.getTime()) / 60_000)} minutes
- Machine: ${cpus().length} cores (${cpus()[0].model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB (${Math.round(freemem() / 2 ** 30)} GiB free at the end); Node ${process.version}
- Load: 1-minute load average at the start of each run ${spread(all.map((r) => r.load), 2)};
  Lighthouse's CPU benchmark index ${spread(all.map((r) => r.benchmarkIndex))}
- Target: a performance score of ${TARGET} on every citizen page (median of the runs)

| ${header.join(' | ')} |
| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |
${rows.join('\n')}

Citizen pages at the target: ${met} of ${citizen.length}. The yardstick's median: ${yardstickMedian}${yardstickMedian < TARGET ? ' (the machine was too busy: run again on a quiet machine)' : ''}.

Weighted performance audits that did not pass:

${misses.length ? misses.join('\n') : '- none'}
`;
  writeFileSync(REPORT, report);
  console.log(report);
});
