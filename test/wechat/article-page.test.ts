import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseArticlePage } from '../../src/wechat/article-page.js';
import { type FeedLanguage, messages } from '../../src/feeds/messages.js';
import { HAVE_SHARED, OWN_FIXTURES, REAL_PAGES } from '../helpers/paths.js';

const ZH = messages('zh-CN').page;
const own = (name: string, url = 'https://mp.weixin.qq.com/s/unknown', language: FeedLanguage = 'zh-CN') =>
  parseArticlePage(readFileSync(`${OWN_FIXTURES}pages/${name}`, 'utf8'), url, messages(language).page);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('article pages we wrote', () => {
  it('article: identity from script vars (never a recommended article), ct, lazy images, voice, video, sanitized', () => {
    const p = own('article.html');
    expect(p).toMatchObject({
      state: 'ok',
      showType: 0,
      biz: 'MzAwMDAwMDAwMQ==',
      mid: '2650000001',
      idx: '1',
      sn: 'aaaabbbbccccddddeeeeffff00001111',
      canonical:
        'https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwMQ==&mid=2650000001&idx=1&sn=aaaabbbbccccddddeeeeffff00001111',
      title: '测试文章：懒加载与语音',
      account: '测试账号',
      accountId: 'gh_0123456789ab',
      author: '作者甲',
      cover: 'https://mmbiz.qpic.cn/mmbiz_jpg/cover1/0?wx_fmt=jpeg',
      description: '一篇测试文章的摘要',
    });
    expect(iso(p.publishedAt)).toBe('2024-07-12T05:20:00.000Z');
    expect(p.contentHtml).toContain(
      '<img src="https://mmbiz.qpic.cn/mmbiz_png/img1/640?wx_fmt=png&amp;from=appmsg" />',
    );
    expect(p.contentHtml).toContain(
      '<audio controls preload="none" src="https://res.wx.qq.com/voice/getvoice?mediaid=MzAwVOICE"></audio>',
    );
    expect(p.contentHtml).toContain('<iframe src="https://v.qq.com/txp/iframe/player.html?vid=x0001abcd"');
    expect(p.contentHtml).not.toMatch(/<script|visibility|opacity|onclick|style=|javascript:|data-src|别的文章/);
    expect(p.contentHtml).toContain('第二段正文');
    expect(p.textLength).toBeGreaterThan(10);
  });
  it('short link: identity from the page (first non-empty operand), not from links on the page', () => {
    const p = own('short-link.html', 'https://mp.weixin.qq.com/s/ShortTok3n');
    expect(p).toMatchObject({
      biz: 'MzAwMDAwMDAwMQ==',
      mid: '2650000002',
      idx: '2',
      sn: '0123456789abcdef0123456789abcdef',
    });
  });
  it('image post (type 8): images from picture_page_info_list (not watermarks), text from content_noencode, time from cgiDataNew', () => {
    const p = own('image-post.html', 'https://mp.weixin.qq.com/s/ImgPost01');
    expect(p).toMatchObject({
      state: 'ok',
      showType: 8,
      biz: 'MzAwMDAwMDAwMQ==',
      mid: '2650000003',
      idx: '1',
      sn: '11112222333344445555666677778888',
      title: '图片分享：三张图',
      account: '测试账号',
    });
    expect(iso(p.publishedAt)).toBe('2025-11-05T10:30:00.000Z');
    expect(p.contentHtml).toBe(
      '<p><img src="https://mmbiz.qpic.cn/mmbiz_png/p1/0?wx_fmt=png&amp;from=appmsg" alt="" /></p>\n<p><img src="https://mmbiz.qpic.cn/mmbiz_jpg/p2/0?wx_fmt=jpeg" alt="" /></p>\n<p>第一行说明</p>\n<p>第二段 &lt;不是标签&gt;</p>',
    );
  });
  it('text post (type 10): body from text_page_info with \\x0a, a short first line as title', () => {
    const p = own('text-post.html');
    expect(p).toMatchObject({
      showType: 10,
      sn: '9999aaaabbbbccccddddeeeeffff0000',
      title: '这是一条很长的文字分享，它的第一段就是标题',
    });
    expect(p.contentHtml).toBe('<p>这是一条很长的文字分享，它的第一段就是标题</p>\n<p>第二段：1 &lt; 2</p>');
  });
  it("repost: a link to the original, never an empty body, in the feed's language", () => {
    const href =
      'http://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&amp;mid=9&amp;idx=1&amp;sn=cccccccccccccccccccccccccccccccc#rd';
    const zh = own('repost.html');
    expect(zh.sourceUrl).toBe(
      'http://mp.weixin.qq.com/s?__biz=MzI2NzI2OTExNA==&mid=9&idx=1&sn=cccccccccccccccccccccccccccccccc#rd',
    );
    expect(zh.contentHtml).toContain(`<p>转载文章，请阅读<a href="${href}">原文</a>。</p>`);
    const en = own('repost.html', undefined, 'en');
    expect(en.sourceUrl).toBe(zh.sourceUrl);
    expect(en.contentHtml).toContain(`<p>Repost of <a href="${href}">the original article</a>.</p>`);
    expect(en.contentHtml).not.toMatch(/转载|原文/);
  });
  it('unknown layout: og: tags, never the whole page', () => {
    const p = own('og-only.html');
    expect(p).toMatchObject({
      state: 'ok',
      title: '未知版式',
      sn: '00000000111111112222222233333333',
      cover: 'https://mmbiz.qpic.cn/mmbiz_jpg/og/0?wx_fmt=jpeg',
    });
    expect(p.contentHtml).toBe('<p>只有 og 标签的页面</p>');
  });
  it('states: deleted (zh, en), blocked (违规 with reason, 发送失败, 侵权), migrated, expired, captcha by marker and by text', () => {
    expect(own('deleted.html')).toMatchObject({ state: 'deleted', reason: '该内容已被发布者删除' });
    expect(own('deleted-en.html')).toMatchObject({
      state: 'deleted',
      reason: 'The content has been deleted by the author.',
    });
    expect(own('violation.html')).toMatchObject({
      state: 'blocked',
      reason: '此内容因违规无法查看: 涉嫌过度营销、骚扰用户',
      account: '被封账号',
    });
    expect(own('send-failed.html').state).toBe('blocked');
    expect(own('infringement.html').state).toBe('blocked');
    expect(own('migrated.html')).toMatchObject({
      state: 'migrated',
      migratedTo: 'https://mp.weixin.qq.com/s?__biz=MzAwMDAwMDAwOQ==&mid=1&idx=1&sn=abcdefabcdefabcdefabcdefabcdefab',
    });
    expect(own('expired.html').state).toBe('expired');
    expect(own('captcha-script.html').state).toBe('captcha');
    expect(own('captcha-text.html').state).toBe('captcha');
  });
  it('an article that talks about captchas is an article', () => {
    expect(own('article-mentions-captcha.html')).toMatchObject({ state: 'ok', title: '如何应对访问过于频繁' });
  });
});

