/**
 * The index page (dashboard) of built output folders in Debian's Chromium: its size (plain and gzip), and over
 * several loads the median time to DOMContentLoaded and to first contentful paint, then one search keystroke, clearing
 * it, and each sort, with the style and layout they cause.
 *
 *   npx tsx bench/index-page.ts OUTPUT_DIR [OUTPUT_DIR …] [--runs 5]
 *
 * Each folder is served by wxfeed's own server on 127.0.0.1 (as `wxfeed serve` does, gzip/br included).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createApp, listen } from '../src/server/app.js';
import { launchChromium } from '../test/helpers/browser.js';

interface PageWindow {
  document: {
    getElementById(id: string): { value: string; dispatchEvent(e: unknown): boolean };
    body: { offsetHeight: number };
  };
  performance: {
    now(): number;
    getEntriesByType(type: string): Array<{ domContentLoadedEventEnd: number }>;
    getEntriesByName(name: string): Array<{ startTime: number }>;
  };
  Event: new (type: string) => unknown;
}

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const dir of args) {
  const html = readFileSync(join(dir, 'index.html'));
  const feeds = (html.toString('utf8').match(/<li class="feed"/g) ?? []).length;
  const app = createApp({ output: dir, baseUrl: 'http://localhost/', health: () => ({ ok: true, body: {} }) });
  const base = `http://127.0.0.1:${(await listen(app, '127.0.0.1', 0)).port}/`;
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  const m: Record<string, number[]> = { dcl: [], fcp: [], filter: [], unfilter: [], sortName: [], sortCount: [] };
  for (let i = 0; i < runs + 1; i++) {
    await page.goto(`${base}?run=${i}`);
    const nav = await page.evaluate(() => {
      const { performance } = globalThis as unknown as PageWindow;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        dcl: performance.getEntriesByType('navigation')[0]!.domContentLoadedEventEnd,
        fcp: fcp?.startTime ?? -1,
      };
    });
    const timed = (id: string, type: string, value: string) =>
      page.evaluate(
        ({ id, type, value }) => {
          const { document, performance, Event } = globalThis as unknown as PageWindow;
          const el = document.getElementById(id);
          const t0 = performance.now();
          el.value = value;
          el.dispatchEvent(new Event(type));
          void document.body.offsetHeight;
          return performance.now() - t0;
        },
        { id, type, value },
      );
    const filter = await timed('wxQ', 'input', '安全');
    const unfilter = await timed('wxQ', 'input', '');
    const sortName = await timed('wxSort', 'change', 'name');
    const sortCount = await timed('wxSort', 'change', 'count');
    await timed('wxSort', 'change', 'newest');
    if (i === 0) continue; // the first load warms the browser up
    for (const [k, v] of Object.entries({ ...nav, filter, unfilter, sortName, sortCount })) m[k]!.push(v);
  }
  await browser.close();
  app.close();
  const ms = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(median(v))]));
  console.log(
    `${dir}: ${feeds} feeds, ${(html.length / 1024).toFixed(0)} KiB (${(gzipSync(html).length / 1024).toFixed(0)} KiB gzip); median of ${runs} loads, ms: ${JSON.stringify(ms)}`,
  );
}
