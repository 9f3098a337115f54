/**
 * A stored article as the feed shows it (feeds/article.ts): summaries and bodies of fetched pages read as text,
 * whatever an earlier version stored (issue 12, item 6).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { toFeedArticle } from '../../src/feeds/article.js';
import { feedItem } from '../../src/feeds/item.js';
import { pageObservation } from '../../src/fetch/observe.js';
import { parseArticlePage } from '../helpers/parse-page.js';
import type { Article } from '../../src/types.js';
import { HAVE_SHARED, REAL_PAGES } from '../helpers/paths.js';
import { observationAsArticle } from '../helpers/articles.js';

const LINK =
  'https://mp.weixin.qq.com/s?__biz=MzI2NDk5NzA0Mw==&mid=2248864730&idx=1&sn=875c3bbeea8cafa2728a9f53c19b49a3';
const article = (over: Partial<Article>): Article => ({
  key: 'sn:875c3bbeea8cafa2728a9f53c19b49a3',
  id: LINK,
  link: LINK,
  title: '标题',
  date: 0,
  datePrecision: 'exact',
  state: 'full',
  summary: '',
  bestOrigin: `page:${LINK}`,
  contentHash: 'h',
  ...over,
});

describe('toFeedArticle: what the store kept of a fetched page, as text', () => {
  it('a description stored with its script escapes: text, on one line in the feed', () => {
    const a = article({ summary: '今年，价格战。\\x0a\\x0a2025年9月 \\x26quot;Talk is Cheap.\\x26quot;' });
    const shown = toFeedArticle(a, '<p>x</p>');
    expect(shown.summary).toBe('今年，价格战。\n\n2025年9月 "Talk is Cheap."');
    expect(feedItem(shown).summary).toBe('今年，价格战。 2025年9月 "Talk is Cheap."');
  });
  it('a voice name stored encoded twice: its text', () => {
    const voice = (name: string) =>
      `<p><audio controls preload="none" src="https://res.wx.qq.com/voice/getvoice?mediaid=M1"></audio> <a href="https://res.wx.qq.com/voice/getvoice?mediaid=M1">${name}</a></p>`;
    expect(toFeedArticle(article({}), voice('【Day&amp;nbsp;15】')).contentHtml).toBe(voice('【Day 15】'));
  });
  it('a dump’s text is never touched: `\\x0a` in an exploit write-up is the text', () => {
    const dump = article({ bestOrigin: 'file:/a.md', summary: 'payload = "\\x0a\\x90"' });
    expect(toFeedArticle(dump, '<p>"\\x0a"</p>')).toMatchObject({
      summary: 'payload = "\\x0a\\x90"',
      contentHtml: '<p>"\\x0a"</p>',
    });
  });
  it('relative links: resolved against the article’s URL; an article known by a hash of its text keeps their text only', () => {
    const body = '<p><a href="/archives">archives</a> <img src="logo.png" alt=""></p>';
    const blog = article({
      key: 'url:https://blog.example.com/p/1',
      link: 'https://blog.example.com/p/1',
      bestOrigin: 'file:/a.md',
    });
    expect(toFeedArticle(blog, body).contentHtml).toBe(
      '<p><a href="https://blog.example.com/archives">archives</a> <img src="https://blog.example.com/p/logo.png" alt=""></p>',
    );
    const hashed = article({
      key: 'hash:abc',
      id: 'urn:wxfeed:hash:abc',
      link: 'urn:wxfeed:hash:abc',
      bestOrigin: 'file:/a.md',
    });
    expect(toFeedArticle(hashed, body).contentHtml).toBe('<p>archives </p>');
    const search = article({
      key: 'hash:def',
      link: 'https://mp.weixin.qq.com/s?src=11&timestamp=1&ver=1&signature=x',
      bestOrigin: 'file:/b.md',
    });
    expect(toFeedArticle(search, body).contentHtml).toBe('<p>archives </p>');
  });

  it.skipIf(!HAVE_SHARED)('a live image post (real page): its summary is text', () => {
    const html = readFileSync(`${REAL_PAGES}wechat-article__wechat-article-exporter__image-share-01.html`, 'utf8');
    const page = parseArticlePage(html, LINK);
    const obs = pageObservation(page, LINK, '36氪', 0)!;
    const item = feedItem(
      toFeedArticle({ ...observationAsArticle(obs), bestOrigin: `page:${LINK}` }, page.contentHtml!),
    );
    expect(item.summary).toMatch(/^今年，中国汽车行业价格战，寒气越发深入。 2025年9月，新能源汽车/);
    expect(item.summary).not.toMatch(/\\x|&quot;|\n/);
    expect(item.content).not.toContain('\\x0a');
  });
});