describe("the labels wxfeed writes into a body speak the feed's language (feed.language)", () => {
  // A voice message and a song that name no title, and a video: each gets a label of ours.
  const page = `<html><head><title>t</title></head><body><div id="js_content"><p>正文第一段</p>
<mpvoice voice_encode_fileid="MzVOICE"></mpvoice>
<iframe data-src="https://v.qq.com/iframe/preview.html?vid=x0001abcd"></iframe>
<qqmusic singer="歌手"></qqmusic></div></body></html>`;
  const voice = (label: string) => `<a href="https://res.wx.qq.com/voice/getvoice?mediaid=MzVOICE">${label}</a>`;
  const video = (label: string) => `<a href="https://v.qq.com/iframe/preview.html?vid=x0001abcd">${label}</a>`;

  it('zh-CN: 语音, 视频, 音乐', () => {
    const p = parseArticlePage(page, 'https://mp.weixin.qq.com/s/x', messages('zh-CN').page);
    expect(p.contentHtml).toContain(voice('语音'));
    expect(p.contentHtml).toContain(video('视频'));
    expect(p.contentHtml).toContain('<p>♪ 音乐 — 歌手</p>');
  });
  it('en: Voice message, Video, Music, and none of the Chinese labels', () => {
    const p = parseArticlePage(page, 'https://mp.weixin.qq.com/s/x', messages('en').page);
    expect(p.contentHtml).toContain(voice('Voice message'));
    expect(p.contentHtml).toContain(video('Video'));
    expect(p.contentHtml).toContain('<p>♪ Music — 歌手</p>');
    expect(p.contentHtml).not.toMatch(/语音|视频|音乐/);
  });
  it('an element that names itself keeps its own name in either language', () => {
    const named = page
      .replace('<mpvoice ', '<mpvoice name="早安" ')
      .replace('<qqmusic ', '<qqmusic music_name="歌名" ');
    for (const language of ['zh-CN', 'en'] as const) {
      const p = parseArticlePage(named, 'https://mp.weixin.qq.com/s/x', messages(language).page);
      expect(p.contentHtml).toContain(voice('早安'));
      expect(p.contentHtml).toContain('<p>♪ 歌名 — 歌手</p>');
    }
  });
});

