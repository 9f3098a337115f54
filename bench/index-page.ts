/**
 * The index page (dashboard) in Debian's Chromium: its size (plain and gzip), and over several loads the median time
 * to DOMContentLoaded and to first contentful paint, then one search keystroke, clearing it, and each sort, with the
 * style and layout they cause.
 *
 *   npx tsx bench/index-page.ts OUTPUT_DIR [OUTPUT_DIR …] [--runs 5]
 *   npx tsx bench/index-page.ts --feeds 1000 [--runs 5]
 *
 * Each folder is served by wxfeed's own server on 127.0.0.1 (as `wxfeed serve` does, gzip/br included). `--feeds N`
 * renders a page of N feeds (a third of them albums) twice, without `server.token` and with it (the management
 * panel), served gzipped with `api/status` answering 401 as a daemon does before sign-in: the cost of the panel in
 * bytes and first paint, and when its sign-in form shows. `npm run bench` runs `--feeds 1000`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { type IndexEntry, renderIndex } from '../src/feeds/index-page.js';
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
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const runs = Number(option('runs') ?? 5);
const feeds = Number(option('feeds') ?? 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Medians over `runs` loads (after one to warm up) of the page at `url`; `ready`: a selector the script shows. */
async function measure(page: Page, url: string, ready?: string): Promise<Record<string, number>> {
  const m: Record<string, number[]> = { dcl: [], fcp: [], filter: [], unfilter: [], sortName: [], sortCount: [] };
  if (ready) m.ready = [];
  for (let i = 0; i < runs + 1; i++) {
    await page.goto(`${url}?run=${i}`);
    const nav = await page.evaluate(() => {
      const { performance } = globalThis as unknown as PageWindow;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        dcl: performance.getEntriesByType('navigation')[0]!.domContentLoadedEventEnd,
        fcp: fcp?.startTime ?? -1,
      };
    });
    // When the script has asked the server and shown what it answered (the sign-in form), from navigation start.
    const shown = ready
      ? {
          ready: await page
            .waitForSelector(ready, { state: 'visible' })
            .then(() => page.evaluate(() => (globalThis as unknown as PageWindow).performance.now())),
        }
      : {};
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
    for (const [k, v] of Object.entries({ ...nav, ...shown, filter, unfilter, sortName, sortCount })) m[k]!.push(v);
  }
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(median(v))]));
}

const size = (html: Buffer) =>
  `${(html.length / 1024).toFixed(0)} KiB (${(gzipSync(html).length / 1024).toFixed(0)} KiB gzip)`;

/** Built output folders, served by wxfeed's own server. */
async function folders(dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) {
    const html = readFileSync(join(dir, 'index.html'));
    const count = (html.toString('utf8').match(/<li class="feed"/g) ?? []).length;
    const app = createApp({ output: dir, baseUrl: 'http://localhost/', health: () => ({ ok: true, body: {} }) });
    const base = `http://127.0.0.1:${(await listen(app, '127.0.0.1', 0)).port}/`;
    const browser = await launchChromium();
    const ms = await measure(await browser.context.newPage(), base);
    await browser.close();
    app.close();
    console.log(`${dir}: ${count} feeds, ${size(html)}; median of ${runs} loads, ms: ${JSON.stringify(ms)}`);
  }
}

/** N feeds as a build writes them: accounts and albums, each with a newest article; every third an album. */
function entries(base: string, n: number): IndexEntry[] {
  const day = Date.UTC(2026, 10, 1);
  return Array.from({ length: n }, (_, i) => {
    const slug = i % 3 === 2 ? `album-${3_000_000_000 + i}` : String(3_000_000_000 + i);
    return {
      slug,
      title: i % 2 ? `安全研究第${i}号` : `Security Weekly ${i}`,
      items: 1 + (i % 50),
      base: `${base}${slug}/`,
      newestTitle: `第 ${i} 号的最新文章：一个不短的标题`,
      newestLink: `https://mp.weixin.qq.com/s/${i.toString(36).padStart(22, 'x')}`,
      newestDate: day - i * 3_600_000,
      ...(i % 3 === 2
        ? { kind: 'album' as const, lastPoll: day - i * 60_000, nextPoll: day + i * 60_000 }
        : { live: { kind: 'ok' as const, at: day - i * 60_000 } }),
    };
  });
}

/** The page of `n` feeds without and with the management panel. */
async function synthetic(n: number): Promise<void> {
  const pages = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/manage/api/status') {
      res.writeHead(401, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return void res.end('{"error":"unauthorized"}');
    }
    const html = pages.get(path);
    if (!html) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
    res.end(gzipSync(html));
  });
  const origin = `http://127.0.0.1:${(await listen(server, '127.0.0.1', 0)).port}`;
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const results: Record<string, unknown> = {};
    for (const manage of [false, true]) {
      const name = manage ? 'manage' : 'plain';
      const base = `${origin}/${name}/`;
      const html = Buffer.from(
        renderIndex({
          title: 'wxfeed',
          baseUrl: base,
          all: { slug: 'all', title: '全部公众号', items: n * 25, base: `${base}all/` },
          entries: entries(base, n),
          latest: [],
          ...(manage ? { manage: true } : {}),
        }),
      );
      pages.set(`/${name}/`, html);
      const ms = await measure(page, base, manage ? '#wxmIn' : undefined);
      results[name] = { bytes: html.length, gzip: gzipSync(html).length, ms };
      console.log(
        `index page of ${n} feeds, ${manage ? 'with the management panel (server.token set)' : 'read-only (no server.token)'}: ${size(html)}; median of ${runs} loads, ms: ${JSON.stringify(ms)}`,
      );
    }
    const [plain, manage] = [results.plain, results.manage] as Array<{ bytes: number; gzip: number }>;
    console.log(
      `the management panel costs ${((manage!.bytes - plain!.bytes) / 1024).toFixed(1)} KiB (${((manage!.gzip - plain!.gzip) / 1024).toFixed(1)} KiB gzip)`,
    );
  } finally {
    await browser.close();
    server.close();
  }
}

if (feeds > 0) await synthetic(feeds);
await folders(args);
