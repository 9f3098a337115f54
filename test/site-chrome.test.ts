/**
 * Other sites' page chrome (issue 12 item 9) through whole builds: each site's template learned from its own dumps,
 * incrementally and deterministically; states that change when it is learned reach the store and the feeds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import Database from 'better-sqlite3';
import { build } from '../src/stages/cycle.js';
import { resolveConfig } from '../src/config.js';
import { silentLogger } from './helpers/log.js';
import { stateNotice } from '../src/feeds/notices.js';
import { MIN_DUMPS } from '../src/dumps/templates.js';
import { closeStore, openStore, SCHEMA_VERSION } from '../src/store/db.js';
import { Store } from '../src/store/store.js';
import { ingestDumps } from '../src/stages/dumps/stage.js';
import { inProcess } from '../src/work/pool.js';
import type { Config, InputProblem } from '../src/types.js';
import { dump, tempDir, writeFile } from './helpers/tmp.js';
import { readFeed } from './helpers/feeds.js';
import { ARTICLES, escapedWechatUrl, RELAYED_CAPTCHA, relayDump, siteDump, wallDump } from './helpers/site-chrome.js';

const NOW = Date.UTC(2025, 9, 5, 4);
const BIZ = 'MzI2NzI2OTExNA=='; // 3267269114
const SN_CAPTCHA = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const SN_JOINED = 'beef0000beef0000beef0000beef0000';
const WECHAT_SHELL = '：\n，\n。\n\n视频\n小程序\n赞\n，轻点两下取消赞\n在看\n，轻点两下取消在看';

let t: { dir: string; cleanup: () => void };

function configFor(dir: string, name = ''): Config {
  return resolveConfig(
    {
      baseUrl: 'http://feeds.example.test/',
      dumps: ['dumps'],
      output: `out${name}`,
      store: `data/wxfeed${name}.db`,
    },
    join(dir, 'wxfeed.yaml'),
    dir,
  );
}

/** Every file of the corpus, by path under dumps/. */
function corpus(): Map<string, string> {
  const files = new Map<string, string>();
  for (let n = 0; n < 6; n++) files.set(`site/story-${n}.md`, siteDump(n));
  for (let n = 0; n < 5; n++) files.set(`social/post-${n}.md`, wallDump(n));
  for (let n = 0; n < 5; n++) files.set(`relay/r-${n}.md`, relayDump(n));
  files.set(
    'relay/r-captcha.md',
    relayDump(20, {
      article: RELAYED_CAPTCHA,
      excerpt: '环境异常 当前环境异常，完成验证后即可继续访问。 去验证',
      original: escapedWechatUrl(BIZ, 2247500001, SN_CAPTCHA),
      title: '一个登录接口引发的信息泄露',
    }),
  );
  files.set(
    'relay/r-joined.md',
    relayDump(21, { original: escapedWechatUrl(BIZ, 2247500002, SN_JOINED), title: '供应链攻击复盘（原文）' }),
  );
  // The account's own copy of the joined article: only the page shell.
  files.set(
    'wechat/joined.md',
    dump(
      {
        title: '供应链攻击复盘（原文）',
        url: `https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247500002&idx=1&sn=${SN_JOINED}&chksm=99&scene=58#rd`,
        source: '小米安全中心',
        date: '2024-07-30',
      },
      `# 供应链攻击复盘（原文）\n\n${WECHAT_SHELL}`,
    ),
  );
  return files;
}

function write(dir: string, files: Map<string, string>): void {
  for (const [path, text] of files) writeFile(join(dir, 'dumps', path), text);
}

interface JsonItem {
  id: string;
  url: string;
  title: string;
  summary: string;
  content_html: string;
}

/** Each feed of an output folder by title: its items. */
function feeds(out: string): Map<string, JsonItem[]> {
  const byTitle = new Map<string, JsonItem[]>();
  for (const slug of readdirSync(out)) {
    if (slug === 'all') continue;
    try {
      const feed = JSON.parse(readFileSync(join(out, slug, 'feed.json'), 'utf8'));
      byTitle.set(feed.title, feed.items);
    } catch {
      // not a feed folder
    }
  }
  return byTitle;
}

/**
 * What a reader gets of each feed of an output folder, by path, as real parsers read it back: each item's id, link,
 * title, summary and content, in order. Not the times: an article's shown time depends, by design, on the build it
 * first came in and on the articles of its day that came or went since (feeds/times.ts), not on templates.
 */