describe.skipIf(!HAVE_SHARED)('real saved pages', () => {
  const real = (name: string, url = 'https://mp.weixin.qq.com/s/x') =>
    parseArticlePage(readFileSync(`${REAL_PAGES}${name}`, 'utf8'), url, ZH);
  it('normal article opened by short link', () => {
    const p = real(
      'wechat-article__wechat-article-exporter__normal-01.html',
      'https://mp.weixin.qq.com/s/KDWh_qGpFN5Vu1TR9t30Mw',
    );
    expect(p).toMatchObject({
      state: 'ok',
      showType: 0,
      biz: 'MzIyNjMxOTY0NA==',
      mid: '2247504179',
      idx: '1',
      sn: '52c2c5acc9ff4567b10d1408a333693c',
      title: 'AI编程害死我了，给我的抓包软件埋了一个大雷！',
      account: '轩辕的编程宇宙',
      author: '轩辕之风',
      accountId: 'gh_fe02be2b2ff0',
    });
    expect(iso(p.publishedAt)).toBe('2025-11-10T04:00:10.000Z');
    expect(p.contentHtml).not.toMatch(/<script|data-src=|visibility/);
    expect(p.textLength).toBeGreaterThan(1500);
  });
  it('normal article, long link, idx 2', () => {
    const p = real('wechat-article__wechat-article-exporter__normal-c01.html');
    expect(p).toMatchObject({
      mid: '2247664546',
      idx: '2',
      sn: 'cf3b894cff1fe9892fb0598a40c465fb',
      title: '睡前数学知识点｜Day15：疯狂星期四，V你一个知识点：定积分核心公式~',
      account: '金榜时代官微',
      author: '小榜',
    });
    // Its voice's name is HTML-encoded twice (`name="【Day&amp;nbsp;15】…"`): its text.
    expect(p.contentHtml).toContain('>【Day 15】大题给分点在过程与步骤！保证步骤清晰</a>');
    expect(p.contentHtml).not.toContain('&amp;nbsp;');
    expect(iso(p.publishedAt)).toBe('2025-12-04T10:00:51.000Z');
  });
  it('image posts (type 8): 4 and 5 images, identity and time only in cgiDataNew', () => {
    const a = real('wechat-article__wechat-article-exporter__image-share-01.html');
    expect(a).toMatchObject({
      showType: 8,
      biz: 'MzI2NDk5NzA0Mw==',
      mid: '2248864730',
      idx: '1',
      sn: '875c3bbeea8cafa2728a9f53c19b49a3',
      title: '新能源车均价创6年新低，价格战「寒气」侵蚀供应链',
      account: '36氪',
    });
    expect(iso(a.publishedAt)).toBe('2025-11-05T10:30:00.000Z');
    expect(a.contentHtml!.match(/<img /g)).toHaveLength(4);
    // Its description is written for a script (`\x0a\x0a`, `\x26quot;`): read as text.
    expect(a.description).toMatch(/^今年，中国汽车行业价格战，寒气越发深入。\n\n2025年9月/);
    expect(a.description).toMatch(/以图片呈现要点。"Talk is Cheap\. Show me the data\."$/);
    expect(a.description).not.toMatch(/\\x|&quot;/);
    const b = real('wechat-article__wechat-article-exporter__image-share-c01.html');
    expect(b).toMatchObject({ mid: '2248889396', sn: 'b5a55f448cd7738803901180abb1677f' });
    expect(b.contentHtml!.match(/<img /g)).toHaveLength(5);
    expect(iso(b.publishedAt)).toBe('2026-05-23T03:29:46.000Z');
  });
  it('text post (type 10)', () => {
    const p = real('wechat-article__wechat-article-exporter__text-share-01.html');
    expect(p).toMatchObject({
      showType: 10,
      mid: '2247503866',
      sn: '2a1e76712cd0141673069be881549fc2',
      title: 'AI编程带给程序员的危与机',
    });
    expect(iso(p.publishedAt)).toBe('2025-10-07T06:13:11.000Z');
    expect(p.contentHtml).toContain('<p>这两年经常听到AI编程要取代程序员的论调');
  });
  it('2024 article page', () => {
    const p = real('soda92__biao-short-novels__2247484173.html');
    expect(p).toMatchObject({
      biz: 'Mzg4NTc2OTYxMQ==',
      mid: '2247484173',
      idx: '1',
      sn: 'e08995d3af37ce71166551ecb564764c',
      title: '微型小说《在这所有道路都被掀起来的世界》',
      account: '你的鸟儿会唱歌',
      author: '陈标',
    });
    expect(iso(p.publishedAt)).toBe('2024-08-03T06:43:20.000Z');
  });
  it('2018 pages: voice, video iframe, qqmusic', () => {
    const voice = real('chyroc__WechatSogou__article_detail_mpvoice.html');
    expect(voice).toMatchObject({
      biz: 'MjM5ODAyNTcwMA==',
      mid: '2651788393',
      title: '语音 | 早安武汉〔2018.3.19 周一〕',
      account: '长江日报',
    });
    expect(voice.contentHtml).toContain('https://res.wx.qq.com/voice/getvoice?mediaid=');
    expect(iso(voice.publishedAt)).toBe('2018-03-18T21:30:00.000Z');
    const video = real('chyroc__WechatSogou__article_detail_iframe.html');
    expect(video).toMatchObject({ mid: '2671068104', idx: '7', title: '【视频】石榴花开', account: '共产党员' });
    expect(video.contentHtml).toMatch(/<iframe src="https:\/\/v\.qq\.com\//);
    expect(real('chyroc__WechatSogou__article_detail_qqmusic.html')).toMatchObject({
      title: '关于音乐',
      account: '闲云野鹤古刹',
    });
    expect(real('chyroc__WechatSogou__article_detail_backgroud-image.html')).toMatchObject({
      title: '4月6日周五【新闻速览一分钟】',
      account: '华商报',
      biz: 'ODUzMjkwMzYx',
    });
  });
  it('notices and the captcha page', () => {
    expect(real('wechat-article__wechat-article-exporter__deleted-01.html')).toMatchObject({ state: 'deleted' });
    expect(real('wechat-article__wechat-article-exporter__deleted-06-en.html')).toMatchObject({
      state: 'deleted',
      reason: 'The content has been deleted by the author.',
    });
    expect(real('wechat-article__wechat-article-exporter__violation-01.html')).toMatchObject({
      state: 'blocked',
      reason: '此内容因违规无法查看: 涉嫌过度营销、骚扰用户',
      account: '神光的编程秘籍',
    });
    expect(real('wechat-article__wechat-article-exporter__violation-02.html')).toMatchObject({
      state: 'blocked',
      account: '前端欧阳',
    });
    expect(real('wechat-article__wechat-article-exporter__unavailable-01.html')).toMatchObject({
      state: 'unavailable',
      reason: '该内容暂时无法查看',
    });
    expect(real('chyroc__WechatSogou__article_detail_expired.html')).toMatchObject({ state: 'expired' });
    expect(real('f4de01__sub2obsidian__verification.html')).toMatchObject({ state: 'captcha' });
  });
});
