/**
 * Hostile pages (issue 13, item 1): a page nested 50,000 deep parses (the nesting cut, never recursed), and a page
 * that would take minutes to parse costs its own thread: it is a failed fetch after its budget, while the daemon's
 * server keeps answering within a second and the next pages are read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../src/commands/daemon.js';
import { liveFor } from '../src/commands/live.js';
import { silentLogger } from './helpers/log.js';
import { MAX_DEPTH } from '../src/wechat/depth.js';
import { parseArticlePage } from './helpers/parse-page.js';
import { PageParserThread } from '../src/work/page-parser.js';
import { startFaultServer, type FaultServer } from './helpers/fault-server.js';
import { OWN_FIXTURES } from './helpers/paths.js';
import { dump, tempDir, writeFile } from './helpers/tmp.js';

const BIZ = 'MzAwMDAwMDAwMQ==';
const path = (n: number) => `/s?__biz=${BIZ}&mid=${2650000100 + n}&idx=1&sn=${String(n).padStart(32, 'c')}`;
const head = (n: number, title: string) =>
  `<html><head><meta property="og:title" content="${title}"><script>var biz = "${BIZ}"; var mid = "${2650000100 + n}"; var idx = "1"; var sn = "${String(n).padStart(32, 'c')}"; var ct = "1720761600"; var nickname = "测试账号";</script></head><body><div id="js_content">`;
/** 50,000 nested <div> around one paragraph (0.55 MB). */
const deepDivs = (n: number, depth: number) =>
  `${head(n, '很深的页面')}${'<div>'.repeat(depth)}<p>深处的正文</p>${'</div>'.repeat(depth)}</div></body></html>`;
/** 200,000 unclosed <span><b> (1.8 MB): htmlparser2 takes minutes over it. */
const unclosed = (n: number) => `${head(n, '不闭合的页面')}${'<span><b>'.repeat(200_000)}x</div></body></html>`;

function maxDepth(html: string): number {
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(/<(\/?)(div|p)\b[^>]*>/g)) {
    depth += m[1] ? -1 : 1;
    max = Math.max(max, depth);
  }
  return max;
}

describe('a deeply nested page', () => {
  it('parses: the nesting is cut to a sane depth, the text kept', () => {
    const page = parseArticlePage(deepDivs(1, 50_000), `https://mp.weixin.qq.com${path(1)}`);
    expect(page.state).toBe('ok');
    expect(page.contentHtml).toContain('深处的正文');
    expect(maxDepth(page.contentHtml!)).toBeLessThanOrEqual(MAX_DEPTH);
  });

  it('a real page keeps its whole tree (nothing is cut below the limit)', () => {
    const html = readFileSync(join(OWN_FIXTURES, 'pages', 'article.html'), 'utf8');
    const page = parseArticlePage(
      html,
      'https://mp.weixin.qq.com/s?__biz=x&mid=1&idx=1&sn=aaaabbbbccccddddeeeeffff00001111',
    );
    expect(page.contentHtml).toContain('<p>第一段正文。</p>');
  });
});

describe('the page-parser thread', () => {
  it('a page over its budget is a failed parse, and the thread is replaced for the next page', async () => {
    const parser = new PageParserThread(1500);
    try {
      await expect(parser.parse(unclosed(2), `https://mp.weixin.qq.com${path(2)}`)).rejects.toThrow(
        'page took over 1500 ms to parse',
      );
      const next = await parser.parse(deepDivs(3, 100), `https://mp.weixin.qq.com${path(3)}`);
      expect(next.state).toBe('ok');
      expect(next.title).toBe('很深的页面');
    } finally {
      await parser.close();
    }
  });
});

describe('the daemon during a cycle that meets hostile pages', () => {
  let t: { dir: string; cleanup: () => void };
  let srv: FaultServer;
  let daemon: Daemon | undefined;
  beforeEach(async () => {
    t = tempDir();
    srv = await startFaultServer();
    writeFile(
      join(t.dir, 'dumps/1.md'),
      dump(
        { title: '存档', url: `https://mp.weixin.qq.com${path(9)}`, source: '测试账号', date: '2024-07-01' },
        '正文。',
      ),
    );
  });
  afterEach(async () => {
    await daemon?.stop('test over');
    await srv.close();
    t.cleanup();
  });

  it('answers every feed request within 1 s, reports the page over budget, and reads the others', async () => {
    srv.pages.set(path(4), unclosed(4));
    srv.pages.set(path(5), deepDivs(5, 30_000));
    writeFileSync(
      join(t.dir, 'wxfeed.yaml'),
      `dumps: [dumps]\noutput: out\nstore: data/wxfeed.db\nschedule:\n  cron: "0 0 1 1 *"\nserver:\n  port: 0\nfetch:\n  origin: ${srv.origin}\n  delayMs: 0\n  retries: 0\n  dumps: false\n`,
    );
    daemon = await startDaemon({
      configPath: join(t.dir, 'wxfeed.yaml'),
      log: silentLogger,
      live: (c) => liveFor(c, { offline: false, refetch: false }, 6000),
    });
    const base = `http://127.0.0.1:${daemon.address()!.port}`;
    const idle = async () => {
      while (daemon!.health().body && (daemon!.health().body as { running: boolean }).running)
        await new Promise((r) => setTimeout(r, 50));
    };
    await idle();
    expect((await fetch(`${base}/all/atom.xml`)).status).toBe(200);

    writeFileSync(join(t.dir, 'urls.txt'), `https://mp.weixin.qq.com${path(4)}\nhttps://mp.weixin.qq.com${path(5)}\n`);
    expect(daemon.runNow()).toBe(true);
    const started = Date.now();
    let slowest = 0;
    let answered = 0;
    while ((daemon.health().body as { running: boolean }).running) {
      const t0 = performance.now();
      const r = await fetch(`${base}/all/atom.xml`);
      await r.arrayBuffer();
      slowest = Math.max(slowest, performance.now() - t0);
      expect(r.status).toBe(200);
      answered++;
      await new Promise((r) => setTimeout(r, 100));
      if (Date.now() - started > 60_000) throw new Error('the cycle did not end');
    }
    expect(answered).toBeGreaterThan(5);
    expect(slowest).toBeLessThan(1000);
    const summary = (daemon.health().body as { lastCycle: { summary: unknown } }).lastCycle.summary;
    expect(summary).toMatchObject({ fetch: { fetched: 1, failed: 1 } });
    const failures = (summary as { fetch: { failures: Array<{ where: string; reason: string; detail?: string }> } })
      .fetch.failures;
    expect(failures).toEqual([
      {
        kind: 'page-failed',
        where: `https://mp.weixin.qq.com${path(4)}`,
        reason: 'page parser failure',
        detail: 'page took over 6000 ms to parse',
      },
    ]);
    const feed = readFileSync(join(t.dir, 'out', 'all', 'atom.xml'), 'utf8');
    expect(feed).toContain('很深的页面');
    expect(feed).toContain('深处的正文');
  }, 90_000);
});