function feedFiles(out: string): Map<string, unknown> {
  const files = new Map<string, unknown>();
  for (const slug of readdirSync(out).sort()) {
    let json: { items: Array<Record<string, unknown>> };
    try {
      json = JSON.parse(readFileSync(join(out, slug, 'feed.json'), 'utf8'));
    } catch {
      continue; // not a feed folder
    }
    files.set(
      `${slug}/feed.json`,
      json.items.map(({ id, url, title, summary, content_html }) => ({ id, url, title, summary, content_html })),
    );
    for (const f of ['atom.xml', 'rss.xml']) {
      const feed = readFeed(readFileSync(join(out, slug, f), 'utf8'));
      files.set(
        `${slug}/${f}`,
        feed.items.map((i) => ({
          id: i.id,
          url: i.url,
          title: i.title,
          description: i.description,
          content: i.content,
        })),
      );
    }
  }
  return files;
}

/** The folder of the feed with this title. */
function slugOf(out: string, title: string): string {
  for (const slug of readdirSync(out)) {
    try {
      if (JSON.parse(readFileSync(join(out, slug, 'feed.json'), 'utf8')).title === title) return slug;
    } catch {
      // not a feed folder
    }
  }
  throw new Error(`no feed titled ${title} in ${out}`);
}

/** A seeded shuffle (the order files arrive in). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function storeRows<T>(config: Config, sql: string): T[] {
  const db = new Database(config.store, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

function states(config: Config): Record<string, string> {
  const db = new Database(config.store, { readonly: true });
  try {
    const rows = db.prepare('SELECT key, state FROM articles').all() as Array<{ key: string; state: string }>;
    return Object.fromEntries(rows.map((r) => [r.key, r.state]));
  } finally {
    db.close();
  }
}

const run = (config: Config) => build(config, { log: silentLogger, now: () => NOW });

beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

describe('other sites’ page chrome, learned from each site’s own dumps', () => {
  it('a cold build: items open with the article; a wall is a shell, a relayed captcha a captcha, a named WeChat original one article', async () => {
    write(t.dir, corpus());
    const config = configFor(t.dir);
    await run(config);
    const all = feeds(config.output);

    const site = all.get('Example Security News')!;
    expect(site).toHaveLength(6);
    for (const item of site) {
      const n = Number(/story-(\d+)/.exec(item.url)![1]) - 1;
      // The byline right above the article stays with it; the page's title repeated above that goes.
      expect(item.summary).toMatch(/^Posted on July \d+, 2024 by (alice|bob|carol) /);
      expect(item.summary).toContain(ARTICLES[n]!.split(/[\n.]/)[0]!.slice(0, 60));
      for (const chrome of ['Subscribe to our newsletter', 'Popular this week', 'All rights reserved', 'Share this'])
        expect(item.content_html).not.toContain(chrome);
      // The navigation's and the footer's relative links went with them (the byline's own stays, made absolute).
      expect(item.content_html.match(/href="https:\/\/news\.example\/[^"]*"/g)).toEqual([
        expect.stringMatching(/^href="https:\/\/news\.example\/author\//),
      ]);
    }

    const walls = all.get('Example Social @someone')!;
    expect(walls).toHaveLength(5);
    for (const item of walls) {
      expect(item.content_html).not.toContain('JavaScript');
      expect(item.summary).toBe(stateNotice('shell'));
    }

    const relay = all.get('中转站 - 安全文摘')!;
    expect(relay).toHaveLength(7);
    for (const item of relay)
      for (const chrome of ['我的收藏', '夜间模式', '阅读量']) expect(item.summary).not.toContain(chrome);
    const captcha = relay.find((i) => i.title === '一个登录接口引发的信息泄露')!;
    expect(captcha.url).toBe(`https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247500001&idx=1&sn=${SN_CAPTCHA}`);
    expect(captcha.summary).toBe(stateNotice('captcha'));

    // The aggregator's copy and the account's shell are one article: in both feeds, with the aggregator's text.
    const joinedUrl = `https://mp.weixin.qq.com/s?__biz=${BIZ}&mid=2247500002&idx=1&sn=${SN_JOINED}`;
    const inRelay = relay.find((i) => i.url === joinedUrl)!;
    const inAccount = all.get('小米安全中心')!.find((i) => i.url === joinedUrl)!;
    expect(inAccount.content_html).toBe(inRelay.content_html);
    expect(inAccount.summary.startsWith(ARTICLES[(21 + 3) % ARTICLES.length]!.slice(0, 30))).toBe(true);
    expect(inAccount.content_html).not.toContain('夜间模式');

    expect(states(config)).toMatchObject({ [`sn:${SN_CAPTCHA}`]: 'captcha', [`sn:${SN_JOINED}`]: 'full' });
    const s = await run(config);
    expect(s.filesRead).toBe(0);
    expect(s.filesWritten).toEqual([]);
  });

  it('a cold build reads with every source already marked: the sources a changed template would mark, none left', async () => {
    write(t.dir, corpus());
    const config = configFor(t.dir);
    const store = new Store(openStore(config.store));
    try {
      const problems: InputProblem[] = [];
      const got = await ingestDumps(config, store, problems, {
        roots: config.dumps,
        runner: () => inProcess,
        now: NOW,
      });
      expect(got.templates.changed).toBeGreaterThanOrEqual(3);
      expect(store.templates.learnedCount()).toBeGreaterThanOrEqual(3);
      // What learning skipped (templates.markSourcesOf for each changed site) would have marked nothing new.
      const db = store.db;
      const unmarked = db
        .prepare(`SELECT DISTINCT o2.source FROM dump_blocks b JOIN observations o1 ON o1.origin = 'file:' || b.path
          JOIN observations o2 ON o2.key = o1.key WHERE o2.source NOT IN (SELECT source FROM dirty_sources)`)
        .pluck()
        .all();
      expect(unmarked).toEqual([]);
      // The account whose one article is the aggregator's copy is among those marked.
      expect(store.pending.dirtySources()).toContain('小米安全中心');
    } finally {
      closeStore(store.db, false);
    }
  });

  it('a first build stopped between reading and learning is finished by the next, as one cold build makes it', async () => {
    write(t.dir, corpus());
    const config = configFor(t.dir);
    const store = new Store(openStore(config.store));
    const stop = new AbortController();
    try {
      const reading = ingestDumps(config, store, [], {
        roots: config.dumps,
        runner: () => inProcess,
        now: NOW,
        signal: stop.signal,
        // Every file read and filed: stopped before learning starts.
        progress: (done, total) => {
          if (done === total) stop.abort();
        },
      });
      await expect(reading).rejects.toThrow();
      expect(store.templates.learnedCount()).toBe(0);
      // The sites had no template: their dumps are filed as looked at (read as those sites read them, without one).
      const rows = store.db.prepare('SELECT COUNT(*) AS n, SUM(pending) AS pending FROM dump_blocks').get() as {
        n: number;
        pending: number;
      };
      expect(rows.n).toBeGreaterThan(10);
      expect(rows.pending).toBe(0);
    } finally {
      closeStore(store.db, false);
    }
    const s = await run(config);
    expect(s.filesRead).toBe(0);
    const cold = configFor(t.dir, '-cold');
    await run(cold);
    expect(feedFiles(config.output)).toEqual(feedFiles(cold.output));
    expect(states(config)).toEqual(states(cold));
    const blocks = (c: Config) => {
      const db = new Database(c.store, { readonly: true });
      try {
        return db.prepare('SELECT path, grp, decided, pending FROM dump_blocks ORDER BY path').all();
      } finally {
        db.close();
      }
    };
    expect(blocks(config)).toEqual(blocks(cold));
  });

  it('is incremental and deterministic: dumps added build by build give the bytes a cold build gives', async () => {
    const files = [...corpus()];
    // First a few dumps of each site: below MIN_DUMPS a site keeps its pages whole (the wall reads as text), and the
    // aggregator's copy of the WeChat article is shown whole in the account's feed too.
    const firstOf = (p: string) =>
      p.startsWith('wechat/') ||
      p === 'relay/r-joined.md' ||
      ['site/story-', 'social/post-'].some((s) => p.startsWith(s) && Number(/-(\d)\.md$/.exec(p)![1]) < MIN_DUMPS - 1);
    write(t.dir, new Map(files.filter(([p]) => firstOf(p))));
    const config = configFor(t.dir);
    await run(config);
    expect(feeds(config.output).get('Example Social @someone')![0]!.summary).toContain('JavaScript');
    expect(feeds(config.output).get('小米安全中心')![0]!.content_html).toContain('夜间模式');
    // One more wall: the site's template is learned, every wall becomes a shell, and its feed is written again.
    write(t.dir, new Map(files.filter(([p]) => p === `social/post-${MIN_DUMPS - 1}.md`)));
    const s = await run(config);
    expect(s.filesRead).toBe(1);
    expect(s.filesWritten.some((f) => f.includes('example-social-someone'))).toBe(true);
    for (const item of feeds(config.output).get('Example Social @someone')!)
      expect(item.summary).toBe(stateNotice('shell'));
    // The rest, one file per build: when the aggregator's template is learned, the account's feed, which shows the
    // aggregator's copy, is written again without it.
    for (const [path, text] of files.filter(([p]) => !firstOf(p) && p !== `social/post-${MIN_DUMPS - 1}.md`)) {
      write(t.dir, new Map([[path, text]]));
      await run(config);
    }
    expect(feeds(config.output).get('小米安全中心')![0]!.content_html).not.toContain('夜间模式');
    // The same files read in one cold build, into another store and output: the same feeds, byte for byte.
    const cold = configFor(t.dir, '-cold');
    await run(cold);
    expect(feedFiles(config.output)).toEqual(feedFiles(cold.output));
    expect(states(config)).toEqual(states(cold));
  });

  it('a site that falls below MIN_DUMPS dumps loses its template: its pages are whole again, as a cold build reads them', async () => {
    write(t.dir, corpus());
    const config = configFor(t.dir);
    await run(config);
    for (let n = MIN_DUMPS - 1; n < 5; n++) unlinkSync(join(t.dir, 'dumps', `social/post-${n}.md`));
    const s = await run(config);
    expect(s.filesRemoved).toBe(5 - (MIN_DUMPS - 1));
    const walls = feeds(config.output).get('Example Social @someone')!;
    expect(walls).toHaveLength(MIN_DUMPS - 1);
    for (const item of walls) expect(item.summary).toContain('JavaScript');
    const cold = configFor(t.dir, '-cold');
    await run(cold);
    expect(feedFiles(config.output)).toEqual(feedFiles(cold.output));
  });

  it('a store from before templates (schema 5) reads other sites’ dumps once more, and learns', async () => {
    write(t.dir, corpus());
    const config = configFor(t.dir);
    await run(config);
    const db = new Database(config.store);
    expect(SCHEMA_VERSION).toBe(7);
    // Schema 5: no template tables, and none of what schema 7 added (issue 20: lists' activity, account names).
    db.exec(`DROP TABLE dump_blocks; DROP TABLE template_groups; DROP TABLE accounts;
      ALTER TABLE albums DROP COLUMN kind; ALTER TABLE albums DROP COLUMN found_at;
      ALTER TABLE albums DROP COLUMN failing_since; ALTER TABLE albums DROP COLUMN walk_cursor;
      ALTER TABLE albums DROP COLUMN poll_soon; PRAGMA user_version = 5;
      UPDATE observations SET key = 'url:https://relay.example/go-200021.html' WHERE origin LIKE '%r-joined.md'`);
    db.close();
    rmSync(config.output, { recursive: true });
    const s = await run(config);
    // Every dump keyed by its own web address is read again (the WeChat dumps are not): the site's, the walls, the
    // aggregator's, and its copy that the old store knew by its address.
    expect(s.filesRead).toBe(6 + 5 + 5 + 1);
    const again = configFor(t.dir, '-cold');
    await run(again);
    expect(feedFiles(config.output)).toEqual(feedFiles(again.output));
  });

  it('a new dump of one site learns that site again and rewrites only its feeds; a build with no change learns nothing', async () => {
    write(t.dir, corpus());
    const config = configFor(t.dir);
    const first = await run(config);
    expect(first.templates).toEqual({ sites: 3, changed: 3, reread: 6 }); // the site, the walls, the aggregator; 5 walls and the captcha
    const idle = await run(config);
    expect(idle.filesRead).toBe(0);
    expect(idle.templates).toEqual({ sites: 0, changed: 0, reread: 0 });
    expect(idle.filesWritten).toEqual([]);

    write(t.dir, new Map([['site/story-6.md', siteDump(6)]]));
    const s = await run(config);
    expect(s.filesRead).toBe(1);
    // Its site only is learned again; the template is the same, so no dump of it is read again.
    expect(s.templates).toEqual({ sites: 1, changed: 0, reread: 0 });
    const site = slugOf(config.output, 'Example Security News');
    const written = new Set(s.filesWritten.map((f) => relative(config.output, f).split(sep)[0]));
    for (const w of written) expect(['all', 'feeds.opml', 'index.html', site]).toContain(w);
    expect(written.has(site)).toBe(true);
    const item = feeds(config.output)
      .get('Example Security News')!
      .find((i) => i.url.includes('story-7'))!;
    expect(item.summary).toMatch(/^Posted on July \d+, 2024 by /);
    expect(item.content_html).not.toContain('Subscribe to our newsletter');
  });

  it('a rendering kept from before a site’s template was learned is not served after it (the key names the template)', async () => {
    for (let n = 0; n < MIN_DUMPS - 1; n++) writeFile(join(t.dir, 'dumps', `site/story-${n}.md`), siteDump(n));
    const config = configFor(t.dir);
    await run(config);
    const before = feeds(config.output).get('Example Security News')!;
    expect(before.every((i) => i.content_html.includes('Subscribe to our newsletter'))).toBe(true);
    const keys = () => storeRows<{ key: string }>(config, 'SELECT key FROM rendered ORDER BY key').map((r) => r.key);
    expect(keys().every((k) => /^\d+\/none:/.test(k))).toBe(true);
    // One more dump: the template is learned, and every item, those rendered before included, loses the chrome.
    writeFile(join(t.dir, 'dumps', `site/story-${MIN_DUMPS - 1}.md`), siteDump(MIN_DUMPS - 1));
    const s = await run(config);
    expect(s.templates).toMatchObject({ sites: 1, changed: 1 });
    const after = feeds(config.output).get('Example Security News')!;
    expect(after).toHaveLength(MIN_DUMPS);
    for (const item of after) {
      expect(item.content_html).not.toContain('Subscribe to our newsletter');
      expect(item.content_html).not.toContain('All rights reserved');
    }
    const template = storeRows<{ template: string }>(
      config,
      "SELECT template FROM template_groups WHERE template != ''",
    )[0]!.template;
    expect(keys().filter((k) => k.includes(`/${template}:`))).toHaveLength(MIN_DUMPS);
  });

  it('gives the same feeds whatever the order and the builds the files came in', async () => {
    const files = [...corpus()];
    write(t.dir, new Map(files));
    const cold = configFor(t.dir, '-cold');
    await run(cold);
    for (const seed of [1, 2]) {
      const dir = join(t.dir, `order-${seed}`);
      const order = shuffled(files, seed);
      write(dir, new Map(order.slice(0, 4)));
      const config = configFor(dir);
      await run(config);
      for (let i = 4; i < order.length; i += 4) {
        write(dir, new Map(order.slice(i, i + 4)));
        await run(config);
      }
      expect(feedFiles(config.output)).toEqual(feedFiles(cold.output));
      expect(states(config)).toEqual(states(cold));
    }
  });

  it('a build killed while it learns loses nothing: the next one, with no file changed, finishes the learning', async () => {
    write(t.dir, corpus());
    const config = configFor(t.dir);
    const abort = new AbortController();
    // Stop the build as the last file is read: what learning was to do is left undone.
    const killed = build(config, {
      log: silentLogger,
      now: () => NOW,
      signal: abort.signal,
      progress: (done, total, unit) => {
        if (unit === 'files' && done === total) abort.abort();
      },
    });
    await expect(killed).rejects.toThrow();
    const stale = storeRows<{ n: number }>(config, 'SELECT COUNT(*) AS n FROM template_groups WHERE stale = 1');
    expect(stale[0]!.n).toBeGreaterThan(0);
    const s = await run(config);
    expect(s.filesRead).toBe(0);
    expect(s.templates!.sites).toBeGreaterThan(0);
    const cold = configFor(t.dir, '-cold');
    await run(cold);
    expect(feedFiles(config.output)).toEqual(feedFiles(cold.output));
    expect(states(config)).toEqual(states(cold));
    expect((await run(config)).templates).toEqual({ sites: 0, changed: 0, reread: 0 });
  });
});
