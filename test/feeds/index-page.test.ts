/**
 * The index page as a pure function: plurals and texts in both languages, hostile titles and links, the script and
 * style allowed by hash and nothing loaded from anywhere, dates that never break, live fetch states, albums, and the
 * order without JavaScript.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { indexPace, liveState, liveStates } from '../../src/feeds/dashboard-data.js';
import { messages } from '../../src/feeds/messages.js';
import { type IndexEntry, type IndexPage, renderIndex, scriptJson } from '../../src/feeds/index-page.js';
import type { FetchHistoryRow } from '../../src/types.js';

const BASE = 'http://feeds.example.test/wx/';
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 6, 20, 4); // 2024-07-20 12:00 in Beijing

const entry = (slug: string, title: string, extra: Partial<IndexEntry> = {}): IndexEntry => ({
  slug,
  title,
  items: 2,
  base: `${BASE}${slug}/`,
  ...extra,
});

function page(extra: Partial<IndexPage> = {}): IndexPage {
  return {
    title: '订阅',
    baseUrl: BASE,
    all: entry('all', 'All accounts', { items: 3 }),
    entries: [
      entry('a', '甲号', { newestTitle: '甲的文章', newestLink: 'https://mp.weixin.qq.com/s/a', newestDate: T0 }),
    ],
    latest: [{ title: '甲的文章', link: 'https://mp.weixin.qq.com/s/a', date: T0, feed: { slug: 'a', title: '甲号' } }],
    ...extra,
  };
}

/** The text of the page as a reader sees it, roughly: tags dropped, entities kept. */
const feedIds = (html: string) => [...html.matchAll(/<li class="feed" id="([^"]+)"/g)].map((m) => m[1]);

describe('texts and plurals', () => {
  it('counts in English take the singular for one and group thousands', () => {
    const en = messages('en').index;
    expect(en.articles(1)).toBe('1 article');
    expect(en.articles(0)).toBe('0 articles');
    expect(en.articles(2)).toBe('2 articles');
    expect(en.articles(134686)).toBe('134,686 articles');
    expect(en.feeds(1)).toBe('1 feed');
    expect(en.feeds(697)).toBe('697 feeds');
    expect(en.latestHeading(50)).toBe('The 50 newest articles');
  });

  it('counts in Chinese use the measure word, one form for every number', () => {
    const zh = messages('zh-CN').index;
    expect(zh.articles(1)).toBe('1 篇文章');
    expect(zh.articles(2)).toBe('2 篇文章');
    expect(zh.feeds(1)).toBe('1 个订阅源');
    expect(zh.latestHeading(50)).toBe('最新 50 篇文章');
  });

  it('zh-CN is the default; en writes every text of the page in English', () => {
    const zh = renderIndex(page({ entries: [entry('a', '甲号', { items: 1 })] }));
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('<span class="count">1 篇文章</span>');
    expect(zh).toContain('placeholder="按名称搜索公众号和合集"');
    expect(zh).not.toMatch(/\b1 articles?\b/);
    const en = renderIndex(page({ language: 'en', entries: [entry('a', '甲号', { items: 1 })] }));
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('<span class="count">1 article</span>');
    expect(en).toContain('<span class="count">3 articles</span>');
    expect(en).toContain('1 feed · 3 articles');
    expect(en).toContain('placeholder="Search accounts and albums by name"');
    expect(en).toContain('"shown":"{n} of {total} feeds"');
    // No Chinese text of ours is left in the English page (the feed's own name is).
    const ours = en.replaceAll('甲号', '').replaceAll('甲的文章', '').replaceAll('订阅', '');
    expect(ours).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('hostile data', () => {
  const evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
  const html = renderIndex(
    page({
      title: evil,
      all: entry('all', evil, { newestTitle: evil, newestLink: 'javascript:alert(3)' }),
      entries: [
        entry('x', evil, {
          newestTitle: evil,
          newestLink: 'javascript:alert(4)',
          newestDate: T0,
          live: { kind: 'failing', since: T0, at: T0, reason: evil },
        }),
        entry('y', 'ok', { newestTitle: 'data', newestLink: ' data:text/html,<script>alert(5)</script>' }),
      ],
      latest: [
        { title: evil, link: 'javascript:alert(6)', date: T0, feed: { slug: 'x', title: evil } },
        { title: 'urn', link: 'urn:wxfeed:hash:abc', date: T0 },
      ],
    }),
  );

  it('is escaped everywhere: no tag, attribute or script of its own reaches the page', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('alert(1)</script>');
    expect(html).not.toMatch(/<script>alert/);
    // Two scripts of ours and the JSON block, nothing more.
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html).toContain(
      '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&apos;&amp;',
    );
  });

  it('links only to http(s): javascript:, data: and urn: titles are shown as text', () => {
    expect(html).not.toMatch(/href="\s*(javascript:|data:(?!,")|urn:)/i);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    for (const h of hrefs) expect(h, h).toMatch(/^(https?:\/\/|#|data:,$)/);
    expect(html).toContain('<span>urn</span>');
  });

  it('JSON for the script cannot end its element or open markup', () => {
    const json = scriptJson({ t: '</script><!-- <script> & \u2028' });
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual({ t: '</script><!-- <script> & \u2028' });
  });
});

describe('the page loads nothing and runs only its own code', () => {
  const html = renderIndex(page());
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
  const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

  it('its Content-Security-Policy allows exactly its inline style and scripts, by hash', () => {
    expect(csp).toMatch(/^default-src 'none'; /);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`style-src ${hash(style)};`);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2);
    expect(csp).toContain(`script-src ${scripts.map(hash).join(' ')};`);
    expect(csp).not.toContain('unsafe');
  });

  it('refers to no outside resource: no src, stylesheet, import or url()', () => {
    expect(html).not.toMatch(/\ssrc=/);
    expect(html).not.toMatch(/rel="(stylesheet|preload|prefetch|preconnect)"/);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain('<link rel="icon" href="data:,">');
  });
});

