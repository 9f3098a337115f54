/**
 * The index page follows live fetching across builds (issue 12, item 11): a fetch that went through or failed, a
 * captcha's cool-down and its end are on the page after the build that saw them, even when no article changed (then
 * index.html is the only file written), and a build that changes nothing writes nothing. Setting `server.token` or
 * taking it out rewrites the page alone: with the management panel, or with the line that says how to enable it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../../src/stages/cycle.js';
import { resolveConfig } from '../../src/config.js';
import { silentLogger } from '../helpers/log.js';
import { liveFor } from '../../src/commands/live.js';
import type { Config } from '../../src/types.js';
import { type FaultServer, startFaultServer } from '../helpers/fault-server.js';
import { OWN_FIXTURES } from '../helpers/paths.js';
import { tempDir, writeFile } from '../helpers/tmp.js';

const NOW = Date.UTC(2024, 6, 20, 4); // 12:00 in Beijing
const HOUR = 3600_000;
const OK_PATH = '/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000001&idx=1&sn=aaaabbbbccccddddeeeeffff00001111';
const MISSING_PATH = '/s?__biz=MjM5NTU4NjgzMg==&mid=2650001003&idx=1&sn=aaaaaaaa000000000000000000000009';

let srv: FaultServer;
let t: { dir: string; cleanup: () => void };
let config: Config;

beforeAll(async () => {
  srv = await startFaultServer();
  srv.pages.set(OK_PATH, readFileSync(join(OWN_FIXTURES, 'pages', 'article.html'), 'utf8'));
  t = tempDir();
  writeFile(join(t.dir, 'urls.txt'), `https://mp.weixin.qq.com${OK_PATH}\nhttps://mp.weixin.qq.com${MISSING_PATH}\n`);
  config = resolveConfig(
    {
      baseUrl: 'http://feeds.example.test/',
      dumps: [join(OWN_FIXTURES, 'golden', 'dumps')],
      output: 'out',
      store: 'data/wxfeed.db',
      fetch: { origin: srv.origin, delayMs: 0, retries: 0, timeoutMs: 2000, cooldownMinutes: 60 },
    },
    join(t.dir, 'wxfeed.yaml'),
    t.dir,
  );
});
afterAll(async () => {
  await srv.close();
  t.cleanup();
});

const run = (now: number, online: boolean) =>
  build(config, { log: silentLogger, now: () => now, live: liveFor(config, { offline: !online, refetch: false }) });
const index = () => readFileSync(join(config.output, 'index.html'), 'utf8');
/** The feed item of a slug. */
const card = (slug: string) => new RegExp(`<li class="feed" id="${slug}"[\\s\\S]*?</li>`).exec(index())?.[0] ?? '';

describe('index.html and live fetching', () => {
  it('shows each feed fetched as ok or failing since its first failure', async () => {
    await run(NOW, true);
    expect(card('3000000001')).toContain('<span class="st ok">抓取正常 · <time datetime="2024-07-20T12:00:00+08:00">');
    expect(card('2395586832')).toMatch(
      /<span class="st fail" title="HTTP 404">自 <time[^>]*>2024-07-20 12:00<\/time> 起抓取失败/,
    );
    // Dumps only, never fetched: no state.
    expect(card('blog')).not.toContain('class="st');
    expect(index()).not.toContain('class="banner"');
  });

  it('a captcha in a build where no article changed: only index.html is written, with the cool-down', async () => {
    // Every article request from now on answers with a captcha page: the first one stops fetching.
    srv.captchaAfter = 0;
    srv.pages.set('/s', 'any article');
    const s = await run(NOW + 2 * HOUR, true);
    expect(s.fetch?.cooldownUntil).toBe(NOW + 3 * HOUR);
    expect(s.filesWritten).toEqual([join(config.output, 'index.html')]);
    expect(index()).toContain(
      `<p class="banner" role="status" data-until="${NOW + 3 * HOUR}">遇到验证码或限流，实时抓取暂停到 2024-07-20 15:00。</p>`,
    );
    expect(card('3000000001')).toContain(
      `<span class="st cool" data-until="${NOW + 3 * HOUR}" data-after="抓取正常 · 2024-07-20 12:00" data-after-kind="ok">冷却中，15:00 恢复</span>`,
    );
    expect(card('2395586832')).toContain('data-after="自 2024-07-20 12:00 起抓取失败" data-after-kind="fail"');
  });

  it('nothing new, the cool-down still on: nothing is written', async () => {
    const s = await run(NOW + 2 * HOUR + 60_000, false);
    expect(s.filesWritten).toEqual([]);
  });

  it('the cool-down over: the next build, even offline, writes the page without it', async () => {
    const s = await run(NOW + 4 * HOUR, false);
    expect(s.filesWritten).toEqual([join(config.output, 'index.html')]);
    expect(index()).not.toContain('class="banner"');
    expect(index()).not.toContain('class="st cool"');
    expect(card('3000000001')).toContain('<span class="st ok">');
    const again = await run(NOW + 5 * HOUR, false);
    expect(again.filesWritten).toEqual([]);
  });

  it('server.token set, then taken out: the next build writes only the page, with the panel, then with the hint', async () => {
    const plain = config;
    try {
      config = { ...plain, server: { ...plain.server, token: 'index-live-token-0123456789' } };
      const on = await run(NOW + 6 * HOUR, false);
      expect(on.filesWritten).toEqual([join(config.output, 'index.html')]);
      expect(index()).toContain('<section class="card" id="wxManage"');
      expect(index()).not.toContain('<footer');
      // The token itself is never written into the page.
      expect(index()).not.toContain('index-live-token');
      expect((await run(NOW + 6 * HOUR + 60_000, false)).filesWritten).toEqual([]);
    } finally {
      config = plain;
    }
    const off = await run(NOW + 7 * HOUR, false);
    expect(off.filesWritten).toEqual([join(config.output, 'index.html')]);
    expect(index()).not.toContain('wxManage');
    expect(index()).toContain('<footer class="wrap mute"><p>只读页面。');
  });
});