describe('layout rules', () => {
  it('every date is a <time>, and times never wrap', () => {
    const html = renderIndex(page());
    expect(html).toMatch(/time,[^{]*\{white-space:nowrap\}/);
    const text = html.replace(/<time[^>]*>[^<]*<\/time>/g, '').replace(/datetime="[^"]*"/g, '');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('lists feeds newest first without JavaScript, ties by slug, feeds with no article last', () => {
    const html = renderIndex(
      page({
        entries: [
          entry('b', 'B', { newestTitle: 't', newestDate: T0 }),
          entry('c', 'C'),
          entry('a', 'A', { newestTitle: 't', newestDate: T0 }),
          entry('d', 'D', { newestTitle: 't', newestDate: T0 + DAY }),
        ],
      }),
    );
    expect(feedIds(html)).toEqual(['d', 'a', 'b', 'c']);
    expect(html).toContain('<li class="feed" id="a" data-date="1721448000000" data-count="2">');
  });

  it('shows the subscribe links of every feed and of everything, with OPML and a copy button', () => {
    const html = renderIndex(page());
    for (const slug of ['all', 'a'])
      for (const f of ['atom.xml', 'rss.xml', 'feed.json']) expect(html).toContain(`href="${BASE}${slug}/${f}"`);
    expect(html).toContain(`<a href="${BASE}feeds.opml">OPML</a>`);
    // The copy buttons are the script's: without it they could do nothing.
    expect(html).not.toContain('<button');
    expect(html).toContain('"copy":"复制链接","copyTitle":"复制 Atom 订阅地址"');
    expect(html).toContain(`<link rel="alternate" type="application/atom+xml" title="甲号" href="${BASE}a/atom.xml">`);
  });

  it('an album shows its badge and its last poll, or that it was not polled yet', () => {
    const html = renderIndex(
      page({
        language: 'en',
        entries: [
          entry('al', 'Album one', { kind: 'album', lastPoll: T0 }),
          entry('an', 'Album new', { kind: 'album', lastPoll: null }),
        ],
      }),
    );
    expect(html.match(/<span class="badge">album<\/span>/g)).toHaveLength(2);
    expect(html).toContain(
      '<span class="st poll">last poll <time datetime="2024-07-20T12:00:00+08:00">2024-07-20 12:00</time></span>',
    );
    expect(html).toContain('<span class="st poll">not polled yet</span>');
  });
});

describe('live fetching', () => {
  const row = (source: string, url: string, at: number, result: FetchHistoryRow['result']): FetchHistoryRow => ({
    source,
    url,
    at,
    result,
    reason: result === 'error' ? 'HTTP 503' : null,
  });

  it('ok when the latest fetch went through; failing since the first failure after the last success', () => {
    expect(liveState([], undefined, T0)).toBeUndefined();
    expect(liveState([row('s', 'u1', T0 - 10, 'error'), row('s', 'u2', T0, 'ok')], undefined, T0)).toEqual({
      kind: 'ok',
      at: T0,
    });
    const failing = liveState(
      [
        row('s', 'u0', T0 - 5 * DAY, 'error'), // before the last success: not this streak
        row('s', 'u1', T0 - 3 * DAY, 'deleted'), // a page read: a success
        row('s', 'u2', T0 - 2 * DAY, 'error'),
        row('s', 'u3', T0 - DAY, 'captcha'),
        row('s', 'u4', T0, 'error'),
      ],
      undefined,
      T0,
    );
    expect(failing).toEqual({ kind: 'failing', since: T0 - 2 * DAY, at: T0, reason: 'HTTP 503' });
  });

  it('a cool-down in force covers every feed that fetches, and keeps the state to show after it', () => {
    const cooldown = { until: T0 + 3600_000, level: 1, reason: 'captcha' as const };
    const states = liveStates(
      [row('甲', 'u1', T0, 'ok'), row('乙', 'u2', T0, 'captcha')],
      { a: ['甲'], b: ['乙'], c: ['丙'] },
      cooldown,
      T0,
    );
    expect(states.get('a')).toEqual({ kind: 'cooldown', until: T0 + 3600_000, after: { kind: 'ok', at: T0 } });
    expect(states.get('b')).toMatchObject({ kind: 'cooldown', after: { kind: 'failing', since: T0 } });
    expect(states.has('c')).toBe(false);
    // Over: no cool-down.
    expect(liveStates([row('甲', 'u1', T0, 'ok')], { a: ['甲'] }, cooldown, T0 + 2 * 3600_000).get('a')?.kind).toBe(
      'ok',
    );
  });

  it('renders each state with its time, the cool-down with the state after it for the script', () => {
    const html = renderIndex(
      page({
        entries: [
          entry('ok', 'OK', { live: { kind: 'ok', at: T0 } }),
          entry('f', 'F', { live: { kind: 'failing', since: T0 - DAY, at: T0, reason: 'HTTP 404' } }),
          entry('c', 'C', { live: { kind: 'cooldown', until: T0 + 3600_000, after: { kind: 'ok', at: T0 } } }),
        ],
        cooldown: { until: T0 + 3600_000, level: 1, reason: 'captcha' },
      }),
    );
    expect(html).toContain(
      '<span class="st ok">抓取正常 · <time datetime="2024-07-20T12:00:00+08:00">2024-07-20 12:00</time></span>',
    );
    expect(html).toContain(
      '<span class="st fail" title="HTTP 404">自 <time datetime="2024-07-19T12:00:00+08:00">2024-07-19 12:00</time> 起抓取失败</span>',
    );
    expect(html).toContain(
      `<span class="st cool" data-until="${T0 + 3600_000}" data-after="抓取正常 · 2024-07-20 12:00" data-after-kind="ok">冷却中，13:00 恢复</span>`,
    );
    expect(html).toContain(
      `<p class="banner" role="status" data-until="${T0 + 3600_000}">遇到验证码或限流，实时抓取暂停到 2024-07-20 13:00。</p>`,
    );
    const en = renderIndex(
      page({ language: 'en', cooldown: { until: T0 + 3600_000, level: 2, reason: 'unreachable' } }),
    );
    expect(en).toContain('WeChat could not be reached: live fetching is paused until 2024-07-20 13:00.');
  });
});

describe('the request pace', () => {
  it('shown to one decimal while slowed; not when it rounds to the configured pace or there is no delay', () => {
    expect(indexPace({ multiplier: 2, delayMs: 3000 })).toEqual({ seconds: '3.0', multiplier: '2' });
    expect(indexPace({ multiplier: 2 / 1.1, delayMs: 1500 * (2 / 1.1) })).toEqual({
      seconds: '2.7',
      multiplier: '1.8',
    });
    expect(indexPace({ multiplier: 16, delayMs: 24_000 })).toEqual({ seconds: '24.0', multiplier: '16' });
    expect(indexPace({ multiplier: 1.06, delayMs: 1590 })).toEqual({ seconds: '1.6', multiplier: '1.1' });
    expect(indexPace({ multiplier: 1.04, delayMs: 1560 })).toBeUndefined();
    expect(indexPace({ multiplier: 1, delayMs: 1500 })).toBeUndefined();
    expect(indexPace({ multiplier: 4, delayMs: 0 })).toBeUndefined();
    expect(indexPace({ multiplier: Number.NaN, delayMs: 1500 })).toBeUndefined();
  });

  it('one line after the banner, in the feed language; none without a slowed pace', () => {
    const pace = { seconds: '3.0', multiplier: '2' };
    const cooldown = { until: T0 + 3600_000, reason: 'refused' as const };
    const zh = renderIndex(page({ cooldown, pace }));
    expect(zh).toContain(
      `<p class="banner" role="status" data-until="${T0 + 3600_000}">微信拒绝了请求（HTTP 429/403 或频率限制），实时抓取暂停到 2024-07-20 13:00。</p>\n      <p class="pace mute">请求间隔 3.0 秒（已放慢 2×，每小时恢复 10%）</p>`,
    );
    const en = renderIndex(page({ language: 'en', pace: { seconds: '2.7', multiplier: '1.8' } }));
    // Without a cool-down the line stands alone, right after the jump links.
    expect(en).toContain(
      '<a href="#wxFeeds">Feeds</a></p>\n      <p class="pace mute">Request pace: 2.7 s apart (slowed 1.8×, recovering 10 % per hour)</p>',
    );
    expect(en).not.toContain('class="banner"');
    expect(renderIndex(page())).not.toContain('class="pace');
    expect(renderIndex(page({ cooldown }))).not.toContain('class="pace');
  });

  it('a refusal has its own banner in both languages', () => {
    const cooldown = { until: T0 + 3600_000, level: 1, reason: 'refused' as const };
    expect(renderIndex(page({ language: 'en', cooldown }))).toContain(
      `<p class="banner" role="status" data-until="${T0 + 3600_000}">WeChat refused our requests (HTTP 429/403 or frequency control): live fetching is paused until 2024-07-20 13:00.</p>`,
    );
    expect(messages('zh-CN').index.pausedRefused('2024-07-20 13:00')).toBe(
      '微信拒绝了请求（HTTP 429/403 或频率限制），实时抓取暂停到 2024-07-20 13:00。',
    );
  });
});
